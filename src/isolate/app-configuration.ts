/**
 * IConfigurationExtend and IConfigurationModify as an app sees them in its
 * lifecycle (worker side). Every extension point upstream has is accepted and
 * what the app registers is recorded — settings are the one point roomsim acts
 * on; slash commands, endpoints, processors, buttons and providers are listed by
 * `plugins info` but never run, because nothing in a room simulator calls them.
 */
import {type AppRegistrations, noRegistrations, type RegistrationPoint} from '../protocol/app-report.js'
import {strict} from '../protocol/unsupported.js'

export interface AppSetting {
  id: string
  packageValue?: unknown
  value?: unknown
}

/** IApiEndpointMetadata, as upstream lists an app's endpoints in `providedApiEndpoints`. */
export interface ApiEndpointMetadata {
  path: string
  computedPath: string
  methods: string[]
  examples: Record<string, unknown>
}

const HTTP_VERBS = ['get', 'post', 'put', 'delete', 'head', 'options', 'patch']

/** A short, readable name for something an app registered. */
const label = (value: unknown, ...keys: string[]): string => {
  if (value && typeof value === 'object') {
    for (const key of keys) {
      const found = (value as Record<string, unknown>)[key]
      if (typeof found === 'string' && found !== '') return found
    }
    const constructorName = (value as object).constructor?.name
    if (constructorName && constructorName !== 'Object') return constructorName
  }
  return typeof value === 'string' ? value : '(unnamed)'
}

export interface AppConfiguration {
  extend: object
  modify: object
  registered: AppRegistrations
  /** Settings the app declared, id → its default (value, else packageValue). */
  declared: Record<string, unknown>
  endpoints: ApiEndpointMetadata[]
}

/** Builds the recorders for one app. `appId` makes endpoint paths as upstream computes them. */
export function appConfiguration(appId: string): AppConfiguration {
  const registered = noRegistrations()
  const declared: Record<string, unknown> = {}
  const endpoints: ApiEndpointMetadata[] = []
  const note = (point: RegistrationPoint, item: string): void => {
    if (!registered[point].includes(item)) registered[point].push(item)
  }
  const recorder = (name: string, methods: Record<string, (...args: never[]) => unknown>) => strict(name, methods)

  const extend = strict('IConfigurationExtend', {
    settings: recorder('ISettingsExtend', {
      provideSetting: async (setting: AppSetting) => {
        declared[setting.id] = setting.value ?? setting.packageValue
        note('settings', setting.id)
      },
    }),
    slashCommands: recorder('ISlashCommandsExtend', {
      provideSlashCommand: async (command: unknown) => note('slashCommands', `/${label(command, 'command')}`),
    }),
    api: recorder('IApiExtend', {
      provideApi: async (api: {visibility?: string; endpoints?: unknown[]}) => {
        const visibility = api?.visibility === 'PRIVATE' || api?.visibility === 'private' ? 'private' : 'public'
        for (const endpoint of api?.endpoints ?? []) {
          const path = label(endpoint, 'path')
          const methods = HTTP_VERBS.filter((verb) => typeof (endpoint as Record<string, unknown>)[verb] === 'function')
          endpoints.push({path, computedPath: `/api/apps/${visibility}/${appId}/${path}`, methods, examples: {...((endpoint as {examples?: object}).examples ?? {})}})
          note('apiEndpoints', `${methods.map((verb) => verb.toUpperCase()).join(',') || 'ANY'} /${path} (${visibility})`)
        }
      },
    }),
    scheduler: recorder('ISchedulerExtend', {
      registerProcessors: async (processors: unknown[] = []) => {
        for (const processor of processors) note('schedulerProcessors', label(processor, 'id'))
        return processors.map((processor) => label(processor, 'id'))
      },
    }),
    ui: recorder('IUIExtend', {registerButton: (button: unknown) => note('uiButtons', `${label(button, 'actionId')} (${label(button, 'context')})`)}),
    videoConfProviders: recorder('IVideoConfProvidersExtend', {provideVideoConfProvider: async (provider: unknown) => note('videoConfProviders', label(provider, 'name'))}),
    externalComponents: recorder('IExternalComponentsExtend', {register: async (component: unknown) => note('externalComponents', label(component, 'name'))}),
    outboundCommunication: recorder('IOutboundCommunicationProviderExtend', {
      registerEmailProvider: async (provider: unknown) => note('emailProviders', label(provider, 'name')),
      registerPhoneProvider: async (provider: unknown) => note('phoneProviders', label(provider, 'name')),
    }),
    http: recorder('IHttpExtend', {
      provideDefaultHeader: (key: string) => note('httpDefaults', `header ${key}`),
      provideDefaultHeaders: (headers: Record<string, string>) => Object.keys(headers ?? {}).forEach((key) => note('httpDefaults', `header ${key}`)),
      provideDefaultParam: (key: string) => note('httpDefaults', `param ${key}`),
      provideDefaultParams: (params: Record<string, string>) => Object.keys(params ?? {}).forEach((key) => note('httpDefaults', `param ${key}`)),
      providePreRequestHandler: () => note('httpDefaults', 'pre-request handler'),
      providePreResponseHandler: () => note('httpDefaults', 'pre-response handler'),
    }),
  })

  let nextJob = 1
  const modify = strict('IConfigurationModify', {
    scheduler: schedulerRecorder((item) => note('scheduledJobs', item), () => `job-${nextJob++}`),
    slashCommands: recorder('ISlashCommandsModify', {
      modifySlashCommand: async (command: unknown) => note('slashCommandChanges', `modified /${label(command, 'command')}`),
      disableSlashCommand: async (command: string) => note('slashCommandChanges', `disabled /${command}`),
      enableSlashCommand: async (command: string) => note('slashCommandChanges', `enabled /${command}`),
    }),
    serverSettings: recorder('IServerSettingsModify', {
      hideGroup: async (name: string) => note('serverSettingChanges', `hid group ${name}`),
      hideSetting: async (id: string) => note('serverSettingChanges', `hid ${id}`),
      modifySetting: async (setting: unknown) => note('serverSettingChanges', `modified ${label(setting, 'id')}`),
      incrementValue: async (id: string) => note('serverSettingChanges', `incremented ${id}`),
    }),
  })
  return {extend, modify, registered, declared, endpoints}
}

/** ISchedulerModify: jobs are recorded with an id, never run (roomsim has no clock of its own). */
export function schedulerRecorder(note: (item: string) => void, nextId: () => string): object {
  return strict('ISchedulerModify', {
    scheduleOnce: async (job: {id?: string; when?: unknown}) => {
      note(`${label(job, 'id')} once at ${String(job?.when ?? '?')}`)
      return nextId()
    },
    scheduleRecurring: async (job: {id?: string; interval?: unknown}) => {
      note(`${label(job, 'id')} every ${String(job?.interval ?? '?')}`)
      return nextId()
    },
    cancelJob: async (jobId: string) => note(`cancelled ${jobId}`),
    cancelAllJobs: async () => note('cancelled all jobs'),
  })
}
