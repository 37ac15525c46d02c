/**
 * Inside the isolate: a room the host sent without its members gets
 * room.userIds and room.usernames as getters that fetch the list on first
 * read, synchronously, over the member pipe (protocol/member-fetch.ts). A
 * handler that never reads them never pays for them; one that does sees the
 * same frozen lists it would have been sent.
 */
import {readSync, writeSync} from 'node:fs'

import {decodeMemberPayload, encodeMemberFrame, MAX_MEMBER_ANSWER_BYTES, MEMBER_FD, type MemberAnswer} from '../protocol/member-fetch.js'

function readExactly(length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length)
  for (let at = 0; at < length; ) {
    const read = readSync(MEMBER_FD, buffer, at, length - at, null)
    if (read === 0) throw new Error('roomsim closed the member pipe')
    at += read
  }
  return buffer
}

/** Asks the host for list `list` and waits for the answer (the handler's thread blocks, as a synchronous read does). */
function fetchMembers(list: number): {userIds: string[]; usernames: string[]} {
  const request = encodeMemberFrame({type: 'members', list})
  for (let at = 0; at < request.length; ) at += writeSync(MEMBER_FD, request, at)
  const length = readExactly(4).readUInt32BE(0)
  if (length > MAX_MEMBER_ANSWER_BYTES) throw new Error(`a member list of ${length} bytes is over the limit of ${MAX_MEMBER_ANSWER_BYTES}`)
  const answer = decodeMemberPayload(readExactly(length)) as MemberAnswer
  if (!answer.ok) throw new Error(answer.error)
  return {userIds: answer.userIds, usernames: answer.usernames}
}

const isLazyRoom = (value: unknown): value is {memberList: number} =>
  typeof value === 'object' && value !== null && typeof (value as {memberList?: unknown}).memberList === 'number'

function lazyRoom(room: {memberList: number}): void {
  const list = room.memberList
  delete (room as {memberList?: number}).memberList
  let members: {userIds: readonly string[]; usernames: readonly string[]} | undefined
  const read = () => {
    if (!members) {
      const fetched = fetchMembers(list)
      members = {userIds: Object.freeze(fetched.userIds), usernames: Object.freeze(fetched.usernames)}
    }
    return members
  }
  // Where the fields always were (after creator), enumerable: a spread or JSON.stringify of the room reads them.
  const rest = Object.entries(Object.getOwnPropertyDescriptors(room))
  for (const [key] of rest) delete (room as Record<string, unknown>)[key]
  for (const [key, descriptor] of rest) {
    Object.defineProperty(room, key, descriptor)
    if (key === 'creator') {
      Object.defineProperty(room, 'userIds', {get: () => read().userIds, enumerable: true, configurable: false})
      Object.defineProperty(room, 'usernames', {get: () => read().usernames, enumerable: true, configurable: false})
    }
  }
}

/** Gives the room of a handler's input (the input itself, or a join/leave context's `room`) its lazy member fields. */
export function reviveLazyMembers(input: unknown): unknown {
  if (isLazyRoom(input)) lazyRoom(input)
  else if (typeof input === 'object' && input !== null && isLazyRoom((input as {room?: unknown}).room)) lazyRoom((input as {room: {memberList: number}}).room)
  return input
}
