/**
 * The main-thread half of the accessors: each method a handler calls through
 * IRead / IPersistence / IModify / IHttp arrives here by name (`room.getById`,
 * `persistence.create`…) and is answered by the one service of that name,
 * against the store, in the context of the action that called it.
 */
import {NotSupportedError} from '../../protocol/unsupported.js'
import {ACTION_SERVICES} from './actions.js'
import {HTTP_SERVICES} from './http.js'
import {MESSAGE_SERVICES} from './messages.js'
import {NOTIFIER_SERVICES} from './notifier.js'
import {PERSISTENCE_SERVICES} from './persistence.js'
import {READ_SERVICES} from './read.js'
import type {AccessorMethod} from '../../protocol/accessors.js'
import {SCHEDULER_SERVICES} from './scheduler.js'
import type {CallScope, ServiceTable} from './scope.js'
import {SETTINGS_SERVICES} from './settings.js'

export type {CallScope} from './scope.js'

export const SERVICES = {
  ...READ_SERVICES,
  ...SETTINGS_SERVICES,
  ...PERSISTENCE_SERVICES,
  ...MESSAGE_SERVICES,
  ...ACTION_SERVICES,
  ...NOTIFIER_SERVICES,
  ...HTTP_SERVICES,
  ...SCHEDULER_SERVICES,
} satisfies ServiceTable

export async function answerCall(scope: CallScope, method: string, args: readonly unknown[]): Promise<unknown> {
  if (!Object.hasOwn(SERVICES, method)) throw new NotSupportedError(`${method}() is not supported by roomsim yet`)
  const service = SERVICES[method as AccessorMethod] as (scope: CallScope, ...args: unknown[]) => unknown
  return service(scope, ...args)
}
