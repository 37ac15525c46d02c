import {expect} from 'chai'

import {exitCodeOf} from '../../src/base-command.js'
import {calls, openTestEngine, type TestEngine} from '../helpers/engine.js'

/** A plugin whose every handler throws `expression`. */
const throwingEverywhere = (expression: string) => `export default {
  async executePreRoomCreatePrevent() { throw ${expression} },
  async executePreRoomCreateExtend() { throw ${expression} },
  async executePreRoomCreateModify() { throw ${expression} },
  async executePostRoomCreate() { throw ${expression} },
  async executePreRoomUserJoined() { throw ${expression} },
  async executePostRoomUserJoined() { throw ${expression} },
}`

/** A well-behaved plugin that records that it ran. */
const witness = `export default {
  async executePreRoomCreatePrevent() { return false },
  async executePreRoomCreateExtend(room, extend) { extend.addCustomField('witness', true) },
  async executePreRoomCreateModify(room, builder) { return builder.getRoom() },
  async executePostRoomCreate() {},
  async executePreRoomUserJoined() {},
  async executePostRoomUserJoined() {},
}`

describe('engine: errors and timeouts', () => {
  let t: TestEngine | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  describe('fail-open (the default)', () => {
    it('records a throwing handler as an error with its message and goes on, in every stage', async () => {
      t = await openTestEngine({plugins: [{name: 'broken', source: throwingEverywhere("new Error('kaput')")}, {name: 'witness', source: witness}]})
      const outcome = await t.run('room.create', {name: 'general'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.error).to.equal(null)
      expect(calls(outcome)).to.deep.equal([
        'broken:executePreRoomCreatePrevent:error',
        'witness:executePreRoomCreatePrevent:allowed',
        'broken:executePreRoomCreateExtend:error',
        'witness:executePreRoomCreateExtend:applied',
        'broken:executePreRoomCreateModify:error',
        'witness:executePreRoomCreateModify:applied',
        'broken:executePostRoomCreate:error',
        'witness:executePostRoomCreate:done',
      ])
      for (const hook of outcome.hooks.filter((hook) => hook.plugin === 'broken')) {
        expect(hook.error).to.equal('kaput')
        expect(hook.interface).to.match(/^I(Pre|Post)RoomCreate/)
      }
      expect(t.store.roomByName('general')!.customFields).to.deep.equal({witness: true})
      expect(exitCodeOf(outcome)).to.equal(0)
    })

    it('turns non-Error throws into string messages', async () => {
      t = await openTestEngine({
        plugins: [
          {name: 'text', source: throwingEverywhere("'plain text'")},
          {name: 'object', source: throwingEverywhere('{reason: 42}')},
          {name: 'nothing', source: throwingEverywhere('undefined')},
        ],
      })
      await t.run('room.create', {name: 'general'})
      const outcome = await t.run('room.join', {room: 'general', user: 'bob'})
      expect(outcome.status).to.equal('completed')
      const errors = outcome.hooks.map((hook) => hook.error)
      for (const error of errors) expect(error).to.be.a('string').and.not.equal('')
      expect(errors[0]).to.include('plain text')
      expect(errors[1]).to.include('42')
    })
  })

  describe('hooks.onError: abort', () => {
    it('fails the action on a pre-stage error: nothing committed, later plugins do not run, exit 4', async () => {
      t = await openTestEngine({
        plugins: [{name: 'witness', source: witness}, {name: 'broken', source: throwingEverywhere("new Error('kaput')")}, {name: 'after', source: witness}],
        config: {hooks: {onError: 'abort'}},
      })
      const before = t.state()
      const outcome = await t.run('room.create', {name: 'general', by: 'alice'})
      expect(outcome.status).to.equal('failed')
      expect(exitCodeOf(outcome)).to.equal(4)
      expect(outcome.error).to.deep.include({code: 'PLUGIN_FAILED', plugin: 'broken'})
      expect(outcome.error!.message).to.include('broken').and.include('executePreRoomCreatePrevent').and.include('kaput')
      expect(calls(outcome)).to.deep.equal(['witness:executePreRoomCreatePrevent:allowed', 'broken:executePreRoomCreatePrevent:error'])
      expect(t.state()).to.equal(before)
    })

    it('fails the action when a check* throws', async () => {
      t = await openTestEngine({
        plugins: [{name: 'checker', source: `export default { async checkPreRoomCreatePrevent() { throw new Error('bad check') }, async executePreRoomCreatePrevent() { return false } }`}],
        config: {hooks: {onError: 'abort'}},
      })
      const outcome = await t.run('room.create', {name: 'general'})
      expect(outcome.status).to.equal('failed')
      expect(calls(outcome)).to.deep.equal(['checker:checkPreRoomCreatePrevent:error'])
      expect(outcome.error!.message).to.include('bad check')
      expect(t.store.roomByName('general')).to.equal(undefined)
    })

    it('keeps the commit on a post-stage error: status completed, error set, every post plugin runs, exit 4', async () => {
      t = await openTestEngine({
        plugins: [
          {name: 'broken', source: `export default { async executePostRoomUserJoined() { throw new Error('post kaput') } }`},
          {name: 'witness', source: witness},
        ],
        config: {hooks: {onError: 'abort'}},
      })
      await t.run('room.create', {name: 'general'})
      const outcome = await t.run('room.join', {room: 'general', user: 'bob'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.error).to.deep.include({code: 'PLUGIN_FAILED', plugin: 'broken'})
      expect(outcome.error!.message).to.include('post kaput')
      expect(exitCodeOf(outcome)).to.equal(4)
      expect(calls(outcome)).to.deep.equal([
        'witness:executePreRoomUserJoined:allowed',
        'broken:executePostRoomUserJoined:error',
        'witness:executePostRoomUserJoined:done',
      ])
      expect(t.store.roomByName('general')!.usernames).to.include('bob')
    })
  })

  describe('timeouts', () => {
    const hanging = `export default {
      async executePreRoomUserJoined() { await new Promise(() => {}) },
      async executePostRoomUserJoined() { await new Promise(() => {}) },
    }`
    const spinning = `export default { async executePreRoomUserJoined() { for (;;) {} } }`
    // Short enough to keep the suite quick, long enough for a well-behaved handler on a busy machine.
    const config = {hooks: {timeoutMs: {pre: 1000, post: 1000}}}

    it('records a handler that never settles as timeout and goes on with the chain (pre and post)', async () => {
      t = await openTestEngine({plugins: [{name: 'hang', source: hanging}, {name: 'witness', source: witness}], config})
      await t.run('room.create', {name: 'general'})
      const outcome = await t.run('room.join', {room: 'general', user: 'bob'})
      expect(outcome.status).to.equal('completed')
      expect(calls(outcome)).to.deep.equal([
        'hang:executePreRoomUserJoined:timeout',
        'witness:executePreRoomUserJoined:allowed',
        'hang:executePostRoomUserJoined:timeout',
        'witness:executePostRoomUserJoined:done',
      ])
      expect(outcome.hooks[0]!.error).to.be.a('string').that.includes('1000 ms')
      expect(t.store.roomByName('general')!.usernames).to.include('bob')
    })

    it('stops a handler that never yields (a busy loop), and the next plugin still runs', async () => {
      t = await openTestEngine({plugins: [{name: 'spin', source: spinning}, {name: 'witness', source: witness}], config})
      await t.run('room.create', {name: 'general'})
      const outcome = await t.run('room.join', {room: 'general', user: 'bob'})
      expect(outcome.status).to.equal('completed')
      expect(calls(outcome)).to.deep.equal(['spin:executePreRoomUserJoined:timeout', 'witness:executePreRoomUserJoined:allowed', 'witness:executePostRoomUserJoined:done'])
      // The worker came back: the next action runs its plugins normally.
      const again = await t.run('room.join', {room: 'general', user: 'carol'})
      expect(calls(again)[1]).to.equal('witness:executePreRoomUserJoined:allowed')
    })

    it('counts a timeout as an error under abort: the action fails', async () => {
      t = await openTestEngine({plugins: [{name: 'hang', source: hanging}], config: {hooks: {...config.hooks, onError: 'abort'}}})
      await t.run('room.create', {name: 'general'})
      const outcome = await t.run('room.join', {room: 'general', user: 'bob'})
      expect(outcome.status).to.equal('failed')
      expect(outcome.error).to.deep.include({plugin: 'hang'})
      expect(t.store.roomByName('general')!.usernames).to.not.include('bob')
    })
  })
})
