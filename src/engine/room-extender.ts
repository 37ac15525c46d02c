import type {Room, User} from '../domain/types.js'

/** Apps-Engine `RocketChatAssociationModel.ROOM`. */
const ROOM_MODEL = 'room'

/**
 * IRoomExtender: add-only. A plugin may add custom fields that do not exist yet
 * and members who are not members yet; it can change nothing else.
 */
export class RoomExtender {
  readonly kind = ROOM_MODEL
  private readonly customFields: Record<string, unknown> = {}
  private readonly members: User[] = []

  constructor(private readonly room: Room) {}

  addCustomField(key: string, value: unknown): this {
    if (typeof key !== 'string' || key === '') throw new Error('addCustomField: the key must be a non-empty string')
    if (key.includes('.')) throw new Error(`addCustomField: the key "${key}" contains a "."`)
    if (key in (this.room.customFields ?? {}) || key in this.customFields) {
      throw new Error(`addCustomField: the room already has a custom field "${key}"`)
    }
    this.customFields[key] = value
    return this
  }

  addMember(user: User): this {
    if (!user || typeof user.username !== 'string') throw new Error('addMember: expected a user with a username')
    if (this.room.usernames.includes(user.username) || this.members.some((member) => member.username === user.username)) {
      throw new Error(`addMember: "${user.username}" is already a member`)
    }
    this.members.push(structuredClone(user))
    return this
  }

  getMembersBeingAdded(): User[] {
    return structuredClone(this.members)
  }

  getUsernamesOfMembersBeingAdded(): string[] {
    return this.members.map((member) => member.username)
  }

  getRoom(): Room {
    return structuredClone(this.room)
  }

  /** What this plugin added, to be applied before the next plugin runs. */
  additions(): {customFields: Record<string, unknown>; members: User[]} {
    return {customFields: this.customFields, members: this.members}
  }
}
