/**
 * The domain as handlers see it. Field names follow Apps-Engine `IRoom`/`IUser`
 * so handler code written for a chat server reads them unchanged.
 */
export type RoomTypeCode = 'c' | 'p' | 'd' | 'l'

export interface User {
  id: string
  username: string
  name: string
  roles: string[]
  createdAt: Date
}

export interface Room {
  id: string
  slugifiedName: string
  displayName?: string
  type: RoomTypeCode
  creator: User
  userIds: string[]
  usernames: string[]
  isDefault: boolean
  isReadOnly: boolean
  displaySystemMessages: boolean
  messageCount: number
  createdAt: Date
  updatedAt: Date
  description?: string
  customFields: Record<string, unknown>
  parentRoom?: Room
}

/**
 * A room's members as the host holds them. Reading them costs a query that
 * grows with the room (about 1 µs a member), so nothing reads them unless
 * something asks: a handler, the printed or JSON outcome, an expectation that
 * names members. `count` and `has` never read the list; `ids` and `usernames`
 * read it once (one query for both) and keep it.
 */
export interface Members {
  /** How many members (a count, not a read of the list). */
  count(): number
  has(userId: string): boolean
  ids(): readonly string[]
  usernames(): readonly string[]
  /** The first `limit` usernames in joining order, without reading the rest. */
  firstUsernames(limit: number): readonly string[]
  /** Whether the list has been read (so a copy of it is free). */
  readonly isRead: boolean
  /** The list after `user` joined (the store already holding the join): a copy when read, else the store's list again. */
  joined(user: Pick<User, 'id' | 'username'>): Members
  /** The list after `userId` left (the store already holding the leave). */
  left(userId: string): Members
  /** Someone may read this list later in the action: it keeps showing the members as they are now (store.holdMembers) until let go. */
  hold(): () => void
}

/**
 * A room as the engine holds it: Room's fields, its members behind `members`.
 * A spread or a copy of it copies the list object, never the list; `roomView`
 * (domain/room-view.ts) makes the handler and JSON shape with userIds and usernames.
 */
export type HostRoom = Omit<Room, 'userIds' | 'usernames' | 'parentRoom'> & {members: Members}

/** What an app may set on a message besides its text (IMessageBuilder), kept as it was set. */
export interface MessageExtras {
  blocks?: unknown[]
  attachments?: unknown[]
  /** setUsernameAlias */
  alias?: string
  /** setEmojiAvatar */
  emoji?: string
  avatarUrl?: string
  groupable?: boolean
  parseUrls?: boolean
  threadId?: string
  customFields?: Record<string, unknown>
}

export const MESSAGE_EXTRAS = ['blocks', 'attachments', 'alias', 'emoji', 'avatarUrl', 'groupable', 'parseUrls', 'threadId', 'customFields'] as const satisfies readonly (keyof MessageExtras)[]

export interface Message extends MessageExtras {
  id: string
  roomId: string
  sender: User
  text: string
  createdAt: Date
  /** The plugin whose handler sent it, when one did. */
  plugin?: string
}

/** What a plugin record is about: `{model: 'room', id: roomId}`, `{model: 'misc', id: 'key'}`… (RocketChatAssociationRecord). */
export interface Association {
  model: string
  id: string
}

/** A record a plugin keeps through IPersistence. Records are scoped to their plugin. */
export interface PluginRecord {
  id: string
  data: object
  associations: Association[]
  createdAt: Date
  updatedAt: Date
}

export const ACTIONS = ['room.create', 'room.delete', 'room.join', 'room.leave'] as const
export type ActionName = (typeof ACTIONS)[number]

export type ActionStatus = 'completed' | 'prevented' | 'failed' | 'noop'

export type HookResult = 'allowed' | 'prevented' | 'skipped' | 'applied' | 'done' | 'error' | 'timeout'

export interface HookRecord {
  plugin: string
  interface: string
  method: string
  result: HookResult
  durationMs: number
  detail?: unknown
  error?: string
}

export interface Effect {
  kind: 'message' | 'notification' | 'log' | 'http'
  plugin: string
  [key: string]: unknown
}

/** A message a handler sent (IModifyCreator.finish). */
export interface MessageEffect extends Effect, MessageExtras {
  kind: 'message'
  room: string
  roomId: string
  sender: string
  text: string
  id: string
}

/** INotifier.notifyRoom / notifyUser: shown, never stored. */
export interface NotificationEffect extends Effect {
  kind: 'notification'
  to: 'room' | 'user'
  room?: string
  roomId?: string
  user?: string
  sender?: string
  text: string
}

/** One IHttp call: answered by a stub, sent to an allowed host, or refused. */
export interface HttpEffect extends Effect {
  kind: 'http'
  method: string
  url: string
  status: number | null
  stubbed?: true
  allowed?: true
  refused?: true
  error?: string
}

/** An action's result; the engine's rooms are HostRooms, what --json and reports print are Rooms (outcomeView). */
export interface Outcome<R = HostRoom> {
  action: ActionName
  status: ActionStatus
  room: R | null
  prevented: {plugin: string; interface: string; reason: string} | null
  error: {code: string; message: string; plugin?: string} | null
  hooks: HookRecord[]
  effects: Effect[]
  nested: Outcome<R>[]
  /** Present only when the action committed but its post-stage log entry could not be written (disk full…). */
  logIncomplete?: string
}
