import {Command, Help} from '@oclif/core'

import {errorCodesOf} from './command-errors.js'
import {exitCodeHelp, scenarioExitCodeHelp} from './errors.js'

/** oclif's help plus an EXIT CODES section: the command's own codes, built from the error table. */
export default class RoomsimHelp extends Help {
  override formatCommand(command: Command.Loadable): string {
    const codes = command.id === 'scenario:run' ? scenarioExitCodeHelp() : exitCodeHelp(errorCodesOf(command.id))
    return `${super.formatCommand(command)}\n\n${this.section('EXIT CODES', codes)}`
  }
}
