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
import {SCHEDULER_SERVICES} from './scheduler.js'
import type {CallScope, ServiceTable} from './scope.js'
import {SETTINGS_SERVICES} from './settings.js'

export type {CallScope} from './scope.js'

export const SERVICES: ServiceTable = {
  ...READ_SERVICES,
  ...SETTINGS_SERVICES,
  ...PERSISTENCE_SERVICES,
  ...MESSAGE_SERVICES,
  ...ACTION_SERVICES,
  ...NOTIFIER_SERVICES,
  ...HTTP_SERVICES,
  ...SCHEDULER_SERVICES,
}

export async function answerCall(scope: CallScope, method: string, args: unknown[]): Promise<unknown> {
  const service = SERVICES[method]
  if (!service) throw new NotSupportedError(`${method}() is not supported by roomsim yet`)
  return (service as (scope: CallScope, ...args: unknown[]) => unknown)(scope, ...args)
}
