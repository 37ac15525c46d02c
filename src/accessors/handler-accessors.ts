/**
 * The accessors a handler receives (IRead, IPersistence, IModify, IHttp), as
 * built inside the plugin worker. Each method forwards to the main thread, which
 * answers against the store in the context of the running action. Builders that
 * upstream makes synchronous (messages, rooms) are collected here and sent whole
 * on `finish`.
 */
import type {Room, User} from '../domain/types.js'
import {RoomBuilder} from '../engine/room-builder.js'
import {strict} from './unsupported.js'

export type Forward = (method: string, args: unknown[]) => Promise<unknown>

/** Methods that forward unchanged: `name` → main-thread method `prefix.name`. */
function forwarding(name: string, prefix: string, methods: readonly string[], forward: Forward): object {
  const object: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
  for (const method of methods) object[method] = (...args) => forward(`${prefix}.${method}`, args)
  return strict(name, object)
}

export function createRead(forward: Forward): object {
  const roomReader = forwarding('IRoomRead', 'room', ['getById', 'getByName', 'getCreatorUserById', 'getCreatorUserByName', 'getMembers', 'getDirectByUsernames', 'getMessages'], forward)
  const userReader = forwarding('IUserRead', 'user', ['getById', 'getByUsername', 'getAppUser'], forward)
  const persistenceReader = forwarding('IPersistenceRead', 'persistence', ['read', 'readByAssociation', 'readByAssociations'], forward)
  const messageReader = forwarding('IMessageRead', 'message', ['getById', 'getRoom', 'getSenderUser'], forward)
  const settings = forwarding('ISettingRead', 'settings', ['getById', 'getValueById'], forward)
  const serverSettings = forwarding('IServerSettingRead', 'serverSettings', ['getOneById', 'getValueById'], forward)
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

export const createPersistence = (forward: Forward): object =>
  forwarding(
    'IPersistence',
    'persistence',
    ['create', 'createWithAssociation', 'createWithAssociations', 'update', 'updateByAssociation', 'updateByAssociations', 'remove', 'removeByAssociation', 'removeByAssociations'],
    forward,
  )

export const createHttp = (forward: Forward): object => {
  const request = (method: string) => (url: string, options?: unknown) => forward('http.request', [method, url, options ?? {}])
  return strict('IHttp', {get: request('GET'), post: request('POST'), put: request('PUT'), del: request('DELETE'), patch: request('PATCH')})
}

function createNotifier(forward: Forward): object {
  return strict('INotifier', {
    notifyUser: (user: User, message: unknown) => forward('notifier.notifyUser', [user, messageData(message)]),
    notifyRoom: (room: Room, message: unknown) => forward('notifier.notifyRoom', [room, messageData(message)]),
    getMessageBuilder: () => new MessageBuilder(),
  })
}

/** IMessageBuilder: collects the message; `finish` sends it. */
export class MessageBuilder {
  readonly kind = 'message'
  private readonly message: Record<string, unknown> = {}

  constructor(data?: Record<string, unknown>) {
    if (data) Object.assign(this.message, structuredClone(data))
  }

  setData(data: Record<string, unknown>): this {
    Object.assign(this.message, structuredClone(data))
    return this
  }

  setRoom(room: Room): this {
    this.message.room = room
    return this
  }

  getRoom(): Room {
    return this.message.room as Room
  }

  setSender(sender: User): this {
    this.message.sender = sender
    return this
  }

  getSender(): User {
    return this.message.sender as User
  }

  setText(text: string): this {
    this.message.text = text
    return this
  }

  getText(): string {
    return this.message.text as string
  }

  setThreadId(threadId: string): this {
    this.message.threadId = threadId
    return this
  }

  setGroupable(groupable: boolean): this {
    this.message.groupable = groupable
    return this
  }

  setParseUrls(parseUrls: boolean): this {
    this.message.parseUrls = parseUrls
    return this
  }

  setEmojiAvatar(emoji: string): this {
    this.message.emoji = emoji
    return this
  }

  setAvatarUrl(url: string): this {
    this.message.avatarUrl = url
    return this
  }

  setUsernameAlias(alias: string): this {
    this.message.alias = alias
    return this
  }

  addAttachment(attachment: unknown): this {
    this.message.attachments = [...((this.message.attachments as unknown[]) ?? []), attachment]
    return this
  }

  getMessage(): Record<string, unknown> {
    return structuredClone(this.message)
  }
}

const messageData = (message: unknown): unknown => (message instanceof MessageBuilder ? message.getMessage() : message)

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

/** A builder for a room to be updated: tracks only the members to be added. */
class RoomUpdateBuilder extends RoomBuilder {
  constructor(readonly roomId: string, room: Room) {
    super(room)
  }
}

export function createModify(forward: Forward): object {
  const creator = strict('IModifyCreator', {
    startMessage: (data?: Record<string, unknown>) => new MessageBuilder(data),
    startRoom: (data?: Partial<Room>) => new RoomBuilder({...BLANK_ROOM(), ...(data ?? {})}),
    finish: (builder: unknown) => {
      if (builder instanceof MessageBuilder) return forward('creator.finishMessage', [builder.getMessage()])
      if (builder instanceof RoomBuilder) {
        return forward('creator.finishRoom', [builder.getRoom(), builder.getMembersToBeAddedUsernames()])
      }
      throw new Error('IModifyCreator.finish: expected a builder from startMessage() or startRoom()')
    },
  })
  const updater = strict('IModifyUpdater', {
    room: async (roomId: string, _updater?: User) => {
      const room = (await forward('room.getById', [roomId])) as Room | undefined
      if (!room) throw new Error(`IModifyUpdater.room: no room with id "${roomId}"`)
      return new RoomUpdateBuilder(roomId, room)
    },
    finish: (builder: unknown) => {
      if (builder instanceof RoomUpdateBuilder) {
        return forward('updater.finishRoom', [builder.roomId, builder.getMembersToBeAddedUsernames()])
      }
      throw new Error('IModifyUpdater.finish: expected a builder from room()')
    },
  })
  const deleter = forwarding('IModifyDeleter', 'deleter', ['deleteRoom', 'removeUsersFromRoom'], forward)
  const notifier = createNotifier(forward)
  return strict('IModify', {
    getCreator: () => creator,
    getUpdater: () => updater,
    getDeleter: () => deleter,
    getNotifier: () => notifier,
  })
}
