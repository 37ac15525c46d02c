/**
 * Every error roomsim reports, in one table: code → exit code and what it means.
 * The help's exit-code section and docs are built from this table, so a new code
 * is declared here and nowhere else.
 */
export const EXIT = {ok: 0, internal: 1, invalid: 2, prevented: 3, pluginFailed: 4} as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export const ERROR_CODES = {
  USAGE: {exit: EXIT.invalid, summary: 'bad command line: unknown command, flag or argument'},
  INVALID_NAME: {exit: EXIT.invalid, summary: 'a room or user name breaks the naming rule'},
  NAME_TAKEN: {exit: EXIT.invalid, summary: 'a room or user with that name already exists'},
  UNKNOWN_ROOM: {exit: EXIT.invalid, summary: 'no room has that name or id'},
  UNKNOWN_USER: {exit: EXIT.invalid, summary: 'no user has that name'},
  NOT_A_MEMBER: {exit: EXIT.invalid, summary: 'the user is not a member of the room'},
  JOIN_NOT_ALLOWED: {exit: EXIT.invalid, summary: 'the room type does not allow joining'},
  INVITER_REQUIRED: {exit: EXIT.invalid, summary: 'a private room needs an inviter who is a member'},
  INVALID_INPUT: {exit: EXIT.invalid, summary: 'an input value is not acceptable'},
  BAD_CONFIG: {exit: EXIT.invalid, summary: 'the config file is invalid'},
  BAD_FILE: {exit: EXIT.invalid, summary: 'a file given on the command line cannot be used'},
  BAD_STORE: {exit: EXIT.invalid, summary: 'the store file is not a roomsim store, or is newer than this program'},
  BAD_PLUGIN: {exit: EXIT.invalid, summary: 'a plugin cannot be loaded or implements no room interface'},
  UNKNOWN_PLUGIN: {exit: EXIT.invalid, summary: 'no plugin has that name'},
  INSTALL_FAILED: {exit: EXIT.invalid, summary: 'npm could not install the plugin (nothing was changed)'},
  PREVENTED: {exit: EXIT.prevented, summary: 'a plugin prevented the action'},
  PLUGIN_FAILED: {exit: EXIT.pluginFailed, summary: 'a plugin broke the action (error under onError: abort, or an invalid room)'},
  NESTING_TOO_DEEP: {exit: EXIT.pluginFailed, summary: 'plugins started actions nested deeper than the limit (a loop?)'},
  INTERNAL: {exit: EXIT.internal, summary: 'an internal error in roomsim'},
} as const satisfies Record<string, {exit: ExitCode; summary: string}>

export type ErrorCode = keyof typeof ERROR_CODES

/** An error roomsim expected: it carries a code from the table and prints as one line. */
export class RoomsimError extends Error {
  override readonly name = 'RoomsimError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: {plugin?: string; cause?: unknown} = {},
  ) {
    super(message, details.cause === undefined ? undefined : {cause: details.cause})
  }

  get exit(): ExitCode {
    return ERROR_CODES[this.code].exit
  }
}

export const invalid = (code: ErrorCode, message: string): RoomsimError => new RoomsimError(code, message)

const EXIT_MEANING: Record<ExitCode, string> = {
  0: 'completed, or nothing to do (noop)',
  1: 'internal error',
  2: 'invalid input',
  3: 'prevented by a plugin',
  4: 'a plugin broke the action',
}

/**
 * The exit-code section of the help, built from the table above: with `codes`,
 * only the exit codes those error codes lead to (0 and 1 always).
 */
export function exitCodeHelp(codes?: readonly ErrorCode[]): string {
  const relevant = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => codes === undefined || codes.includes(code))
  return (Object.entries(EXIT_MEANING) as unknown as [string, string][])
    .map(([exit, meaning]) => ({exit, meaning, names: relevant.filter((code) => String(ERROR_CODES[code].exit) === exit)}))
    .filter(({exit, names}) => Number(exit) <= EXIT.internal || names.length > 0)
    .map(({exit, meaning, names}) => `${exit}  ${meaning}${names.length > 0 && Number(exit) > 1 ? ` (${names.join(', ')})` : ''}`)
    .join('\n')
}

/** `scenario run` answers with its own codes (SPEC §5). */
export const SCENARIO_EXIT = {passed: 0, expectationFailed: 1, invalidFile: 2} as const

export function scenarioExitCodeHelp(): string {
  return [
    `${SCENARIO_EXIT.passed}  every expectation held`,
    `${SCENARIO_EXIT.expectationFailed}  an expectation failed`,
    `${SCENARIO_EXIT.invalidFile}  a scenario file is invalid (each problem printed as file:line:column: what is wrong)`,
  ].join('\n')
}

/** The first non-empty line of a message, trimmed: roomsim reports errors as one line. */
export const firstLine = (text: string): string => text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? text.trim()

/** A message for any thrown value, including non-Error throws from plugins. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  try {
    return `non-Error value thrown: ${JSON.stringify(error)}`
  } catch {
    return `non-Error value thrown: ${String(error)}`
  }
}
