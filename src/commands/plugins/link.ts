import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {formatAppReport, formatRunOrder} from '../../output/plugins.js'
import type {PluginListing} from '../../plugins/catalog.js'
import {linkPlugin} from '../../plugins/install.js'

export default class PluginsLink extends BaseCommand<typeof PluginsLink> {
  static override summary = 'Register a plugin folder in place, for development: edits are seen on the next run.'
  static override description = 'Nothing is copied and npm does not run: the folder is loaded from where it is (TypeScript entries need no build step). It is checked like an install: it must load and implement at least one room event interface (an Apps-Engine app is accepted whatever it implements, and what roomsim does not simulate of it is listed), else nothing is registered and the command exits 2. If it breaks later (say, an edit with a syntax error), room commands report it as an error hook named after it (method "import") and apply the error policy.'
  static override examples = ['<%= config.bin %> plugins new my-plugin && <%= config.bin %> plugins link ./my-plugin']

  static override args = {path: Args.string({description: 'The plugin folder (holds package.json or an index.js / src/index.ts).', required: true})}

  async run(): Promise<PluginListing> {
    const plugin = await linkPlugin(await this.workspace(), this.args.path)
    this.log(`linked ${plugin.name} from ${plugin.spec}: ${plugin.interfaces.join(', ') || 'no room interface'}`)
    for (const line of formatAppReport(plugin)) this.log(line)
    this.log(formatRunOrder([plugin]))
    return plugin
  }
}
