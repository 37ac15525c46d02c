import type {Room, RoomTypeCode, User} from '../domain/types.js'

/**
 * IRoomBuilder over a working copy of the room. Whatever the plugin sets here is
 * checked again after the modify stage (names, type, uniqueness), so the builder
 * itself stays permissive, as upstream's is.
 */
export class RoomBuilder {
  readonly kind = 'room'
  private readonly room: Room
  private membersToBeAdded: string[] = []

  constructor(room: Room) {
    this.room = structuredClone(room)
  }

  setData(data: Partial<Room>): this {
    const {id: _ignored, ...rest} = data ?? {}
    Object.assign(this.room, structuredClone(rest))
    return this
  }

  setDisplayName(name: string): this {
    this.room.displayName = name
    return this
  }

  getDisplayName(): string {
    return this.room.displayName as string
  }

  setSlugifiedName(name: string): this {
    this.room.slugifiedName = name
    return this
  }

  getSlugifiedName(): string {
    return this.room.slugifiedName
  }

  setType(type: RoomTypeCode): this {
    this.room.type = type
    return this
  }

  getType(): RoomTypeCode {
    return this.room.type
  }

  setCreator(creator: User): this {
    this.room.creator = structuredClone(creator)
    return this
  }

  getCreator(): User {
    return this.room.creator
  }

  addUsername(username: string): this {
    return this.addMemberToBeAddedByUsername(username)
  }

  setUsernames(usernames: string[]): this {
    return this.setMembersToBeAddedByUsernames(usernames)
  }

  getUsernames(): string[] {
    return this.getMembersToBeAddedUsernames()
  }

  addMemberToBeAddedByUsername(username: string): this {
    if (!this.membersToBeAdded.includes(username)) this.membersToBeAdded.push(username)
    return this
  }

  setMembersToBeAddedByUsernames(usernames: string[]): this {
    this.membersToBeAdded = [...new Set(usernames)]
    return this
  }

  getMembersToBeAddedUsernames(): string[] {
    return [...this.membersToBeAdded]
  }

  setDefault(isDefault: boolean): this {
    this.room.isDefault = isDefault
    return this
  }

  getIsDefault(): boolean {
    return this.room.isDefault
  }

  setReadOnly(isReadOnly: boolean): this {
    this.room.isReadOnly = isReadOnly
    return this
  }

  getIsReadOnly(): boolean {
    return this.room.isReadOnly
  }

  setDisplayingOfSystemMessages(displaySystemMessages: boolean): this {
    this.room.displaySystemMessages = displaySystemMessages
    return this
  }

  getDisplayingOfSystemMessages(): boolean {
    return this.room.displaySystemMessages
  }

  addCustomField(key: string, value: unknown): this {
    this.room.customFields = {...this.room.customFields, [key]: structuredClone(value)}
    return this
  }

  setCustomFields(fields: Record<string, unknown>): this {
    this.room.customFields = structuredClone(fields)
    return this
  }

  getCustomFields(): Record<string, unknown> {
    return this.room.customFields
  }

  getUserIds(): string[] {
    return this.room.userIds
  }

  /** The working room, with members to be added listed among its usernames. */
  getRoom(): Room {
    const room = structuredClone(this.room)
    for (const username of this.membersToBeAdded) if (!room.usernames.includes(username)) room.usernames.push(username)
    return room
  }
}
