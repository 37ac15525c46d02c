/**
 * Apps-Engine apps (an app.json with `classFile`, a class extending App) get the
 * lifecycle a chat server gives them before any handler runs: the constructor
 * with (info, logger, accessors), `initialize` (which calls
 * `extendConfiguration`, where apps declare settings and register commands,
 * endpoints…) and `onEnable` (returning false keeps the app from running).
 * Runs inside the plugin worker.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {mergeSettings} from '../domain/settings.js'
import {strict} from '../protocol/unsupported.js'
import type {PluginSpec} from '../protocol/messages.js'
import type {AppRegistrations} from '../protocol/app-report.js'
import {appConfiguration} from './app-configuration.js'
import {type Compatibility, compatibilityOf} from './compatibility.js'
import {bundledEngineVersion, requireEngine} from './engine-package.js'
import {createHttp, createRead, type Forward} from './handler-accessors.js'
import {appClassOf} from './load-module.js'

export interface StartedApp {
  handler: object
  declaredSettings: Record<string, unknown>
  registered: AppRegistrations
  compatibility: Compatibility
}

/** The interface names upstream knows (the bundled engine's AppInterface enum). */
function knownInterfaces(): string[] {
  const {AppInterface} = requireEngine<{AppInterface: Record<string, string>}>('definition/metadata/AppInterface.js')
  return Object.values(AppInterface)
}

/**
 * The app's own settings while it starts: the main thread does not know what
 * the app declares until it has started, so until then they are answered here
 * (package defaults, then the app's declaration, then config); afterwards every
 * read goes to the main thread, which also sees run-time changes.
 */
function lifecycleSettings(spec: PluginSpec, declared: Record<string, unknown>, forward: Forward, started: () => boolean) {
  const local = (): Record<string, unknown> => ({...spec.packageDefaults, ...declared, ...spec.settings})
  const read = strict('ISettingRead', {
    getById: async (id: string) => {
      if (started()) return forward('settings.getById', [id])
      const values = local()
      return id in values ? {id, packageValue: declared[id] ?? spec.packageDefaults?.[id], value: values[id]} : undefined
    },
    getValueById: async (id: string) => {
      if (started()) return forward('settings.getValueById', [id])
      const values = local()
      if (!(id in values)) throw new Error(`ISettingRead.getValueById: ${spec.name} has no setting "${id}" (provide it in extendConfiguration, or set it in config plugins[].settings)`)
      return values[id]
    },
  })
  const update = strict('ISettingUpdater', {
    updateValue: async (id: string, value: unknown) => {
      if (started()) return forward('settings.updateValue', [id, value])
      declared[id] = structuredClone(value)
    },
    // Select options only shape the admin form of a server; there is none here.
    updateSelectOptions: async () => undefined,
  })
  return {read, update}
}

export async function startApp(spec: PluginSpec, module: Record<string, unknown>, logger: Record<string, (...args: unknown[]) => void>, forward: Forward): Promise<StartedApp> {
  const manifest = JSON.parse(readFileSync(join(spec.root, 'app.json'), 'utf8')) as Record<string, unknown>
  const info = {nameSlug: String(manifest.nameSlug ?? spec.name), author: {name: '', homepage: '', support: ''}, ...manifest}
  const configuration = appConfiguration(String(manifest.id ?? spec.name))
  let started = false
  const settings = lifecycleSettings(spec, configuration.declared, forward, () => started)
  const reader = createRead(forward) as {getEnvironmentReader(): {getServerSettings(): unknown}}
  const environmentReader = strict('IEnvironmentRead', {
    getSettings: () => settings.read,
    getServerSettings: () => reader.getEnvironmentReader().getServerSettings(),
    getEnvironmentVariables: () => environmentVariables,
  })
  const serverSettingsUpdater = strict('IServerSettingUpdater', {
    updateOne: async (setting: {id?: string}) => configuration.registered.serverSettingChanges.push(`updated ${setting?.id ?? '?'}`),
    incrementValue: async (id: string) => configuration.registered.serverSettingChanges.push(`incremented ${id}`),
  })
  const environmentWriter = strict('IEnvironmentWrite', {getSettings: () => settings.update, getServerSettings: () => serverSettingsUpdater})
  const accessors = strict('IAppAccessors', {
    environmentReader,
    environmentWriter,
    reader,
    http: createHttp(forward),
    providedApiEndpoints: configuration.endpoints,
  })

  const AppClass = appClassOf(module, String(manifest.classFile ?? spec.entry))
  const app = new AppClass(info, logger, accessors) as Record<string, unknown>
  if (typeof app.initialize === 'function') await app.initialize(configuration.extend, environmentReader)
  else if (typeof app.extendConfiguration === 'function') await app.extendConfiguration(configuration.extend, environmentReader)
  if (typeof app.onEnable === 'function' && (await app.onEnable(environmentReader, configuration.modify)) === false) {
    throw new Error('onEnable() returned false: the app refused to be enabled')
  }
  started = true
  return {
    handler: app,
    declaredSettings: configuration.declared,
    registered: configuration.registered,
    compatibility: compatibilityOf(app, manifest, knownInterfaces(), bundledEngineVersion()),
  }
}

/** IEnvironmentalVariableRead: an app sees no variables of roomsim's own environment, as a server's apps see none of its. */
const environmentVariables = strict('IEnvironmentalVariableRead', {
  getValueByName: async () => undefined,
  isReadable: async () => false,
  isSet: async () => false,
})
