import type {ActionName} from '../../domain/types.js'
import type {ActionDefinition} from './definition.js'
import {type RoomCreateInput, roomCreate} from './room-create.js'
import {type RoomDeleteInput, roomDelete} from './room-delete.js'
import {type RoomJoinInput, roomJoin} from './room-join.js'
import {type RoomLeaveInput, roomLeave} from './room-leave.js'

export type {RoomCreateInput, RoomDeleteInput, RoomJoinInput, RoomLeaveInput}

export interface ActionInputs {
  'room.create': RoomCreateInput
  'room.delete': RoomDeleteInput
  'room.join': RoomJoinInput
  'room.leave': RoomLeaveInput
}

/** Each action's validation and commit; its stages come from CHAINS. */
export const ACTION_DEFINITIONS: {[A in ActionName]: ActionDefinition<ActionInputs[A]>} = {
  'room.create': roomCreate,
  'room.delete': roomDelete,
  'room.join': roomJoin,
  'room.leave': roomLeave,
}
