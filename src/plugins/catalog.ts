/**
 * What `plugins list` and `plugins info` show: every plugin in run order, with
 * what loading it in a throwaway worker reveals (interfaces, declared settings).
 */
import type {InterfaceName} from '../protocol/interfaces.js'
import {mergeSettings} from '../domain/settings.js'
import {RoomsimError} from '../errors.js'
import type {Workspace} from '../workspace.js'
import {inspectPlugins, loadProblem} from '../host/inspect.js'
import type {AppReport, LoadedPlugin} from '../protocol/messages.js'
import type {PluginEntryResolved, PluginSource} from './registry.js'
import {declaredSettings} from './settings-shape.js'

/** A plugin's place in the run order, without loading it. */
export interface PluginSummary {
  name: string
  version: string | null
  source: PluginSource
  /** The config path, the npm spec it was installed from, or the linked folder. */
  spec: string
  /** Listed in the config file: its place (and settings) come from there. */
  inConfig: boolean
  enabled: boolean
  /** 1-based place in the run order (disabled plugins keep theirs). */
  position: number
}

export interface PluginListing extends PluginSummary {
  interfaces: InterfaceName[]
  /** For an Apps-Engine app: what its lifecycle registered and what roomsim does not simulate of it; null for a plain plugin. */
  app: AppReport | null
  /** Why it cannot run (fails to load, implements nothing, folder gone), else null. */
  error: string | null
}

export interface SettingInfo {
  id: string
  /** What the plugin declares (package.json "roomsimPlugin".settings, then its own declaration). */
  default: unknown
  /** What its handlers read: the default overlaid with config `plugins[].settings`. */
  value: unknown
}

export interface PluginInfo extends PluginListing {
  folder: string
  entry: string | null
  checks: string[]
  settings: SettingInfo[]
}

export const summarize = (plugin: PluginEntryResolved, index: number): PluginSummary => ({
  name: plugin.name,
  version: plugin.version ?? null,
  source: plugin.source,
  spec: plugin.spec,
  inConfig: plugin.inConfig,
  enabled: plugin.enabled,
  position: index + 1,
})

function listing(plugin: PluginEntryResolved, index: number, loaded: LoadedPlugin | undefined): PluginListing {
  return {...summarize(plugin, index), interfaces: loaded?.interfaces ?? [], app: loaded?.app ?? null, error: plugin.problem ?? (loaded && loadProblem(loaded)) ?? null}
}

/** Loads every usable plugin (disabled ones too) once, to report what each implements. */
async function inspectAll(plugins: readonly PluginEntryResolved[]): Promise<Map<string, LoadedPlugin>> {
  const loaded = await inspectPlugins(plugins.filter((plugin) => !plugin.problem))
  return new Map(loaded.map((plugin) => [plugin.name, plugin]))
}

export async function listPlugins(workspace: Workspace): Promise<PluginListing[]> {
  const plugins = workspace.plugins()
  const loaded = await inspectAll(plugins)
  return plugins.map((plugin, index) => listing(plugin, index, loaded.get(plugin.name)))
}

/** One plugin by name, with its place in the run order; UNKNOWN_PLUGIN names the known ones. */
export function findPlugin(plugins: readonly PluginEntryResolved[], name: string): {plugin: PluginEntryResolved; index: number} {
  const index = plugins.findIndex((plugin) => plugin.name === name)
  if (index === -1) {
    const known = plugins.map((plugin) => plugin.name)
    throw new RoomsimError('UNKNOWN_PLUGIN', `no plugin named "${name}" (${known.length > 0 ? `known: ${known.join(', ')}` : 'none is installed or configured'})`)
  }
  return {plugin: plugins[index]!, index}
}

export async function pluginInfo(workspace: Workspace, name: string): Promise<PluginInfo> {
  const {plugin, index} = findPlugin(workspace.plugins(), name)
  const loaded = plugin.problem ? undefined : (await inspectPlugins([plugin]))[0]
  const declared = declaredSettings(loaded?.declaredSettings, `plugin ${plugin.name}: its declared settings`)
  const {defaults, values} = mergeSettings({packageDefaults: plugin.packageDefaults, declared, configured: plugin.settings})
  return {
    ...listing(plugin, index, loaded),
    folder: plugin.root,
    entry: plugin.entry || null,
    checks: loaded?.checks ?? [],
    settings: Object.keys(values).map((id) => ({id, default: defaults[id], value: values[id]})),
  }
}
