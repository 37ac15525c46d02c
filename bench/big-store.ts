/**
 * Big stores for the scale benchmarks, written straight into SQLite with
 * better-sqlite3 in one transaction (the CLI would take hours for a million
 * rows). The schema comes from roomsim's own migrations, so the store is
 * exactly what roomsim would have made.
 */
import {openDatabase} from '../src/store/database.js'

export interface BigStoreShape {
  /** Users user-0 … user-(n-1). */
  users: number
  /** Rooms room-0 … ; each gets `membersPerRoom` members, users taken round the list. */
  rooms: number
  membersPerRoom: number
  /** Extra rooms with this many members each (big-0 …). */
  bigRooms?: {count: number; members: number}
  /** Messages spread over the rooms named here (all in the first one when one is named). */
  messages?: {count: number; rooms: string[]}
}

const id = (prefix: string, n: number): string => `${prefix}${n.toString(36).padStart(8, '0')}`

export function writeBigStore(path: string, shape: BigStoreShape): void {
  const db = openDatabase(path, {create: true})!
  try {
    const at = new Date('2026-01-01T00:00:00Z').toISOString()
    db.transaction(() => {
      const user = db.prepare("INSERT INTO users (id, username, name, roles, created_at) VALUES (?, ?, ?, '[\"user\"]', ?)")
      for (let n = 0; n < shape.users; n++) user.run(id('u', n), `user-${n}`, `User ${n}`, at)
      user.run('admin-id', 'admin', 'admin', at)
      const room = db.prepare("INSERT INTO rooms (id, name, type, creator_id, created_at, updated_at) VALUES (?, ?, 'c', 'admin-id', ?, ?)")
      const member = db.prepare('INSERT INTO memberships (room_id, user_id, joined_at) VALUES (?, ?, ?)')
      let next = 0
      for (let r = 0; r < shape.rooms; r++) {
        room.run(id('r', r), `room-${r}`, at, at)
        for (let m = 0; m < shape.membersPerRoom; m++) member.run(id('r', r), id('u', next++ % shape.users), at)
      }
      for (let b = 0; b < (shape.bigRooms?.count ?? 0); b++) {
        room.run(id('b', b), `big-${b}`, at, at)
        for (let m = 0; m < shape.bigRooms!.members; m++) member.run(id('b', b), id('u', m % shape.users), at)
      }
      if (shape.messages) {
        const ids = shape.messages.rooms.map((name) => (db.prepare('SELECT id FROM rooms WHERE name = ?').pluck().get(name) as string | undefined) ?? name)
        const message = db.prepare('INSERT INTO messages (id, room_id, sender_id, text, created_at) VALUES (?, ?, ?, ?, ?)')
        for (let n = 0; n < shape.messages.count; n++) message.run(id('m', n), ids[n % ids.length], id('u', n % shape.users), `message ${n}`, at)
      }
    })()
  } finally {
    db.close()
  }
}
