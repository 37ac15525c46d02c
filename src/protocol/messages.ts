/**
 * Messages between roomsim (the host) and one plugin's isolate. Handlers run in
 * the isolate; everything they ask of the simulated server (accessors) comes
 * back as a `call`, answered by the host against the store. No message from an
 * isolate names a plugin: the host knows whose isolate it is by the channel it
 * arrived on, and checks every message (validate.ts) before using it.
 */
import type {PluginPermissions} from '../config/schema.js'
import type {MergedSettings} from '../domain/settings.js'
import type {AccessorArgs, AccessorMethod} from './accessors.js'
import type {AppRegistrations} from './app-report.js'
import type {InterfaceName} from './interfaces.js'

/** How a stage runs its plugins (engine/stages.ts says what each kind means). */
export type StageKind = 'prevent' | 'veto' | 'extend' | 'modify' | 'post'

/** The arguments a handler receives, by name, in the exact upstream order: the isolate builds each one. */
export type HandlerArg = 'input' | 'extender' | 'builder' | 'read' | 'http' | 'persistence' | 'modify'

/** What the host knows about a plugin before loading it. */
export interface PluginSpec {
  name: string
  /** Absolute path of the entry module. */
  entry: string
  /** Folder of the plugin (holds package.json / app.json). */
  root: string
  /** An Apps-Engine app (app.json) gets its lifecycle run before its handlers. */
  isApp: boolean
  /** The app's id (app.json `id`): IUserRead.getAppUser(appId) names an app by it. */
  appId?: string
  /** Configured setting values and package.json defaults: what an app's lifecycle reads while it loads. */
  settings?: Record<string, unknown>
  packageDefaults?: Record<string, unknown>
  /** The app's declared `permissions` (app.json); undefined when it declares none (the server then grants its defaults). */
  appPermissions?: string[]
  /** Config's loosening of this plugin's sandbox. */
  permissions?: PluginPermissions
}

/** What the isolate reports once the plugin is loaded (the host adds the name it knows). */
export interface LoadReport {
  interfaces: InterfaceName[]
  /** The `check*` methods it has (a check is optional). */
  checks: string[]
  /** Settings the plugin declares itself, with defaults (Apps-Engine `provideSetting` or a `settings` export). */
  declaredSettings: Record<string, unknown>
  /** For an Apps-Engine app: what its lifecycle registered, and what roomsim does not simulate of it. */
  app?: AppReport
  error?: SerializedError
}

export interface LoadedPlugin extends LoadReport {
  name: string
}

export interface AppReport {
  registered: AppRegistrations
  /** Interfaces it implements that roomsim never calls (message events, UIKit…). */
  unsimulated: string[]
  warnings: string[]
}

export interface SerializedError {
  name: string
  className: string
  message: string
  stack?: string
}

/** Sent once, first: the plugin to load (its entry already bundled by the host) and what the network guard lets through. */
export interface LoadRequest {
  type: 'load'
  spec: PluginSpec
  /** Hosts direct connections may reach (config `http.allow` and the plugin's own loosening). */
  networkAllow: string[]
  /** The plugin's own entry file (spec.entry is its bundle). */
  originalEntry: string
  /** Where roomsim's copy of `@rocket.chat/apps-engine` is (readable by the isolate). */
  engineFolder: string
}

export interface InvokeRequest {
  type: 'invoke'
  id: number
  kind: StageKind
  method: string
  args: readonly HandlerArg[]
  /** The room (create/delete) or context (join/leave) the handler receives. */
  input: unknown
  /** Identifies the action, so accessor calls are served in its context. */
  actionId: number
  /** The call's timeout: the isolate waits for the handler's background work at most until shortly before it. */
  budgetMs: number
  /**
   * The plugin's settings as they apply now, sent only when they changed since
   * this isolate last got them: the isolate answers ISettingRead from them
   * instead of asking the host each time.
   */
  settings?: MergedSettings
}

/** What a handler produced. Values cross the seam already reduced to what the runner needs. */
export type InvokeReply =
  | {type: 'settled'; id: number; ok: true; value: HandlerValue}
  | {type: 'settled'; id: number; ok: false; error: SerializedError}

export type HandlerValue =
  | {kind: 'boolean'; value: boolean}
  | {kind: 'none'}
  | {kind: 'other'; description: string; truthy: boolean}
  | {kind: 'extension'; customFields: Record<string, unknown>; members: unknown[]}
  | {kind: 'room'; room: unknown}

export interface AccessorCall<M extends AccessorMethod = AccessorMethod> {
  type: 'call'
  id: number
  /** The action the handler said it runs for; the host only believes it for actions it invoked this plugin in. */
  actionId: number
  method: M
  args: AccessorArgs<M>
}

export type AccessorReply = {type: 'reply'; id: number; ok: true; value: unknown} | {type: 'reply'; id: number; ok: false; error: SerializedError}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'log' | 'success'
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'log', 'success']

export interface LogLine {
  type: 'log'
  actionId: number
  level: LogLevel
  /** The logged values, already formatted as one line of text. */
  message: string
}

export type ToIsolate = LoadRequest | InvokeRequest | AccessorReply
export type FromIsolate =
  | InvokeReply
  | AccessorCall
  | LogLine
  | {type: 'loaded'; report: LoadReport}
  /** Sent before the plugin's module is imported, so the host can tell an import that hangs from a slow start. */
  | {type: 'importing'}

/** Longest error message or stack that crosses back to roomsim. */
const MAX_ERROR_TEXT = 4000

const clip = (text: string): string => (text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}… (${text.length} characters)` : text)

/**
 * Anything a plugin throws, as plain data. Plugins throw strange things —
 * strings, undefined, objects with throwing getters, proxies — so every step
 * is guarded: describing an error never throws.
 */
export function serializeError(error: unknown): SerializedError {
  try {
    if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
      const err = error as Error
      const stack = err.stack
      return {
        name: String(err.name ?? 'Error'),
        className: String(err.constructor?.name ?? 'Error'),
        // An exception made with no message (new UserNotAllowedException()) has none, never the text "undefined".
        message: err.message === undefined || err.message === null ? '' : clip(String(err.message)),
        ...(typeof stack === 'string' ? {stack: clip(stack)} : {}),
      }
    }
  } catch {
    // An error object that throws when read is described like any other value.
  }
  return {name: 'NonError', className: typeof error, message: `threw a non-Error value: ${describeValue(error)}`}
}

function describeValue(value: unknown): string {
  try {
    const json = JSON.stringify(value)
    if (json !== undefined) return clip(json)
  } catch {
    // circular or hostile: fall through
  }
  try {
    return clip(String(value))
  } catch {
    return 'a value that cannot be printed'
  }
}

/** Upstream vetoes with AppsEngineException or a subclass; plugins bring their own copy, so names decide, never instanceof. */
export const isAppsEngineException = (error: SerializedError): boolean =>
  error.name === 'AppsEngineException' || error.className === 'AppsEngineException' || error.className === 'UserNotAllowedException'
