/** YAML aliases may stand for this many nodes in all: enough for shared settings, far from an alias bomb. */
export const MAX_ALIAS_COUNT = 1000
