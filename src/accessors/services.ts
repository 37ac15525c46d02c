/**
 * The main-thread half of the accessors: each method a handler calls through
 * IRead / IPersistence / IModify / IHttp lands here, by name, and is answered
 * against the store in the context of the action that called it.
 */
import type {Room, User} from '../domain/types.js'
import type {ActionContext} from '../engine/action-context.js'
import type {Engine} from '../engine/engine.js'
import {NotSupportedError} from './unsupported.js'

export interface CallScope {
  engine: Engine
  plugin: string
  /** The action the handler runs for (undefined when its work outlived the action). */
  context: ActionContext | undefined
}

type Service = (scope: CallScope, ...args: never[]) => unknown

const roomOf = (scope: CallScope, idOrName: string): Room | undefined => scope.engine.store.findRoom(idOrName)

export const SERVICES: Record<string, Service> = {
  'room.getById': (scope, id: string) => scope.engine.store.roomById(id),
  'room.getByName': (scope, name: string) => scope.engine.store.roomByName(name),
  'room.getCreatorUserById': (scope, id: string) => scope.engine.store.roomById(id)?.creator,
  'room.getCreatorUserByName': (scope, name: string) => scope.engine.store.roomByName(name)?.creator,
  'room.getMembers': (scope, id: string): User[] => {
    const room = roomOf(scope, id)
    return room ? scope.engine.store.members(room.id) : []
  },
  'user.getById': (scope, id: string) => scope.engine.store.userById(id),
  'user.getByUsername': (scope, username: string) => scope.engine.store.userByName(username),
  'settings.getValueById': (scope, id: string) => scope.engine.settingsOf(scope.plugin)[id],
  'settings.getById': (scope, id: string) => {
    const settings = scope.engine.settingsOf(scope.plugin)
    return id in settings ? {id, value: settings[id], packageValue: settings[id]} : undefined
  },
}

export async function answerCall(scope: CallScope, method: string, args: unknown[]): Promise<unknown> {
  const service = SERVICES[method]
  if (!service) throw new NotSupportedError(`${method}() is not supported by roomsim yet`)
  return (service as (scope: CallScope, ...args: unknown[]) => unknown)(scope, ...args)
}
