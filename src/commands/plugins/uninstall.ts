import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {uninstallPlugin} from '../../plugins/install.js'

export default class PluginsUninstall extends BaseCommand<typeof PluginsUninstall> {
  static override summary = 'Remove an installed plugin (npm uninstall) or unlink a linked one.'
  static override description = 'A linked folder itself is left untouched. The records the plugin stored (IPersistence) stay in the store, so reinstalling it finds them again. Plugins that come from the config file are removed by editing it.'
  static override examples = ['<%= config.bin %> plugins uninstall my-plugin']

  static override args = {name: Args.string({description: 'Plugin name (its package name).', required: true})}

  async run(): Promise<{name: string; source: 'package' | 'link'; spec: string}> {
    const removed = await uninstallPlugin(await this.workspace(), this.args.name)
    this.log(`${removed.source === 'link' ? 'unlinked' : 'uninstalled'} ${removed.name}`)
    return removed
  }
}
