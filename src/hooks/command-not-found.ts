import type {Hook} from '@oclif/core'

import {ERROR_CODES} from '../errors.js'

/** An unknown command is a usage error: one line (or the JSON error document) and exit 2. */
const hook: Hook.CommandNotFound = async function ({argv, id}) {
  const name = id.replaceAll(':', ' ')
  const message = `unknown command "${name}"; run "roomsim --help" for the list`
  if (argv?.includes('--json')) process.stdout.write(`${JSON.stringify({error: {code: 'USAGE', message}})}\n`)
  else process.stderr.write(`Error: ${message}\n`)
  process.exit(ERROR_CODES.USAGE.exit)
}

export default hook
