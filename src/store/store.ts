import {type Association, type HostRoom, type Message, MESSAGE_EXTRAS, type MessageExtras, type PluginRecord, type Room, type RoomTypeCode, type User} from '../domain/types.js'

/** A message's extras as stored: the fields set, as JSON, or null when there are none. */
function extrasOf(message: Message): string | null {
  const extras = Object.fromEntries(MESSAGE_EXTRAS.filter((key) => message[key] !== undefined).map((key) => [key, message[key]]))
  return Object.keys(extras).length === 0 ? null : JSON.stringify(extras)
}
import type {Statement} from 'better-sqlite3'

import type {Database} from './database.js'
import {MemberList} from './member-list.js'
import {beginImmediate, isAlive, releaseNote} from './write-lock.js'

interface UserRow {
  id: string
  username: string
  name: string
  roles: string
  created_at: string
}

interface RoomRow {
  id: string
  name: string
  display_name: string | null
  type: RoomTypeCode
  creator_id: string
  is_default: number
  is_read_only: number
  display_system_messages: number
  description: string | null
  custom_fields: string
  message_count: number
  created_at: string
  updated_at: string
}

interface MessageRow {
  id: string
  room_id: string
  sender_id: string
  text: string
  plugin: string | null
  created_at: string
  extras: string | null
}

/** A message row with its sender's columns, read in the same join. */
interface MessageWithSenderRow extends MessageRow {
  sender_username: string
  sender_name: string
  sender_roles: string
  sender_created_at: string
}

/** A page of a listing: `limit` rows after skipping `offset` (no limit: all of them). */
export interface Page {
  limit?: number
  offset?: number
}

/** Rooms are read this many at a time when listing, so that their members come in one query per batch. */
const ROOM_BATCH = 500
/** How long a grouped store (Store.groupCommits) keeps actions in one transaction. */
const GROUP_COMMIT_MS = 200

interface RecordRow {
  id: string
  data: string
  created_at: string
  updated_at: string
  /** JSON [[model, key], …] in insertion order, read with the record. */
  associations: string
}

/** A record's columns and its associations in one read (a point lookup per record, no second query). */
const RECORD_COLUMNS = `r.id, r.data, r.created_at, r.updated_at,
  (SELECT json_group_array(json_array(a.model, a.key)) FROM (SELECT model, key FROM plugin_record_associations a
    WHERE a.plugin = r.plugin AND a.record_id = r.id ORDER BY a.rowid) a) AS associations`

export interface EventEntry {
  seq: number
  parentSeq: number | null
  at: Date
  kind: string
  status: string | null
  roomId: string | null
  roomName: string | null
  actor: string | null
  data: Record<string, unknown>
  /**
   * Only on an action whose post stage has not logged its end: `running` while
   * the process that runs it is alive, `interrupted` when it died (killed, disk
   * full): its post-stage writes may have landed without a `.post` entry.
   */
  post?: 'running' | 'interrupted'
}

export interface NewEvent {
  parentSeq?: number | null
  kind: string
  status?: string | null
  roomId?: string | null
  roomName?: string | null
  actor?: string | null
  data?: unknown
  /** The pid of the process about to run this action's post stage (cleared by postStageEnded). */
  postPid?: number | null
}

/** A plugin registered with `plugins install` (kind package) or `plugins link` (kind link). */
export interface InstalledPlugin {
  name: string
  kind: 'package' | 'link'
  /** What was installed: the npm spec (local paths made absolute), or the linked folder. */
  spec: string
  enabled: boolean
  /** Run order among installed plugins, from 1. */
  position: number
  installedAt: Date
}

interface InstalledPluginRow {
  name: string
  kind: 'package' | 'link'
  spec: string
  enabled: number
  position: number
  installed_at: string
}

const toInstalledPlugin = (row: InstalledPluginRow): InstalledPlugin => ({
  name: row.name,
  kind: row.kind,
  spec: row.spec,
  enabled: row.enabled === 1,
  position: row.position,
  installedAt: new Date(row.installed_at),
})

const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  name: row.name,
  roles: JSON.parse(row.roles) as string[],
  createdAt: new Date(row.created_at),
})

/**
 * Every query roomsim makes, one small method each, over cached prepared
 * statements. Transactions are the caller's: an action opens one around its
 * whole pre-stage so plugin writes and the commit land (or vanish) together.
 */
export class Store {
  private readonly statements = new Map<string, Statement<unknown[]>>()
  /** How many times a room's whole member list was read: the cost that grows with the room (tests watch it). */
  memberListReads = 0
  /** Member lists handed out unread, by room: read just before that room's members change (MemberList.hold). */
  private readonly heldMembers = new Map<string, Set<MemberList>>()

  constructor(readonly db: Database) {}

  close(): void {
    if (this.grouped && this.db.inTransaction) this.sql('COMMIT').run()
    this.db.close()
  }

  private sql(source: string): Statement<unknown[]> {
    let statement = this.statements.get(source)
    if (!statement) {
      statement = this.db.prepare<unknown[]>(source)
      this.statements.set(source, statement)
    }
    return statement
  }

  // ── transactions ────────────────────────────────────────────────────────
  /**
   * Set for a store no other process can open (a scenario's throwaway store):
   * an action's transaction is then a savepoint in one long transaction,
   * committed at most every GROUP_COMMIT_MS and on close, since a commit's
   * writes cost more than the action (docs/performance.md). What is read and
   * undone is the same; only when it reaches the file differs.
   */
  private grouped: {committedAt: number; actionOpen: boolean} | undefined

  groupCommits(): void {
    this.grouped = {committedAt: performance.now(), actionOpen: false}
  }

  /** Takes the store's write lock, waiting for another process that holds it (see write-lock.ts; the holder's note is written only if it holds the lock a while). */
  begin(): void {
    if (!this.grouped) return beginImmediate(this.db, {note: 'deferred'})
    if (!this.db.inTransaction) {
      this.sql('BEGIN IMMEDIATE').run()
      this.grouped.committedAt = performance.now()
    }
    this.savepoint('action')
    this.grouped.actionOpen = true
  }

  // Control statements are prepared once like any other: parsing them at every step is measurable.
  commit(): void {
    if (!this.grouped) {
      this.sql('COMMIT').run()
      return releaseNote(this.db)
    }
    this.release('action')
    this.grouped.actionOpen = false
    if (performance.now() - this.grouped.committedAt >= GROUP_COMMIT_MS) this.sql('COMMIT').run()
  }

  rollback(): void {
    if (!this.grouped) {
      if (this.db.inTransaction) this.sql('ROLLBACK').run()
      return releaseNote(this.db)
    }
    // SQLite may have rolled the whole transaction back on its own (a full disk): then the action is gone with it.
    if (this.grouped.actionOpen && this.db.inTransaction) this.undo('action')
    this.grouped.actionOpen = false
  }

  savepoint(name: string): void {
    this.sql(`SAVEPOINT ${name}`).run()
  }

  /** Undoes everything since savepoint `name`, and ends it. */
  undo(name: string): void {
    this.sql(`ROLLBACK TO ${name}`).run()
    this.release(name)
  }

  release(name: string): void {
    this.sql(`RELEASE ${name}`).run()
  }

  /** Runs `fn` in one immediate transaction (synchronous work only); inside an open one, in a savepoint. */
  transaction<T>(fn: () => T): T {
    const nested = this.db.inTransaction
    if (nested) this.savepoint('nested')
    else this.begin()
    try {
      const result = fn()
      if (nested) this.release('nested')
      else this.commit()
      return result
    } catch (error) {
      // SQLite may already have rolled back on its own (a full disk): then there is nothing to undo.
      if (!nested) this.rollback()
      else if (this.db.inTransaction) this.undo('nested')
      throw error
    }
  }

  // ── users ────────────────────────────────────────────────────────────────
  userById(id: string): User | undefined {
    const row = this.sql('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
    return row && toUser(row)
  }

  userByName(username: string): User | undefined {
    const row = this.sql('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined
    return row && toUser(row)
  }

  listUsers(page: Page = {}): User[] {
    return [...this.eachUser(page)]
  }

  /** Users by username, a page at a time, read as they are iterated. */
  *eachUser({limit, offset = 0}: Page = {}): Generator<User> {
    for (const row of this.sql('SELECT * FROM users ORDER BY username LIMIT ? OFFSET ?').iterate(limit ?? -1, offset) as Iterable<UserRow>) yield toUser(row)
  }

  countUsers(): number {
    return (this.sql('SELECT count(*) AS n FROM users').get() as {n: number}).n
  }

  insertUser(user: User): void {
    this.sql('INSERT INTO users (id, username, name, roles, created_at) VALUES (@id, @username, @name, @roles, @createdAt)').run({
      ...user,
      roles: JSON.stringify(user.roles),
      createdAt: user.createdAt.toISOString(),
    })
  }

  // ── rooms ────────────────────────────────────────────────────────────────
  /** A room's row by id or by name: the one read behind every room lookup. */
  private roomRow(by: 'id' | 'name', value: string): RoomRow | undefined {
    return this.sql(`SELECT * FROM rooms WHERE ${by} = ?`).get(value) as RoomRow | undefined
  }

  roomById(id: string): Room | undefined {
    const row = this.roomRow('id', id)
    return row && this.toRoom(row)
  }

  roomByName(name: string): Room | undefined {
    const row = this.roomRow('name', name)
    return row && this.toRoom(row)
  }

  /** A room's id from its name: one index read, no members. */
  roomIdByName(name: string): string | undefined {
    return this.sql('SELECT id FROM rooms WHERE name = ?').pluck().get(name) as string | undefined
  }

  hasRoom(id: string): boolean {
    return this.sql('SELECT 1 FROM rooms WHERE id = ?').get(id) !== undefined
  }

  /** A room by name first, then by id (SPEC: ROOM is a name or an id). */
  findRoom(nameOrId: string): Room | undefined {
    return this.roomByName(nameOrId) ?? this.roomById(nameOrId)
  }

  /** findRoom for the engine: the room's members are read only when something reads them. */
  findHostRoom(nameOrId: string): HostRoom | undefined {
    const row = this.roomRow('name', nameOrId) ?? this.roomRow('id', nameOrId)
    return row && this.toHostRoom(row)
  }

  hostRoomById(id: string): HostRoom | undefined {
    const row = this.roomRow('id', id)
    return row && this.toHostRoom(row)
  }

  listRooms(page: Page = {}): Room[] {
    return [...this.eachRoom(page)]
  }

  /**
   * Rooms by name, a page at a time, read as they are iterated: a batch of rooms
   * and all their members and creators in three queries, however many rooms.
   */
  *eachRoom({limit, offset = 0}: Page = {}): Generator<Room> {
    const end = limit === undefined ? Number.POSITIVE_INFINITY : offset + limit
    for (let at = offset; at < end; at += ROOM_BATCH) {
      const rows = this.sql('SELECT * FROM rooms ORDER BY name LIMIT ? OFFSET ?').all(Math.min(ROOM_BATCH, end - at), at) as RoomRow[]
      if (rows.length === 0) return
      const ids = JSON.stringify(rows.map((row) => row.id))
      const members = new Map<string, {userIds: string[]; usernames: string[]}>()
      // Each room's memberships are read along memberships_in_order, so they come in joining (rowid) order without a sort.
      const memberRows = this.sql(
        `SELECT m.room_id, u.id, u.username FROM json_each(?) j CROSS JOIN memberships m INDEXED BY memberships_in_order ON m.room_id = j.value
         JOIN users u ON u.id = m.user_id`,
      ).all(ids) as {room_id: string; id: string; username: string}[]
      for (const row of memberRows) {
        let entry = members.get(row.room_id)
        if (!entry) members.set(row.room_id, (entry = {userIds: [], usernames: []}))
        entry.userIds.push(row.id)
        entry.usernames.push(row.username)
      }
      const creators = new Map(
        (this.sql('SELECT u.* FROM users u WHERE u.id IN (SELECT value FROM json_each(?))').all(JSON.stringify(rows.map((row) => row.creator_id))) as UserRow[]).map((row) => [row.id, toUser(row)]),
      )
      for (const row of rows) yield this.toRoom(row, members.get(row.id) ?? {userIds: [], usernames: []}, creators.get(row.creator_id))
      if (rows.length < ROOM_BATCH) return
    }
  }

  countRooms(): number {
    return (this.sql('SELECT count(*) AS n FROM rooms').get() as {n: number}).n
  }

  roomsOfUser(userId: string): Room[] {
    const rows = this.sql(
      'SELECT rooms.* FROM rooms JOIN memberships m ON m.room_id = rooms.id WHERE m.user_id = ? ORDER BY rooms.name',
    ).all(userId) as RoomRow[]
    return rows.map((row) => this.toRoom(row))
  }

  insertRoom(room: Room): void {
    this.sql(
      `INSERT INTO rooms (id, name, display_name, type, creator_id, is_default, is_read_only, display_system_messages,
         description, custom_fields, parent_id, created_at, updated_at)
       VALUES (@id, @name, @displayName, @type, @creatorId, @isDefault, @isReadOnly, @displaySystemMessages,
         @description, @customFields, @parentId, @createdAt, @updatedAt)`,
    ).run({
      id: room.id,
      name: room.slugifiedName,
      displayName: room.displayName ?? null,
      type: room.type,
      creatorId: room.creator.id,
      isDefault: room.isDefault ? 1 : 0,
      isReadOnly: room.isReadOnly ? 1 : 0,
      displaySystemMessages: room.displaySystemMessages ? 1 : 0,
      description: room.description ?? null,
      customFields: JSON.stringify(room.customFields),
      parentId: room.parentRoom?.id ?? null,
      createdAt: room.createdAt.toISOString(),
      updatedAt: room.updatedAt.toISOString(),
    })
    for (const userId of room.userIds) this.addMember(room.id, userId, room.createdAt)
  }

  deleteRoom(id: string): void {
    this.beforeMembersChange(id)
    this.sql('DELETE FROM rooms WHERE id = ?').run(id)
  }

  touchRoom(id: string, at: Date): void {
    this.sql('UPDATE rooms SET updated_at = ? WHERE id = ?').run(at.toISOString(), id)
  }

  // ── memberships ──────────────────────────────────────────────────────────
  /** Ids and usernames of a room's members in joining order, in one query (no whole user rows). */
  memberNames(roomId: string): {userIds: string[]; usernames: string[]} {
    this.memberListReads++
    const rows = this.sql('SELECT u.id, u.username FROM memberships m INDEXED BY memberships_in_order JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY m.rowid').raw().all(roomId) as [string, string][]
    const userIds = new Array<string>(rows.length)
    const usernames = new Array<string>(rows.length)
    for (let index = 0; index < rows.length; index++) [userIds[index], usernames[index]] = rows[index]!
    return {userIds, usernames}
  }

  /** The first `limit` members' usernames in joining order: what a human line shows, without reading the rest. */
  firstMemberNames(roomId: string, limit: number): string[] {
    return this.sql('SELECT u.username FROM memberships m INDEXED BY memberships_in_order JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY m.rowid LIMIT ?').pluck().all(roomId, limit) as string[]
  }

  memberCount(roomId: string): number {
    return (this.sql('SELECT count(*) AS n FROM memberships WHERE room_id = ?').get(roomId) as {n: number}).n
  }

  memberIds(roomId: string): string[] {
    return (this.sql('SELECT user_id FROM memberships WHERE room_id = ? ORDER BY rowid').all(roomId) as {user_id: string}[]).map(
      (row) => row.user_id,
    )
  }

  members(roomId: string): User[] {
    this.memberListReads++
    const rows = this.sql(
      'SELECT users.* FROM memberships m INDEXED BY memberships_in_order JOIN users ON users.id = m.user_id WHERE m.room_id = ? ORDER BY m.rowid',
    ).all(roomId) as UserRow[]
    return rows.map(toUser)
  }

  isMember(roomId: string, userId: string): boolean {
    return this.sql('SELECT 1 FROM memberships WHERE room_id = ? AND user_id = ?').get(roomId, userId) !== undefined
  }

  addMember(roomId: string, userId: string, at: Date): void {
    this.beforeMembersChange(roomId)
    this.sql('INSERT OR IGNORE INTO memberships (room_id, user_id, joined_at) VALUES (?, ?, ?)').run(roomId, userId, at.toISOString())
  }

  removeMember(roomId: string, userId: string): void {
    this.beforeMembersChange(roomId)
    this.sql('DELETE FROM memberships WHERE room_id = ? AND user_id = ?').run(roomId, userId)
  }

  /** Keeps `list` showing the room's members as they are now (MemberList.hold). */
  holdMembers(roomId: string, list: MemberList): void {
    let lists = this.heldMembers.get(roomId)
    if (!lists) this.heldMembers.set(roomId, (lists = new Set()))
    lists.add(list)
  }

  letGoMembers(roomId: string, list: MemberList): void {
    this.heldMembers.get(roomId)?.delete(list)
  }

  /** Lists held so far need no more keeping (the action that handed them out has ended). */
  releaseHeldMembers(): void {
    this.heldMembers.clear()
  }

  private beforeMembersChange(roomId: string): void {
    if (this.heldMembers.size === 0) return
    const lists = this.heldMembers.get(roomId)
    if (!lists) return
    this.heldMembers.delete(roomId)
    for (const list of lists) list.read()
  }

  // ── messages ─────────────────────────────────────────────────────────────
  insertMessage(message: Message): void {
    this.sql(
      'INSERT INTO messages (id, room_id, sender_id, text, plugin, created_at, extras) VALUES (@id, @roomId, @senderId, @text, @plugin, @createdAt, @extras)',
    ).run({
      id: message.id,
      roomId: message.roomId,
      senderId: message.sender.id,
      text: message.text,
      plugin: message.plugin ?? null,
      createdAt: message.createdAt.toISOString(),
      extras: extrasOf(message),
    })
  }

  /** A room's messages, oldest first (or newest first), with their senders in the same join. */
  messages(roomId: string, {limit, skip = 0, newestFirst = false}: {limit?: number; skip?: number; newestFirst?: boolean} = {}): Message[] {
    const order = newestFirst ? 'm.created_at DESC, m.rowid DESC' : 'm.created_at, m.rowid'
    const rows = this.sql(`SELECT ${MESSAGE_COLUMNS} WHERE m.room_id = ? ORDER BY ${order} LIMIT ? OFFSET ?`).all(roomId, limit ?? -1, skip) as MessageWithSenderRow[]
    return rows.map(toMessage)
  }

  /** Texts of a room's messages, oldest first: what expectations on messages compare. */
  messageTexts(roomId: string): string[] {
    return this.sql('SELECT text FROM messages WHERE room_id = ? ORDER BY created_at, rowid').pluck().all(roomId) as string[]
  }

  messageById(id: string): Message | undefined {
    const row = this.sql(`SELECT ${MESSAGE_COLUMNS} WHERE m.id = ?`).get(id) as MessageWithSenderRow | undefined
    return row && toMessage(row)
  }

  /** Kept by triggers (migration 6): one read, however many messages. */
  messageCount(roomId: string): number {
    return (this.sql('SELECT message_count AS n FROM rooms WHERE id = ?').get(roomId) as {n: number} | undefined)?.n ?? 0
  }

  // ── plugin records (IPersistence), always scoped to one plugin ──────────
  /** Inserts a record and its associations together. */
  insertRecord(plugin: string, record: {id: string; data: object; associations: readonly Association[]}, at = new Date()): void {
    this.transaction(() => {
      this.sql('INSERT INTO plugin_records (plugin, id, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
        plugin,
        record.id,
        JSON.stringify(record.data),
        at.toISOString(),
        at.toISOString(),
      )
      const insert = this.sql('INSERT OR IGNORE INTO plugin_record_associations (plugin, record_id, model, key) VALUES (?, ?, ?, ?)')
      for (const association of record.associations) insert.run(plugin, record.id, association.model, association.id)
    })
  }

  recordById(plugin: string, id: string): PluginRecord | undefined {
    const row = this.sql(`SELECT ${RECORD_COLUMNS} FROM plugin_records r WHERE r.plugin = ? AND r.id = ?`).get(plugin, id) as RecordRow | undefined
    return row && toRecord(row)
  }

  /**
   * Records that carry every one of `associations` (and maybe more), oldest first.
   * The first association is looked up by (plugin, model, key); each other one is
   * a point check on the record's own associations.
   */
  recordsWithAll(plugin: string, associations: readonly Association[]): PluginRecord[] {
    const distinct = [...new Map(associations.map((association) => [`${association.model}\u0000${association.id}`, association])).values()]
    if (distinct.length === 0) return this.records(plugin)
    const [first, ...rest] = distinct
    const others = rest.map(() => ' AND EXISTS (SELECT 1 FROM plugin_record_associations o WHERE o.plugin = r.plugin AND o.record_id = r.id AND o.model = ? AND o.key = ?)').join('')
    const rows = this.sql(
      `SELECT ${RECORD_COLUMNS} FROM plugin_record_associations k INDEXED BY associations_by_key CROSS JOIN plugin_records r ON r.plugin = k.plugin AND r.id = k.record_id
       WHERE k.plugin = ? AND k.model = ? AND k.key = ?${others} ORDER BY r.created_at, r.rowid`,
    ).all(plugin, first!.model, first!.id, ...rest.flatMap(({model, id}) => [model, id])) as RecordRow[]
    return rows.map(toRecord)
  }

  /** Records whose associations are exactly `associations`, oldest first (what updateByAssociations matches). */
  recordsWithExactly(plugin: string, associations: readonly Association[]): PluginRecord[] {
    const count = distinctCount(associations)
    return this.recordsWithAll(plugin, associations).filter((record) => record.associations.length === count)
  }

  replaceRecordData(plugin: string, id: string, data: object, at = new Date()): boolean {
    const result = this.sql('UPDATE plugin_records SET data = ?, updated_at = ? WHERE plugin = ? AND id = ?').run(JSON.stringify(data), at.toISOString(), plugin, id)
    return result.changes > 0
  }

  deleteRecord(plugin: string, id: string): boolean {
    return this.sql('DELETE FROM plugin_records WHERE plugin = ? AND id = ?').run(plugin, id).changes > 0
  }

  /** Every record of a plugin, oldest first. */
  records(plugin: string): PluginRecord[] {
    const rows = this.sql(`SELECT ${RECORD_COLUMNS} FROM plugin_records r WHERE r.plugin = ? ORDER BY r.created_at, r.rowid`).all(plugin) as RecordRow[]
    return rows.map(toRecord)
  }

  // ── event log ────────────────────────────────────────────────────────────
  appendEvent(event: NewEvent, at = new Date()): number {
    const result = this.sql(
      `INSERT INTO events (parent_seq, at, kind, status, room_id, room_name, actor, data, post_pid)
       VALUES (@parentSeq, @at, @kind, @status, @roomId, @roomName, @actor, @data, @postPid)`,
    ).run({
      parentSeq: event.parentSeq ?? null,
      at: at.toISOString(),
      kind: event.kind,
      status: event.status ?? null,
      roomId: event.roomId ?? null,
      roomName: event.roomName ?? null,
      actor: event.actor ?? null,
      data: JSON.stringify(event.data ?? {}),
      postPid: event.postPid ?? null,
    })
    return Number(result.lastInsertRowid)
  }

  /** The post stage of action `seq` has logged its end. */
  postStageEnded(seq: number): void {
    this.sql('UPDATE events SET post_pid = NULL WHERE seq = ?').run(seq)
  }

  /**
   * The newest `limit` entries after skipping the `offset` newest, oldest first;
   * filtered by room name or id (two index searches merged in order, no sort).
   */
  events({room, limit: asked, offset = 0}: {room?: string; limit: number; offset?: number}): EventEntry[] {
    // SQLite takes a 64-bit integer: a limit past what a double holds exactly means "all of them".
    const limit = Number.isSafeInteger(asked) ? asked : -1
    const rows = (
      room === undefined
        ? this.sql('SELECT * FROM events ORDER BY seq DESC LIMIT ? OFFSET ?').all(limit, offset)
        : this.sql('SELECT * FROM events WHERE room_name = @room UNION SELECT * FROM events WHERE room_id = @room ORDER BY seq DESC LIMIT @limit OFFSET @offset').all({room, limit, offset})
    ) as {seq: number; parent_seq: number | null; at: string; kind: string; status: string | null; room_id: string | null; room_name: string | null; actor: string | null; data: string; post_pid: number | null}[]
    return rows.reverse().map((row) => ({
      seq: row.seq,
      parentSeq: row.parent_seq,
      at: new Date(row.at),
      kind: row.kind,
      status: row.status,
      roomId: row.room_id,
      roomName: row.room_name,
      actor: row.actor,
      data: JSON.parse(row.data) as Record<string, unknown>,
      ...(row.post_pid === null ? {} : {post: postState(row.post_pid)}),
    }))
  }

  /** How many entries `events` could show with the same filter. */
  countEvents(room?: string): number {
    const sql =
      room === undefined
        ? this.sql('SELECT count(*) AS n FROM events')
        : this.sql('SELECT count(*) AS n FROM (SELECT seq FROM events WHERE room_name = @room UNION SELECT seq FROM events WHERE room_id = @room)')
    return (sql.get(...(room === undefined ? [] : [{room}])) as {n: number}).n
  }

  // ── installed plugins ────────────────────────────────────────────────────
  installedPlugins(): InstalledPlugin[] {
    return (this.sql('SELECT * FROM installed_plugins ORDER BY position, name').all() as InstalledPluginRow[]).map(toInstalledPlugin)
  }

  installedPlugin(name: string): InstalledPlugin | undefined {
    const row = this.sql('SELECT * FROM installed_plugins WHERE name = ?').get(name) as InstalledPluginRow | undefined
    return row && toInstalledPlugin(row)
  }

  /** Registers a plugin last in the run order; re-registering one keeps its place and enabled flag. */
  registerPlugin(plugin: {name: string; kind: InstalledPlugin['kind']; spec: string}, at = new Date()): void {
    this.sql(
      `INSERT INTO installed_plugins (name, kind, spec, enabled, position, installed_at)
       VALUES (@name, @kind, @spec, 1, (SELECT coalesce(max(position), 0) + 1 FROM installed_plugins), @at)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, spec = excluded.spec, installed_at = excluded.installed_at`,
    ).run({...plugin, at: at.toISOString()})
  }

  unregisterPlugin(name: string): void {
    this.sql('DELETE FROM installed_plugins WHERE name = ?').run(name)
  }

  setPluginEnabled(name: string, enabled: boolean): void {
    this.sql('UPDATE installed_plugins SET enabled = ? WHERE name = ?').run(enabled ? 1 : 0, name)
  }

  setPluginPosition(name: string, position: number): void {
    this.sql('UPDATE installed_plugins SET position = ? WHERE name = ?').run(position, name)
  }

  /** The room's fields in toRoom's order, `members` where userIds and usernames are: one row and its creator, no member read. */
  private toHostRoom(row: RoomRow): HostRoom {
    const room: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(this.toRoom(row, {userIds: [], usernames: []}))) {
      if (key === 'userIds') room.members = MemberList.stored(this, row.id)
      else if (key !== 'usernames') room[key] = value
    }
    return room as HostRoom
  }

  private toRoom(row: RoomRow, members = this.memberNames(row.id), creator = this.userById(row.creator_id)): Room {
    return {
      id: row.id,
      slugifiedName: row.name,
      ...(row.display_name === null ? {} : {displayName: row.display_name}),
      type: row.type,
      creator: creator!,
      userIds: members.userIds,
      usernames: members.usernames,
      isDefault: row.is_default === 1,
      isReadOnly: row.is_read_only === 1,
      displaySystemMessages: row.display_system_messages === 1,
      messageCount: row.message_count,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
      ...(row.description === null ? {} : {description: row.description}),
      customFields: JSON.parse(row.custom_fields) as Record<string, unknown>,
    }
  }
}

/** A post stage noted as pending (events.post_pid) is running while its process lives (this one included), else it was interrupted. */
export const postStageInterrupted = (pid: number): boolean => pid !== process.pid && !isAlive(pid)

const postState = (pid: number): 'running' | 'interrupted' => (postStageInterrupted(pid) ? 'interrupted' : 'running')

const MESSAGE_COLUMNS = `m.*, u.username AS sender_username, u.name AS sender_name, u.roles AS sender_roles, u.created_at AS sender_created_at
  FROM messages m JOIN users u ON u.id = m.sender_id`

const toMessage = (row: MessageWithSenderRow): Message => ({
  id: row.id,
  roomId: row.room_id,
  sender: toUser({id: row.sender_id, username: row.sender_username, name: row.sender_name, roles: row.sender_roles, created_at: row.sender_created_at}),
  text: row.text,
  createdAt: new Date(row.created_at),
  ...(row.plugin === null ? {} : {plugin: row.plugin}),
  ...(row.extras === null ? {} : (JSON.parse(row.extras) as MessageExtras)),
})

const toRecord = (row: RecordRow): PluginRecord => ({
  id: row.id,
  data: JSON.parse(row.data) as object,
  associations: (JSON.parse(row.associations) as [string, string][]).map(([model, id]) => ({model, id})),
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
})

const distinctCount = (associations: readonly Association[]): number => new Set(associations.map(({model, id}) => `${model}\u0000${id}`)).size
