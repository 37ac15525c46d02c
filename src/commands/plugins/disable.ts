import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {formatRunOrder} from '../../output/plugins.js'
import type {PluginSummary} from '../../plugins/catalog.js'
import {setEnabled} from '../../plugins/manage.js'

export default class PluginsDisable extends BaseCommand<typeof PluginsDisable> {
  static override summary = 'Stop an installed or linked plugin from running; it keeps its place in the run order.'
  static override description = 'Disabled plugins are not loaded at all. Config plugins are disabled with "enabled: false" in the config file.'
  static override examples = ['<%= config.bin %> plugins disable my-plugin']

  static override args = {name: Args.string({description: 'Plugin name.', required: true})}

  async run(): Promise<PluginSummary> {
    const plugin = setEnabled(await this.workspace(), this.args.name, false)
    this.log(`${plugin.enabled ? 'enabled' : 'disabled'} ${plugin.name}${plugin.enabled === false ? '' : ' (its config entry says "enabled: false", so it stays off)'}`)
    this.log(formatRunOrder([plugin]))
    return plugin
  }
}
