import {BaseCommand} from '../../base-command.js'
import {formatPluginList} from '../../output/plugins.js'
import {terminalWidth} from '../../output/table.js'
import {listPlugins, type PluginListing} from '../../plugins/catalog.js'
import {RUN_ORDER_HELP} from '../../plugins/registry.js'

export default class PluginsList extends BaseCommand<typeof PluginsList> {
  static override summary = 'List plugins in run order: name, version, source, enabled, position, interfaces.'
  static override description = `Config plugins and installed or linked plugins together. Each plugin is loaded in its sandbox to show the interfaces it implements; one that fails to load shows why. ${RUN_ORDER_HELP}`
  static override examples = ['<%= config.bin %> plugins list', '<%= config.bin %> plugins list --json']

  async run(): Promise<PluginListing[]> {
    const plugins = await listPlugins(await this.workspace())
    const maxWidth = terminalWidth()
    this.log(formatPluginList(plugins, maxWidth === undefined ? {} : {maxWidth}))
    return plugins
  }
}
