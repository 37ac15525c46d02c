import {appUserName} from './app-user.js'
import {RoomsimError} from '../errors.js'
import {DEFAULT_IMPORT_TIMEOUT_MS, PluginHost} from './plugin-host.js'
import type {AccessorCall, LoadedPlugin, PluginSpec} from '../protocol/messages.js'

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
    {onCall: (plugin, call) => answerInspection(plugin, call, specs), onLog: () => undefined},
    {importTimeoutMs},
  )
  try {
    return await host.loaded()
  } finally {
    await host.close()
  }
}

/**
 * While roomsim only inspects a plugin there is no store: an app's lifecycle
 * still gets its app user (onEnable commonly caches it); any other accessor
 * call is refused, naming itself.
 */
function answerInspection(caller: string, call: AccessorCall, specs: readonly PluginSpec[]): Promise<unknown> {
  if (call.method === 'user.getAppUser') {
    const [appId] = call.args
    const plugin = appId === undefined || appId === null ? caller : specs.find((spec) => spec.appId === appId || spec.name === appId)?.name
    if (plugin === undefined) return Promise.resolve(undefined)
    const username = appUserName(plugin)
    return Promise.resolve({id: `inspect-${username}`, username, name: `${plugin} (app)`, roles: ['bot'], createdAt: new Date(0)})
  }
  return Promise.reject(new Error(`${call.method}: accessors are not available while roomsim only inspects the plugin (plugins link, install, list, info); it works in room commands and scenarios`))
}

/** Why a loaded plugin cannot run, or undefined when it can. */
export function loadProblem(plugin: LoadedPlugin): string | undefined {
  if (plugin.error) {
    const kind = plugin.error.className
    return `failed to load: ${kind === 'Error' || kind === 'NonError' || plugin.error.message.startsWith(kind) ? '' : `${kind}: `}${plugin.error.message}`
  }
  // An app is loaded whatever it implements: what roomsim does not simulate of it is reported, not refused.
  if (plugin.interfaces.length === 0 && !plugin.app) return 'implements no room event interface (no execute* method such as executePreRoomCreatePrevent)'
  return undefined
}

/** The install-time check: the plugin loads cleanly and implements at least one room interface. */
export async function checkPlugin(spec: PluginSpec): Promise<LoadedPlugin> {
  const [loaded] = await inspectPlugins([spec])
  const problem = loadProblem(loaded!)
  if (problem) throw new RoomsimError('BAD_PLUGIN', `plugin ${spec.name} ${problem}`, {plugin: spec.name})
  return loaded!
}
