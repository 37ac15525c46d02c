/**
 * Which error codes (src/errors.ts) each command can end with, for the EXIT
 * CODES section of its help. A command missing here shows the whole table.
 */
import type {ErrorCode} from './errors.js'

/** What any command can meet: its command line, its config, its store, a bug. */
const EVERY_COMMAND: ErrorCode[] = ['USAGE', 'BAD_CONFIG', 'BAD_STORE', 'INTERNAL']
/** What running plugins through a chain can end with. */
const CHAIN: ErrorCode[] = ['BAD_PLUGIN', 'PREVENTED', 'PLUGIN_FAILED', 'NESTING_TOO_DEEP']

const OWN: Record<string, ErrorCode[]> = {
  'room:create': ['INVALID_NAME', 'NAME_TAKEN', 'INVALID_INPUT', ...CHAIN],
  'room:delete': ['UNKNOWN_ROOM', 'INVALID_NAME', ...CHAIN],
  'room:join': ['UNKNOWN_ROOM', 'INVALID_NAME', 'NOT_A_MEMBER', 'JOIN_NOT_ALLOWED', 'INVITER_REQUIRED', ...CHAIN],
  'room:leave': ['UNKNOWN_ROOM', 'INVALID_NAME', 'NOT_A_MEMBER', ...CHAIN],
  'room:list': [],
  'room:show': ['UNKNOWN_ROOM'],
  'user:create': ['INVALID_NAME', 'NAME_TAKEN'],
  'user:list': [],
  log: [],
  'plugins:list': ['BAD_PLUGIN'],
  'plugins:install': ['BAD_FILE', 'BAD_PLUGIN', 'INSTALL_FAILED'],
  'plugins:link': ['BAD_FILE', 'BAD_PLUGIN'],
  'plugins:uninstall': ['UNKNOWN_PLUGIN', 'INSTALL_FAILED'],
  'plugins:enable': ['UNKNOWN_PLUGIN'],
  'plugins:disable': ['UNKNOWN_PLUGIN'],
  'plugins:order': ['UNKNOWN_PLUGIN', 'INVALID_INPUT'],
  'plugins:info': ['UNKNOWN_PLUGIN', 'BAD_PLUGIN'],
  'plugins:new': ['INVALID_INPUT', 'BAD_FILE'],
  'scenario:merge': ['BAD_FILE'],
  init: ['BAD_FILE'],
  demo: [],
  version: [],
  commands: [],
  help: [],
  autocomplete: [],
}

/** The codes a command can end with, or undefined when it is not listed (then all apply). */
export function errorCodesOf(commandId: string): ErrorCode[] | undefined {
  const own = OWN[commandId]
  return own === undefined ? undefined : [...new Set([...EVERY_COMMAND, ...own])]
}
