import os from 'node:os'

import {Args, ux} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {formatAppReport, formatRunOrder} from '../../output/plugins.js'
import type {PluginListing} from '../../plugins/catalog.js'
import {type InstallProgress, installPlugins} from '../../plugins/install.js'
import {NpmInterrupted} from '../../plugins/npm-prefix.js'
import {RUN_ORDER_HELP} from '../../plugins/registry.js'

export default class PluginsInstall extends BaseCommand<typeof PluginsInstall> {
  static override summary = 'Install plugin packages: local folders, .tgz files, or registry specs (several in one npm run).'
  static override description = `npm installs them (with --ignore-scripts) into the plugin folder beside the store (.roomsim/plugins/, one npm prefix for all plugins). Before they are registered each is loaded in its sandbox (its code never runs in roomsim's own process) and must implement at least one room event interface (an Apps-Engine app is accepted whatever it implements, and what roomsim does not simulate of it is listed); if anything fails, the plugin folder is put back as it was, none is registered, and the command exits 2 with the reason. Installing a name again upgrades it in place (same position, same enabled flag). New plugins run after those already installed, in the order given. A second install into the same folder waits for the first; an install killed half-way is rolled back by the next plugins command. With one SPEC, --json prints its listing; with several, a list. ${RUN_ORDER_HELP}`
  static override examples = [
    '<%= config.bin %> plugins install ./my-plugin',
    '<%= config.bin %> plugins install ./my-plugin-1.0.0.tgz ./audit',
    '<%= config.bin %> plugins install some-roomsim-plugin@^2',
  ]

  static override strict = false
  static override args = {spec: Args.string({description: 'Folders, tarballs (npm pack), or anything npm install accepts.', required: true})}

  async run(): Promise<PluginListing | PluginListing[]> {
    const {argv} = await this.parse(PluginsInstall)
    const specs = argv as string[]
    const plugins = await installPlugins(await this.workspace(), specs, this.progress())
    if (ux.action.running) ux.action.stop('done')
    for (const plugin of plugins) {
      this.log(`installed ${plugin.name}${plugin.version ? ` ${plugin.version}` : ''}: ${plugin.interfaces.join(', ') || 'no room interface'}`)
      for (const line of formatAppReport(plugin)) this.log(line)
    }
    this.log(formatRunOrder(plugins))
    return specs.length === 1 ? plugins[0]! : plugins
  }

  /** A spinner on a terminal (stderr), nothing otherwise: scripts and --json see only the result. */
  private progress(): InstallProgress {
    const waiting = (holder: {pid: number; doing: string} | undefined) =>
      process.stderr.write(`Waiting for ${holder ? `roomsim process ${holder.pid} (${holder.doing})` : 'another roomsim process'} to finish changing plugins…\n`)
    if (!process.stderr.isTTY || this.jsonEnabled()) return {waiting}
    return {
      waiting,
      step: (text) => {
        if (ux.action.running) ux.action.status = text
        else ux.action.start('Installing', text)
      },
    }
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}}): Promise<never> {
    if (error instanceof NpmInterrupted) {
      if (ux.action.running) ux.action.stop('interrupted')
      process.stderr.write(`Error: ${error.message}; the plugin folder was put back as it was and nothing was registered\n`)
      this.exit(128 + (os.constants.signals[error.signal] ?? 2))
    }
    return super.catch(error)
  }

  protected override async finally(error: Error | undefined): Promise<void> {
    if (ux.action.running) ux.action.stop(error ? 'failed' : 'done')
    return super.finally(error)
  }
}
