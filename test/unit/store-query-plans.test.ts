/**
 * Every lookup the store makes must go through an index: each case calls a
 * store method, records the SQL it ran with its parameters, and asks SQLite
 * for the plan. A full table scan or a temporary B-tree (a sort) fails the
 * case unless the case says why it is fine.
 */
import {expect} from 'chai'

import type {Room, User} from '../../src/domain/types.js'
import {openDatabase} from '../../src/store/database.js'
import {Store} from '../../src/store/store.js'

interface Ran {
  source: string
  args: unknown[]
}

/** Runs `call` on a fresh Store over `db` (so nothing is cached) and returns the statements it ran. */
function statementsOf(db: Store['db'], call: (store: Store) => unknown): Ran[] {
  const ran: Ran[] = []
  const prepare = db.prepare.bind(db)
  db.prepare = ((source: string) => {
    const statement = prepare(source)
    const proxy: object = new Proxy(statement, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          if (key === 'all' || key === 'get' || key === 'iterate') ran.push({source, args})
          const result = (value as (...a: unknown[]) => unknown).apply(target, args)
          // raw() and pluck() return the statement itself: keep recording through it.
          return result === target ? proxy : result
        }
      },
    })
    return proxy
  }) as typeof db.prepare
  try {
    const result = call(new Store(db))
    if (result && typeof result === 'object' && Symbol.iterator in result) [...(result as Iterable<unknown>)]
  } finally {
    db.prepare = prepare as typeof db.prepare
  }
  return ran
}

const planOf = (db: Store['db'], {source, args}: Ran): string[] =>
  (db.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...args) as {detail: string}[]).map((row) => row.detail)

/**
 * A scan of a whole table: not of an index in the order asked for, not of a JSON
 * argument, not of a co-routine's (a subquery's) own few rows.
 */
const fullScans = (plan: string[]): string[] => {
  const coroutines = new Set(plan.flatMap((detail) => /^CO-ROUTINE (\S+)/.exec(detail)?.[1] ?? []))
  return plan.filter((detail) => {
    const scanned = /^SCAN (\S+)$/.exec(detail)?.[1]
    return scanned !== undefined && !coroutines.has(scanned) && !/^\(subquery-\d+\)$/.test(scanned) && scanned !== 'j' && scanned !== 'json_each'
  })
}
const isFullScan = (detail: string): boolean => fullScans([detail]).length > 0
const isSort = (detail: string): boolean => detail.includes('TEMP B-TREE')

const user = (id: string): User => ({id, username: id, name: id, roles: ['user'], createdAt: new Date()})

describe('store: query plans use an index for every lookup', () => {
  let store: Store
  let room: Room
  before(() => {
    store = new Store(openDatabase(':memory:', {create: true})!)
    for (const id of ['alice', 'bob', 'carol']) store.insertUser(user(id))
    const now = new Date()
    room = {id: 'r1', slugifiedName: 'general', type: 'c', creator: user('alice'), userIds: ['alice', 'bob'], usernames: ['alice', 'bob'], isDefault: false, isReadOnly: false, displaySystemMessages: true, messageCount: 0, createdAt: now, updatedAt: now, customFields: {}}
    store.insertRoom(room)
    store.insertMessage({id: 'm1', roomId: 'r1', sender: user('bob'), text: 'hi', createdAt: now})
    store.insertRecord('p', {id: 'rec1', data: {}, associations: [{model: 'room', id: 'r1'}, {model: 'misc', id: 'k'}]})
    store.appendEvent({kind: 'room.create', roomId: 'r1', roomName: 'general'})
  })
  after(() => store.close())

  /** What each case may do besides index searches, and why. */
  const cases: {name: string; call: (store: Store) => unknown; allow?: {scan?: RegExp; sort?: RegExp; why: string}}[] = [
    {name: 'roomById', call: (s) => s.roomById('r1')},
    {name: 'roomByName', call: (s) => s.roomByName('general')},
    {name: 'userByName', call: (s) => s.userByName('bob')},
    {name: 'memberIds', call: (s) => s.memberIds('r1')},
    {name: 'members', call: (s) => s.members('r1')},
    {name: 'memberNames', call: (s) => s.memberNames('r1')},
    {name: 'isMember', call: (s) => s.isMember('r1', 'bob')},
    {name: 'memberCount', call: (s) => s.memberCount('r1')},
    {name: 'firstMemberNames', call: (s) => s.firstMemberNames('r1', 20)},
    {name: 'findHostRoom', call: (s) => s.findHostRoom('general')},
    {name: 'hostRoomById', call: (s) => s.hostRoomById('r1')},
    {name: 'roomsOfUser', call: (s) => s.roomsOfUser('bob'), allow: {sort: /FOR ORDER BY/, why: 'sorts only the rooms of one user by name'}},
    {name: 'messages', call: (s) => s.messages('r1')},
    {name: 'messages newest first', call: (s) => s.messages('r1', {limit: 5, newestFirst: true})},
    {name: 'messageTexts', call: (s) => s.messageTexts('r1')},
    {name: 'messageById', call: (s) => s.messageById('m1')},
    {name: 'messageCount', call: (s) => s.messageCount('r1')},
    {name: 'recordById', call: (s) => s.recordById('p', 'rec1')},
    {name: 'records', call: (s) => s.records('p')},
    {name: 'recordsWithAll (one association)', call: (s) => s.recordsWithAll('p', [{model: 'room', id: 'r1'}]), allow: {sort: /FOR ORDER BY/, why: 'sorts only the records that carry the association'}},
    {name: 'recordsWithAll (two associations)', call: (s) => s.recordsWithAll('p', [{model: 'room', id: 'r1'}, {model: 'misc', id: 'k'}]), allow: {sort: /FOR ORDER BY/, why: 'sorts only the matching records'}},
    {name: 'events of a room', call: (s) => s.events({room: 'general', limit: 10, offset: 2})},
    {name: 'countEvents of a room', call: (s) => s.countEvents('general')},
    {name: 'events (all)', call: (s) => s.events({limit: 10}), allow: {scan: /^SCAN events$/, why: 'walks the log backwards along its primary key and stops at the limit'}},
    {name: 'eachRoom page', call: (s) => s.eachRoom({limit: 10, offset: 1})},
    {name: 'eachUser page', call: (s) => s.eachUser({limit: 10, offset: 1})},
  ]

  for (const {name, call, allow} of cases) {
    it(name, () => {
      const ran = statementsOf(store.db, call)
      expect(ran, 'the call ran no query').to.not.be.empty
      for (const statement of ran) {
        const plan = planOf(store.db, statement)
        const scans = fullScans(plan)
        const bad = plan.filter((detail) => (scans.includes(detail) && !allow?.scan?.test(detail)) || (isSort(detail) && !allow?.sort?.test(detail)))
        expect(bad, `${statement.source}\nplan:\n  ${plan.join('\n  ')}`).to.deep.equal([])
      }
    })
  }

  it('the check catches a query without an index', () => {
    const [statement] = statementsOf(store.db, (s) => s.db.prepare('SELECT * FROM memberships WHERE joined_at = ? ORDER BY rowid DESC').all('x'))
    expect(planOf(store.db, statement!).some(isFullScan)).to.equal(true)
    const [sorted] = statementsOf(store.db, (s) => s.db.prepare('SELECT * FROM messages WHERE room_id = ? ORDER BY text').all('r1'))
    expect(planOf(store.db, sorted!).some(isSort)).to.equal(true)
  })

  it('a room keeps its message count as messages come and go', () => {
    expect(store.messageCount('r1')).to.equal(1)
    expect(store.roomById('r1')!.messageCount).to.equal(1)
    store.insertMessage({id: 'm2', roomId: 'r1', sender: user('alice'), text: 'yo', createdAt: new Date()})
    expect(store.messageCount('r1')).to.equal(2)
    store.db.prepare("DELETE FROM messages WHERE id = 'm2'").run()
    expect(store.messageCount('r1')).to.equal(1)
  })

  it('listing rooms by the page gives every room once, members in joining order', () => {
    const now = new Date()
    for (let index = 0; index < 1203; index++) {
      store.insertRoom({...room, id: `x${index}`, slugifiedName: `x-${String(index).padStart(4, '0')}`, userIds: ['carol', 'alice'], usernames: ['carol', 'alice'], createdAt: now, updatedAt: now})
    }
    const all = store.listRooms()
    expect(all).to.have.length(1204)
    expect(new Set(all.map((each) => each.id)).size).to.equal(1204)
    expect(all.find((each) => each.id === 'x1000')!.usernames).to.deep.equal(['carol', 'alice'])
    expect(all[0]!.usernames).to.deep.equal(['alice', 'bob'])
    const page = store.listRooms({limit: 3, offset: 600})
    expect(page.map((each) => each.slugifiedName)).to.deep.equal(all.slice(600, 603).map((each) => each.slugifiedName))
    expect(store.countRooms()).to.equal(1204)
  })
})
