import {RoomsimError} from '../errors.js'
import {DEFAULT_IMPORT_TIMEOUT_MS, PluginHost} from './plugin-host.js'
import type {LoadedPlugin, PluginSpec} from '../protocol/messages.js'

/**
 * Loads plugins in throwaway isolates to see what they are (interfaces, checks,
 * declared settings) without running a handler. Used by install and link (the
 * check), list and info: a plugin's code runs only inside its sandbox, never in
 * roomsim's process, and one that hangs or dies while importing costs its isolate only.
 */
export async function inspectPlugins(specs: readonly PluginSpec[], importTimeoutMs = DEFAULT_IMPORT_TIMEOUT_MS): Promise<LoadedPlugin[]> {
  if (specs.length === 0) return []
  const host = new PluginHost(
    [...specs],
    {onCall: () => Promise.reject(new Error('accessors are not available while roomsim only inspects the plugin')), onLog: () => undefined},
    {importTimeoutMs},
  )
  try {
    return await host.loaded()
  } finally {
    await host.close()
  }
}

/** Why a loaded plugin cannot run, or undefined when it can. */
export function loadProblem(plugin: LoadedPlugin): string | undefined {
  if (plugin.error) {
    const kind = plugin.error.className
    return `failed to load: ${kind === 'Error' || kind === 'NonError' || plugin.error.message.startsWith(kind) ? '' : `${kind}: `}${plugin.error.message}`
  }
  if (plugin.interfaces.length === 0) return 'implements no room event interface (no execute* method such as executePreRoomCreatePrevent)'
  return undefined
}

/** The install-time check: the plugin loads cleanly and implements at least one room interface. */
export async function checkPlugin(spec: PluginSpec): Promise<LoadedPlugin> {
  const [loaded] = await inspectPlugins([spec])
  const problem = loadProblem(loaded!)
  if (problem) throw new RoomsimError('BAD_PLUGIN', `plugin ${spec.name} ${problem}`, {plugin: spec.name})
  return loaded!
}
