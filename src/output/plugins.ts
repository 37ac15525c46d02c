import type {RegistrationPoint} from '../protocol/app-report.js'
import type {PluginInfo, PluginListing, PluginSummary} from '../plugins/catalog.js'
import type {AppReport} from '../protocol/messages.js'
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
      plugin.error ? `! ${plugin.error}` : plugin.interfaces.join(', ') || (plugin.app ? '- (an app with no room interface; see plugins info)' : '-'),
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

/** What link and install say about an app: the interfaces roomsim never calls, and warnings. Empty for a plain plugin. */
export function formatAppReport(plugin: Pick<PluginListing, 'app'>): string[] {
  if (!plugin.app) return []
  return [
    ...(plugin.app.unsimulated.length > 0 ? [`  not simulated: ${plugin.app.unsimulated.join(', ')} (loaded, but roomsim never calls them; see docs/apps.md)`] : []),
    ...plugin.app.warnings.map((warning) => `  warning: ${warning}`),
  ]
}

/** What an app registered in its lifecycle, by extension point; points with nothing are left out. */
function formatRegistrations(app: AppReport): string[] {
  const points = Object.entries(app.registered).filter(([, items]) => items.length > 0)
  if (points.length === 0) return ['registered   nothing (no settings, commands, endpoints…)']
  return ['registered (recorded; only settings take effect in roomsim)', ...points.map(([point, items]) => `  ${REGISTRATION_LABELS[point as RegistrationPoint].padEnd(22)} ${items.join(', ')}`)]
}

const REGISTRATION_LABELS: Record<RegistrationPoint, string> = {
  settings: 'settings',
  slashCommands: 'slash commands',
  apiEndpoints: 'API endpoints',
  schedulerProcessors: 'scheduler processors',
  uiButtons: 'UI buttons',
  videoConfProviders: 'video-conf providers',
  externalComponents: 'external components',
  emailProviders: 'email providers',
  phoneProviders: 'phone providers',
  httpDefaults: 'HTTP defaults',
  scheduledJobs: 'scheduled jobs',
  slashCommandChanges: 'slash command changes',
  serverSettingChanges: 'server setting changes',
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
    ...(info.app ? [`app         not simulated: ${info.app.unsimulated.join(', ') || 'nothing (roomsim runs every interface it implements)'}`, ...info.app.warnings.map((warning) => `warning     ${warning}`), ...formatRegistrations(info.app)] : []),
    '',
    formatTable(['setting', 'default', 'value'], info.settings.map((setting) => [setting.id, json(setting.default), json(setting.value)]), 'No settings declared.'),
  ]
  return lines.join('\n')
}

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th'
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'
}
