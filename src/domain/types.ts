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

export interface Outcome {
  action: ActionName
  status: ActionStatus
  room: Room | null
  prevented: {plugin: string; interface: string; reason: string} | null
  error: {code: string; message: string; plugin?: string} | null
  hooks: HookRecord[]
  effects: Effect[]
  nested: Outcome[]
}
