/**
 * The accessor contract: every method a handler's IRead / IPersistence /
 * IModify / IHttp can ask of the simulated server, with the arguments the
 * isolate sends and the result the host answers. Both sides are checked
 * against this one map at compile time — the isolate's proxies through
 * `Forward`, the host's services through `ServiceTable` — so a method added on
 * one side only is a type error, not a runtime "not supported".
 *
 * Each method also names the Apps-Engine permission the server checks before
 * answering it (null: none, as the app's own settings).
 */
import type {Room, User} from '../domain/types.js'

/** A record association as it crosses the seam. */
export interface AssociationData {
  model: string
  id: string
}

export interface AccessorMap {
  'room.getById': {args: [id: string]; result: Room | undefined}
  'room.getByName': {args: [name: string]; result: Room | undefined}
  'room.getCreatorUserById': {args: [id: string]; result: User | undefined}
  'room.getCreatorUserByName': {args: [name: string]; result: User | undefined}
  'room.getMembers': {args: [roomId: string]; result: User[]}
  'room.getDirectByUsernames': {args: [usernames: string[]]; result: Room | undefined}
  'room.getMessages': {args: [roomId: string, options?: unknown]; result: unknown[]}
  'user.getById': {args: [id: string]; result: User | undefined}
  'user.getByUsername': {args: [username: string]; result: User | undefined}
  'user.getAppUser': {args: [appId?: string]; result: User | undefined}
  'user.getUserRoomIds': {args: [userId: string]; result: string[]}
  'message.getById': {args: [id: string]; result: unknown}
  'message.getRoom': {args: [messageId: string]; result: Room | undefined}
  'message.getSenderUser': {args: [messageId: string]; result: User | undefined}
  'persistence.create': {args: [data: object]; result: string}
  'persistence.createWithAssociation': {args: [data: object, association: unknown]; result: string}
  'persistence.createWithAssociations': {args: [data: object, associations: unknown]; result: string}
  'persistence.update': {args: [id: string, data: object, upsert?: boolean]; result: string}
  'persistence.updateByAssociation': {args: [association: unknown, data: object, upsert?: boolean]; result: string}
  'persistence.updateByAssociations': {args: [associations: unknown, data: object, upsert?: boolean]; result: string}
  'persistence.remove': {args: [id: string]; result: object | undefined}
  'persistence.removeByAssociation': {args: [association: unknown]; result: object[] | undefined}
  'persistence.removeByAssociations': {args: [associations: unknown]; result: object[] | undefined}
  'persistence.read': {args: [id: string]; result: object | undefined}
  'persistence.readByAssociation': {args: [association: unknown]; result: object[]}
  'persistence.readByAssociations': {args: [associations: unknown]; result: object[]}
  'settings.getById': {args: [id: string]; result: unknown}
  'settings.getValueById': {args: [id: string]; result: unknown}
  'settings.updateValue': {args: [id: string, value: unknown]; result: void}
  'serverSettings.getOneById': {args: [id: string]; result: unknown}
  'serverSettings.getValueById': {args: [id: string]; result: unknown}
  'serverSettings.isReadableById': {args: [id: string]; result: boolean}
  'serverSettings.getAll': {args: []; result: unknown[]}
  'creator.finishMessage': {args: [message: unknown]; result: string}
  'creator.finishRoom': {args: [room: unknown]; result: string}
  'updater.finishRoom': {args: [roomId: string, usernames: string[], updater: User | undefined]; result: void}
  'deleter.deleteRoom': {args: [roomId: string]; result: void}
  'deleter.removeUsersFromRoom': {args: [roomId: string, usernames: string[]]; result: void}
  'notifier.notifyRoom': {args: [room: Room, message: unknown]; result: void}
  'notifier.notifyUser': {args: [user: User, message: unknown]; result: void}
  'http.request': {args: [method: string, url: string, options: unknown]; result: unknown}
  'scheduler.record': {args: [what: string]; result: void}
}

export type AccessorMethod = keyof AccessorMap
export type AccessorArgs<M extends AccessorMethod> = AccessorMap[M]['args']
export type AccessorResult<M extends AccessorMethod> = AccessorMap[M]['result']

/** The isolate's one way to reach the host: typed by the map. */
export type Forward = <M extends AccessorMethod>(method: M, args: AccessorArgs<M>) => Promise<AccessorResult<M>>

/**
 * Permission names as Apps-Engine declares them (AppPermissions). Which one an
 * accessor needs follows the server's bridges: readers need `*.read`, the
 * creator/updater/deleter need `room.write` or `message.write`, the notifier
 * `message.write`, IHttp `networking`, records `persistence`.
 */
export const ACCESSOR_PERMISSIONS = {
  'room.getById': 'room.read',
  'room.getByName': 'room.read',
  'room.getCreatorUserById': 'room.read',
  'room.getCreatorUserByName': 'room.read',
  'room.getMembers': 'room.read',
  'room.getDirectByUsernames': 'room.read',
  'room.getMessages': 'room.read',
  'user.getById': 'user.read',
  'user.getByUsername': 'user.read',
  'user.getAppUser': 'user.read',
  'user.getUserRoomIds': 'user.read',
  'message.getById': 'message.read',
  'message.getRoom': 'message.read',
  'message.getSenderUser': 'message.read',
  'persistence.create': 'persistence',
  'persistence.createWithAssociation': 'persistence',
  'persistence.createWithAssociations': 'persistence',
  'persistence.update': 'persistence',
  'persistence.updateByAssociation': 'persistence',
  'persistence.updateByAssociations': 'persistence',
  'persistence.remove': 'persistence',
  'persistence.removeByAssociation': 'persistence',
  'persistence.removeByAssociations': 'persistence',
  'persistence.read': 'persistence',
  'persistence.readByAssociation': 'persistence',
  'persistence.readByAssociations': 'persistence',
  'settings.getById': null,
  'settings.getValueById': null,
  'settings.updateValue': null,
  'serverSettings.getOneById': 'server-setting.read',
  'serverSettings.getValueById': 'server-setting.read',
  'serverSettings.isReadableById': 'server-setting.read',
  'serverSettings.getAll': 'server-setting.read',
  'creator.finishMessage': 'message.write',
  'creator.finishRoom': 'room.write',
  'updater.finishRoom': 'room.write',
  'deleter.deleteRoom': 'room.write',
  'deleter.removeUsersFromRoom': 'room.write',
  'notifier.notifyRoom': 'message.write',
  'notifier.notifyUser': 'message.write',
  'http.request': 'networking',
  'scheduler.record': 'scheduler',
} as const satisfies Record<AccessorMethod, string | null>

export const isAccessorMethod = (method: unknown): method is AccessorMethod => typeof method === 'string' && Object.hasOwn(ACCESSOR_PERMISSIONS, method)
