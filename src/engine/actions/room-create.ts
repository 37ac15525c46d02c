import type {Config} from '../../config/schema.js'
import {newId} from '../../domain/ids.js'
import {checkName, directRoomName, ROOM_TYPE_CODES} from '../../domain/names.js'
import {roomView} from '../../domain/room-view.js'
import type {HostRoom, Room, RoomTypeCode, User} from '../../domain/types.js'
import {RoomsimError} from '../../errors.js'
import {MemberList} from '../../store/member-list.js'
import type {ActionContext} from '../action-context.js'
import type {ActionDefinition} from './definition.js'

export interface RoomCreateInput {
  name?: string
  type?: RoomTypeCode
  by?: string
  members?: string[]
  readOnly?: boolean
  isDefault?: boolean
  description?: string
  displayName?: string
  customFields?: Record<string, unknown>
}

/** Without --by, the acting user is `admin`, made on first use with the role admin. */
export const DEFAULT_ACTOR = 'admin'
export const actorDefaults = (username: string) => (username === DEFAULT_ACTOR ? {roles: ['admin']} : {})

export const roomCreate: ActionDefinition<RoomCreateInput> = {
  prepare(input, context, names) {
    const type = input.type ?? 'c'
    if (!ROOM_TYPE_CODES.includes(type)) throw new RoomsimError('INVALID_INPUT', `unknown room type "${type}"`)
    const by = checkName('user', input.by ?? DEFAULT_ACTOR, names)
    const members = (input.members ?? []).map((member) => checkName('user', member, names))
    let name: string
    if (type === 'd') {
      if (input.name !== undefined) throw new RoomsimError('INVALID_INPUT', 'a direct room takes no NAME: it is named after its members (give --member)')
      if (members.filter((member) => member !== by).length === 0) throw new RoomsimError('INVALID_INPUT', 'a direct room needs at least one --member other than its creator')
      name = directRoomName([by, ...members])
    } else {
      if (input.name === undefined) throw new RoomsimError('INVALID_INPUT', 'a room NAME is required')
      name = checkName('room', input.name, names)
    }
    for (const key of Object.keys(input.customFields ?? {})) {
      if (key === '' || key.includes('.')) throw new RoomsimError('INVALID_INPUT', `custom field key "${key}" must be non-empty and contain no "."`)
    }
    if (context.store.roomIdByName(name) !== undefined) throw new RoomsimError('NAME_TAKEN', `room "${name}" already exists`)

    const creator = context.users.resolve(by, actorDefaults(by))
    const usernames = [...new Set([by, ...members])]
    const now = new Date()
    const room: HostRoom = {
      id: newId(),
      slugifiedName: name,
      ...displayNameOf(input.displayName, type, name, creator),
      type,
      creator,
      members: membersNamed(usernames, context),
      isDefault: input.isDefault ?? false,
      isReadOnly: input.readOnly ?? false,
      displaySystemMessages: true,
      messageCount: 0,
      createdAt: now,
      updatedAt: now,
      ...(input.description === undefined ? {} : {description: input.description}),
      customFields: input.customFields ?? {},
    }
    return {
      room,
      actor: by,
      input: {...input, name, type},
      preInput: (draft) => draft,
      review: (changed) => reviewRoom(changed, room, context, names),
      commit(final) {
        context.store.insertRoom(roomView(final))
        return context.store.hostRoomById(final.id)!
      },
      postInput: (committed) => committed,
    }
  },
}

/**
 * A room's displayName when none is given, as the server sets a new room's
 * `fname` (which apps read as displayName): a channel or private group shows its
 * name; a livechat room its visitor's (the creator's) name; a direct room has
 * none of its own (each member sees the other's name).
 */
function displayNameOf(given: string | undefined, type: RoomTypeCode, name: string, creator: User): {displayName?: string} {
  if (given !== undefined) return {displayName: given}
  if (type === 'c' || type === 'p') return {displayName: name}
  if (type === 'l') return {displayName: creator.name}
  return {}
}

/** A draft's members, known in full: the users named, resolved (or made) in this action. */
const membersNamed = (usernames: readonly string[], context: ActionContext): MemberList =>
  MemberList.of(
    usernames.map((username) => context.users.resolve(username).id),
    usernames,
  )

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A room that plugins changed must still be a valid, unique room. The id, the
 * dates and the message count stay the draft's: no plugin changes those.
 */
function reviewRoom(changed: Room, draft: HostRoom, context: ActionContext, names: Config['names']): HostRoom {
  if (!isObject(changed)) throw new RoomsimError('INVALID_INPUT', 'produced something that is not a room')
  if (!ROOM_TYPE_CODES.includes(changed.type)) throw new RoomsimError('INVALID_INPUT', `produced an unknown room type ${JSON.stringify(changed.type)}`)
  // A direct room's name joins its members' usernames, so only its length is exempt from the rule.
  const name = checkName('room', changed.slugifiedName, changed.type === 'd' ? {...names, maxLength: Number.POSITIVE_INFINITY} : names)
  if (name !== draft.slugifiedName && context.store.roomIdByName(name) !== undefined) throw new RoomsimError('NAME_TAKEN', `produced the room name "${name}", which is taken`)
  if (!isObject(changed.creator) || typeof changed.creator.username !== 'string') throw new RoomsimError('INVALID_INPUT', 'produced a room without a creator username')
  if (!Array.isArray(changed.usernames)) throw new RoomsimError('INVALID_INPUT', 'produced a room whose usernames is not a list')
  for (const flag of ['isDefault', 'isReadOnly', 'displaySystemMessages'] as const) {
    if (typeof changed[flag] !== 'boolean') throw new RoomsimError('INVALID_INPUT', `produced a room whose ${flag} is not true or false`)
  }
  for (const text of ['displayName', 'description'] as const) {
    if (changed[text] !== undefined && typeof changed[text] !== 'string') throw new RoomsimError('INVALID_INPUT', `produced a room whose ${text} is not text`)
  }
  if (!isObject(changed.customFields)) throw new RoomsimError('INVALID_INPUT', 'produced a room whose customFields is not an object')
  const creator = context.users.resolve(checkName('user', changed.creator.username, names))
  const usernames = [...new Set([creator.username, ...changed.usernames.map((username) => checkName('user', username, names))])]
  return {
    id: draft.id,
    slugifiedName: name,
    ...(changed.displayName === undefined ? {} : {displayName: changed.displayName}),
    type: changed.type,
    creator,
    members: membersNamed(usernames, context),
    isDefault: changed.isDefault,
    isReadOnly: changed.isReadOnly,
    displaySystemMessages: changed.displaySystemMessages,
    messageCount: 0,
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
    ...(changed.description === undefined ? {} : {description: changed.description}),
    customFields: changed.customFields,
  }
}
