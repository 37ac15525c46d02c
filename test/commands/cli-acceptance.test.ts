import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {type CliResult, runCommand, tempDir} from '../helpers/cli.js'
import {writePlugin} from '../helpers/engine.js'

/**
 * The acceptance: a plugin set roomsim never saw, run through the CLI
 * with --json, behaves as SPEC §2 says.
 */
const PLUGINS = {
  // prevent, with a check that leaves direct rooms alone
  'no-tests': `export default class NoTests {
    async checkPreRoomCreatePrevent(room) { return room.type !== 'd' }
    async executePreRoomCreatePrevent(room) { return room.slugifiedName.startsWith('test-') }
  }`,
  // extend: a custom field and a bot member
  tagger: `export default {
    async executePreRoomCreateExtend(room, extend) {
      extend.addCustomField('tagged', true)
      extend.addMember({id: 'bot', username: 'tag-bot', name: 'Tag Bot', roles: ['bot']})
    },
  }`,
  // two modifiers; which runs first comes from config
  'mod-upper': `export default {
    async executePreRoomCreateModify(room, builder) {
      console.log(JSON.stringify({saw: room.displayName ?? null}))
      return builder.setDisplayName((room.displayName ?? room.slugifiedName).toUpperCase()).getRoom()
    },
  }`,
  'mod-suffix': `export default {
    async executePreRoomCreateModify(room, builder) {
      console.log(JSON.stringify({saw: room.displayName ?? null}))
      builder.setDisplayName((room.displayName ?? room.slugifiedName) + ' (suffixed)')
    },
  }`,
  // join and leave vetoes, each with its own copy of the exception class
  'join-veto': `class AppsEngineException extends Error { constructor(m) { super(m); this.name = 'AppsEngineException' } }
  class UserNotAllowedException extends AppsEngineException {}
  export default { async executePreRoomUserJoined(context) {
    if (context.joiningUser.username === 'mallory') throw new UserNotAllowedException('mallory is banned')
  } }`,
  'leave-veto': `class UserNotAllowedException extends Error { constructor(m) { super(m); this.name = 'AppsEngineException' } }
  export default { async executePreRoomUserLeave(context) {
    if (context.leavingUser.username === context.room.creator.username && !context.removedBy) throw new UserNotAllowedException('the creator stays')
  } }`,
  // a throwing handler (fail-open by default)
  thrower: `export default {
    async executePreRoomUserJoined() { throw new Error('thrower pre join') },
    async executePostRoomCreate() { throw new Error('thrower post create') },
  }`,
  // post handlers that inspect the committed state
  inspector: `const look = async (label, room, read) => {
      const stored = await read.getRoomReader().getById(room.id)
      console.log(JSON.stringify({label, given: room.usernames, stored: stored ? stored.usernames : null, displayName: stored ? stored.displayName ?? null : null}))
    }
    export default {
      async executePostRoomCreate(room, read) { await look('create', room, read) },
      async executePostRoomUserJoined(context, read) { await look('join', context.room, read) },
      async executePostRoomUserLeave(context, read) { await look('leave', context.room, read) },
      async executePostRoomDeleted(room, read) { await look('delete', room, read) },
    }`,
}

type PluginName = keyof typeof PLUGINS
const ORDER: PluginName[] = ['no-tests', 'tagger', 'mod-suffix', 'mod-upper', 'join-veto', 'leave-veto', 'thrower', 'inspector']

interface Hook {
  plugin: string
  interface: string
  method: string
  result: string
  error?: string
}

const hooksOf = (result: CliResult): string[] => result.json().hooks.map((hook: Hook) => `${hook.plugin}:${hook.method}:${hook.result}`)
const inspected = (result: CliResult): unknown[] =>
  result
    .json()
    .effects.filter((effect: {kind: string; plugin: string}) => effect.kind === 'log' && effect.plugin === 'inspector')
    .map((effect: {message: string}) => JSON.parse(effect.message))

describe('acceptance: a plugin set roomsim never saw, through the CLI with --json', function () {
  let dir: string
  let cleanup: () => void
  const cli = (...args: string[]) => runCommand([...args, '--json'], {cwd: dir})
  const writeConfig = (file: string, order: PluginName[], extra: Record<string, unknown> = {}) =>
    writeFileSync(join(dir, file), JSON.stringify({...extra, plugins: order.map((name) => ({path: `./plugins/${name}`}))}, null, 2))

  before(() => {
    ;({dir, cleanup} = tempDir('roomsim-acceptance-'))
    for (const [name, source] of Object.entries(PLUGINS)) writePlugin(dir, {name, source})
    writeConfig('roomsim.config.json', ORDER)
    const swapped = ORDER.map((name) => (name === 'mod-suffix' ? 'mod-upper' : name === 'mod-upper' ? 'mod-suffix' : name))
    writeConfig('swapped.json', swapped)
    writeConfig('abort.json', ORDER, {hooks: {onError: 'abort'}})
  })
  after(() => cleanup())

  it('create: check, prevent, extend, modifiers in config order, then post on the committed room; the throwing handler is reported', async () => {
    const result = await cli('room', 'create', 'general', '--by', 'alice')
    expect(result.code, result.stderr).to.equal(0)
    const outcome = result.json()
    expect(outcome.status).to.equal('completed')
    expect(hooksOf(result)).to.deep.equal([
      'no-tests:executePreRoomCreatePrevent:allowed',
      'tagger:executePreRoomCreateExtend:applied',
      'mod-suffix:executePreRoomCreateModify:applied',
      'mod-upper:executePreRoomCreateModify:applied',
      'thrower:executePostRoomCreate:error',
      'inspector:executePostRoomCreate:done',
    ])
    expect(outcome.hooks[4].error).to.equal('thrower post create')
    expect(outcome.error).to.equal(null)
    expect(outcome.room).to.deep.include({slugifiedName: 'general', displayName: 'GENERAL (SUFFIXED)', customFields: {tagged: true}, usernames: ['alice', 'tag-bot']})
    const saw = outcome.effects.filter((effect: {plugin: string}) => effect.plugin.startsWith('mod-')).map((effect: {plugin: string; message: string}) => [effect.plugin, JSON.parse(effect.message).saw])
    expect(saw).to.deep.equal([
      ['mod-suffix', 'general'],
      ['mod-upper', 'general (suffixed)'],
    ])
    expect(inspected(result)).to.deep.equal([{label: 'create', given: ['alice', 'tag-bot'], stored: ['alice', 'tag-bot'], displayName: 'GENERAL (SUFFIXED)'}])
  })

  it('create: the modifier order follows the config', async () => {
    const result = await cli('room', 'create', 'other', '--config', 'swapped.json')
    expect(result.code, result.stderr).to.equal(0)
    expect(result.json().room.displayName).to.equal('OTHER (suffixed)')
  })

  it('create: prevent stops the chain (exit 3, nothing created); its check skips direct rooms', async () => {
    const prevented = await cli('room', 'create', 'test-room', '--by', 'eve')
    expect(prevented.code).to.equal(3)
    expect(prevented.json()).to.deep.include({status: 'prevented', prevented: {plugin: 'no-tests', interface: 'IPreRoomCreatePrevent', reason: 'the handler returned true'}})
    expect(hooksOf(prevented)).to.deep.equal(['no-tests:executePreRoomCreatePrevent:prevented'])
    const direct = await cli('room', 'create', '--type', 'direct', '--by', 'alice', '--member', 'bob')
    expect(direct.code, direct.stderr).to.equal(0)
    expect(hooksOf(direct)[0]).to.equal('no-tests:checkPreRoomCreatePrevent:skipped')
    expect(direct.json().room.slugifiedName).to.equal('alice__bob')
    const rooms = (await cli('room', 'list')).json().map((room: {slugifiedName: string}) => room.slugifiedName)
    expect(rooms).to.deep.equal(['alice__bob', 'general', 'other'])
    const users = (await cli('user', 'list')).json().map((user: {username: string}) => user.username)
    expect(users).to.not.include('eve')
  })

  it('join: the throwing handler is passed over; the post handler sees the new member', async () => {
    const result = await cli('room', 'join', 'general', '--user', 'bob')
    expect(result.code, result.stderr).to.equal(0)
    expect(hooksOf(result)).to.deep.equal([
      'join-veto:executePreRoomUserJoined:allowed',
      'thrower:executePreRoomUserJoined:error',
      'inspector:executePostRoomUserJoined:done',
    ])
    expect(inspected(result)).to.deep.equal([{label: 'join', given: ['alice', 'tag-bot', 'bob'], stored: ['alice', 'tag-bot', 'bob'], displayName: 'GENERAL (SUFFIXED)'}])
  })

  it('join: a veto with its own copy of UserNotAllowedException prevents, with its message (exit 3)', async () => {
    const result = await cli('room', 'join', 'general', '--user', 'mallory')
    expect(result.code).to.equal(3)
    expect(result.json()).to.deep.include({status: 'prevented', prevented: {plugin: 'join-veto', interface: 'IPreRoomUserJoined', reason: 'mallory is banned'}})
    expect(hooksOf(result)).to.deep.equal(['join-veto:executePreRoomUserJoined:prevented'])
    const users = (await cli('user', 'list')).json().map((user: {username: string}) => user.username)
    expect(users).to.not.include('mallory')
  })

  it('leave: a veto prevents (exit 3); an allowed leave is seen by the post handler as done', async () => {
    const vetoed = await cli('room', 'leave', 'general', '--user', 'alice')
    expect(vetoed.code).to.equal(3)
    expect(vetoed.json().prevented).to.deep.equal({plugin: 'leave-veto', interface: 'IPreRoomUserLeave', reason: 'the creator stays'})
    const left = await cli('room', 'leave', 'general', '--user', 'bob')
    expect(left.code, left.stderr).to.equal(0)
    expect(hooksOf(left)).to.deep.equal(['leave-veto:executePreRoomUserLeave:allowed', 'inspector:executePostRoomUserLeave:done'])
    expect(inspected(left)).to.deep.equal([{label: 'leave', given: ['alice', 'tag-bot'], stored: ['alice', 'tag-bot'], displayName: 'GENERAL (SUFFIXED)'}])
    const removed = await cli('room', 'leave', 'general', '--user', 'alice', '--removed-by', 'tag-bot')
    expect(removed.code, removed.stderr).to.equal(0)
  })

  it('delete: the post handler gets the room as it was, and the store no longer has it', async () => {
    const result = await cli('room', 'delete', 'general')
    expect(result.code, result.stderr).to.equal(0)
    expect(inspected(result)).to.deep.equal([{label: 'delete', given: ['tag-bot'], stored: null, displayName: null}])
  })

  it('under hooks.onError: abort, a pre-stage throw fails the action (exit 4, nothing committed); a post-stage throw keeps the commit but exits 4', async () => {
    const created = await cli('room', 'create', 'third', '--config', 'abort.json')
    expect(created.code).to.equal(4)
    expect(created.json()).to.deep.include({status: 'completed'})
    expect(created.json().error).to.deep.include({code: 'PLUGIN_FAILED', plugin: 'thrower'})
    const joined = await cli('room', 'join', 'third', '--user', 'carol', '--config', 'abort.json')
    expect(joined.code).to.equal(4)
    expect(joined.json()).to.deep.include({status: 'failed'})
    expect(joined.json().error.message).to.include('thrower').and.include('thrower pre join')
    const show = (await cli('room', 'show', 'third')).json()
    expect(show.members.map((user: {username: string}) => user.username)).to.deep.equal(['admin', 'tag-bot'])
  })

  it('writes every completed, prevented and failed action to the log', async () => {
    const log = (await cli('log', '--limit', '100')).json()
    const actions = log.filter((entry: {kind: string}) => /^room\.[a-z]+$/.test(entry.kind)).map((entry: {kind: string; status: string; roomName: string}) => `${entry.kind} ${entry.roomName} ${entry.status}`)
    expect(actions).to.deep.equal([
      'room.create general completed',
      'room.create other completed',
      'room.create test-room prevented',
      'room.create alice__bob completed',
      'room.join general completed',
      'room.join general prevented',
      'room.leave general prevented',
      'room.leave general completed',
      'room.leave general completed',
      'room.delete general completed',
      'room.create third completed',
      'room.join third failed',
    ])
  })
})
