/**
 * `roomsim store check`: SQLite's own integrity checks, then the invariants
 * roomsim keeps — every committed row is accounted for by the event log:
 * every room by the event that created it, every user by its user.create
 * entry, every membership by the create, join or post stage that made it,
 * every plugin's message and record by a hook call of that plugin (or by a
 * post stage that was interrupted before it could log its calls).
 */
import {cleanCheckLine, type Database} from './database.js'
import {postStageInterrupted} from './store.js'

export interface CheckReport {
  ok: boolean
  /** Each problem in one line: what is wrong and where. */
  problems: string[]
  /** What is worth knowing but not wrong (post stages interrupted by a kill: their writes may lack a log entry). */
  warnings: string[]
}

interface EventRow {
  seq: number
  kind: string
  status: string | null
  room_id: string | null
  actor: string | null
  data: string
  post_pid: number | null
}

/** At most this many problems of one kind are listed; the rest are counted. */
const LIST_LIMIT = 20

export function checkStore(db: Database): CheckReport {
  const problems: string[] = []
  const warnings: string[] = []
  const integrity = (db.pragma('integrity_check(50)') as {integrity_check: string}[]).flatMap((row) => row.integrity_check.split('\n')).map(cleanCheckLine).filter((text) => text !== 'ok' && text !== '')
  problems.push(...integrity.map((text) => `integrity: ${text}`))
  if (integrity.length > 0) return {ok: false, problems, warnings}
  const foreign = db.pragma('foreign_key_check') as {table: string; rowid: number; parent: string}[]
  problems.push(...foreign.map((row) => `${row.table} row ${row.rowid} refers to a missing ${row.parent} row`))

  const events = db.prepare('SELECT seq, kind, status, room_id, actor, data, post_pid FROM events ORDER BY seq').all() as EventRow[]
  const byRoom = new Map<string, EventRow[]>()
  const usersLogged = new Set<string>()
  const pluginsInHooks = new Map<string, Set<string>>()
  const pendingRooms = new Set<string>()
  let pendingAnywhere = false
  const seqs = new Set(events.map((event) => event.seq))
  for (const event of events) {
    if (event.room_id) byRoom.set(event.room_id, [...(byRoom.get(event.room_id) ?? []), event])
    if (event.kind === 'user.create' && event.actor) usersLogged.add(event.actor)
    const data = parse(event.data)
    const hooks = Array.isArray(data.hooks) ? (data.hooks as {plugin?: unknown}[]) : []
    for (const hook of hooks) if (typeof hook.plugin === 'string') pluginsInHooks.set(hook.plugin, (pluginsInHooks.get(hook.plugin) ?? new Set()).add(event.room_id ?? ''))
    if (event.post_pid !== null && postStageInterrupted(event.post_pid)) {
      warnings.push(`the post stage of #${event.seq} (${event.kind}) was interrupted: its plugins' writes, if any, have no .post entry`)
      if (event.room_id) pendingRooms.add(event.room_id)
      pendingAnywhere = true
    }
  }
  const parentless = (db.prepare('SELECT seq, parent_seq FROM events WHERE parent_seq IS NOT NULL').all() as {seq: number; parent_seq: number}[]).filter((row) => !seqs.has(row.parent_seq))
  list(problems, parentless.map((row) => `event #${row.seq} names a parent #${row.parent_seq} that is not in the log`))

  const rooms = db.prepare('SELECT id, name, creator_id FROM rooms').all() as {id: string; name: string; creator_id: string}[]
  const users = new Map((db.prepare('SELECT id, username FROM users').all() as {id: string; username: string}[]).map((row) => [row.id, row.username]))
  const roomById = new Map(rooms.map((room) => [room.id, room]))
  list(problems, rooms.filter((room) => !(byRoom.get(room.id) ?? []).some((event) => (event.kind === 'room.create' || event.kind === 'scenario.seed') && event.status === 'completed')).map((room) => `room ${room.name} (${room.id}) has no room.create entry in the log`))
  list(problems, rooms.filter((room) => !users.has(room.creator_id)).map((room) => `room ${room.name} has a creator (${room.creator_id}) who is not a user`))
  list(problems, [...users.values()].filter((username) => !usersLogged.has(username)).map((username) => `user ${username} has no user.create entry in the log`))

  const memberships = db.prepare('SELECT room_id, user_id FROM memberships').all() as {room_id: string; user_id: string}[]
  const unaccounted = memberships.filter(({room_id: roomId, user_id: userId}) => {
    const username = users.get(userId)
    const room = roomById.get(roomId)
    if (!room || !username) return true
    if (room.creator_id === userId || pendingRooms.has(roomId)) return false
    return !(byRoom.get(roomId) ?? []).some((event) => {
      if (event.status !== 'completed') return false
      if (event.kind === 'room.join' && event.actor === username) return true
      if (event.kind.endsWith('.post')) return true
      const data = parse(event.data)
      const input = (data.input ?? {}) as {members?: unknown}
      const hooks = Array.isArray(data.hooks) ? data.hooks.length : 0
      return (event.kind === 'room.create' || event.kind === 'scenario.seed') && ((Array.isArray(input.members) && input.members.includes(username)) || hooks > 0)
    })
  })
  list(problems, unaccounted.map(({room_id: roomId, user_id: userId}) => `membership of ${users.get(userId) ?? userId} in ${roomById.get(roomId)?.name ?? roomId} has no create, join or post-stage entry in the log`))

  const pluginMessages = db.prepare('SELECT id, room_id, plugin FROM messages WHERE plugin IS NOT NULL').all() as {id: string; room_id: string; plugin: string}[]
  list(problems, pluginMessages.filter((message) => !pendingAnywhere && !pluginsInHooks.has(message.plugin)).map((message) => `message ${message.id} from plugin ${message.plugin} in room ${roomById.get(message.room_id)?.name ?? message.room_id} has no hook call of that plugin in the log`))
  const recordPlugins = (db.prepare('SELECT DISTINCT plugin FROM plugin_records').all() as {plugin: string}[]).map((row) => row.plugin)
  if (!pendingAnywhere) list(problems, recordPlugins.filter((plugin) => !pluginsInHooks.has(plugin) && !events.some((event) => event.kind === 'scenario.seed' || event.kind.startsWith('plugin.'))).map((plugin) => `records of plugin ${plugin} exist but the log has no hook call of it`))
  return {ok: problems.length === 0, problems, warnings}
}

function list(into: string[], items: string[]): void {
  into.push(...items.slice(0, LIST_LIMIT))
  if (items.length > LIST_LIMIT) into.push(`… and ${items.length - LIST_LIMIT} more like the one above`)
}

function parse(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
