/**
 * IRoomRead, IUserRead and IMessageRead: answered from the store as it stands
 * inside the calling action (a pre-stage handler sees what the action has
 * written so far, nothing of other actions in flight).
 */
import {directRoomName} from '../../domain/names.js'
import {type Message, MESSAGE_EXTRAS, type User} from '../../domain/types.js'
import {appUserName, ensureAppUser} from '../app-user.js'
import {describeValue, isObject, requireContext, requireString, type CallScope, type ServiceTable} from './scope.js'

/** Upstream refuses more than 100 messages per call. */
const MAX_MESSAGES = 100

/** IMessageRaw: the sender as a lookup, the room as an id. */
const rawMessage = (message: Message) => ({
  id: message.id,
  roomId: message.roomId,
  sender: {_id: message.sender.id, username: message.sender.username, name: message.sender.name},
  text: message.text,
  createdAt: message.createdAt,
  ...Object.fromEntries(MESSAGE_EXTRAS.filter((key) => message[key] !== undefined).map((key) => [key, message[key]])),
})

function messageOptions(options: unknown): {limit: number; skip: number; newestFirst: boolean} {
  if (options === undefined || options === null) return {limit: MAX_MESSAGES, skip: 0, newestFirst: false}
  if (!isObject(options)) throw new TypeError(`IRoomRead.getMessages: options must be an object, got ${describeValue(options)}`)
  const {limit = MAX_MESSAGES, skip = 0, sort} = options as {limit?: unknown; skip?: unknown; sort?: {createdAt?: unknown}}
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_MESSAGES) {
    throw new RangeError(`IRoomRead.getMessages: limit must be a whole number from 1 to ${MAX_MESSAGES}, got ${describeValue(limit)}`)
  }
  if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0) throw new RangeError(`IRoomRead.getMessages: skip must be a whole number ≥ 0, got ${describeValue(skip)}`)
  const order = sort?.createdAt ?? 'asc'
  if (order !== 'asc' && order !== 'desc') throw new RangeError(`IRoomRead.getMessages: sort.createdAt must be "asc" or "desc", got ${describeValue(order)}`)
  return {limit, skip, newestFirst: order === 'desc'}
}

/** The plugin's own app user, or another plugin's when `appId` names one (by its app.json id, as upstream, or by its name). */
async function appUser(scope: CallScope, appId?: unknown): Promise<User | undefined> {
  const {engine} = scope
  const wanted = appId === undefined || appId === null ? undefined : requireString(appId, 'IUserRead.getAppUser', 'appId')
  const found = wanted === undefined ? scope.plugin : engine.plugins.find((candidate) => candidate.appId === wanted || candidate.name === wanted)?.name
  if (found === undefined || !engine.plugins.some((candidate) => candidate.name === found)) return undefined
  const existing = engine.store.userByName(appUserName(found))
  if (existing) return existing
  const context = requireContext(scope, 'IUserRead.getAppUser')
  return engine.write(context, () => ensureAppUser(engine.store, found, context))
}

export const READ_SERVICES = {
  'room.getById': ({engine}, id: unknown) => engine.store.roomById(requireString(id, 'IRoomRead.getById', 'id')),
  'room.getByName': ({engine}, name: unknown) => engine.store.roomByName(requireString(name, 'IRoomRead.getByName', 'name')),
  'room.getCreatorUserById': ({engine}, id: unknown) => engine.store.roomById(requireString(id, 'IRoomRead.getCreatorUserById', 'id'))?.creator,
  'room.getCreatorUserByName': ({engine}, name: unknown) => engine.store.roomByName(requireString(name, 'IRoomRead.getCreatorUserByName', 'name'))?.creator,
  // An unknown (say, just deleted) room has no members and no messages, as upstream answers.
  'room.getMembers': ({engine}, id: unknown) => engine.store.members(requireString(id, 'IRoomRead.getMembers', 'roomId')),
  'room.getDirectByUsernames': ({engine}, usernames: unknown) => {
    if (!Array.isArray(usernames) || usernames.length === 0 || !usernames.every((name) => typeof name === 'string')) {
      throw new TypeError(`IRoomRead.getDirectByUsernames: expected a list of usernames, got ${describeValue(usernames)}`)
    }
    const room = engine.store.roomByName(directRoomName(usernames as string[]))
    return room?.type === 'd' ? room : undefined
  },
  'room.getMessages': ({engine}, id: unknown, options: unknown) =>
    engine.store.messages(requireString(id, 'IRoomRead.getMessages', 'roomId'), messageOptions(options)).map(rawMessage),

  'user.getById': ({engine}, id: unknown) => engine.store.userById(requireString(id, 'IUserRead.getById', 'id')),
  'user.getByUsername': ({engine}, username: unknown) => engine.store.userByName(requireString(username, 'IUserRead.getByUsername', 'username')),
  'user.getAppUser': (scope, appId?: unknown) => appUser(scope, appId),
  'user.getUserRoomIds': ({engine}, id: unknown) => engine.store.roomsOfUser(requireString(id, 'IUserRead.getUserRoomIds', 'userId')).map((room) => room.id),

  'message.getById': ({engine}, id: unknown) => {
    const message = engine.store.messageById(requireString(id, 'IMessageRead.getById', 'id'))
    if (!message) return undefined
    const {roomId, plugin: _plugin, ...rest} = message
    return {...rest, room: engine.store.roomById(roomId)}
  },
  'message.getSenderUser': ({engine}, id: unknown) => engine.store.messageById(requireString(id, 'IMessageRead.getSenderUser', 'messageId'))?.sender,
  'message.getRoom': ({engine}, id: unknown) => {
    const message = engine.store.messageById(requireString(id, 'IMessageRead.getRoom', 'messageId'))
    return message && engine.store.roomById(message.roomId)
  },
} satisfies Partial<ServiceTable>
