import type {ActionContext} from '../../engine/action-context.js'
import type {Engine} from '../../engine/engine.js'

/** Who is calling: the engine, the plugin, and the action its handler runs for. */
export interface CallScope {
  engine: Engine
  plugin: string
  /** The action the handler runs for (undefined when its work outlived the action). */
  context: ActionContext | undefined
}

/** One accessor method, answered on the main thread. Arguments arrive structured-cloned from the worker. */
export type Service = (scope: CallScope, ...args: never[]) => unknown

export type ServiceTable = Record<string, Service>

/**
 * The action a call belongs to. Writes and effects need one: work that a plugin
 * left running after roomsim stopped waiting for it (the stage timeout) is refused
 * rather than credited to whatever action runs next.
 */
export function requireContext(scope: CallScope, method: string): ActionContext {
  if (scope.context) return scope.context
  throw new Error(
    `${method}: the action this call belongs to has already finished (roomsim waits for a handler's background work only up to the stage timeout, hooks.timeoutMs)`,
  )
}

/** An Error with a name a plugin can match on (`error.name === 'ActionPreventedError'`). */
export function namedError(name: string, message: string): Error {
  const error = new Error(message)
  error.name = name
  return error
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return `"${value}"`
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}

export function requireString(value: unknown, method: string, what: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${method}: ${what} must be a non-empty string, got ${describeValue(value)}`)
  return value
}
