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

/** A plugin's settings as they apply: `defaults` is what ISetting.packageValue reports; `values` what applies now. */
export interface MergedSettings {
  defaults: Record<string, unknown>
  values: Record<string, unknown>
}

export function mergeSettings(layers: SettingLayers): MergedSettings {
  const defaults = {...layers.packageDefaults, ...layers.declared}
  return {defaults, values: {...defaults, ...layers.configured, ...layers.overrides}}
}

/** SettingType of a value, for ISetting.type. */
function settingType(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return 'int'
  if (typeof value === 'string') return 'string'
  return 'code'
}

/** An ISetting as upstream shapes it (ISettingRead.getById): the same on both sides of the isolation seam. */
export const settingRecord = (id: string, value: unknown, packageValue: unknown) => ({
  id,
  type: settingType(value ?? packageValue),
  packageValue,
  value,
  required: false,
  public: false,
  i18nLabel: id,
})
