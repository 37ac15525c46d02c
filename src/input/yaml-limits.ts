/** YAML aliases may stand for this many nodes in all: enough for shared settings, far from an alias bomb. */
export const MAX_ALIAS_COUNT = 1000

/** Flow collections (`[`, `{`) may nest this deep; the parser recurses per level, and near the stack's end V8 can abort the process. */
export const MAX_FLOW_DEPTH = 256

/**
 * The offset where brackets first nest deeper than MAX_FLOW_DEPTH, or -1. One
 * linear scan; brackets inside quotes and comments are skipped, roughly as YAML
 * reads them (an overcount only matters past hundreds of levels).
 */
export function tooDeepAt(text: string): number {
  let depth = 0
  let quote: string | undefined
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (quote) {
      if (char === '\\' && quote === '"') index++
      else if (char === quote) quote = undefined
      else if (char === '\n' && quote === undefined) quote = undefined
      continue
    }
    if (char === '"' || char === "'") quote = char
    else if (char === '#' && (index === 0 || /\s/.test(text[index - 1]!))) {
      const end = text.indexOf('\n', index)
      if (end === -1) break
      index = end
    } else if (char === '[' || char === '{') {
      depth++
      if (depth > MAX_FLOW_DEPTH) return index
    } else if ((char === ']' || char === '}') && depth > 0) depth--
  }
  return -1
}
