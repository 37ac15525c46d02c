import type {Members, User} from '../domain/types.js'
import type {Store} from './store.js'

/** Where a list that is not read yet reads from: the store's members of one room, as they are when first read. */
interface Source {
  store: Store
  roomId: string
}

/**
 * The one Members implementation: a list given in full (a draft room, a room
 * read with its members), or a room's members in the store, read on first use
 * with one query and kept. Its state is in private fields: a spread copies the
 * reference, and a structured clone of it is an empty object, never the list.
 */
export class MemberList implements Members {
  #ids: readonly string[] | undefined
  #usernames: readonly string[] | undefined
  readonly #source: Source | undefined

  private constructor(source: Source | undefined, ids?: readonly string[], usernames?: readonly string[]) {
    this.#source = source
    this.#ids = ids
    this.#usernames = usernames
  }

  /** A list known in full. In a draft (extend stage) usernames may run ahead of ids: ids come when the room is reviewed. */
  static of(ids: readonly string[], usernames: readonly string[]): MemberList {
    return new MemberList(undefined, ids, usernames)
  }

  /** A room's members in the store, read when something first reads them. */
  static stored(store: Store, roomId: string): MemberList {
    return new MemberList({store, roomId})
  }

  get isRead(): boolean {
    return this.#usernames !== undefined
  }

  count(): number {
    return this.#usernames ? this.#usernames.length : this.#source!.store.memberCount(this.#source!.roomId)
  }

  has(userId: string): boolean {
    return this.#ids ? this.#ids.includes(userId) : this.#source!.store.isMember(this.#source!.roomId, userId)
  }

  ids(): readonly string[] {
    this.read()
    return this.#ids!
  }

  usernames(): readonly string[] {
    this.read()
    return this.#usernames!
  }

  firstUsernames(limit: number): readonly string[] {
    return this.#usernames ? this.#usernames.slice(0, limit) : this.#source!.store.firstMemberNames(this.#source!.roomId, limit)
  }

  /** The list after `user` joined, the store already holding the join: a copy when read, else the store's list again. */
  joined(user: Pick<User, 'id' | 'username'>): MemberList {
    if (!this.isRead) return this.#source ? MemberList.stored(this.#source.store, this.#source.roomId) : this
    return MemberList.of([...this.#ids!, user.id], [...this.#usernames!, user.username])
  }

  /** The list after `userId` left, the store already holding the leave. */
  left(userId: string): MemberList {
    if (!this.isRead) return this.#source ? MemberList.stored(this.#source.store, this.#source.roomId) : this
    const at = this.#ids!.indexOf(userId)
    const without = (list: readonly string[]): readonly string[] => (at < 0 ? list : [...list.slice(0, at), ...list.slice(at + 1)])
    return MemberList.of(without(this.#ids!), without(this.#usernames!))
  }

  /**
   * Keeps this list showing the members as they are now, whatever the store does
   * next: if it is not read when its room's members next change, it is read just
   * before (store.holdMembers). For a list someone may still read later in the action.
   */
  hold(): () => void {
    if (this.isRead || !this.#source) return () => undefined
    const {store, roomId} = this.#source
    store.holdMembers(roomId, this)
    return () => store.letGoMembers(roomId, this)
  }

  /** Reads the list now if it is not read yet: what it shows from here on no longer follows the store. */
  read(): void {
    if (this.isRead) return
    const {userIds, usernames} = this.#source!.store.memberNames(this.#source!.roomId)
    this.#ids = userIds
    this.#usernames = usernames
  }
}
