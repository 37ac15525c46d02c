import type {Config} from '../config/schema.js'
import {RoomsimError} from '../errors.js'
import {boundedTest} from '../input/bounded-regex.js'
import type {RoomTypeCode} from './types.js'

/** CLI words for room types and the RoomType enum values they stand for. */
export const ROOM_TYPES = {channel: 'c', private: 'p', direct: 'd', livechat: 'l'} as const satisfies Record<string, RoomTypeCode>
export type RoomTypeWord = keyof typeof ROOM_TYPES
export const ROOM_TYPE_CODES: readonly RoomTypeCode[] = Object.values(ROOM_TYPES)

/** A room or user name is valid when it matches the configured pattern and length. */
export function checkName(kind: 'room' | 'user', name: unknown, rule: Config['names']): string {
  if (typeof name !== 'string' || name === '') throw new RoomsimError('INVALID_NAME', `${kind} name must not be empty`)
  if (name.length > rule.maxLength) {
    throw new RoomsimError('INVALID_NAME', `${kind} name "${clip(name)}" is ${name.length} characters; the limit is ${rule.maxLength}`)
  }
  if (!matchesPattern(rule.pattern, name)) {
    throw new RoomsimError('INVALID_NAME', `${kind} name "${clip(name)}" does not match ${rule.pattern}`)
  }
  return name
}

/** Names checked per pattern, at most this many remembered: a scenario names the same rooms and users step after step. */
const MAX_REMEMBERED = 10_000
const verdicts = new Map<string, Map<string, boolean>>()

/**
 * Whether `name` matches the configured pattern. The bounded run (a vm with a
 * timeout) costs far more than the match itself, and a name's verdict under a
 * pattern never changes, so each is remembered; a run that times out throws and is not.
 */
function matchesPattern(pattern: string, name: string): boolean {
  let known = verdicts.get(pattern)
  if (!known) verdicts.set(pattern, (known = new Map()))
  let verdict = known.get(name)
  if (verdict === undefined) {
    verdict = boundedTest(new RegExp(pattern), name, "the config's names.pattern")
    if (known.size >= MAX_REMEMBERED) known.clear()
    known.set(name, verdict)
  }
  return verdict
}

/** A direct room is named after its members: usernames sorted, joined by `__`. */
export const directRoomName = (usernames: readonly string[]): string => [...new Set(usernames)].sort().join('__')

const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 37)}...` : text).replace(/[\r\n]/g, ' ')
