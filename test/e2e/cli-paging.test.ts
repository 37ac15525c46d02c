import {expect} from 'chai'
import {join} from 'node:path'

import {writeBigStore} from '../../bench/big-store.js'
import {openDatabase} from '../../src/store/database.js'
import {runCli, tempDir} from '../helpers/cli.js'

describe('CLI: list commands page their results', () => {
  let dir: string
  let cleanup: () => void
  let store: string
  before(() => {
    ;({dir, cleanup} = tempDir('roomsim-paging-'))
    store = join(dir, 'store.db')
    writeBigStore(store, {users: 130, rooms: 120, membersPerRoom: 3, bigRooms: {count: 1, members: 40}, messages: {count: 75, rooms: ['room-7']}})
    const db = openDatabase(store, {create: false})!
    const event = db.prepare("INSERT INTO events (at, kind, status, room_id, room_name, data) VALUES (?, 'room.join', 'completed', ?, ?, '{}')")
    for (let n = 0; n < 60; n++) event.run(new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), n % 2 ? 'x' : 'y', n % 2 ? 'odd' : 'even')
    db.close()
  })
  after(() => cleanup())
  const cli = (...args: string[]) => runCli([...args, '--store', store], {cwd: dir})

  it('room list: 50 by default with a note after the table; --json pages stay one array, the note on stderr', async () => {
    const human = await cli('room', 'list')
    expect(human.code, human.stderr).to.equal(0)
    expect(human.stdout.trim().split('\n')).to.have.length(1 + 50 + 1)
    expect(human.stdout).to.match(/50 of 121 rooms shown \(--offset 50 for the next page\)\n$/)
    const page = await cli('room', 'list', '--json', '--limit', '10', '--offset', '100')
    const rooms = page.json<{slugifiedName: string; usernames: string[]}[]>()
    expect(rooms).to.have.length(10)
    expect(page.stderr).to.include('10 of 121 rooms shown (--offset 110 for the next page)')
    const all = (await cli('room', 'list', '--json', '--limit', '1000')).json<{slugifiedName: string; usernames: string[]}[]>()
    expect(all).to.have.length(121)
    expect(rooms).to.deep.equal(all.slice(100, 110))
    expect(all.find((room) => room.slugifiedName === 'big-0')!.usernames).to.have.length(40)
  })

  it('user list and log page the same way; log --offset skips the newest', async () => {
    const users = await cli('user', 'list', '--json', '--limit', '5', '--offset', '125')
    expect(users.json()).to.have.length(5)
    expect(users.stderr).to.include('5 of 131 users shown (--offset 130 for the next page)')
    const newest = (await cli('log', '--json', '--limit', '10')).json<{seq: number}[]>()
    const before = (await cli('log', '--json', '--limit', '10', '--offset', '10')).json<{seq: number}[]>()
    expect(before.map((entry) => entry.seq)).to.deep.equal(newest.map((entry) => entry.seq - 10))
    const odd = await cli('log', '--room', 'odd', '--limit', '100')
    expect(odd.stdout.trim().split('\n')).to.have.length(30)
  })

  it('room show: the newest page of messages, oldest first, and a cut member list', async () => {
    const shown = await cli('room', 'show', 'room-7', '--limit', '5', '--json')
    const {messages} = shown.json<{messages: {text: string}[]}>()
    expect(messages.map((message) => message.text)).to.deep.equal(['message 70', 'message 71', 'message 72', 'message 73', 'message 74'])
    expect(shown.stderr).to.include('5 of 75 messages shown (--offset 5 for the next page)')
    const big = await cli('room', 'show', 'big-0')
    expect(big.stdout).to.match(/members \(40\) .*, … and 20 more/)
  })
})
