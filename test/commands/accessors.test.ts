import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {openDatabase} from '../../src/store/database.js'
import {Store} from '../../src/store/store.js'
import {ROOT, runCommand, tempDir} from '../helpers/cli.js'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'plugins')

/** Ids, dates and durations vary from run to run: put names and placeholders in their place. */
function normalize(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => normalize(item, names))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        if (key === 'durationMs') return [key, 0]
        if ((key === 'createdAt' || key === 'updatedAt') && typeof item === 'string') return [key, '<date>']
        return [key, normalize(item, names)]
      }),
    )
  }
  if (typeof value === 'string') return names.get(value) ?? value
  return value
}

describe('accessors through the CLI', () => {
  let dir: string
  let cleanup: () => void
  const roomsim = (...args: string[]) => runCommand(args, {cwd: dir})

  beforeEach(() => {
    ;({dir, cleanup} = tempDir())
    writeFileSync(
      join(dir, 'roomsim.config.json'),
      JSON.stringify({
        plugins: [
          {path: join(FIXTURES, 'onboarding'), settings: {lobby: 'lobby'}},
          {path: join(FIXTURES, 'lobby-guard'), settings: {blocked: ['eve']}},
        ],
        http: {stubs: [{method: 'GET', url: 'https://status.example.com/api/*', status: 200, data: {motd: 'All systems go.'}}]},
      }),
    )
  })
  afterEach(() => cleanup())

  /** Known ids → readable names, from the store. */
  function namesInStore(): Map<string, string> {
    const store = new Store(openDatabase(join(dir, '.roomsim', 'store.db'), {create: false})!)
    try {
      const names = new Map<string, string>()
      for (const user of store.listUsers()) names.set(user.id, `user:${user.username}`)
      for (const room of store.listRooms()) {
        names.set(room.id, `room:${room.slugifiedName}`)
        for (const message of store.messages(room.id)) names.set(message.id, `message:${room.slugifiedName}:${message.text.split(' ')[0]}`)
      }
      return names
    } finally {
      store.close()
    }
  }

  const user = (username: string, roles = ['user']) => ({id: `user:${username}`, username, name: username, roles, createdAt: '<date>'})
  const room = (name: string, members: string[], messageCount: number) => ({
    id: `room:${name}`,
    slugifiedName: name,
    // A channel shows its name, as the server sets it.
    displayName: name,
    type: 'c',
    creator: user('alice'),
    userIds: members.map((member) => `user:${member}`),
    usernames: members,
    isDefault: false,
    isReadOnly: false,
    displaySystemMessages: true,
    messageCount,
    createdAt: '<date>',
    updatedAt: '<date>',
    customFields: {},
  })
  const hook = (plugin: string, stage: 'pre' | 'post') =>
    stage === 'pre'
      ? {plugin, interface: 'IPreRoomUserJoined', method: 'executePreRoomUserJoined', result: 'allowed', durationMs: 0}
      : {plugin, interface: 'IPostRoomUserJoined', method: 'executePostRoomUserJoined', result: 'done', durationMs: 0}
  const statusCall = (roomName: string) => ({kind: 'http', plugin: 'onboarding', method: 'GET', url: `https://status.example.com/api/rooms?room=${roomName}`, status: 200, stubbed: true})
  const message = (roomName: string, text: string) => ({kind: 'message', plugin: 'onboarding', room: roomName, roomId: `room:${roomName}`, sender: 'onboarding.bot', text, id: `message:${roomName}:${text.split(' ')[0]}`})

  it('counts joins, welcomes with a stubbed status line, and auto-joins the lobby through a nested, vetoable join', async () => {
    expect((await roomsim('room', 'create', 'general', '--by', 'alice')).code).to.equal(0)
    expect((await roomsim('room', 'create', 'lobby', '--by', 'alice')).code).to.equal(0)

    const carol = await roomsim('room', 'join', 'general', '--user', 'carol', '--json')
    expect(carol.code, carol.stderr).to.equal(0)
    const eve = await roomsim('room', 'join', 'general', '--user', 'eve', '--json')
    expect(eve.code, eve.stderr).to.equal(0)
    const names = namesInStore()

    expect(normalize(carol.json(), names)).to.deep.equal({
      action: 'room.join',
      status: 'completed',
      room: room('general', ['alice', 'carol'], 1),
      prevented: null,
      error: null,
      hooks: [hook('lobby-guard', 'pre'), hook('onboarding', 'post')],
      effects: [statusCall('general'), message('general', 'Welcome carol! You are visitor #1 of #general. All systems go.')],
      nested: [
        {
          action: 'room.join',
          status: 'completed',
          room: room('lobby', ['alice', 'carol'], 0),
          prevented: null,
          error: null,
          hooks: [hook('lobby-guard', 'pre'), hook('onboarding', 'post')],
          effects: [],
          nested: [],
        },
      ],
    })

    expect(normalize(eve.json(), names)).to.deep.equal({
      action: 'room.join',
      status: 'completed',
      room: room('general', ['alice', 'carol', 'eve'], 3),
      prevented: null,
      error: null,
      hooks: [hook('lobby-guard', 'pre'), hook('onboarding', 'post')],
      effects: [
        statusCall('general'),
        message('general', 'Welcome eve! You are visitor #2 of #general. All systems go.'),
        message('general', 'eve could not be taken to #lobby.'),
      ],
      nested: [
        {
          action: 'room.join',
          status: 'prevented',
          room: room('lobby', ['alice', 'carol'], 0),
          prevented: {plugin: 'lobby-guard', interface: 'IPreRoomUserJoined', reason: 'eve may not enter #lobby'},
          error: null,
          hooks: [{...hook('lobby-guard', 'pre'), result: 'prevented'}],
          effects: [],
          nested: [],
        },
      ],
    })

    // Stored state: messages and members as room show lists them, the plugin's counters in its persistence.
    const general = await roomsim('room', 'show', 'general', '--json')
    expect(normalize(general.json(), names)).to.deep.equal({
      room: room('general', ['alice', 'carol', 'eve'], 3),
      members: [user('alice'), user('carol'), user('eve')],
      messages: [
        {id: 'message:general:Welcome', roomId: 'room:general', sender: user('onboarding.bot', ['bot']), text: 'Welcome carol! You are visitor #1 of #general. All systems go.', createdAt: '<date>', plugin: 'onboarding'},
        {id: 'message:general:Welcome', roomId: 'room:general', sender: user('onboarding.bot', ['bot']), text: 'Welcome eve! You are visitor #2 of #general. All systems go.', createdAt: '<date>', plugin: 'onboarding'},
        {id: 'message:general:eve', roomId: 'room:general', sender: user('onboarding.bot', ['bot']), text: 'eve could not be taken to #lobby.', createdAt: '<date>', plugin: 'onboarding'},
      ].map((entry) => ({...entry, sender: {...entry.sender, name: 'onboarding (app)'}})),
    })
    const lobby = await roomsim('room', 'show', 'lobby', '--json')
    expect(lobby.json().room.usernames).to.deep.equal(['alice', 'carol'])

    const store = new Store(openDatabase(join(dir, '.roomsim', 'store.db'), {create: false})!)
    try {
      const records = store.records('onboarding').map(({data, associations}) => ({data, associations: normalize(associations, names)}))
      expect(records).to.deep.equal([
        {data: {room: 'general', joins: 2}, associations: [{model: 'room', id: 'room:general'}]},
        {data: {room: 'lobby', joins: 1}, associations: [{model: 'room', id: 'room:lobby'}]},
      ])
      expect(store.records('lobby-guard')).to.deep.equal([])
    } finally {
      store.close()
    }
  })

  it('shows effects and nested actions, indented, in the human form', async () => {
    await roomsim('room', 'create', 'general', '--by', 'alice')
    await roomsim('room', 'create', 'lobby', '--by', 'alice')
    const result = await roomsim('room', 'join', 'general', '--user', 'eve')
    expect(result.code, result.stderr).to.equal(0)
    const lines = result.stdout.split('\n')
    expect(lines).to.include('  http onboarding GET https://status.example.com/api/rooms?room=general → 200 (stub)')
    expect(lines).to.include('  message onboarding #general onboarding.bot: Welcome eve! You are visitor #1 of #general. All systems go.')
    expect(lines.some((line) => /^ {6}lobby-guard +veto +prevented /.test(line))).to.equal(true)
    expect(lines).to.include('    prevented room.join lobby: lobby-guard (IPreRoomUserJoined): eve may not enter #lobby')
    expect(lines.at(-2)).to.equal('completed room.join general (c, 2 members: alice, eve)')
  })

  it('a request no stub answers fails the handler with how to stub it; the command says so', async () => {
    writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({plugins: [{path: join(FIXTURES, 'onboarding'), settings: {lobby: 'lobby'}}], hooks: {onError: 'abort'}}))
    await roomsim('room', 'create', 'general', '--by', 'alice')
    const result = await roomsim('room', 'join', 'general', '--user', 'carol', '--json')
    expect(result.code).to.equal(4)
    const outcome = result.json()
    expect(outcome.status).to.equal('completed')
    expect(outcome.error.message).to.match(/^onboarding IPostRoomUserJoined\.executePostRoomUserJoined: IHttp\.get https:\/\/status\.example\.com\/api\/rooms\?room=general: roomsim sends no network requests\. Stub it/)
    expect(outcome.effects).to.deep.equal([{kind: 'http', plugin: 'onboarding', method: 'GET', url: 'https://status.example.com/api/rooms?room=general', status: null, refused: true}])
  })

  it('the welcome and audit examples post real messages and keep their trail in persistence', async () => {
    const examples = join(ROOT, 'plugins')
    writeFileSync(
      join(dir, 'roomsim.config.json'),
      JSON.stringify({plugins: [{path: join(examples, 'welcome'), settings: {greeting: 'Hi {user}, this is #{room}.'}}, {path: join(examples, 'audit')}]}),
    )
    expect((await roomsim('room', 'create', 'general', '--by', 'alice')).code).to.equal(0)
    const joined = await roomsim('room', 'join', 'general', '--user', 'bob', '--json')
    expect(joined.json().effects.filter((effect: {kind: string}) => effect.kind === 'message').map((effect: {text: string}) => effect.text)).to.deep.equal(['Hi bob, this is #general.'])
    await roomsim('room', 'leave', 'general', '--user', 'bob')
    const shown = (await roomsim('room', 'show', 'general', '--json')).json()
    expect(shown.room.messageCount).to.equal(2)
    expect(shown.messages.map((entry: {sender: {username: string}; text: string}) => `${entry.sender.username}: ${entry.text}`)).to.deep.equal([
      'welcome.bot: #general is open, created by alice. Say hello!',
      'welcome.bot: Hi bob, this is #general.',
    ])
    const human = await roomsim('room', 'show', 'general')
    expect(human.stdout).to.match(/messages \(2\)\n.*welcome\.bot: #general is open/)

    const store = new Store(openDatabase(join(dir, '.roomsim', 'store.db'), {create: false})!)
    try {
      const general = store.roomByName('general')!
      const trail = store.recordsWithAll('audit', [{model: 'misc', id: 'audit-trail'}])
      expect(trail.map(({data}) => {
        const {at, ...rest} = data as {at: string}
        expect(Date.parse(at)).to.be.a('number').and.not.NaN
        return rest
      })).to.deep.equal([
        {event: 'created', room: 'general', roomId: general.id, who: 'alice'},
        {event: 'joined', room: 'general', roomId: general.id, who: 'bob'},
        {event: 'left', room: 'general', roomId: general.id, who: 'bob'},
      ])
      expect(store.recordsWithAll('audit', [{model: 'room', id: general.id}])).to.have.length(3)
      expect(store.records('welcome')).to.deep.equal([])
    } finally {
      store.close()
    }
  })

  it('plugins that start actions in a loop end with NESTING_TOO_DEEP and exit 4', async () => {
    const looper = join(dir, 'looper')
    const {mkdirSync} = await import('node:fs')
    mkdirSync(looper)
    writeFileSync(join(looper, 'package.json'), JSON.stringify({name: 'looper', type: 'module', main: 'index.js'}))
    writeFileSync(
      join(looper, 'index.js'),
      `export default {async executePostRoomCreate(room, read, http, persistence, modify) {
        const creator = modify.getCreator()
        await creator.finish(creator.startRoom().setSlugifiedName(room.slugifiedName + 'x').setCreator(room.creator))
      }}`,
    )
    writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({plugins: [{path: './looper'}]}))
    const result = await roomsim('room', 'create', 'r', '--by', 'alice')
    expect(result.code).to.equal(4)
    expect(result.stdout).to.match(/\n {36}failed room\.create: room\.create started by looper would nest 9 actions deep \(limit 8\)/)
    expect(result.stdout.trimEnd().split('\n').slice(-2)).to.deep.equal([
      'completed room.create r (c, 1 member: alice)',
      "post-stage error: room.create started by looper would nest 9 actions deep (limit 8): do plugins start actions from each other's handlers in a loop?",
    ])
    const list = await roomsim('room', 'list', '--json')
    expect(list.json().map((entry: {slugifiedName: string}) => entry.slugifiedName)).to.deep.equal(['r', 'rx', 'rxx', 'rxxx', 'rxxxx', 'rxxxxx', 'rxxxxxx', 'rxxxxxxx', 'rxxxxxxxx'])
  })
})
