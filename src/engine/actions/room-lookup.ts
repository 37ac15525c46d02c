import type {HostRoom, User} from '../../domain/types.js'
import {RoomsimError} from '../../errors.js'
import type {Store} from '../../store/store.js'

/** The room an action is about; its members stay unread unless something reads them. */
export function requireRoom(store: Store, nameOrId: string): HostRoom {
  const room = store.findHostRoom(nameOrId)
  if (!room) throw new RoomsimError('UNKNOWN_ROOM', `no room named or with id "${nameOrId}"`)
  return room
}

/** `--invited-by` and `--removed-by` must name members of the room. */
export function requireMember(store: Store, room: HostRoom, username: string, flag: string): User {
  const user = store.userByName(username)
  if (!user) throw new RoomsimError('UNKNOWN_USER', `${flag} ${username}: no such user`)
  if (!store.isMember(room.id, user.id)) throw new RoomsimError('NOT_A_MEMBER', `${flag} ${username}: not a member of ${room.slugifiedName}`)
  return user
}
