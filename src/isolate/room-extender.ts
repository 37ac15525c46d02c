import type {Room, User} from '../domain/types.js'

/** Apps-Engine `RocketChatAssociationModel.ROOM`. */
const ROOM_MODEL = 'room'

/**
 * IRoomExtender: add-only. A plugin may add custom fields that do not exist yet
 * and members who are not members yet; it can change nothing else.
 */
export class RoomExtender {
  readonly kind = ROOM_MODEL
  // A Map: keys such as "toString" or "__proto__" are field names, not inherited members.
  private readonly customFields = new Map<string, unknown>()
  private readonly members: User[] = []

  constructor(private readonly room: Room) {}

  addCustomField(key: string, value: unknown): this {
    if (typeof key !== 'string' || key === '') throw new Error('addCustomField: the key must be a non-empty string')
    if (key.includes('.')) throw new Error(`addCustomField: the key "${key}" contains a "."`)
    if (Object.hasOwn(this.room.customFields ?? {}, key) || this.customFields.has(key)) {
      throw new Error(`addCustomField: the room already has a custom field "${key}"`)
    }
    this.customFields.set(key, value)
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
    return {customFields: Object.fromEntries(this.customFields), members: this.members}
  }
}
