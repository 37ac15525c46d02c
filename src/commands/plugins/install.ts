import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {formatAppReport, formatRunOrder} from '../../output/plugins.js'
import type {PluginListing} from '../../plugins/catalog.js'
import {installPlugin} from '../../plugins/install.js'
import {RUN_ORDER_HELP} from '../../plugins/registry.js'

export default class PluginsInstall extends BaseCommand<typeof PluginsInstall> {
  static override summary = 'Install a plugin package: a local folder, a .tgz, or a registry spec.'
  static override description = `npm installs it (with --ignore-scripts) into the plugin folder beside the store (.roomsim/plugins/, one npm prefix for all plugins). Before it is registered it is loaded in its sandbox (its code never runs in roomsim's own process) and must implement at least one room event interface (an Apps-Engine app is accepted whatever it implements, and what roomsim does not simulate of it is listed); if anything fails, the plugin folder is put back as it was, nothing is registered, and the command exits 2 with the reason. Installing a name again upgrades it in place (same position, same enabled flag). New plugins run after those already installed. ${RUN_ORDER_HELP}`
  static override examples = [
    '<%= config.bin %> plugins install ./my-plugin',
    '<%= config.bin %> plugins install ./my-plugin-1.0.0.tgz',
    '<%= config.bin %> plugins install some-roomsim-plugin@^2',
  ]

  static override args = {spec: Args.string({description: 'A folder, a tarball (npm pack), or anything npm install accepts.', required: true})}

  async run(): Promise<PluginListing> {
    const plugin = await installPlugin(await this.workspace(), this.args.spec)
    this.log(`installed ${plugin.name}${plugin.version ? ` ${plugin.version}` : ''}: ${plugin.interfaces.join(', ') || 'no room interface'}`)
    for (const line of formatAppReport(plugin)) this.log(line)
    this.log(formatRunOrder([plugin]))
    return plugin
  }
}
