import {Errors, type Hook} from '@oclif/core'

import {ERROR_CODES} from '../errors.js'
import {closest} from '../scenario/schema/checker.js'

/**
 * An unknown command is a usage error: one line (or the JSON error document),
 * with the closest command as a hint, and exit 2 (SPEC §5). oclif's own
 * not-found plugin exits 127 and prompts; roomsim keeps its documented code.
 */
const hook: Hook.CommandNotFound = async function ({argv, config, id}) {
  const spaced = (commandId: string): string => commandId.replaceAll(':', ' ')
  const visible = config.commands.filter((command) => !command.hidden).map((command) => command.id)
  const hint = closest(id, visible) ?? visible.find((candidate) => candidate.startsWith(`${id}:`))
  const message = `unknown command "${spaced(id)}"${hint ? `; did you mean "${spaced(hint)}"?` : '.'} Run "${config.bin} commands" for the list.`
  if (argv?.includes('--json')) process.stdout.write(`${JSON.stringify({error: {code: 'USAGE', message}})}\n`)
  else process.stderr.write(`Error: ${message}\n`)
  throw new Errors.ExitError(ERROR_CODES.USAGE.exit)
}

export default hook
