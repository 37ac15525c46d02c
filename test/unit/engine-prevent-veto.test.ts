import {expect} from 'chai'

import {calls, openTestEngine, OWN_EXCEPTIONS, seedRoom, type TestEngine} from '../helpers/engine.js'

describe('engine: prevent and veto', () => {
  let t: TestEngine | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  describe('prevent (create/delete): first true wins', () => {
    const returning = (value: string) => `export default {
      async executePreRoomCreatePrevent() { return ${value} },
      async executePreRoomDeletePrevent() { return ${value} },
    }`

    it('stops at the first plugin returning true; later plugins never run and nothing is committed', async () => {
      t = await openTestEngine({
        plugins: [
          {name: 'lenient', source: returning('false')},
          {name: 'strict', source: returning('true')},
          {name: 'after', source: `export default { async executePreRoomCreatePrevent() { throw new Error('must not run') } }`},
        ],
      })
      const before = t.state()
      const outcome = await t.run('room.create', {name: 'general', by: 'alice', members: ['bob']})
      expect(outcome.status).to.equal('prevented')
      expect(outcome.prevented).to.deep.include({plugin: 'strict', interface: 'IPreRoomCreatePrevent'})
      expect(outcome.prevented!.reason).to.be.a('string').and.not.equal('')
      expect(outcome.error).to.equal(null)
      expect(calls(outcome)).to.deep.equal(['lenient:executePreRoomCreatePrevent:allowed', 'strict:executePreRoomCreatePrevent:prevented'])
      // Users named by a prevented action are not created either.
      expect(t.state()).to.equal(before)
      expect(t.store.userByName('alice')).to.equal(undefined)
    })

    it('treats a non-boolean return as a plugin error, not a prevention (fail-open: the chain goes on)', async () => {
      t = await openTestEngine({
        plugins: [
          {name: 'stringy', source: returning("'yes'")},
          {name: 'numeric', source: returning('1')},
          {name: 'objecty', source: returning('{prevent: true}')},
          {name: 'silent', source: returning('undefined')},
        ],
      })
      const outcome = await t.run('room.create', {name: 'general'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.prevented).to.equal(null)
      expect(calls(outcome)).to.deep.equal([
        'stringy:executePreRoomCreatePrevent:error',
        'numeric:executePreRoomCreatePrevent:error',
        'objecty:executePreRoomCreatePrevent:error',
        'silent:executePreRoomCreatePrevent:error',
      ])
      for (const hook of outcome.hooks) expect(hook.error).to.be.a('string').that.matches(/expected true or false/)
      expect(t.store.roomByName('general')).to.not.equal(undefined)
    })

    it('prevents a delete with true and keeps the room', async () => {
      t = await openTestEngine({plugins: [{name: 'keeper', source: returning('true')}]})
      // The create prevent of this plugin returns true too, so seed the room without it.
      seedRoom(t.store, 'general', ['admin'])
      const outcome = await t.run('room.delete', {room: 'general'})
      expect(outcome.status).to.equal('prevented')
      expect(outcome.prevented).to.deep.include({plugin: 'keeper', interface: 'IPreRoomDeletePrevent'})
      expect(t.store.roomByName('general')).to.not.equal(undefined)
    })
  })

  describe('exceptions matched by name, never instanceof', () => {
    /** Each throws its own class; the engine has never seen any of them. */
    const throwing = (expression: string) => `${OWN_EXCEPTIONS}
      class Refusal extends Error { constructor(m) { super(m); this.name = 'AppsEngineException' } }
      class NamedLikeUpstream extends Error { constructor(m) { super(m) } }
      Object.defineProperty(NamedLikeUpstream, 'name', {value: 'UserNotAllowedException'})
      export default {
        async executePreRoomUserJoined(context) { throw ${expression} },
        async executePreRoomUserLeave(context) { throw ${expression} },
        async executePreRoomCreatePrevent(room) { throw ${expression} },
        async executePreRoomDeletePrevent(room) { throw ${expression} },
      }`

    const cases = [
      {what: 'its own UserNotAllowedException (name AppsEngineException)', expression: "new UserNotAllowedException('members only')"},
      {what: 'its own AppsEngineException', expression: "new AppsEngineException('members only')"},
      {what: 'any class whose name is AppsEngineException', expression: "new Refusal('members only')"},
      {what: 'a class called UserNotAllowedException whose name was never set', expression: "new NamedLikeUpstream('members only')"},
    ]

    for (const {what, expression} of cases) {
      it(`${what} vetoes join and leave and prevents create and delete, with its message as the reason`, async () => {
        t = await openTestEngine({plugins: [{name: 'bouncer', source: throwing(expression)}, {name: 'after', source: throwing("new Error('must not run')")}]})
        seedRoom(t.store, 'general', ['alice'])
        const before = t.state()
        const outcomes = {
          join: await t.run('room.join', {room: 'general', user: 'bob'}),
          leave: await t.run('room.leave', {room: 'general', user: 'alice'}),
          create: await t.run('room.create', {name: 'other'}),
          delete: await t.run('room.delete', {room: 'general'}),
        }
        for (const [action, outcome] of Object.entries(outcomes)) {
          expect(outcome.status, action).to.equal('prevented')
          expect(outcome.prevented, action).to.deep.include({plugin: 'bouncer', reason: 'members only'})
          expect(outcome.hooks.map((hook) => hook.plugin), action).to.deep.equal(['bouncer'])
          expect(outcome.hooks[0]!.result, action).to.equal('prevented')
        }
        expect(outcomes.join.prevented!.interface).to.equal('IPreRoomUserJoined')
        expect(outcomes.leave.prevented!.interface).to.equal('IPreRoomUserLeave')
        expect(t.state()).to.equal(before)
      })
    }

    it('treats any other error in a veto as a plugin error: fail-open, the join goes through', async () => {
      t = await openTestEngine({
        plugins: [
          {name: 'broken', source: `export default { async executePreRoomUserJoined() { throw new TypeError('oops') } }`},
          {name: 'fine', source: `export default { async executePreRoomUserJoined() {} }`},
        ],
      })
      await t.run('room.create', {name: 'general'})
      const outcome = await t.run('room.join', {room: 'general', user: 'bob'})
      expect(outcome.status).to.equal('completed')
      expect(calls(outcome)).to.deep.equal(['broken:executePreRoomUserJoined:error', 'fine:executePreRoomUserJoined:allowed'])
      expect(outcome.hooks[0]!.error).to.equal('oops')
      expect(outcome.room!.members.usernames()).to.include('bob')
    })

    it('lets a veto stage pass when every plugin returns (whatever it returns)', async () => {
      t = await openTestEngine({plugins: [{name: 'yes', source: `export default { async executePreRoomUserJoined() { return false } }`}]})
      await t.run('room.create', {name: 'general'})
      const outcome = await t.run('room.join', {room: 'general', user: 'bob'})
      expect(outcome.status).to.equal('completed')
      expect(calls(outcome)).to.deep.equal(['yes:executePreRoomUserJoined:allowed'])
    })
  })
})
