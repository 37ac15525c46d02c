import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import {RoomsimError} from '../../src/errors.js'
import {openDatabase} from '../../src/store/database.js'
import {APPLICATION_ID, LATEST_VERSION} from '../../src/store/migrations.js'
import {makeThrowaway} from '../../src/scenario/temp-stores.js'
import {Store} from '../../src/store/store.js'
import {tempDir} from '../helpers/cli.js'

const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3
const hash = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

function refusal(path: string, create: boolean): RoomsimError {
  try {
    openDatabase(path, {create})?.close()
  } catch (error) {
    expect(error).to.be.instanceOf(RoomsimError)
    expect((error as RoomsimError).code).to.equal('BAD_STORE')
    return error as RoomsimError
  }
  throw new Error('expected the store to be refused')
}

describe('store', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir('roomsim-store-')))
  afterEach(() => cleanup())

  it('creates a fresh store in WAL mode, marked as roomsim, at the latest schema version', () => {
    const path = join(dir, 'nested', 'store.db')
    const db = openDatabase(path, {create: true})!
    try {
      expect(db.pragma('application_id', {simple: true})).to.equal(APPLICATION_ID)
      expect(db.pragma('user_version', {simple: true})).to.equal(LATEST_VERSION)
      expect(db.pragma('journal_mode', {simple: true})).to.equal('wal')
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {name: string}[]).map((row) => row.name)
      expect(tables).to.include.members(['users', 'rooms', 'memberships', 'messages', 'plugin_records', 'events'])
    } finally {
      db.close()
    }
    // Opening it again is fine and changes nothing.
    openDatabase(path, {create: true})!.close()
  })

  it('opens nothing and creates nothing for reading a store that does not exist', () => {
    expect(openDatabase(join(dir, 'missing', 'store.db'), {create: false})).to.equal(null)
    expect(readdirSync(dir)).to.deep.equal([])
  })

  it('refuses a SQLite file that is not a roomsim store and leaves it byte-for-byte untouched', () => {
    const path = join(dir, 'other.db')
    const other = new Sqlite(path)
    other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')")
    other.close()
    const before = hash(path)
    for (const create of [true, false]) {
      expect(refusal(path, create).message).to.include(path).and.include('not a roomsim store')
      expect(hash(path)).to.equal(before)
    }
    expect(readdirSync(dir)).to.deep.equal(['other.db'])
  })

  it('refuses a file that is not SQLite at all and leaves it byte-for-byte untouched', () => {
    const path = join(dir, 'notes.txt')
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200))
    const before = hash(path)
    for (const create of [true, false]) {
      expect(refusal(path, create).message).to.include(path)
      expect(hash(path)).to.equal(before)
    }
    expect(readdirSync(dir)).to.deep.equal(['notes.txt'])
  })

  it('refuses a store newer than this program and leaves it untouched', () => {
    const path = join(dir, 'future.db')
    openDatabase(path, {create: true})!.close()
    const future = new Sqlite(path)
    future.pragma(`user_version = ${LATEST_VERSION + 1}`)
    future.pragma('journal_mode = DELETE')
    future.close()
    const before = hash(path)
    for (const create of [true, false]) {
      expect(refusal(path, create).message).to.include(`version ${LATEST_VERSION + 1}`).and.include('upgrade roomsim')
      expect(hash(path)).to.equal(before)
    }
    expect(existsSync(`${path}-wal`)).to.equal(false)
  })

  it('keeps rooms, members and events in order, and deletes a room with its memberships', () => {
    const store = new Store(openDatabase(join(dir, 'store.db'), {create: true})!)
    try {
      const alice = {id: 'u1', username: 'alice', name: 'Alice', roles: ['admin'], createdAt: new Date('2024-01-01T00:00:00Z')}
      const bob = {id: 'u2', username: 'bob', name: 'bob', roles: ['user'], createdAt: new Date('2024-01-02T00:00:00Z')}
      store.transaction(() => {
        store.insertUser(alice)
        store.insertUser(bob)
        store.insertRoom({id: 'r1', slugifiedName: 'general', type: 'c', creator: alice, userIds: ['u1'], usernames: ['alice'], isDefault: true, isReadOnly: false, displaySystemMessages: true, messageCount: 0, createdAt: alice.createdAt, updatedAt: alice.createdAt, description: 'd', customFields: {level: 3}})
        store.addMember('r1', 'u2', new Date())
        store.appendEvent({kind: 'room.create', status: 'completed', roomId: 'r1', roomName: 'general'})
        store.appendEvent({kind: 'room.join', status: 'completed', roomId: 'r1', roomName: 'general'})
      })
      const room = store.findRoom('general')!
      expect(store.findRoom('r1')).to.deep.equal(room)
      expect(room).to.deep.include({slugifiedName: 'general', isDefault: true, description: 'd', customFields: {level: 3}, usernames: ['alice', 'bob'], userIds: ['u1', 'u2']})
      expect(room.creator).to.deep.equal(alice)
      expect(room.createdAt).to.be.instanceOf(Date)
      expect(store.events({limit: 1}).map((event) => event.kind)).to.deep.equal(['room.join'])
      expect(store.events({limit: 5, room: 'general'}).map((event) => event.kind)).to.deep.equal(['room.create', 'room.join'])
      store.transaction(() => store.deleteRoom('r1'))
      expect(store.findRoom('general')).to.equal(undefined)
      expect(store.isMember('r1', 'u1')).to.equal(false)
      expect(store.userByName('bob')).to.deep.equal(bob)
    } finally {
      store.close()
    }
  })

  it('in a throwaway store, commits many actions at once yet undoes only the one rolled back, and writes everything on close', () => {
    const path = join(dir, 'throwaway.db')
    const store = new Store(openDatabase(path, {create: true})!)
    makeThrowaway(store)
    const user = (id: string) => ({id, username: id, name: id, roles: ['user'], createdAt: new Date('2024-01-01T00:00:00Z')})
    store.begin()
    store.insertUser(user('kept'))
    store.commit()
    store.begin()
    store.insertUser(user('undone'))
    store.transaction(() => store.insertUser(user('nested')))
    store.rollback()
    store.transaction(() => store.insertUser(user('between')))
    expect(store.db.inTransaction, 'actions share one transaction').to.equal(true)
    expect(store.listUsers().map((each) => each.username)).to.deep.equal(['between', 'kept'])
    expect(() => store.transaction(() => {
      store.insertUser(user('failed'))
      throw new Error('boom')
    })).to.throw('boom')
    store.close()
    const reopened = new Store(openDatabase(path, {create: true})!)
    try {
      expect(reopened.listUsers().map((each) => each.username)).to.deep.equal(['between', 'kept'])
    } finally {
      reopened.close()
    }
  })
})
