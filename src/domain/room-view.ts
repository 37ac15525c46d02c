import type {HostRoom, Outcome, Room} from './types.js'

/**
 * A HostRoom in the shape handlers, --json and reports see (SPEC §room shape):
 * its members as userIds and usernames, in the place they always had. This
 * reads the member list: call it only where the list is shown.
 */
export function roomView(room: HostRoom): Room {
  const view: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(room)) {
    if (key !== 'members') view[key] = value
    else {
      view.userIds = [...room.members.ids()]
      view.usernames = [...room.members.usernames()]
    }
  }
  return view as unknown as Room
}

const isHostRoom = (value: unknown): value is HostRoom =>
  typeof value === 'object' && value !== null && typeof (value as {members?: {ids?: unknown}}).members?.ids === 'function'

/** A handler's input with its room (the input itself, or a join/leave context's `room`) replaced by `show(room)`. */
export function withInputRoom(input: unknown, show: (room: HostRoom) => unknown): unknown {
  if (isHostRoom(input)) return show(input)
  if (typeof input === 'object' && input !== null && isHostRoom((input as {room?: unknown}).room)) {
    return {...input, room: show((input as {room: HostRoom}).room)}
  }
  return input
}

/** An outcome as --json and reports print it: every room (nested ones too) with its member list. */
export function outcomeView(outcome: Outcome): Outcome<Room> {
  return {...outcome, room: outcome.room && roomView(outcome.room), nested: outcome.nested.map(outcomeView)}
}
