import {Command, Help} from '@oclif/core'

import {exitCodeHelp, scenarioExitCodeHelp} from './errors.js'

/** oclif's help plus an EXIT CODES section, built from the error table. */
export default class RoomsimHelp extends Help {
  override formatCommand(command: Command.Loadable): string {
    const section = this.section('EXIT CODES', command.id === 'scenario:run' ? scenarioExitCodeHelp() : exitCodeHelp())
    return `${super.formatCommand(command)}\n\n${section}`
  }
}
