import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {formatRunOrder} from '../../output/plugins.js'
import type {PluginSummary} from '../../plugins/catalog.js'
import {orderPlugins} from '../../plugins/manage.js'
import {RUN_ORDER_HELP} from '../../plugins/registry.js'

export default class PluginsOrder extends BaseCommand<typeof PluginsOrder> {
  static override summary = 'Set the run order of installed plugins: the ones named run first, in the order given.'
  static override description = `Installed plugins not named keep their relative order after the named ones. Plugins listed in the config file always run first, in the config's order; move them there. Prints the whole run order. ${RUN_ORDER_HELP}`
  static override examples = ['<%= config.bin %> plugins order gatekeeper welcome']
  static override strict = false

  static override args = {names: Args.string({description: 'Plugin names, first to run first.', required: true})}

  async run(): Promise<PluginSummary[]> {
    const {argv} = await this.parse(PluginsOrder)
    const order = orderPlugins(await this.workspace(), argv as string[])
    this.log(formatRunOrder(order))
    return order
  }
}
