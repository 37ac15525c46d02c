/**
 * Messages between roomsim and the worker thread that hosts plugins. Handlers
 * run in the worker; everything they ask of the simulated server (accessors)
 * comes back here as a `call`, answered on the main thread against the store.
 */
import type {InterfaceName} from './interfaces.js'
import type {AppRegistrations} from './app-report.js'
import type {HandlerArg, StageKind} from '../engine/stages.js'

/** What the main thread knows about a plugin before loading it. */
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
}

export interface LoadedPlugin {
  name: string
  interfaces: InterfaceName[]
  /** The `check*` methods it has (a check is optional). */
  checks: string[]
  /** Settings the plugin declares itself, with defaults (Apps-Engine `provideSetting` or a `settings` export). */
  declaredSettings: Record<string, unknown>
  /** For an Apps-Engine app: what its lifecycle registered, and what roomsim does not simulate of it. */
  app?: AppReport
  error?: SerializedError
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

export interface InvokeRequest {
  type: 'invoke'
  id: number
  plugin: string
  kind: StageKind
  method: string
  args: readonly HandlerArg[]
  /** The room (create/delete) or context (join/leave) the handler receives. */
  input: unknown
  /** Identifies the action, so accessor calls are served in its context. */
  actionId: number
  /** The call's timeout: the worker waits for the handler's background work at most until shortly before it. */
  budgetMs: number
}

/** What a handler produced. Values cross the thread boundary already reduced to what the runner needs. */
export type InvokeReply =
  | {type: 'settled'; id: number; ok: true; value: HandlerValue}
  | {type: 'settled'; id: number; ok: false; error: SerializedError}

export type HandlerValue =
  | {kind: 'boolean'; value: boolean}
  | {kind: 'none'}
  | {kind: 'other'; description: string; truthy: boolean}
  | {kind: 'extension'; customFields: Record<string, unknown>; members: unknown[]}
  | {kind: 'room'; room: unknown}

export interface AccessorCall {
  type: 'call'
  id: number
  plugin: string
  actionId: number
  /** e.g. `room.getById`, `persistence.create`, `message.finish`. */
  method: string
  args: unknown[]
}

export type AccessorReply = {type: 'reply'; id: number; ok: true; value: unknown} | {type: 'reply'; id: number; ok: false; error: SerializedError}

export interface LogLine {
  type: 'log'
  plugin: string
  actionId: number
  level: 'debug' | 'info' | 'warn' | 'error' | 'log' | 'success'
  args: unknown[]
}

export type ToWorker = InvokeRequest | AccessorReply | {type: 'load'; plugins: PluginSpec[]}
export type FromWorker =
  | InvokeReply
  | AccessorCall
  | LogLine
  | {type: 'loaded'; plugins: LoadedPlugin[]}
  /** Sent before each plugin's module is imported, so the host can tell which one hung or killed the worker. */
  | {type: 'importing'; plugin: string}

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
