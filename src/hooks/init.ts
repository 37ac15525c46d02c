import type {Hook} from '@oclif/core'

import {ERROR_CODES} from '../errors.js'

/** Flags every roomsim command takes, and whether each takes a value. */
const GLOBAL_FLAGS: Record<string, boolean> = {'--store': true, '--config': true, '--verbose': false, '--json': false}

function fail(message: string, json: boolean): never {
  if (json) process.stdout.write(`${JSON.stringify({error: {code: 'USAGE', message}})}\n`)
  else process.stderr.write(`Error: ${message}\n`)
  process.exit(ERROR_CODES.USAGE.exit)
}

/**
 * Before oclif runs anything:
 * - `help` ignores the global flags (a user's alias may add `--store x.db` to every
 *   call) and answers an unknown command in one line with exit 2;
 * - a topic with `--json` (`roomsim room --json`) is a usage error as one JSON
 *   document, not the topic's help text.
 * `argv` is the array oclif goes on to use, so it is edited in place.
 */
const hook: Hook.Init = async function ({argv, id}) {
  const json = argv.includes('--json')
  if (id === 'help') {
    for (let i = 0; i < argv.length; i++) {
      const [name] = argv[i]!.split('=')
      if (name! in GLOBAL_FLAGS) {
        const takesValue = GLOBAL_FLAGS[name!] && !argv[i]!.includes('=')
        argv.splice(i, takesValue ? 2 : 1)
        i--
      }
    }
    const words = argv.filter((arg) => !arg.startsWith('-'))
    if (words.length === 0) return
    const target = words.join(':')
    if (!this.config.findCommand(target) && !this.config.findTopic(target)) fail(`no command or topic "${words.join(' ')}"; run "roomsim --help" for the list`, json)
    return
  }
  if (id && json && !this.config.findCommand(id) && this.config.findTopic(id)) {
    fail(`"${id.replaceAll(':', ' ')}" is a topic, not a command; run "roomsim ${id.replaceAll(':', ' ')} --help" for its commands`, true)
  }
}

export default hook
