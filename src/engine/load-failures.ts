import type {OnError} from '../config/schema.js'
import type {HookRecord, HostRoom} from '../domain/types.js'
import {loadProblem} from '../host/inspect.js'
import type {LoadedPlugin} from '../protocol/messages.js'
import type {PluginEntryResolved} from '../plugins/registry.js'
import type {StageEnd} from './run-stage.js'

/** A plugin that is enabled but cannot run this time, and why. */
export interface LoadFailure {
  plugin: string
  error: string
}

/** The `interface` and `method` of the hook record that reports a plugin that failed to load. */
export const LOAD_HOOK = {interface: 'module', method: 'import'} as const

/**
 * The enabled plugins that cannot run, in run order: those whose folder is
 * unusable (`problem`) and those whose module failed to import.
 */
export function loadFailures(enabled: readonly PluginEntryResolved[], loaded: ReadonlyMap<string, LoadedPlugin>): LoadFailure[] {
  return enabled.flatMap((plugin): LoadFailure[] => {
    const result = loaded.get(plugin.name)
    const error = plugin.problem ?? (result && loadProblem(result))
    return error ? [{plugin: plugin.name, error}] : []
  })
}

/**
 * Each action reports the plugins that failed to load as one `error` hook each
 * (method "import") before its first stage, so a broken plugin is named where
 * its hooks would have been. Under onError: abort the first one fails the action.
 */
export function reportLoadFailures(failures: readonly LoadFailure[], room: HostRoom, onError: OnError, record: (hook: HookRecord) => void): StageEnd | undefined {
  for (const failure of failures) record({plugin: failure.plugin, ...LOAD_HOOK, result: 'error', durationMs: 0, error: failure.error})
  const first = failures[0]
  if (onError !== 'abort' || !first) return undefined
  return {room, failed: {code: 'PLUGIN_FAILED', plugin: first.plugin, message: `${first.plugin} ${LOAD_HOOK.method}: ${first.error}`}}
}
