import {expect} from 'chai'
import {Chalk} from 'chalk'

import {outcomeView} from '../../src/domain/room-view.js'
import {formatOutcome} from '../../src/output/outcome.js'
import {MemberList} from '../../src/store/member-list.js'
import {openTestEngine, reports, seedRoom, type TestEngine} from '../helpers/engine.js'

/**
 * A room's member list is read only when something reads it: the store counts
 * every read of a whole list (store.memberListReads), so these tests watch the
 * reads, never the time.
 */
const MEMBERS = 3000
const names = (count: number): string[] => Array.from({length: count}, (_, index) => `member-${String(index).padStart(5, '0')}`)

describe('engine: a room’s member list is read only when something reads it', () => {
  let t: TestEngine | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  const big = async (): Promise<TestEngine> => {
    const engine = await openTestEngine()
    seedRoom(engine.store, 'crowd', names(MEMBERS))
    return engine
  }

  it('a join and a leave in a big room, without plugins, read no member list', async () => {
    t = await big()
    const before = t.store.memberListReads
    const joined = await t.run('room.join', {room: 'crowd', user: 'newcomer'})
    const left = await t.run('room.leave', {room: 'crowd', user: 'newcomer'})
    expect([joined.status, left.status]).to.deep.equal(['completed', 'completed'])
    expect(t.store.memberListReads - before).to.equal(0)
    // A join of a member and a refused leave are decided by point queries too.
    expect((await t.run('room.join', {room: 'crowd', user: 'member-00007'})).status).to.equal('noop')
    expect(t.store.memberListReads - before).to.equal(0)
  })

  it('what the outcome shows is the room as the action left it, read when shown: the count and 20 names for humans, the whole list for --json', async () => {
    t = await big()
    const joined = await t.run('room.join', {room: 'crowd', user: 'newcomer'})
    const before = t.store.memberListReads
    expect(joined.room!.members.count()).to.equal(MEMBERS + 1)
    expect(joined.room!.members.has('id-member-00002')).to.equal(true)
    const printed = formatOutcome(joined, new Chalk({level: 0}))
    expect(printed).to.include(`crowd (c, ${MEMBERS + 1} members: member-00000, member-00001`).and.include(`… and ${MEMBERS + 1 - 20} more`)
    expect(t.store.memberListReads - before).to.equal(0)
    const view = outcomeView(joined)
    expect(t.store.memberListReads - before).to.equal(1)
    expect(view.room!.usernames).to.deep.equal([...names(MEMBERS), 'newcomer'])
    expect(view.room!.userIds.at(-1)).to.equal(t.store.userByName('newcomer')!.id)
    // Read once, kept: showing it again costs no query.
    outcomeView(joined)
    expect(t.store.memberListReads - before).to.equal(1)
  })

  it('a list handed out and held keeps the members it had when the room changes before it is read', async () => {
    t = await big()
    const room = t.store.findHostRoom('crowd')!
    room.members.hold()
    const loose = t.store.findHostRoom('crowd')!
    await t.run('room.join', {room: 'crowd', user: 'newcomer'})
    expect(room.members.count()).to.equal(MEMBERS)
    expect(room.members.usernames()).to.not.include('newcomer')
    // One not held follows the store until it is read.
    expect(loose.members.usernames()).to.include('newcomer')
  })

  it('a spread or a structured clone of a room copies no member list', async () => {
    t = await big()
    const room = t.store.findHostRoom('crowd')!
    const before = t.store.memberListReads
    const copy = {...room}
    expect(copy.members).to.equal(room.members)
    expect(structuredClone(room.members)).to.deep.equal({})
    expect(JSON.stringify(MemberList.of(['u1'], ['alice']))).to.equal('{}')
    expect(t.store.memberListReads - before).to.equal(0)
  })
})

/** A list as one short line (a plugin's log line is capped): its length, its ends and a hash of all of it. */
function digest(list: readonly string[]): string {
  let hash = 0
  for (const char of list.join('|')) hash = (hash * 31 + char.charCodeAt(0)) | 0
  return `${list.length}:${list[0]}..${list.at(-1)}:${hash}`
}
const DIGEST = digest.toString()

describe('plugins: a handler reads room.userIds and room.usernames as before, fetched only when it reads them', () => {
  let t: TestEngine | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  it('a handler that reads the members of a large-ish room sees exactly them; one that does not costs no read', async () => {
    const count = 1500
    t = await openTestEngine({
      plugins: [
        {name: 'quiet', source: `export default { async executePreRoomUserJoined(context) { console.log(JSON.stringify({name: context.room.slugifiedName})) } }`},
        {
          name: 'reader',
          source: `export default {
            async executePreRoomUserJoined(context) {
              const {room} = context
              console.log(JSON.stringify({stage: 'pre', usernames: digest(room.usernames), ids: digest(room.userIds), frozen: Object.isFrozen(room.usernames), same: room.usernames === room.usernames}))
            },
            async executePostRoomUserJoined(context, read) {
              const fromReader = await read.getRoomReader().getById(context.room.id)
              console.log(JSON.stringify({stage: 'post', usernames: digest(context.room.usernames), spread: digest({...context.room}.usernames), reader: digest(fromReader.usernames)}))
            },
          }
          ${DIGEST}`,
        },
      ],
    })
    seedRoom(t.store, 'crowd', names(count))
    const joined = await t.run('room.join', {room: 'crowd', user: 'newcomer'})
    expect(joined.status).to.equal('completed')
    const ids = (list: string[]) => list.map((name) => `id-${name}`)
    const after = [...names(count), 'newcomer']
    const joinedId = t.store.userByName('newcomer')!.id
    expect(reports(joined, 'reader')).to.deep.equal([
      {stage: 'pre', usernames: digest(names(count)), ids: digest(ids(names(count))), frozen: true, same: true},
      {stage: 'post', usernames: digest(after), spread: digest(after), reader: digest(after)},
    ])
    expect(joined.room!.members.ids().at(-1)).to.equal(joinedId)
  })

  it('a plugin that never reads the members makes no member read', async () => {
    t = await openTestEngine({plugins: [{name: 'quiet', source: `export default { async executePreRoomUserJoined(context) { console.log(JSON.stringify({name: context.room.slugifiedName, count: Object.keys(context.room).includes('usernames')})) } }`}]})
    seedRoom(t.store, 'crowd', names(MEMBERS))
    const before = t.store.memberListReads
    const joined = await t.run('room.join', {room: 'crowd', user: 'newcomer'})
    expect(reports(joined, 'quiet')).to.deep.equal([{name: 'crowd', count: true}])
    expect(t.store.memberListReads - before).to.equal(0)
  })
})

describe('the member pipe: the host checks what an isolate sends on it', () => {
  let t: TestEngine | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  it('a list number not lent to the call is refused; bytes that are not a fetch stop the isolate', async () => {
    t = await openTestEngine({
      plugins: [
        {
          name: 'forger',
          source: `import {readSync, writeSync} from 'node:fs'
          import {serialize, deserialize} from 'node:v8'
          const frame = (value) => { const body = serialize(value); const head = Buffer.alloc(4); head.writeUInt32BE(body.length); return Buffer.concat([head, body]) }
          export default {
            async executePreRoomUserJoined(context) {
              writeSync(4, frame({type: 'members', list: 999999}))
              const head = Buffer.alloc(4); readSync(4, head)
              const body = Buffer.alloc(head.readUInt32BE(0)); readSync(4, body)
              console.log(JSON.stringify(deserialize(body)))
              if (context.joiningUser.username === 'garbage') writeSync(4, frame({type: 'members', list: 'all'}))
              await new Promise((resolve) => setTimeout(resolve, 2000))
            },
          }`,
        },
      ],
    })
    seedRoom(t.store, 'crowd', names(50))
    const forged = await t.run('room.join', {room: 'crowd', user: 'newcomer'})
    expect(forged.status).to.equal('completed')
    expect(reports(forged, 'forger')[0]).to.deep.include({ok: false})
    const broken = await t.run('room.join', {room: 'crowd', user: 'garbage'})
    expect(broken.hooks.map((hook) => [hook.result, hook.error])).to.deep.equal([['error', "the plugin's isolate sent a malformed member fetch"]])
  })
})
