/**
 * Apps-Engine apps (an app.json with `classFile`, a class extending App) get the
 * lifecycle a chat server gives them before any handler runs: the constructor
 * with (info, logger, accessors), `initialize` (which calls
 * `extendConfiguration`, where apps declare their settings) and `onEnable`.
 * Runs inside the plugin worker.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {mergeSettings} from '../domain/settings.js'
import {strict} from '../protocol/unsupported.js'
import {handlerOf} from './load-module.js'
import type {PluginSpec} from '../protocol/messages.js'

export interface StartedApp {
  handler: object
  declaredSettings: Record<string, unknown>
}

interface AppSetting {
  id: string
  packageValue?: unknown
  value?: unknown
}

/** Extension points apps commonly use in extendConfiguration; roomsim simulates none of them, so they are noted and ignored. */
const IGNORED_EXTENSIONS = {
  slashCommands: ['provideSlashCommand'],
  api: ['provideApi'],
  scheduler: ['registerProcessors'],
  ui: ['registerButton'],
  externalComponents: ['register'],
  videoConfProviders: ['provideVideoConfProvider'],
  outboundCommunication: ['registerEmailProvider', 'registerPhoneProvider'],
} as const

export async function startApp(spec: PluginSpec, module: Record<string, unknown>, logger: Record<string, (...args: unknown[]) => void>): Promise<StartedApp> {
  const manifest = JSON.parse(readFileSync(join(spec.root, 'app.json'), 'utf8')) as Record<string, unknown>
  const info = {nameSlug: String(manifest.nameSlug ?? spec.name), author: {name: '', homepage: '', support: ''}, ...manifest}
  const declared: Record<string, unknown> = {}
  const value = (id: string): unknown => mergeSettings({packageDefaults: spec.packageDefaults, declared, configured: spec.settings}).values[id]
  const settings = strict('ISettingRead', {
    getById: async (id: string) => (id in declared || id in (spec.settings ?? {}) ? {id, packageValue: declared[id], value: value(id)} : undefined),
    getValueById: async (id: string) => value(id),
  })
  const environmentRead = strict('IEnvironmentRead', {getSettings: () => settings})
  const accessors = strict('IAppAccessors', {environmentReader: environmentRead})

  const app = handlerOf(module, [info, logger, accessors]) as Record<string, unknown>
  const ignore = (point: string, method: string) => async () => logger.debug!(`roomsim does not simulate ${point}.${method}(); ignored`)
  const extend = Object.fromEntries(
    Object.entries(IGNORED_EXTENSIONS).map(([point, methods]) => [point, strict(`IConfigurationExtend.${point}`, Object.fromEntries(methods.map((method) => [method, ignore(point, method)])))]),
  )
  const configurationExtend = strict('IConfigurationExtend', {
    ...extend,
    settings: strict('ISettingsExtend', {
      provideSetting: async (setting: AppSetting) => {
        declared[setting.id] = setting.value ?? setting.packageValue
      },
    }),
  })
  const configurationModify = strict('IConfigurationModify', {})

  if (typeof app.initialize === 'function') await app.initialize(configurationExtend, environmentRead)
  else if (typeof app.extendConfiguration === 'function') await app.extendConfiguration(configurationExtend, environmentRead)
  if (typeof app.onEnable === 'function' && (await app.onEnable(environmentRead, configurationModify)) === false) {
    throw new Error('onEnable() returned false: the app refused to be enabled')
  }
  return {handler: app, declaredSettings: declared}
}
