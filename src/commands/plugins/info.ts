import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {formatPluginInfo} from '../../output/plugins.js'
import {type PluginInfo, pluginInfo} from '../../plugins/catalog.js'

export default class PluginsInfo extends BaseCommand<typeof PluginsInfo> {
  static override summary = 'Show a plugin: source, interfaces, and its settings with defaults and current values.'
  static override description = 'Defaults come from the plugin (package.json "roomsimPlugin".settings, or a settings export); current values add the config file\'s plugins[].settings (for an installed plugin, a "package: NAME" entry). The plugin is loaded in its sandbox (a throwaway isolate).'
  static override examples = ['<%= config.bin %> plugins info gatekeeper', '<%= config.bin %> plugins info gatekeeper --json']

  static override args = {name: Args.string({description: 'Plugin name.', required: true})}

  async run(): Promise<PluginInfo> {
    const info = await pluginInfo(await this.workspace(), this.args.name)
    this.log(formatPluginInfo(info))
    return info
  }
}
