import {expect} from 'chai'

import {effectsOf, sandbox, type Sandbox} from '../helpers/accessor-sandbox.js'

/** A plugin that sends messages it never awaits, in the ways real handlers do. */
const CARELESS = `
const send = (modify, room, text) => {
  const creator = modify.getCreator()
  return creator.finish(creator.startMessage().setRoom(room).setText(text))
}
export default {
  async executePostRoomUserJoined(context, read, http, persistence, modify) {
    const who = context.joiningUser.username
    // A message sent in a .then of a read it did not await.
    read.getUserReader().getAppUser().then((bot) => send(modify, context.room, 'then for ' + who + ' from ' + bot.username))
    // A message sent from a timer.
    setTimeout(() => { void send(modify, context.room, 'timer for ' + who) }, 50)
    // A chain of promises with no I/O of its own before the send.
    Promise.resolve().then(() => Promise.resolve()).then(() => send(modify, context.room, 'chain for ' + who))
  },
}
`

describe('accessors: background work of handlers', () => {
  let box: Sandbox | undefined
  afterEach(async () => {
    await box?.close()
    box = undefined
  })

  it('waits for work a handler did not await, so its messages land in the action that caused them', async () => {
    box = await sandbox({careless: {source: CARELESS}})
    await box.engine.run('room.create', {name: 'general', by: 'alice'})
    const carol = await box.engine.run('room.join', {room: 'general', user: 'carol'})
    const dave = await box.engine.run('room.join', {room: 'general', user: 'dave'})
    const texts = (outcome: typeof carol) => effectsOf(outcome, 'message').map((effect) => effect.text as string).sort()
    expect(texts(carol)).to.deep.equal(['chain for carol', 'then for carol from careless.bot', 'timer for carol'])
    expect(texts(dave)).to.deep.equal(['chain for dave', 'then for dave from careless.bot', 'timer for dave'])
    expect(carol.hooks.map((hook) => hook.result)).to.deep.equal(['done'])
    const stored = box.store.messages(box.store.roomByName('general')!.id).map((message) => message.text)
    expect(stored.slice(0, 3).sort()).to.deep.equal(texts(carol))
    expect(stored.slice(3).sort()).to.deep.equal(texts(dave))
    expect(carol.room!.messageCount).to.equal(3)
  })

  it('an un-awaited write in a pre stage is discarded with the prevented action', async () => {
    box = await sandbox({
      hasty: {source: `export default {async executePreRoomUserJoined(context, read, http, persistence) { setTimeout(() => persistence.create({who: context.joiningUser.username}), 20) }}`},
      gate: {source: `class UserNotAllowedException extends Error {}
        export default {async executePreRoomUserJoined(context) { if (context.joiningUser.username === 'mallory') throw new UserNotAllowedException('no') }}`},
    })
    await box.engine.run('room.create', {name: 'general', by: 'alice'})
    expect((await box.engine.run('room.join', {room: 'general', user: 'mallory'})).status).to.equal('prevented')
    expect(box.store.records('hasty')).to.deep.equal([])
    expect((await box.engine.run('room.join', {room: 'general', user: 'bob'})).status).to.equal('completed')
    expect(box.store.records('hasty').map((record) => record.data)).to.deep.equal([{who: 'bob'}])
  })

  it('intervals and unref\'d timers do not hold a handler open', async () => {
    box = await sandbox(
      {ticker: {source: `export default {async executePostRoomCreate() { setInterval(() => {}, 1000); setTimeout(() => {}, 60000).unref() }}`}},
      {hooks: {timeoutMs: {post: 4000}}},
    )
    const outcome = await box.engine.run('room.create', {name: 'general', by: 'alice'})
    expect(outcome.hooks.map((hook) => hook.result)).to.deep.equal(['done'])
    expect(outcome.effects).to.deep.equal([])
  })

  it('stops waiting shortly before the stage timeout, keeps the handler\'s result and says so', async () => {
    box = await sandbox(
      {slow: {source: `export default {async executePreRoomUserJoined() { setTimeout(() => {}, 60000) }}`}},
      {hooks: {timeoutMs: {pre: 2000}}},
    )
    await box.engine.run('room.create', {name: 'general', by: 'alice'})
    const outcome = await box.engine.run('room.join', {room: 'general', user: 'bob'})
    expect(outcome.status).to.equal('completed')
    expect(outcome.hooks.map((hook) => hook.result)).to.deep.equal(['allowed'])
    expect(outcome.effects).to.deep.equal([
      {
        kind: 'log',
        plugin: 'slow',
        level: 'warn',
        message: "executePreRoomUserJoined: background work still running after 2000 ms; roomsim stopped waiting for it, and what it does from now on is refused",
      },
    ])
  })
})
