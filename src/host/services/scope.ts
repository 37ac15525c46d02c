import type {Config} from '../../config/schema.js'
import type {ActionName, Outcome} from '../../domain/types.js'
import type {ActionContext} from '../../engine/action-context.js'
import type {ActionInputs} from '../../engine/actions/index.js'
import type {AccessorArgs, AccessorMethod, AccessorResult} from '../../protocol/accessors.js'
import type {Store} from '../../store/store.js'

/**
 * What the accessor services may ask of the engine — and nothing more: the
 * store, the config, a plugin's settings, the store's one write slot, and
 * starting a nested action. The engine offers this, not itself.
 */
export interface EngineServices {
  readonly store: Store
  readonly config: Config
  /** The configured plugins, by name and (for apps) app id. */
  readonly plugins: readonly {name: string; appId?: string | undefined}[]
  isPlugin(name: string): boolean
  settingsOf(plugin: string): Record<string, unknown>
  defaultSettingsOf(plugin: string): Record<string, unknown>
  setSettings(plugin: string, values: Record<string, unknown>): void
  write<T>(context: ActionContext, work: () => T): Promise<T>
  run<A extends ActionName>(action: A, input: ActionInputs[A], parent?: ActionContext, startedBy?: string): Promise<Outcome>
}

/** Who is calling: the engine's services, the plugin, and the action its handler runs for. */
export interface CallScope {
  engine: EngineServices
  plugin: string
  /** The action the handler runs for (undefined when its work outlived the action). */
  context: ActionContext | undefined
}

/** Arguments as they arrive from an isolate: checked to be plain data, nothing more — each service checks its own. */
type Unchecked<T extends readonly unknown[]> = {[K in keyof T]: unknown}

/** One service per accessor method of the map, typed by it: a method missing on either side is a compile error. */
export type ServiceTable = {
  [M in AccessorMethod]: (scope: CallScope, ...args: Unchecked<AccessorArgs<M>>) => AccessorResult<M> | Promise<AccessorResult<M>>
}

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
