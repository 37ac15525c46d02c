import type {PluginInfo, PluginListing, PluginSummary} from '../plugins/catalog.js'
import {formatTable, type TableOptions} from './table.js'

const where = (plugin: PluginSummary): string => `${plugin.source} ${plugin.spec}${plugin.inConfig && plugin.source !== 'config' ? ' (placed by config)' : ''}`

/** `plugins list`: one row per plugin, in run order. */
export function formatPluginList(plugins: readonly PluginListing[], {maxWidth}: Pick<TableOptions, 'maxWidth'> = {}): string {
  return formatTable(
    ['#', 'name', 'version', 'enabled', 'interfaces', 'source'],
    plugins.map((plugin) => [
      String(plugin.position),
      plugin.name,
      plugin.version ?? '-',
      plugin.enabled ? 'yes' : 'no',
      plugin.error ? `! ${plugin.error}` : plugin.interfaces.join(', '),
      where(plugin),
    ]),
    'No plugins. Install one with: roomsim plugins install SPEC (or link a folder: roomsim plugins link PATH)',
    // On a narrow terminal the interfaces and the source give way; piped output is never cut.
    {...(maxWidth === undefined ? {} : {maxWidth}), shrink: [4, 5], cutStart: [5]},
  )
}

/** The run order after a change, one line each. */
export function formatRunOrder(plugins: readonly PluginSummary[]): string {
  const width = Math.max(...plugins.map((plugin) => plugin.name.length + (plugin.enabled ? 0 : ' (disabled)'.length)))
  return plugins.map((plugin) => `${String(plugin.position).padStart(3)}. ${`${plugin.name}${plugin.enabled ? '' : ' (disabled)'}`.padEnd(width)}  ${where(plugin)}`).join('\n')
}

const json = (value: unknown): string => (value === undefined ? '-' : JSON.stringify(value))

/** `plugins info`: what a plugin is, what it implements, its settings. */
export function formatPluginInfo(info: PluginInfo): string {
  const lines = [
    `${info.name}${info.version ? ` ${info.version}` : ''}  (${info.enabled ? 'enabled' : 'disabled'}, runs ${info.position}${ordinal(info.position)})`,
    `source      ${where(info)}`,
    `folder      ${info.folder}`,
    `entry       ${info.entry ?? '-'}`,
    `interfaces  ${info.interfaces.join(', ') || '-'}`,
    ...(info.checks.length > 0 ? [`checks      ${info.checks.join(', ')}`] : []),
    ...(info.error ? [`error       ${info.error}`] : []),
    '',
    formatTable(['setting', 'default', 'value'], info.settings.map((setting) => [setting.id, json(setting.default), json(setting.value)]), 'No settings declared.'),
  ]
  return lines.join('\n')
}

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th'
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'
}
