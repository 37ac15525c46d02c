import {newUser} from '../store/users.js'
import type {ActionName, Effect, HookRecord, Outcome, User} from '../domain/types.js'
import type {Store} from '../store/store.js'

let lastActionId = 0

/**
 * Users an action names: existing ones from the store, new ones made up front
 * (so handlers see ids) and written only if the action commits.
 */
export class PendingUsers {
  private readonly created = new Map<string, User>()

  constructor(private readonly store: Store) {}

  resolve(username: string, defaults: {name?: string; roles?: string[]} = {}): User {
    const existing = this.store.userByName(username) ?? this.created.get(username)
    if (existing) return existing
    const user = newUser(username, defaults)
    this.created.set(username, user)
    return user
  }

  /** A user this action made up and has not written yet. */
  pending(username: string): User | undefined {
    return this.created.get(username)
  }

  /** Writes the users this action made, in the action's transaction. */
  commit(parentSeq: number): void {
    for (const user of this.created.values()) {
      if (this.store.userByName(user.username)) continue
      this.store.insertUser(user)
      this.store.appendEvent({parentSeq, kind: 'user.create', status: 'completed', actor: user.username, data: {user, reason: 'named by an action'}})
    }
  }
}

/** What one running action collects: hook calls, effects, nested actions. */
export class ActionContext {
  readonly id = ++lastActionId
  readonly hooks: HookRecord[] = []
  readonly postHooks: HookRecord[] = []
  readonly effects: Effect[] = []
  readonly nested: Outcome[] = []
  readonly users: PendingUsers
  /** The event-log row of this action, once written. */
  seq: number | undefined
  /** `pre` while the action holds the store's transaction (validation and pre stages), `post` after commit. */
  phase: 'pre' | 'post' = 'pre'
  /** Set on the outermost action when plugins started actions nested deeper than the limit. */
  nestingError: {code: 'NESTING_TOO_DEEP'; message: string} | undefined
  /** Log lines each plugin sent in this action, and the one marker line that counts those dropped over the cap. */
  readonly logLines = new Map<string, number>()
  readonly droppedLogs = new Map<string, {message: string}>()

  constructor(
    readonly action: ActionName,
    readonly store: Store,
    readonly depth: number,
    readonly parent: ActionContext | undefined,
  ) {
    this.users = new PendingUsers(store)
  }

  /** The outermost action of a chain of nested ones. */
  get root(): ActionContext {
    return this.parent ? this.parent.root : this
  }
}
