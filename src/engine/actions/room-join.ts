import {checkName} from '../../domain/names.js'
import {RoomsimError} from '../../errors.js'
import type {ActionDefinition} from './definition.js'
import {requireMember, requireRoom} from './room-lookup.js'

export interface RoomJoinInput {
  room: string
  user: string
  invitedBy?: string
}

export const roomJoin: ActionDefinition<RoomJoinInput> = {
  prepare(input, context, names) {
    const username = checkName('user', input.user, names)
    const room = requireRoom(context.store, input.room)
    if (room.type !== 'c' && room.type !== 'p') {
      throw new RoomsimError('JOIN_NOT_ALLOWED', `${room.slugifiedName} is a ${room.type === 'd' ? 'direct' : 'livechat'} room; only channels and private rooms can be joined`)
    }
    const inviter = input.invitedBy === undefined ? undefined : requireMember(context.store, room, input.invitedBy, '--invited-by')
    // A member needs no inviter to be where they already are (a point query, however big the room).
    const existing = context.store.userByName(username)
    if (existing && context.store.isMember(room.id, existing.id)) return {noop: true, room}
    if (room.type === 'p' && !inviter) throw new RoomsimError('INVITER_REQUIRED', `${room.slugifiedName} is private: give --invited-by a member`)
    const joiningUser = existing ?? context.users.resolve(username)
    const withInviter = inviter ? {inviter} : {}
    return {
      room,
      actor: username,
      input: {...input},
      preInput: (current) => ({joiningUser, room: current, ...withInviter}),
      commit(current) {
        const now = new Date()
        context.store.addMember(current.id, joiningUser.id, now)
        context.store.touchRoom(current.id, now)
        // The room as stored now, without reading it again; its members are read only if something reads them.
        return {...current, members: current.members.joined(joiningUser), messageCount: context.store.messageCount(current.id), updatedAt: now}
      },
      postInput: (joined) => ({joiningUser, room: joined, ...withInviter}),
    }
  },
}
