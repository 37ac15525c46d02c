import {roomView} from '../domain/room-view.js'
import type {HookResult, HostRoom, Room} from '../domain/types.js'
import type {HandlerValue, SerializedError} from '../protocol/messages.js'
import {isAppsEngineException} from '../protocol/messages.js'
import type {StageKind} from './stages.js'

/** How one handler call came out, as the runner acts on it. */
export interface Verdict {
  result: HookResult
  detail?: unknown
  error?: string
  /** Set when this call stops the chain by preventing the action. */
  prevented?: string
  /** The room the next plugin sees (extend and modify only), in the handler's shape until the stage reviews it. */
  room?: Room
}

type Judge = (value: HandlerValue, room: HostRoom | undefined) => Verdict

const unexpected = (what: string, value: HandlerValue): Verdict => ({
  result: 'error',
  error: `returned ${value.kind === 'other' ? value.description : value.kind === 'none' ? 'nothing' : value.kind}; expected ${what}`,
})

/** One rule per stage kind: what a settled `execute*` call means (SPEC §2). */
export const JUDGE_RETURN: Record<StageKind, Judge> = {
  // First `true` wins; anything but a boolean is a plugin error, not a prevention.
  prevent: (value) =>
    value.kind !== 'boolean'
      ? unexpected('true or false', value)
      : value.value
        ? {result: 'prevented', prevented: 'the handler returned true'}
        : {result: 'allowed'},
  // A veto is a throw; returning at all means allowed.
  veto: () => ({result: 'allowed'}),
  extend: (value, room) => {
    if (value.kind !== 'extension' || !room) return unexpected('an extension', value)
    const members = value.members as {username: string}[]
    // Only create has an extend stage: its draft's members are a short list in memory.
    const current = roomView(room)
    const next: Room = {
      ...current,
      customFields: {...room.customFields, ...value.customFields},
      usernames: [...current.usernames, ...members.map((member) => member.username)],
    }
    const added = {customFields: value.customFields, members: members.map((member) => member.username)}
    const empty = Object.keys(value.customFields).length === 0 && members.length === 0
    return {result: 'applied', room: next, ...(empty ? {} : {detail: added})}
  },
  modify: (value, room) => {
    if (value.kind !== 'room' || !room) return unexpected('a room', value)
    const next = value.room as Room
    const changed = changedFields(roomView(room), next)
    return {result: 'applied', room: next, ...(changed.length ? {detail: {changed}} : {})}
  },
  post: () => ({result: 'done'}),
}

/** What a throw means: in prevent and veto stages an AppsEngineException prevents; anything else is an error. */
export function judgeThrow(kind: StageKind, error: SerializedError): Verdict {
  if ((kind === 'prevent' || kind === 'veto') && isAppsEngineException(error)) {
    // With no message, the reason is the exception's own name (UserNotAllowedException), as the server reports it.
    return {result: 'prevented', prevented: error.message.trim() || (error.className === 'Error' || error.className === 'Object' ? error.name : error.className)}
  }
  return {result: 'error', error: error.message}
}

const WATCHED: (keyof Room)[] = ['slugifiedName', 'displayName', 'type', 'creator', 'usernames', 'isDefault', 'isReadOnly', 'displaySystemMessages', 'description', 'customFields']

function changedFields(before: Room, after: Room): string[] {
  return WATCHED.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
}
