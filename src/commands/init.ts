import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {CONFIG_FILE, type InitResult, initWorkspace, SCENARIO_FILE} from '../init/workspace-files.js'

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Set up this folder: a roomsim.config.yaml listing plugins, a first scenario, .roomsim/ in .gitignore.'
  static override description = `With --examples, the six example plugins are copied into ./plugins and listed in the config, so room commands run them right away (the README's first sample then prints exactly what it shows). Nothing that exists is overwritten.`
  static override examples = ['<%= config.bin %> init --examples && <%= config.bin %> room create dev-ops --by alice --member bob', '<%= config.bin %> init']

  static override flags = {
    examples: Flags.boolean({summary: 'Copy the six example plugins into ./plugins and list them in the config.'}),
  }

  async run(): Promise<InitResult> {
    const result = initWorkspace(process.cwd(), {examples: this.flags.examples})
    this.log(`created ${result.written.join(', ')}`)
    const next = result.plugins.length > 0 ? ['roomsim room create dev-ops --by alice --member bob   # the example plugins\' hooks fire'] : [`roomsim plugins new my-plugin   # then list it in ${CONFIG_FILE}`]
    this.log(`\nnext:\n${[...next, `roomsim scenario run ${SCENARIO_FILE}`].map((line) => `  ${line}`).join('\n')}`)
    return result
  }
}
