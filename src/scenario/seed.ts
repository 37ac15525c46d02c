/**
 * A scenario's starting state, written straight into the store: no hook runs
 * for seeded users and rooms, and seeded persistence records are what the
 * plugin would find had it written them itself.
 */
import type {Config} from '../config/schema.js'
import {newId} from '../domain/ids.js'
import {ActionContext} from '../engine/action-context.js'
import {ACTION_DEFINITIONS} from '../engine/actions/index.js'
import {RoomsimError} from '../errors.js'
import type {Store} from '../store/store.js'
import type {Seed, SeedRecord} from './types.js'

export {createUser} from '../store/users.js'
import {createUser} from '../store/users.js'

export function seedStore(store: Store, seed: Seed, names: Config['names']): void {
  for (const user of seed.users) {
    // A kept store (--store) may have them from an earlier run: seeding makes sure they exist.
    if (!store.userByName(user.username)) createUser(store, user, names, 'scenario seed')
  }
  for (const input of seed.rooms) {
    store.transaction(() => {
      const context = new ActionContext('room.create', store, 0, undefined)
      const prepared = ACTION_DEFINITIONS['room.create'].prepare(input, context, names)
      if ('noop' in prepared) return
      const seq = store.appendEvent({kind: 'scenario.seed', status: 'completed', roomId: prepared.room.id, roomName: prepared.room.slugifiedName, actor: prepared.actor, data: {input: prepared.input}})
      context.users.commit(seq)
      prepared.commit(prepared.room)
    })
  }
  if (seed.persistence.length === 0) return
  store.transaction(() => {
    for (const record of seed.persistence) {
      const associations = record.associations.map((association) => ({model: association.model, id: associationKey(store, association)}))
      store.insertRecord(record.plugin, {id: record.id ?? newId(), data: record.data, associations})
    }
  })
}

/** Association keys as handlers write them: a room's or user's id, or the given id. */
function associationKey(store: Store, association: SeedRecord['associations'][number]): string {
  if (association.room !== undefined) {
    const room = store.roomByName(association.room)
    if (!room) throw new RoomsimError('UNKNOWN_ROOM', `seed persistence: no room named "${association.room}" (seed it under seed.rooms)`)
    return room.id
  }
  if (association.user !== undefined) {
    const user = store.userByName(association.user)
    if (!user) throw new RoomsimError('UNKNOWN_USER', `seed persistence: no user named "${association.user}" (seed it under seed.users)`)
    return user.id
  }
  return association.id!
}
