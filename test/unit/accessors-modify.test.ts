import {expect} from 'chai'

import {answerCall} from '../../src/host/services/index.js'
import {roomView} from '../../src/domain/room-view.js'
import type {Outcome} from '../../src/domain/types.js'
import {ActionContext} from '../../src/engine/action-context.js'
import {MAX_NESTING_DEPTH} from '../../src/engine/engine.js'
import {effectsOf, probePlugin, probeReport, sandbox, type Sandbox} from '../helpers/accessor-sandbox.js'

const VETO = `class UserNotAllowedException extends Error {}`

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  try {
    await promise
  } catch (error) {
    expect((error as Error).message).to.equal(message)
    return
  }
  expect.fail(`expected a rejection with: ${message}`)
}

describe('accessors: IModify', () => {
  let box: Sandbox | undefined
  afterEach(async () => {
    await box?.close()
    box = undefined
  })

  describe('messages', () => {
    it('startMessage…finish stores a message from the app user (or the sender set) and lists it under effects', async () => {
      box = await sandbox({
        greeter: {
          source: probePlugin(
            'executePostRoomUserJoined',
            `async (context, read, http, persistence, modify) => {
              const creator = modify.getCreator()
              const first = await creator.finish(creator.startMessage().setRoom(context.room).setText('hi ' + context.joiningUser.username))
              const builder = creator.startMessage({room: context.room, text: 'thanks', sender: context.joiningUser})
                .setUsernameAlias('Greeter').setEmojiAvatar(':wave:').setGroupable(false).setParseUrls(true)
                .addAttachment({text: 'a'}).addAttachment({text: 'b'}).removeAttachment(0).addCustomField('k', 1)
              const second = await creator.finish(builder)
              const stored = await read.getMessageReader().getById(first)
              return {
                ids: typeof first === 'string' && typeof second === 'string' && first !== second,
                readBack: {text: builder.getText(), alias: builder.getUsernameAlias(), emoji: builder.getEmojiAvatar(), attachments: builder.getAttachments(), kind: builder.kind},
                stored: {text: stored.text, sender: stored.sender.username, room: stored.room.slugifiedName},
                noRoom: await attempt(() => creator.finish(creator.startMessage().setText('lost'))),
                badSender: await attempt(() => creator.finish(creator.startMessage().setRoom(context.room).setSender({id: 'x', username: 'ghost'}))),
                wrongBuilder: await attempt(() => creator.finish({})),
              }
            }`,
          ),
        },
      })
      await box.engine.run('room.create', {name: 'general', by: 'alice'})
      const outcome = await box.engine.run('room.join', {room: 'general', user: 'carol'})
      const report = probeReport(outcome)
      expect(report).to.deep.include({
        ids: true,
        readBack: {text: 'thanks', alias: 'Greeter', emoji: ':wave:', attachments: [{text: 'b'}], kind: 'message'},
        stored: {text: 'hi carol', sender: 'greeter.bot', room: 'general'},
      })
      expect(report.noRoom.error).to.equal('IModifyCreator.finish: the message has no room (call setRoom(room) on the builder)')
      expect(report.badSender.error).to.match(/^IModifyCreator\.finish: the message's sender "ghost" is not a user/)
      expect(report.wrongBuilder.error).to.equal('IModifyCreator.finish: expected a builder from startMessage() or startRoom()')

      const general = box.store.roomByName('general')!
      const stored = box.store.messages(general.id)
      expect(stored.map((message) => [message.sender.username, message.text, message.plugin])).to.deep.equal([
        ['greeter.bot', 'hi carol', 'greeter'],
        ['carol', 'thanks', 'greeter'],
      ])
      expect(effectsOf(outcome)).to.deep.equal([
        {kind: 'message', plugin: 'greeter', room: 'general', roomId: general.id, sender: 'greeter.bot', text: 'hi carol', id: stored[0]!.id},
        {
          kind: 'message',
          plugin: 'greeter',
          room: 'general',
          roomId: general.id,
          sender: 'carol',
          text: 'thanks',
          id: stored[1]!.id,
          // Everything the builder set is kept, as the server keeps it.
          alias: 'Greeter',
          emoji: ':wave:',
          groupable: false,
          parseUrls: true,
          attachments: [{text: 'b'}],
          customFields: {k: 1},
        },
      ])
      expect(stored[1]).to.deep.include({alias: 'Greeter', emoji: ':wave:', groupable: false, parseUrls: true, attachments: [{text: 'b'}], customFields: {k: 1}})
      expect(stored[0]).to.not.have.property('alias')
      expect(general.messageCount).to.equal(2)
      // The outcome shows the room as it is once the post handlers are done.
      expect(outcome.room!.messageCount).to.equal(2)
      expect(box.store.userByName('greeter.bot')!.roles).to.deep.equal(['bot'])
    })

    it('accessors kept past their handler stay bound to its action, and are refused once it is over', async () => {
      box = await sandbox({
        leaky: {
          source: `let kept
          export default {
            async executePostRoomCreate(room, read, http, persistence, modify) { kept = modify },
            async executePreRoomUserJoined(context) {
              const creator = kept.getCreator()
              try {
                await creator.finish(creator.startMessage().setRoom(context.room).setText('early'))
              } catch (error) {
                console.log(error.message)
              }
            },
          }`,
        },
      })
      await box.engine.run('room.create', {name: 'general', by: 'alice'})
      const outcome = await box.engine.run('room.join', {room: 'general', user: 'bob'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.effects.map((effect) => effect.message)).to.deep.equal([
        "IModifyCreator.finish: the action this call belongs to has already finished (roomsim waits for a handler's background work only up to the stage timeout, hooks.timeoutMs)",
      ])
      expect(box.store.messages(box.store.roomByName('general')!.id)).to.deep.equal([])
    })

    it("the app user made in a pre stage vanishes with a prevented action", async () => {
      box = await sandbox({
        curious: {source: `export default {async executePreRoomUserJoined(context, read) { await read.getUserReader().getAppUser() }}`},
        gate: {source: `${VETO} export default {async executePreRoomUserJoined(context) { if (context.joiningUser.username === 'mallory') throw new UserNotAllowedException('no') }}`},
      })
      await box.engine.run('room.create', {name: 'general', by: 'alice'})
      expect((await box.engine.run('room.join', {room: 'general', user: 'mallory'})).status).to.equal('prevented')
      expect(box.store.userByName('curious.bot')).to.equal(undefined)
      expect((await box.engine.run('room.join', {room: 'general', user: 'bob'})).status).to.equal('completed')
      expect(box.store.userByName('curious.bot')!.roles).to.deep.equal(['bot'])
    })
  })

  it('the notifier records notifications to a room and to a user as effects, storing nothing', async () => {
    box = await sandbox({
      notifier: {
        source: probePlugin(
          'executePostRoomUserJoined',
          `async (context, read, http, persistence, modify) => {
            const notifier = modify.getNotifier()
            await notifier.notifyRoom(context.room, notifier.getMessageBuilder().setText(context.joiningUser.username + ' is here').setRoom(context.room))
            await read.getNotifier().notifyUser(context.joiningUser, {room: context.room, text: 'only you can see this'})
            return await attempt(() => notifier.notifyUser({}, {text: 'x'}))
          }`,
        ),
      },
    })
    await box.engine.run('room.create', {name: 'general', by: 'alice'})
    const outcome = await box.engine.run('room.join', {room: 'general', user: 'carol'})
    const general = box.store.roomByName('general')!
    expect(probeReport(outcome).error).to.match(/^INotifier\.notifyUser: expected a user/)
    expect(effectsOf(outcome)).to.deep.equal([
      {kind: 'notification', plugin: 'notifier', to: 'room', room: 'general', roomId: general.id, text: 'carol is here'},
      {kind: 'notification', plugin: 'notifier', to: 'user', user: 'carol', room: 'general', roomId: general.id, text: 'only you can see this'},
    ])
    expect(general.messageCount).to.equal(0)
  })

  describe('nested actions', () => {
    it('startRoom…finish creates a room through the create chain, nested in the outcome', async () => {
      box = await sandbox({
        spawner: {
          source: probePlugin(
            'executePostRoomCreate',
            `async (room, read, http, persistence, modify) => {
              if (room.slugifiedName !== 'general') return 'not general'
              const bot = await read.getUserReader().getAppUser()
              const creator = modify.getCreator()
              const id = await creator.finish(creator.startRoom().setSlugifiedName('general-chat').setType('c').setCreator(bot).addMemberToBeAddedByUsername('bob').addCustomField('origin', 'general'))
              return {id, room: (await read.getRoomReader().getById(id)).slugifiedName, noCreator: await attempt(() => creator.finish(creator.startRoom().setSlugifiedName('x')))}
            }`,
          ),
        },
        audit: {source: `export default {async executePostRoomCreate(room) { console.log('created ' + room.slugifiedName) }}`},
      })
      const outcome = await box.engine.run('room.create', {name: 'general', by: 'alice'})
      expect(outcome.status).to.equal('completed')
      const report = probeReport(outcome)
      expect(report.room).to.equal('general-chat')
      expect(report.noCreator.error).to.match(/^IModifyCreator\.finish: the room has no creator/)
      expect(outcome.nested).to.have.length(1)
      const nested = outcome.nested[0]!
      expect(nested).to.deep.include({action: 'room.create', status: 'completed', prevented: null, error: null})
      expect(roomView(nested.room!)).to.deep.include({id: report.id, slugifiedName: 'general-chat', usernames: ['spawner.bot', 'bob'], customFields: {origin: 'general'}})
      expect(nested.hooks.map((hook) => `${hook.plugin}:${hook.result}`)).to.deep.equal(['spawner:done', 'audit:done'])
      expect(nested.effects.map((effect) => effect.message)).to.deep.equal(['PROBE {"ok":"not general"}', 'created general-chat'])
      const event = box.store.events({limit: 50}).find((entry) => entry.kind === 'room.create' && entry.roomName === 'general-chat')!
      const parent = box.store.events({limit: 50}).find((entry) => entry.kind === 'room.create' && entry.roomName === 'general')!
      expect(event.parentSeq).to.equal(parent.seq)
    })

    it('the updater adds members through the join chain; a veto rejects finish() and shows in the nested outcome', async () => {
      box = await sandbox({
        autojoin: {
          source: `export default {
            async executePostRoomUserJoined(context, read, http, persistence, modify) {
              if (context.room.slugifiedName !== 'general') return
              const random = await read.getRoomReader().getByName('random')
              const updater = modify.getUpdater()
              const builder = await updater.room(random.id, context.joiningUser)
              try {
                await updater.finish(builder.addMemberToBeAddedByUsername(context.joiningUser.username))
                console.log('added ' + context.joiningUser.username)
              } catch (error) {
                console.log(error.name + ': ' + error.message)
              }
            },
          }`,
        },
        gate: {source: `${VETO} export default {async executePreRoomUserJoined(context) { if (context.room.slugifiedName === 'random' && context.joiningUser.username === 'mallory') throw new UserNotAllowedException('mallory stays out of #random') }}`},
      })
      await box.engine.run('room.create', {name: 'general', by: 'alice'})
      await box.engine.run('room.create', {name: 'random', by: 'alice'})

      const carol = await box.engine.run('room.join', {room: 'general', user: 'carol'})
      expect(carol.status).to.equal('completed')
      expect(carol.effects.map((effect) => effect.message)).to.deep.equal(['added carol'])
      expect(carol.nested.map((nested) => [nested.action, nested.status, nested.room?.slugifiedName])).to.deep.equal([['room.join', 'completed', 'random']])
      expect(box.store.roomByName('random')!.usernames).to.deep.equal(['alice', 'carol'])

      const mallory = await box.engine.run('room.join', {room: 'general', user: 'mallory'})
      expect(mallory.status).to.equal('completed')
      expect(mallory.effects.map((effect) => effect.message)).to.deep.equal([
        'ActionPreventedError: IModifyUpdater.finish: room.join of mallory to ' + box.store.roomByName('random')!.id + ' was prevented by gate (IPreRoomUserJoined): mallory stays out of #random',
      ])
      expect(mallory.nested).to.have.length(1)
      expect(mallory.nested[0]).to.deep.include({action: 'room.join', status: 'prevented', prevented: {plugin: 'gate', interface: 'IPreRoomUserJoined', reason: 'mallory stays out of #random'}})
      expect(box.store.roomByName('random')!.usernames).to.deep.equal(['alice', 'carol'])
      expect(box.store.roomByName('general')!.usernames).to.include('mallory')
    })

    it('the updater refuses to change anything but members, naming what it cannot do', async () => {
      box = await sandbox({
        renamer: {
          source: probePlugin(
            'executePostRoomCreate',
            `async (room, read, http, persistence, modify) => {
              const updater = modify.getUpdater()
              const builder = await updater.room(room.id, room.creator)
              return attempt(() => updater.finish(builder.setDisplayName('Renamed')))
            }`,
          ),
        },
      })
      const outcome = await box.engine.run('room.create', {name: 'general', by: 'alice'})
      expect(probeReport(outcome)).to.deep.equal({
        error: 'IModifyUpdater.finish: roomsim can add members to a room (addMemberToBeAddedByUsername) but not change its displayName',
        name: 'NotSupportedError',
      })
    })

    it('the deleter deletes rooms and removes members through the delete and leave chains', async () => {
      box = await sandbox({
        janitor: {
          source: `export default {
            async executePostRoomCreate(room, read, http, persistence, modify) {
              if (room.slugifiedName === 'temporary') await modify.getDeleter().deleteRoom(room.id)
            },
            async executePostRoomUserJoined(context, read, http, persistence, modify) {
              if (context.room.slugifiedName === 'quiet') await modify.getDeleter().removeUsersFromRoom(context.room.id, ['bob', context.joiningUser.username])
            },
          }`,
        },
        witness: {source: `export default {async executePostRoomDeleted(room) { console.log('deleted ' + room.slugifiedName) }, async executePostRoomUserLeave(context) { console.log('left ' + context.leavingUser.username + (context.removedBy ? ' by ' + context.removedBy.username : '')) }}`},
      })
      const created = await box.engine.run('room.create', {name: 'temporary', by: 'alice'})
      expect(created.status).to.equal('completed')
      expect(created.nested.map((nested) => [nested.action, nested.status])).to.deep.equal([['room.delete', 'completed']])
      expect(created.nested[0]!.effects.map((effect) => effect.message)).to.deep.equal(['deleted temporary'])
      expect(box.store.roomByName('temporary')).to.equal(undefined)
      expect(box.store.events({limit: 50}).find((entry) => entry.kind === 'room.delete')!.actor).to.equal('janitor.bot')

      await box.engine.run('room.create', {name: 'quiet', by: 'alice', members: ['bob']})
      const joined = await box.engine.run('room.join', {room: 'quiet', user: 'carol'})
      expect(joined.nested.map((nested) => [nested.action, nested.status])).to.deep.equal([
        ['room.leave', 'completed'],
        ['room.leave', 'completed'],
      ])
      expect(joined.nested.flatMap((nested) => nested.effects.map((effect) => effect.message))).to.deep.equal(['left bob', 'left carol'])
      expect(box.store.roomByName('quiet')!.usernames).to.deep.equal(['alice'])
      expect(joined.room!.members.usernames()).to.deep.equal(['alice'])
    })

    it(`a loop between plugins ends at depth ${MAX_NESTING_DEPTH} with a clear error on the outermost action`, async () => {
      box = await sandbox({
        // ping creates pong-N for every ping-N, pong creates ping-N+1: a loop through two plugins.
        ping: {
          source: `export default {async executePostRoomCreate(room, read, http, persistence, modify) {
            const [kind, n] = room.slugifiedName.split('-')
            if (kind !== 'ping') return
            const creator = modify.getCreator()
            await creator.finish(creator.startRoom().setSlugifiedName('pong-' + n).setCreator(room.creator))
          }}`,
        },
        pong: {
          source: `export default {async executePostRoomCreate(room, read, http, persistence, modify) {
            const [kind, n] = room.slugifiedName.split('-')
            if (kind !== 'pong') return
            const creator = modify.getCreator()
            await creator.finish(creator.startRoom().setSlugifiedName('ping-' + (Number(n) + 1)).setCreator(room.creator))
          }}`,
        },
      })
      const outcome = await box.engine.run('room.create', {name: 'ping-1', by: 'alice'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.error).to.deep.equal({
        code: 'NESTING_TOO_DEEP',
        message: `room.create started by ping would nest ${MAX_NESTING_DEPTH + 1} actions deep (limit ${MAX_NESTING_DEPTH}): do plugins start actions from each other's handlers in a loop?`,
      })
      const chain: Outcome[] = []
      for (let level: Outcome | undefined = outcome; level; level = level.nested[0]) chain.push(level)
      expect(chain.map((level) => level.room?.slugifiedName ?? null)).to.deep.equal(['ping-1', 'pong-1', 'ping-2', 'pong-2', 'ping-3', 'pong-3', 'ping-4', 'pong-4', 'ping-5', null])
      expect(chain.at(-1)).to.deep.include({status: 'failed', room: null, error: outcome.error})
      // The handler at the deepest level saw its finish() rejected; the levels above completed.
      const deepest = chain.at(-2)!
      expect(deepest.hooks.find((hook) => hook.plugin === 'ping')).to.deep.include({
        result: 'error',
        error: `IModifyCreator.finish: room.create of pong-5 failed: ${outcome.error!.message}`,
      })
      expect(deepest.hooks.find((hook) => hook.plugin === 'pong')).to.deep.include({result: 'done'})
      expect(box.store.listRooms()).to.have.length(MAX_NESTING_DEPTH + 1)
    })

    it('a handler cannot start actions while its own action holds the store (pre stages)', async () => {
      // No handler is given IModify in a pre stage; the service refuses all the same, rather than wait for itself.
      box = await sandbox({})
      await box.engine.run('room.create', {name: 'general', by: 'alice'})
      const context = new ActionContext('room.join', box.store, 0, undefined)
      const call = answerCall({engine: box.engine, plugin: 'eager', context}, 'deleter.deleteRoom', [box.store.roomByName('general')!.id])
      await expectRejection(call, 'IModifyDeleter.deleteRoom: a handler can start actions only after its own action committed (IModify is given to post handlers); room.join is still in its pre stages')
      await expectRejection(answerCall({engine: box.engine, plugin: 'eager', context}, 'no.such.method', []), 'no.such.method() is not supported by roomsim yet')
    })
  })
})
