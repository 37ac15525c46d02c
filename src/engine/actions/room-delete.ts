import {checkName} from '../../domain/names.js'
import type {ActionDefinition} from './definition.js'
import {actorDefaults, DEFAULT_ACTOR} from './room-create.js'
import {requireRoom} from './room-lookup.js'

export interface RoomDeleteInput {
  room: string
  by?: string
}

export const roomDelete: ActionDefinition<RoomDeleteInput> = {
  prepare(input, context, names) {
    const by = checkName('user', input.by ?? DEFAULT_ACTOR, names)
    const room = requireRoom(context.store, input.room)
    context.users.resolve(by, actorDefaults(by))
    return {
      room,
      actor: by,
      input: {...input},
      preInput: (current) => current,
      commit(current) {
        // Post handlers and the outcome show the members the room had: read them before they go.
        current.members.hold()
        context.store.deleteRoom(current.id)
        return current
      },
      // Post handlers get the room as it was.
      postInput: (deleted) => deleted,
    }
  },
}
