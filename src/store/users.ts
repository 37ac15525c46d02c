/**
 * The one way a user comes to be: `newUser` makes the record (the defaults
 * upstream gives: display name = username, role `user`), `createUser` writes
 * one as `roomsim user create` does, logged, refusing a taken name. Actions
 * that name new users, scenario seeds and app users all go through these.
 */
import type {Config} from '../config/schema.js'
import {newId} from '../domain/ids.js'
import {checkName} from '../domain/names.js'
import type {User} from '../domain/types.js'
import {RoomsimError} from '../errors.js'
import type {Store} from './store.js'

export const newUser = (username: string, fields: {name?: string | undefined; roles?: string[] | undefined} = {}): User => ({
  id: newId(),
  username,
  name: fields.name ?? username,
  roles: fields.roles ?? ['user'],
  createdAt: new Date(),
})

/** Creates a user as `roomsim user create` does, in its own transaction; a taken username is NAME_TAKEN. */
export function createUser(store: Store, input: {username: string; name?: string | undefined; roles?: string[] | undefined}, names: Config['names'], reason?: string): User {
  const username = checkName('user', input.username, names)
  const user = newUser(username, input)
  store.transaction(() => {
    if (store.userByName(username)) throw new RoomsimError('NAME_TAKEN', `user "${username}" already exists`)
    store.insertUser(user)
    store.appendEvent({kind: 'user.create', status: 'completed', actor: username, data: {user, ...(reason ? {reason} : {})}})
  })
  return user
}
