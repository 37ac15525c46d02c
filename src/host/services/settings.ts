/**
 * ISettingRead (the plugin's own settings: its defaults, then config, then
 * run-time changes) and IServerSettingRead (the few server settings apps
 * commonly read, with a simulated server's values).
 */
import type {Config} from '../../config/schema.js'
import {settingRecord as setting} from '../../domain/settings.js'
import {requireString, type CallScope, type ServiceTable} from './scope.js'

function pluginSetting(scope: CallScope, id: string): {value: unknown; packageValue: unknown} | undefined {
  const settings = scope.engine.settingsOf(scope.plugin)
  if (!(id in settings)) return undefined
  return {value: settings[id], packageValue: scope.engine.defaultSettingsOf(scope.plugin)[id]}
}

const SERVER_SETTINGS = (config: Config): Record<string, unknown> => ({
  Site_Url: 'http://localhost:3000',
  Site_Name: 'roomsim',
  Language: 'en',
  UTF8_Channel_Names_Validation: config.names.pattern,
  UTF8_User_Names_Validation: config.names.pattern,
})

function serverSetting(scope: CallScope, method: string, id: unknown): unknown {
  const settings = SERVER_SETTINGS(scope.engine.config)
  const key = requireString(id, method, 'id')
  if (!(key in settings)) throw new Error(`${method}: roomsim simulates no server setting "${key}" (it has ${Object.keys(settings).join(', ')})`)
  return settings[key]
}

export const SETTINGS_SERVICES = {
  'settings.getById': (scope, id: unknown) => {
    const found = pluginSetting(scope, requireString(id, 'ISettingRead.getById', 'id'))
    return found && setting(id as string, found.value, found.packageValue)
  },
  // Upstream throws for a setting the app does not have; so does roomsim.
  'settings.getValueById': (scope, id: unknown) => {
    const found = pluginSetting(scope, requireString(id, 'ISettingRead.getValueById', 'id'))
    if (!found) {
      throw new Error(`ISettingRead.getValueById: ${scope.plugin} has no setting "${String(id)}" (declare a default in its package.json "roomsimPlugin".settings, or set it in config plugins[].settings)`)
    }
    return found.value
  },
  // IEnvironmentWrite.getSettings().updateValue (an app holds it from its constructor): a run-time change, as a scenario's settings step makes.
  'settings.updateValue': (scope, id: unknown, value: unknown) => {
    const key = requireString(id, 'ISettingUpdater.updateValue', 'id')
    if (!(key in scope.engine.settingsOf(scope.plugin))) throw new Error(`ISettingUpdater.updateValue: ${scope.plugin} has no setting "${key}"`)
    scope.engine.setSettings(scope.plugin, {[key]: value})
  },
  'serverSettings.getOneById': (scope, id: unknown) => {
    const value = serverSetting(scope, 'IServerSettingRead.getOneById', id)
    return setting(id as string, value, value)
  },
  'serverSettings.getValueById': (scope, id: unknown) => serverSetting(scope, 'IServerSettingRead.getValueById', id),
  'serverSettings.getAll': (scope) => Object.entries(SERVER_SETTINGS(scope.engine.config)).map(([id, value]) => setting(id, value, value)),
  'serverSettings.isReadableById': (scope, id: unknown) => requireString(id, 'IServerSettingRead.isReadableById', 'id') in SERVER_SETTINGS(scope.engine.config),
} satisfies Partial<ServiceTable>
