/**
 * The human form of the event log: fixed-width leading columns so that nested
 * entries ("#12 (of #11)") and entries printed later by --follow line up with
 * the rest, then what the entry is about and who did it.
 */
import type {EventEntry} from '../store/store.js'
import {printable} from './printable.js'

const SEQ_WIDTH = 14
const KIND_WIDTH = 16
const STATUS_WIDTH = 9

/** What an entry is about: the room, or for a user entry the user it made. */
function subject(entry: EventEntry): string {
  if (entry.kind.startsWith('user.')) {
    const user = entry.data.user as {username?: string} | undefined
    return `@${printable(user?.username ?? entry.actor ?? '')}`
  }
  return entry.roomName ? `#${printable(entry.roomName)}` : ''
}

/** Who did it and what ran: "by alice", hook calls; a user made on first use says why instead of "by" herself. */
function detail(entry: EventEntry): string {
  const parts: string[] = []
  if (entry.kind.startsWith('user.')) {
    if (typeof entry.data.reason === 'string') parts.push(printable(entry.data.reason))
  } else if (entry.actor) parts.push(`by ${printable(entry.actor)}`)
  const hooks = (entry.data.hooks as unknown[] | undefined)?.length
  if (hooks) parts.push(`${hooks} hook call${hooks === 1 ? '' : 's'}`)
  return parts.join(', ')
}

export function formatLogEntry(entry: EventEntry): string {
  const seq = `#${entry.seq}${entry.parentSeq ? ` (of #${entry.parentSeq})` : ''}`
  const columns = [seq.padEnd(SEQ_WIDTH), entry.at.toISOString(), entry.kind.padEnd(KIND_WIDTH), String(entry.status ?? '').padEnd(STATUS_WIDTH), subject(entry).padEnd(12), detail(entry)]
  return columns.join('  ').trimEnd()
}

export const formatLog = (entries: readonly EventEntry[]): string => (entries.length === 0 ? 'The log is empty.' : entries.map(formatLogEntry).join('\n'))
