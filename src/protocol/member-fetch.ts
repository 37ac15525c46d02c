/**
 * A room's member list, fetched by the isolate when a handler first reads
 * room.userIds or room.usernames. Handler code reads those synchronously, so
 * the fetch is synchronous too: the isolate writes one request frame on a pipe
 * of its own (MEMBER_FD, blocking on the isolate's end) and blocks reading the
 * answer; the host, whose event loop is free while it awaits the handler call,
 * answers it. Frames are those of channel.ts (4-byte length, structured clone).
 */
import {deserialize} from 'node:v8'

import {encodeFrame} from './channel.js'

import type {Room} from '../domain/types.js'

/** The isolate's end of the member pipe (stdio index). */
export const MEMBER_FD = 4

/** A room as the host sends it when its members are not read yet: `memberList` names the list to fetch. */
export type RoomWithoutMembers = Omit<Room, 'userIds' | 'usernames'> & {memberList: number}

/** What the isolate asks: the members of list `list` (one the host sent with the running call). */
export interface MemberFetch {
  type: 'members'
  list: number
}

export type MemberAnswer = {ok: true; userIds: string[]; usernames: string[]} | {ok: false; error: string}

/** Largest answer: a member list is bounded by the plugin's memory, not by the message limit of channel.ts. */
export const MAX_MEMBER_ANSWER_BYTES = 512 * 1024 * 1024

/** One frame of channel.ts, without its limit (answers carry whole member lists; the isolate checks their size). */
export const encodeMemberFrame = (message: MemberFetch | MemberAnswer): Buffer => encodeFrame(message, Number.POSITIVE_INFINITY)

export const decodeMemberPayload = (payload: Buffer): unknown => deserialize(payload)

/** The host's check of a fetch: the isolate runs plugin code, so this is input like any other. */
export function checkMemberFetch(message: unknown): {ok: true; list: number} | {ok: false; reason: string} {
  if (typeof message !== 'object' || message === null || Object.getPrototypeOf(message) !== Object.prototype) return {ok: false, reason: 'sent a member fetch that is not an object'}
  const {type, list} = message as Record<string, unknown>
  if (type !== 'members' || !Number.isSafeInteger(list) || (list as number) < 1) return {ok: false, reason: 'sent a malformed member fetch'}
  return {ok: true, list: list as number}
}
