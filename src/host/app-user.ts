import {newUser} from '../store/users.js'
import type {User} from '../domain/types.js'
import type {ActionContext} from '../engine/action-context.js'
import type {Store} from '../store/store.js'

/** A plugin's app user: `<plugin>.bot` (a scoped package `@acme/x` gives `acme-x.bot`, a valid username). */
export const appUserName = (plugin: string): string => `${plugin.replace(/^@/, '').replace(/[^0-9a-zA-Z-_.]/g, '-')}.bot`

/**
 * The plugin's app user, made on first use with the role `bot` (and logged).
 * Call it inside the store's write slot (Engine.write): made during a pre stage,
 * it vanishes with a prevented action, like every other write of that stage.
 */
export function ensureAppUser(store: Store, plugin: string, context: ActionContext | undefined): User {
  const username = appUserName(plugin)
  const existing = store.userByName(username)
  if (existing) return existing
  // The action may already have made this user up (a plugin added it as a member): write that one.
  const user: User = context?.users.pending(username) ?? newUser(username, {name: `${plugin} (app)`, roles: ['bot']})
  store.insertUser(user)
  store.appendEvent({parentSeq: context?.seq ?? null, kind: 'user.create', status: 'completed', actor: username, data: {user, reason: `app user of plugin ${plugin}`}})
  return user
}
