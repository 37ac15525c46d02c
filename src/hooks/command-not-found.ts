import {Errors, type Hook} from '@oclif/core'

import {ERROR_CODES} from '../errors.js'
import {closest} from '../scenario/schema/checker.js'

/**
 * An unknown command is a usage error: one line (or the JSON error document),
 * with the closest command or topic as a hint, and exit 2 (SPEC §5). oclif's
 * own not-found plugin exits 127 and prompts; roomsim keeps its documented code.
 */
const hook: Hook.CommandNotFound = async function ({argv, config, id}) {
  const spaced = (words: string): string => words.replaceAll(':', ' ')
  const candidates = [...config.commands.filter((command) => !command.hidden).map((command) => command.id), ...config.topics.map((topic) => topic.name)]
  // oclif hands over everything that is not a flag ("room:craete:general"): what was meant as the command is a known topic and one word.
  const words = id.split(':')
  const topicWords = words.findIndex((_, index) => !config.findTopic(words.slice(0, index + 1).join(':')))
  const typed = words.slice(0, topicWords < 0 ? words.length : topicWords + 1).join(':')
  const hint = closest(typed, candidates)
  const message = `unknown command "${spaced(typed)}"${hint ? `; did you mean "${spaced(hint)}"?` : '.'} Run "${config.bin} commands" for the list.`
  if (argv?.includes('--json')) process.stdout.write(`${JSON.stringify({error: {code: 'USAGE', message}})}\n`)
  else process.stderr.write(`Error: ${message}\n`)
  throw new Errors.ExitError(ERROR_CODES.USAGE.exit)
}

export default hook
