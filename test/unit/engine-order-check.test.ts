import {expect} from 'chai'

import {calls, openTestEngine, type TestEngine} from '../helpers/engine.js'

/** A plugin that allows every create and says so. */
const allowing = `export default { async executePreRoomCreatePrevent() { return false } }`

describe('engine: order and check*', () => {
  let t: TestEngine | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  it('runs plugins one at a time in the configured order, not the alphabetical or install one', async () => {
    t = await openTestEngine({
      plugins: [
        {name: 'zulu', source: allowing},
        {name: 'alpha', source: allowing},
        {name: 'mike', source: allowing},
      ],
    })
    const outcome = await t.run('room.create', {name: 'general'})
    expect(outcome.status).to.equal('completed')
    expect(calls(outcome)).to.deep.equal([
      'zulu:executePreRoomCreatePrevent:allowed',
      'alpha:executePreRoomCreatePrevent:allowed',
      'mike:executePreRoomCreatePrevent:allowed',
    ])
  })

  it('never runs a disabled plugin', async () => {
    t = await openTestEngine({
      plugins: [
        {name: 'on', source: allowing},
        {name: 'off', source: `export default { async executePreRoomCreatePrevent() { return true } }`, enabled: false},
      ],
    })
    const outcome = await t.run('room.create', {name: 'general'})
    expect(outcome.status).to.equal('completed')
    expect(calls(outcome)).to.deep.equal(['on:executePreRoomCreatePrevent:allowed'])
  })

  it('records a check* that returns false as skipped, under the check method, and does not run execute*', async () => {
    t = await openTestEngine({
      plugins: [
        {
          name: 'picky',
          source: `export default class Picky {
            async checkPreRoomCreatePrevent(room) { return room.slugifiedName !== 'quiet' }
            async executePreRoomCreatePrevent() { return true }
            async checkPreRoomCreateExtend(room) { return 0 } // falsy, as upstream reads it
            async executePreRoomCreateExtend(room, extend) { extend.addCustomField('never', true) }
            async checkPreRoomCreateModify() { return '' }
            async executePreRoomCreateModify(room, builder) { return builder.setDisplayName('never').getRoom() }
            async checkPostRoomCreate() { return false }
            async executePostRoomCreate() { throw new Error('never') }
            async checkPreRoomDeletePrevent() { return false }
            async executePreRoomDeletePrevent() { return true }
            async checkPostRoomDeleted() { return false }
            async executePostRoomDeleted() { throw new Error('never') }
          }`,
        },
      ],
    })
    const created = await t.run('room.create', {name: 'quiet'})
    expect(created.status).to.equal('completed')
    expect(calls(created)).to.deep.equal([
      'picky:checkPreRoomCreatePrevent:skipped',
      'picky:checkPreRoomCreateExtend:skipped',
      'picky:checkPreRoomCreateModify:skipped',
      'picky:checkPostRoomCreate:skipped',
    ])
    expect(created.room!.customFields).to.deep.equal({})
    // The name, as the server sets a channel's display name.
    expect(created.room!.displayName).to.equal('quiet')
    for (const hook of created.hooks) expect(hook).to.include({plugin: 'picky'}).and.to.have.property('durationMs').that.is.a('number')

    const deleted = await t.run('room.delete', {room: 'quiet'})
    expect(deleted.status).to.equal('completed')
    expect(calls(deleted)).to.deep.equal(['picky:checkPreRoomDeletePrevent:skipped', 'picky:checkPostRoomDeleted:skipped'])

    // A check that returns true lets execute* run.
    const loud = await t.run('room.create', {name: 'loud'})
    expect(loud.status).to.equal('prevented')
    expect(calls(loud)).to.deep.equal(['picky:executePreRoomCreatePrevent:prevented'])
  })

  it('has no check for join and leave: a check-like method there is never called', async () => {
    t = await openTestEngine({
      plugins: [
        {
          name: 'door',
          source: `export default {
            checkPreRoomUserJoined() { throw new Error('join has no check') },
            async executePreRoomUserJoined() {},
            checkPreRoomUserLeave() { throw new Error('leave has no check') },
            async executePreRoomUserLeave() {},
          }`,
        },
      ],
    })
    await t.run('room.create', {name: 'general'})
    const joined = await t.run('room.join', {room: 'general', user: 'bob'})
    expect(calls(joined)).to.deep.equal(['door:executePreRoomUserJoined:allowed'])
    const left = await t.run('room.leave', {room: 'general', user: 'bob'})
    expect(calls(left)).to.deep.equal(['door:executePreRoomUserLeave:allowed'])
  })

  it('passes handlers the exact upstream arguments', async () => {
    t = await openTestEngine({
      plugins: [
        {
          name: 'args',
          source: `// Accessors answer every property (unsupported ones throw when called), so ask with "in".
          const kind = (arg) => typeof arg !== 'object' || arg === null ? typeof arg
            : 'slugifiedName' in arg ? 'room' : 'joiningUser' in arg ? 'joinContext' : 'leavingUser' in arg ? 'leaveContext'
            : 'getRoomReader' in arg ? 'read' : 'addMember' in arg ? 'extender' : 'setSlugifiedName' in arg ? 'builder'
            : 'patch' in arg ? 'http' : 'getCreator' in arg ? 'modify' : 'createWithAssociation' in arg ? 'persistence' : 'object'
          const shape = (args) => args.map(kind)
          const say = (method, args) => console.log(JSON.stringify({method, args: shape([...args])}))
          export default {
            async checkPreRoomCreatePrevent(...a) { say('checkPreRoomCreatePrevent', a); return true },
            async executePreRoomCreatePrevent(...a) { say('executePreRoomCreatePrevent', a); return false },
            async executePreRoomCreateExtend(...a) { say('executePreRoomCreateExtend', a) },
            async executePreRoomCreateModify(...a) { say('executePreRoomCreateModify', a) },
            async executePostRoomCreate(...a) { say('executePostRoomCreate', a) },
            async executePreRoomUserJoined(...a) { say('executePreRoomUserJoined', a) },
            async executePostRoomUserJoined(...a) { say('executePostRoomUserJoined', a) },
            async executePreRoomUserLeave(...a) { say('executePreRoomUserLeave', a) },
            async executePostRoomUserLeave(...a) { say('executePostRoomUserLeave', a) },
            async executePreRoomDeletePrevent(...a) { say('executePreRoomDeletePrevent', a); return false },
            async executePostRoomDeleted(...a) { say('executePostRoomDeleted', a) },
          }`,
        },
      ],
    })
    const seen = []
    for (const outcome of [
      await t.run('room.create', {name: 'general'}),
      await t.run('room.join', {room: 'general', user: 'bob'}),
      await t.run('room.leave', {room: 'general', user: 'bob'}),
      await t.run('room.delete', {room: 'general'}),
    ]) {
      expect(outcome.status).to.equal('completed')
      seen.push(...outcome.effects.map((effect) => JSON.parse(String(effect.message))))
    }
    const pre = ['read', 'http', 'persistence']
    const post = ['read', 'http', 'persistence', 'modify']
    expect(seen).to.deep.equal([
      {method: 'checkPreRoomCreatePrevent', args: ['room', 'read', 'http']},
      {method: 'executePreRoomCreatePrevent', args: ['room', ...pre]},
      {method: 'executePreRoomCreateExtend', args: ['room', 'extender', ...pre]},
      {method: 'executePreRoomCreateModify', args: ['room', 'builder', ...pre]},
      {method: 'executePostRoomCreate', args: ['room', ...post]},
      {method: 'executePreRoomUserJoined', args: ['joinContext', ...pre]},
      {method: 'executePostRoomUserJoined', args: ['joinContext', ...post]},
      {method: 'executePreRoomUserLeave', args: ['leaveContext', ...pre]},
      {method: 'executePostRoomUserLeave', args: ['leaveContext', ...post]},
      {method: 'executePreRoomDeletePrevent', args: ['room', ...pre]},
      {method: 'executePostRoomDeleted', args: ['room', ...post]},
    ])
  })
})
