/**
 * The accessors a handler receives (IRead, IPersistence, IModify, IHttp), as
 * built inside the plugin worker. Each method forwards to the main thread, which
 * answers against the store in the context of the running action (services/).
 * Builders that upstream makes synchronous (messages, rooms) are collected here
 * and sent whole on `finish`. Every object is strict: a method roomsim does not
 * have throws an error naming it.
 */
import {requireEngine} from './engine-package.js'

import type {Room, User} from '../domain/types.js'
import {RoomBuilder} from './room-builder.js'
import {MessageBuilder} from './message-builder.js'
import {NotSupportedError, strict} from '../protocol/unsupported.js'
import type {AccessorMethod, Forward} from '../protocol/accessors.js'
import {schedulerRecorder} from './app-configuration.js'

export {MessageBuilder} from './message-builder.js'
export type {Forward} from '../protocol/accessors.js'

/** The method names the accessor map has under `prefix.` (`room` → getById, getByName…). */
type MethodsOf<P extends string> = AccessorMethod extends infer M ? (M extends `${P}.${infer N}` ? N : never) : never

/** Methods that forward unchanged: `name` → host method `prefix.name`, each checked against the accessor map. */
function forwarding<const P extends string, const N extends MethodsOf<P>>(methods: readonly N[], prefix: P, forward: Forward): Record<N, (...args: unknown[]) => Promise<unknown>> {
  const object = {} as Record<N, (...args: unknown[]) => Promise<unknown>>
  for (const method of methods) object[method] = (...args) => forward(`${prefix}.${method}` as AccessorMethod, args as never)
  return object
}

/** A RocketChatAssociationRecord (or any `{model, id}`) as plain data that can cross to the main thread. */
function association(value: unknown): unknown {
  if (value && typeof value === 'object') {
    const record = value as {getModel?: () => unknown; getID?: () => unknown; model?: unknown; id?: unknown}
    if (typeof record.getModel === 'function' && typeof record.getID === 'function') return {model: record.getModel(), id: record.getID()}
    return {model: record.model, id: record.id}
  }
  return value
}

const associations = (value: unknown): unknown => (Array.isArray(value) ? value.map(association) : value)

export function createRead(forward: Forward): object {
  const roomReader = strict('IRoomRead', forwarding(['getById', 'getByName', 'getCreatorUserById', 'getCreatorUserByName', 'getMembers', 'getDirectByUsernames', 'getMessages'], 'room', forward))
  const userReader = strict('IUserRead', forwarding(['getById', 'getByUsername', 'getAppUser', 'getUserRoomIds'], 'user', forward))
  const persistenceReader = strict('IPersistenceRead', {
    read: (id: string) => forward('persistence.read', [id]),
    readByAssociation: (record: unknown) => forward('persistence.readByAssociation', [association(record)]),
    readByAssociations: (records: unknown) => forward('persistence.readByAssociations', [associations(records)]),
  })
  const messageReader = strict('IMessageRead', forwarding(['getById', 'getRoom', 'getSenderUser'], 'message', forward))
  const settings = strict('ISettingRead', forwarding(['getById', 'getValueById'], 'settings', forward))
  const serverSettings = strict('IServerSettingRead', {
    ...forwarding(['getOneById', 'getValueById', 'isReadableById'], 'serverSettings', forward),
    // Upstream answers an iterator, which cannot cross threads: the list comes over and is iterated here.
    getAll: async () => ((await forward('serverSettings.getAll', [])) as unknown[]).values(),
  })
  const environmentReader = strict('IEnvironmentRead', {getSettings: () => settings, getServerSettings: () => serverSettings})
  const notifier = createNotifier(forward)
  return strict('IRead', {
    getRoomReader: () => roomReader,
    getUserReader: () => userReader,
    getPersistenceReader: () => persistenceReader,
    getEnvironmentReader: () => environmentReader,
    getMessageReader: () => messageReader,
    getNotifier: () => notifier,
  })
}

export function createPersistence(forward: Forward): object {
  const call = (method: MethodsOf<'persistence'>, args: unknown[]) => forward(`persistence.${method}`, args as never)
  return strict('IPersistence', {
    create: (data: object) => call('create', [data]),
    createWithAssociation: (data: object, record: unknown) => call('createWithAssociation', [data, association(record)]),
    createWithAssociations: (data: object, records: unknown) => call('createWithAssociations', [data, associations(records)]),
    update: (id: string, data: object, upsert?: boolean) => call('update', [id, data, upsert]),
    updateByAssociation: (record: unknown, data: object, upsert?: boolean) => call('updateByAssociation', [association(record), data, upsert]),
    updateByAssociations: (records: unknown, data: object, upsert?: boolean) => call('updateByAssociations', [associations(records), data, upsert]),
    remove: (id: string) => call('remove', [id]),
    removeByAssociation: (record: unknown) => call('removeByAssociation', [association(record)]),
    removeByAssociations: (records: unknown) => call('removeByAssociations', [associations(records)]),
  })
}

export function createHttp(forward: Forward): object {
  const request = (method: string) => (url: string, options?: unknown) => forward('http.request', [method, url, options ?? {}])
  return strict('IHttp', {get: request('GET'), post: request('POST'), put: request('PUT'), del: request('DELETE'), patch: request('PATCH')})
}

/** What a notifier or creator is given: a message, or a builder of one. */
const messageData = (message: unknown): unknown => (message instanceof MessageBuilder ? message.getMessage() : message)

function createNotifier(forward: Forward): object {
  return strict('INotifier', {
    notifyUser: async (user: User, message: unknown) => {
      await forward('notifier.notifyUser', [user, messageData(message)])
    },
    notifyRoom: async (room: Room, message: unknown) => {
      await forward('notifier.notifyRoom', [room, messageData(message)])
    },
    getMessageBuilder: () => strict('IMessageBuilder', new MessageBuilder()),
  })
}

const BLANK_ROOM = (): Room => ({
  id: '',
  slugifiedName: '',
  type: 'c',
  creator: undefined as unknown as User,
  userIds: [],
  usernames: [],
  isDefault: false,
  isReadOnly: false,
  displaySystemMessages: true,
  messageCount: 0,
  createdAt: new Date(),
  updatedAt: new Date(),
  customFields: {},
})

/** The fields of a room IModifyUpdater could change; roomsim only adds members, so a change to any of these is refused. */
const UPDATABLE: (keyof Room)[] = ['slugifiedName', 'displayName', 'type', 'isDefault', 'isReadOnly', 'displaySystemMessages', 'description', 'customFields']

/** A builder over an existing room, from IModifyUpdater.room(). */
class RoomUpdateBuilder extends RoomBuilder {
  constructor(
    readonly original: Room,
    readonly updater: User | undefined,
  ) {
    super(original)
  }

  changedFields(): string[] {
    const room = this.getRoom()
    const changed = UPDATABLE.filter((field) => JSON.stringify(room[field]) !== JSON.stringify(this.original[field]))
    if (room.creator?.username !== this.original.creator.username) changed.push('creator')
    return changed
  }
}

/** The engine's own BlockBuilder (definition/uikit), as upstream's getBlockBuilder() returns it; loaded on first use. */
function newBlockBuilder(appId: string): object {
  const {BlockBuilder} = requireEngine<{BlockBuilder: new (appId: string) => object}>('definition/uikit/blocks/BlockBuilder.js')
  return new BlockBuilder(appId)
}

/** `appId` is the app's id (app.json), which blocks built with getBlockBuilder() carry. */
export function createModify(forward: Forward, appId = ''): object {
  const creator = strict('IModifyCreator', {
    getBlockBuilder: () => newBlockBuilder(appId),
    startMessage: (data?: Record<string, unknown>) => strict('IMessageBuilder', new MessageBuilder(data)),
    startRoom: (data?: Partial<Room>) => strict('IRoomBuilder', new RoomBuilder({...BLANK_ROOM(), ...structuredClone(data ?? {})})),
    finish: async (builder: unknown) => {
      if (builder instanceof MessageBuilder) return forward('creator.finishMessage', [builder.getMessage()])
      if (builder instanceof RoomUpdateBuilder) throw new TypeError('IModifyCreator.finish: this builder comes from getUpdater().room(); finish it with getUpdater().finish()')
      if (builder instanceof RoomBuilder) return forward('creator.finishRoom', [builder.getRoom()])
      throw new TypeError('IModifyCreator.finish: expected a builder from startMessage() or startRoom()')
    },
  })
  const updater = strict('IModifyUpdater', {
    room: async (roomId: string, updatingUser?: User) => {
      const room = (await forward('room.getById', [roomId])) as Room | undefined
      if (!room) throw new Error(`IModifyUpdater.room: no room with id "${roomId}"`)
      return strict('IRoomBuilder', new RoomUpdateBuilder(room, updatingUser))
    },
    finish: async (builder: unknown) => {
      if (!(builder instanceof RoomUpdateBuilder)) throw new TypeError('IModifyUpdater.finish: expected a builder from getUpdater().room()')
      const changed = builder.changedFields()
      if (changed.length > 0) {
        throw new NotSupportedError(`IModifyUpdater.finish: roomsim can add members to a room (addMemberToBeAddedByUsername) but not change its ${changed.join(', ')}`)
      }
      await forward('updater.finishRoom', [builder.original.id, builder.getMembersToBeAddedUsernames(), builder.updater])
    },
  })
  const deleter = strict('IModifyDeleter', {
    deleteRoom: async (roomId: string) => {
      await forward('deleter.deleteRoom', [roomId])
    },
    removeUsersFromRoom: async (roomId: string, usernames: string[]) => {
      await forward('deleter.removeUsersFromRoom', [roomId, usernames])
    },
  })
  const notifier = createNotifier(forward)
  let nextJob = 1
  // Jobs are logged, never run: roomsim has no clock of its own (docs/apps.md).
  const scheduler = schedulerRecorder((item) => void forward('scheduler.record', [item]).catch(() => undefined), () => `job-${nextJob++}`)
  return strict('IModify', {
    getScheduler: () => scheduler,
    getCreator: () => creator,
    getUpdater: () => updater,
    getDeleter: () => deleter,
    getNotifier: () => notifier,
  })
}
