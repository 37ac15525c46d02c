/**
 * The one rule for a plugin's settings, used wherever they are read (the
 * engine's ISettingRead, `plugins info`, an app's lifecycle in its isolate):
 * package.json defaults, then what the plugin declares itself (provideSetting
 * or a `settings` export), then config `plugins[].settings`, then changes made
 * at run time (a scenario step).
 */
export interface SettingLayers {
  packageDefaults?: Record<string, unknown> | undefined
  declared?: Record<string, unknown> | undefined
  configured?: Record<string, unknown> | undefined
  overrides?: Record<string, unknown> | undefined
}

/** `defaults` is what ISetting.packageValue reports; `values` what applies now. */
export function mergeSettings(layers: SettingLayers): {defaults: Record<string, unknown>; values: Record<string, unknown>} {
  const defaults = {...layers.packageDefaults, ...layers.declared}
  return {defaults, values: {...defaults, ...layers.configured, ...layers.overrides}}
}
