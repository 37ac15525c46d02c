import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {formatRunOrder} from '../../output/plugins.js'
import type {PluginSummary} from '../../plugins/catalog.js'
import {setEnabled} from '../../plugins/manage.js'

export default class PluginsEnable extends BaseCommand<typeof PluginsEnable> {
  static override summary = 'Let an installed or linked plugin run again.'
  static override description = 'A config entry with "enabled: false" still keeps it from running.'
  static override examples = ['<%= config.bin %> plugins enable my-plugin']

  static override args = {name: Args.string({description: 'Plugin name.', required: true})}

  async run(): Promise<PluginSummary> {
    const plugin = setEnabled(await this.workspace(), this.args.name, true)
    this.log(`${plugin.enabled ? 'enabled' : 'disabled'} ${plugin.name}${plugin.enabled === true ? '' : ' (its config entry says "enabled: false", so it stays off)'}`)
    this.log(formatRunOrder([plugin]))
    return plugin
  }
}
