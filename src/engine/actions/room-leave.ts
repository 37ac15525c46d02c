import {checkName} from '../../domain/names.js'
import {RoomsimError} from '../../errors.js'
import type {ActionDefinition} from './definition.js'
import {requireMember, requireRoom} from './room-lookup.js'

export interface RoomLeaveInput {
  room: string
  user: string
  removedBy?: string
}

export const roomLeave: ActionDefinition<RoomLeaveInput> = {
  prepare(input, context, names) {
    const username = checkName('user', input.user, names)
    const room = requireRoom(context.store, input.room)
    const leavingUser = context.store.userByName(username)
    if (!leavingUser || !context.store.isMember(room.id, leavingUser.id)) {
      throw new RoomsimError('NOT_A_MEMBER', `${username} is not a member of ${room.slugifiedName}`)
    }
    const remover = input.removedBy === undefined ? undefined : requireMember(context.store, room, input.removedBy, '--removed-by')
    const withRemover = remover ? {removedBy: remover} : {}
    return {
      room,
      actor: remover?.username ?? username,
      input: {...input},
      preInput: (current) => ({leavingUser, room: current, ...withRemover}),
      commit(current) {
        const now = new Date()
        context.store.removeMember(current.id, leavingUser.id)
        context.store.touchRoom(current.id, now)
        // The room as stored now, without reading it again; its members are read only if something reads them.
        return {...current, members: current.members.left(leavingUser.id), messageCount: context.store.messageCount(current.id), updatedAt: now}
      },
      postInput: (left) => ({leavingUser, room: left, ...withRemover}),
    }
  },
}
