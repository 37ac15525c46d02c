import {expect} from 'chai'
import {existsSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {createRequire} from 'node:module'

import type BetterSqlite3 from 'better-sqlite3'

import {openDatabase} from '../../src/store/database.js'
import {Store} from '../../src/store/store.js'
import {runCommand, tempDir} from '../helpers/cli.js'
import {STACK_LINE} from '../helpers/files.js'

const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const OUTCOME_KEYS = ['action', 'status', 'room', 'prevented', 'error', 'hooks', 'effects', 'nested']

describe('CLI: every command on a temporary store', function () {
  let dir: string
  let cleanup: () => void
  const cli = (...args: string[]) => runCommand(args, {cwd: dir})
  before(() => ({dir, cleanup} = tempDir()))
  after(() => cleanup())

  it('room create: prints the result for humans and exits 0, creating the store under .roomsim/', async () => {
    const result = await cli('room', 'create', 'general', '--by', 'alice', '--member', 'bob')
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.include('completed room.create general (c, 2 members: alice, bob)')
    expect(result.stderr).to.equal('')
    expect(existsSync(join(dir, '.roomsim', 'store.db'))).to.equal(true)
  })

  it('room create --json: exactly one outcome document with every flag applied', async () => {
    const result = await cli('room', 'create', 'ops', '--type', 'private', '--by', 'alice', '--read-only', '--default', '--description', 'Ops room', '--custom-field', 'level=3', '--custom-field', 'tags=["a","b"]', '--custom-field', 'note=hello there', '--json')
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.equal('')
    const outcome = result.json()
    expect(Object.keys(outcome)).to.have.members(OUTCOME_KEYS)
    expect(outcome).to.deep.include({action: 'room.create', status: 'completed', prevented: null, error: null, hooks: [], effects: [], nested: []})
    const {room} = outcome
    expect(room).to.deep.include({slugifiedName: 'ops', type: 'p', isReadOnly: true, isDefault: true, displaySystemMessages: true, messageCount: 0, description: 'Ops room', usernames: ['alice']})
    expect(room.customFields).to.deep.equal({level: 3, tags: ['a', 'b'], note: 'hello there'})
    expect(room.creator.username).to.equal('alice')
    expect(room.userIds).to.deep.equal([room.creator.id])
    expect(room.id).to.match(/^[0-9A-Za-z]{17}$/)
    expect(room.createdAt).to.match(ISO)
    expect(room.updatedAt).to.match(ISO)
  })

  it('room create --type direct: takes no NAME; the name is the sorted usernames joined by "__"', async () => {
    const direct = await cli('room', 'create', '--type', 'direct', '--by', 'zoe', '--member', 'bob', '--json')
    expect(direct.code, direct.stderr).to.equal(0)
    expect(direct.json().room).to.deep.include({slugifiedName: 'bob__zoe', type: 'd', usernames: ['zoe', 'bob']})
    const named = await cli('room', 'create', 'chat', '--type', 'direct', '--by', 'zoe', '--member', 'carol')
    expect(named.code).to.equal(2)
    expect(named.stderr).to.match(/^Error: a direct room takes no NAME/)
    const again = await cli('room', 'create', '--type', 'direct', '--by', 'bob', '--member', 'zoe')
    expect(again.code).to.equal(2)
    expect(again.stderr).to.include('"bob__zoe" already exists')
  })

  it('room join: completes, re-join is a noop (exit 0), private rooms need an inviting member, d/l rooms cannot be joined', async () => {
    const joined = await cli('room', 'join', 'general', '--user', 'carol', '--json')
    expect(joined.code, joined.stderr).to.equal(0)
    expect(joined.json()).to.deep.include({action: 'room.join', status: 'completed'})
    expect(joined.json().room.usernames).to.deep.equal(['alice', 'bob', 'carol'])

    const again = await cli('room', 'join', 'general', '--user', 'carol', '--json')
    expect(again.code).to.equal(0)
    expect(again.json()).to.deep.include({status: 'noop', hooks: []})
    const againHuman = await cli('room', 'join', 'general', '--user', 'carol')
    expect(againHuman.stdout).to.include('noop room.join general')

    const uninvited = await cli('room', 'join', 'ops', '--user', 'dave')
    expect([uninvited.code, uninvited.stderr]).to.deep.equal([2, 'Error: ops is private: give --invited-by a member\n'])
    const badInviter = await cli('room', 'join', 'ops', '--user', 'dave', '--invited-by', 'bob')
    expect(badInviter.code).to.equal(2)
    expect(badInviter.stderr).to.include('--invited-by bob: not a member of ops')
    const invited = await cli('room', 'join', 'ops', '--user', 'dave', '--invited-by', 'alice', '--json')
    expect(invited.code, invited.stderr).to.equal(0)
    expect(invited.json().room.usernames).to.deep.equal(['alice', 'dave'])

    const direct = await cli('room', 'join', 'bob__zoe', '--user', 'carol')
    expect(direct.code).to.equal(2)
    expect(direct.stderr).to.include('only channels and private rooms can be joined')
  })

  it('room leave: needs membership; --removed-by must be a member', async () => {
    const notMember = await cli('room', 'leave', 'ops', '--user', 'bob')
    expect([notMember.code, notMember.stderr]).to.deep.equal([2, 'Error: bob is not a member of ops\n'])
    const badRemover = await cli('room', 'leave', 'ops', '--user', 'dave', '--removed-by', 'bob')
    expect(badRemover.code).to.equal(2)
    const removed = await cli('room', 'leave', 'ops', '--user', 'dave', '--removed-by', 'alice', '--json')
    expect(removed.code, removed.stderr).to.equal(0)
    expect(removed.json()).to.deep.include({action: 'room.leave', status: 'completed'})
    expect(removed.json().room.usernames).to.deep.equal(['alice'])
    const left = await cli('room', 'leave', 'general', '--user', 'carol')
    expect(left.code).to.equal(0)
    expect(left.stdout).to.include('completed room.leave general (c, 2 members: alice, bob)')
  })

  it('room list and room show: by name or id, as text and as JSON', async () => {
    const list = await cli('room', 'list', '--json')
    expect(list.code).to.equal(0)
    const rooms = list.json()
    expect(rooms.map((room: {slugifiedName: string}) => room.slugifiedName)).to.deep.equal(['bob__zoe', 'general', 'ops'])
    const human = await cli('room', 'list')
    expect(human.stdout.split('\n')[0]).to.match(/^NAME\s+TYPE\s+MEMBERS/)
    expect(human.stdout).to.match(/^general\s+c\s+2\s/m)

    const general = rooms.find((room: {slugifiedName: string}) => room.slugifiedName === 'general')
    const show = await cli('room', 'show', general.id, '--json')
    expect(show.code, show.stderr).to.equal(0)
    const shown = show.json()
    expect(Object.keys(shown)).to.have.members(['room', 'members', 'messages'])
    expect(shown.room.id).to.equal(general.id)
    expect(shown.members.map((user: {username: string}) => user.username)).to.deep.equal(['alice', 'bob'])
    expect(shown.messages).to.deep.equal([])
    const showHuman = await cli('room', 'show', 'ops')
    expect(showHuman.stdout).to.include('ops  (p, id').and.include('level = 3').and.include('description  Ops room')
  })

  it('user create and user list', async () => {
    const created = await cli('user', 'create', 'erin', '--name', 'Erin Example', '--role', 'admin', '--role', 'moderator', '--json')
    expect(created.code, created.stderr).to.equal(0)
    expect(created.json()).to.deep.include({username: 'erin', name: 'Erin Example', roles: ['admin', 'moderator']})
    const taken = await cli('user', 'create', 'erin')
    expect([taken.code, taken.stderr]).to.deep.equal([2, 'Error: user "erin" already exists\n'])
    const list = await cli('user', 'list', '--json')
    expect(list.json().map((user: {username: string}) => user.username)).to.deep.equal(['alice', 'bob', 'carol', 'dave', 'erin', 'zoe'])
    expect((await cli('user', 'list')).stdout).to.match(/^erin\s+Erin Example\s+admin,moderator\s/m)
  })

  it('log: oldest first, --room filters by name or id, --limit keeps the newest', async () => {
    const all = (await cli('log', '--json')).json()
    const actions = all.filter((entry: {parentSeq: number | null}) => entry.parentSeq === null)
    expect(actions.map((entry: {kind: string; roomName: string}) => `${entry.kind} ${entry.roomName ?? ''}`.trim())).to.deep.equal([
      'room.create general',
      'room.create ops',
      'room.create bob__zoe',
      'room.join general',
      'room.join ops',
      'room.leave ops',
      'room.leave general',
      'user.create',
    ])
    const seqs = all.map((entry: {seq: number}) => entry.seq)
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b))
    const ops = (await cli('log', '--room', 'ops', '--json')).json()
    expect(ops.map((entry: {kind: string}) => entry.kind)).to.deep.equal(['room.create', 'room.join', 'room.leave'])
    const last = (await cli('log', '--limit', '2', '--json')).json()
    expect(last).to.deep.equal(all.slice(-2))
    const human = await cli('log', '--limit', '1')
    expect(human.stdout).to.match(/^#\d+ .*user\.create\s+completed/)
  })

  it('room delete: outcome carries the room as it was; the room is gone', async () => {
    const deleted = await cli('room', 'delete', 'general', '--by', 'alice', '--json')
    expect(deleted.code, deleted.stderr).to.equal(0)
    expect(deleted.json()).to.deep.include({action: 'room.delete', status: 'completed'})
    expect(deleted.json().room).to.deep.include({slugifiedName: 'general', usernames: ['alice', 'bob']})
    const show = await cli('room', 'show', 'general')
    expect([show.code, show.stderr]).to.deep.equal([2, 'Error: no room named or with id "general"\n'])
  })

  it('errors carry no stack trace unless --verbose asks for one; --json errors are one document on stdout', async () => {
    const plain = await cli('room', 'delete', 'nowhere')
    expect(plain.stderr).to.not.match(STACK_LINE)
    const verbose = await cli('room', 'delete', 'nowhere', '--verbose')
    expect(verbose.code).to.equal(2)
    expect(verbose.stderr).to.match(STACK_LINE)
    const json = await cli('room', 'delete', 'nowhere', '--json')
    expect(json.code).to.equal(2)
    expect(json.stderr).to.equal('')
    expect(json.json()).to.deep.equal({error: {code: 'UNKNOWN_ROOM', message: 'no room named or with id "nowhere"'}})
  })
})

describe('CLI: where the store is', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())

  it('--store, then ROOMSIM_STORE, then config "store" (relative to the config file), then .roomsim/store.db', async () => {
    writeFileSync(join(dir, 'roomsim.config.yaml'), 'store: from-config/store.db\n')
    expect((await runCommand(['room', 'create', 'a', '--store', 'flag.db'], {cwd: dir, env: {ROOMSIM_STORE: 'env.db'}})).code).to.equal(0)
    expect((await runCommand(['room', 'create', 'b'], {cwd: dir, env: {ROOMSIM_STORE: 'env.db'}})).code).to.equal(0)
    expect((await runCommand(['room', 'create', 'c'], {cwd: dir})).code).to.equal(0)
    expect(readdirSync(dir).sort()).to.deep.equal(['env.db', 'flag.db', 'from-config', 'roomsim.config.yaml'])
    const names = async (env: Record<string, string>, ...args: string[]) => (await runCommand(['room', 'list', '--json', ...args], {cwd: dir, env})).json().map((room: {slugifiedName: string}) => room.slugifiedName)
    expect(await names({}, '--store', 'flag.db')).to.deep.equal(['a'])
    expect(await names({ROOMSIM_STORE: join(dir, 'env.db')})).to.deep.equal(['b'])
    expect(await names({})).to.deep.equal(['c'])
  })

  it('read-only commands on a missing store print empty results and create nothing', async () => {
    for (const args of [['room', 'list'], ['user', 'list'], ['log']]) {
      const json = await runCommand([...args, '--json'], {cwd: dir})
      expect(json.code, json.stderr).to.equal(0)
      expect(json.json()).to.deep.equal([])
      const human = await runCommand(args, {cwd: dir})
      expect(human.code).to.equal(0)
      expect(human.stdout.trim()).to.not.equal('')
    }
    const show = await runCommand(['room', 'show', 'general'], {cwd: dir})
    expect(show.code).to.equal(2)
    expect(readdirSync(dir)).to.deep.equal([])
  })

  it('a refused room command on a missing store creates nothing either', async () => {
    for (const args of [['room', 'join', 'general', '--user', 'bob'], ['room', 'create', 'bad name'], ['room', 'delete', 'general'], ['user', 'create', 'bad name']]) {
      expect((await runCommand(args, {cwd: dir})).code).to.equal(2)
    }
    expect(readdirSync(dir)).to.deep.equal([])
  })
})

describe('CLI: log length and internal errors', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())

  it('log shows the newest 50 entries unless --limit says otherwise', async () => {
    const store = new Store(openDatabase(join(dir, '.roomsim', 'store.db'), {create: true})!)
    store.transaction(() => {
      for (let index = 1; index <= 60; index++) store.appendEvent({kind: 'room.create', status: 'completed', roomName: `room${index}`})
    })
    store.close()
    const entries = (await runCommand(['log', '--json'], {cwd: dir})).json()
    expect(entries).to.have.length(50)
    expect(entries[0].roomName).to.equal('room11')
    expect(entries.at(-1).roomName).to.equal('room60')
    expect((await runCommand(['log', '--json', '--limit', '100'], {cwd: dir})).json()).to.have.length(60)
  })

  it('exits 1 on an internal error (here a damaged store row), in one line, without a stack trace', async () => {
    expect((await runCommand(['room', 'create', 'general'], {cwd: dir})).code).to.equal(0)
    const db = new Sqlite(join(dir, '.roomsim', 'store.db'))
    db.prepare("UPDATE rooms SET custom_fields = '{broken'").run()
    db.close()
    const plain = await runCommand(['room', 'list'], {cwd: dir})
    expect(plain.code).to.equal(1)
    expect(plain.stdout).to.equal('')
    expect(plain.stderr.trimEnd().split('\n')).to.have.length(1)
    expect(plain.stderr).to.match(/^Error: /).and.not.match(STACK_LINE)
    const json = await runCommand(['room', 'list', '--json'], {cwd: dir})
    expect(json.code).to.equal(1)
    expect(json.json().error.code).to.equal('INTERNAL')
  })
})
