import {expect} from 'chai'

import {exitCodeOf} from '../../src/base-command.js'
import {calls, openTestEngine, reports, seedRoom, type TestEngine} from '../helpers/engine.js'

describe('engine: extend and modify', () => {
  let t: TestEngine | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  describe('extend is add-only', () => {
    /** Runs `body` with (room, extend), reporting what it throws instead of failing. */
    const extending = (body: string) => `export default {
      async executePreRoomCreateExtend(room, extend) {
        const attempt = (label, fn) => { try { fn(); return 'ok' } catch (error) { return label + ': ' + error.message } }
        ${body}
      },
    }`

    it('refuses an existing custom field, a key with ".", and an existing member; keeps what was allowed', async () => {
      t = await openTestEngine({
        plugins: [
          {
            name: 'adder',
            source: extending(`console.log(JSON.stringify([
              attempt('existing', () => extend.addCustomField('level', 2)),
              attempt('dotted', () => extend.addCustomField('a.b', 1)),
              attempt('new', () => extend.addCustomField('topic', 'news')),
              attempt('inherited name', () => extend.addCustomField('toString', 'a field like any other')),
              attempt('again', () => extend.addCustomField('topic', 'twice')),
              attempt('member', () => extend.addMember(room.creator)),
              attempt('bot', () => extend.addMember({id: 'x', username: 'helper-bot', name: 'Helper', roles: ['bot']})),
              attempt('bot again', () => extend.addMember({id: 'x', username: 'helper-bot'})),
              extend.getUsernamesOfMembersBeingAdded(),
              extend.getMembersBeingAdded().map((user) => user.username),
            ]))`),
          },
        ],
      })
      const outcome = await t.run('room.create', {name: 'general', by: 'alice', customFields: {level: 1}})
      expect(outcome.status).to.equal('completed')
      const [said] = reports(outcome, 'adder')
      expect(said[0]).to.match(/^existing: .*level/)
      expect(said[1]).to.match(/^dotted: .*a\.b/)
      expect(said[2]).to.equal('ok')
      expect(said[3]).to.equal('ok')
      expect(said[4]).to.match(/^again: .*topic/)
      expect(said[5]).to.match(/^member: .*alice/)
      expect(said[6]).to.equal('ok')
      expect(said[7]).to.match(/^bot again: .*helper-bot/)
      expect(said.slice(8)).to.deep.equal([['helper-bot'], ['helper-bot']])
      expect(outcome.room!.customFields).to.deep.equal({level: 1, topic: 'news', toString: 'a field like any other'})
      expect(outcome.room!.members.usernames()).to.have.members(['alice', 'helper-bot'])
      // The added member is a real member, and a user now.
      const room = t.store.roomByName('general')!
      expect(room.usernames).to.have.members(['alice', 'helper-bot'])
      expect(t.store.userByName('helper-bot')).to.not.equal(undefined)
    })

    it("applies each plugin's additions before the next plugin runs", async () => {
      t = await openTestEngine({
        plugins: [
          {name: 'first', source: extending(`extend.addCustomField('from-first', true); extend.addMember({username: 'first-bot'})`)},
          {
            name: 'second',
            source: extending(`console.log(JSON.stringify({
              fields: room.customFields,
              usernames: room.usernames,
              viaGetRoom: extend.getRoom().customFields,
              clash: attempt('clash', () => extend.addCustomField('from-first', 'mine')),
              memberClash: attempt('member clash', () => extend.addMember({username: 'first-bot'})),
            }))
            extend.addCustomField('from-second', 2)`),
          },
        ],
      })
      const outcome = await t.run('room.create', {name: 'general'})
      expect(outcome.status).to.equal('completed')
      const [seen] = reports(outcome, 'second')
      expect(seen.fields).to.deep.equal({'from-first': true})
      expect(seen.usernames).to.include('first-bot')
      expect(seen.viaGetRoom).to.deep.equal({'from-first': true})
      expect(seen.clash).to.match(/^clash: /)
      expect(seen.memberClash).to.match(/^member clash: /)
      expect(outcome.room!.customFields).to.deep.equal({'from-first': true, 'from-second': 2})
      expect(calls(outcome)).to.deep.equal(['first:executePreRoomCreateExtend:applied', 'second:executePreRoomCreateExtend:applied'])
      expect(outcome.hooks[0]!.detail).to.deep.equal({customFields: {'from-first': true}, members: ['first-bot']})
    })

    it('ignores a room an extender returns: extend cannot rename or retype', async () => {
      t = await openTestEngine({
        plugins: [{name: 'sneaky', source: extending(`extend.addCustomField('ok', 1); return {...room, slugifiedName: 'hijacked', type: 'p'}`)}],
      })
      const outcome = await t.run('room.create', {name: 'general'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.room).to.include({slugifiedName: 'general', type: 'c'})
      expect(outcome.room!.customFields).to.deep.equal({ok: 1})
      expect(t.store.roomByName('hijacked')).to.equal(undefined)
    })

    it('drops the additions of an extender that throws (fail-open: the chain goes on)', async () => {
      t = await openTestEngine({
        plugins: [
          {name: 'half', source: extending(`extend.addCustomField('half', 1); throw new Error('changed my mind')`)},
          {name: 'whole', source: extending(`extend.addCustomField('whole', 1)`)},
        ],
      })
      const outcome = await t.run('room.create', {name: 'general'})
      expect(outcome.status).to.equal('completed')
      expect(calls(outcome)).to.deep.equal(['half:executePreRoomCreateExtend:error', 'whole:executePreRoomCreateExtend:applied'])
      expect(outcome.room!.customFields).to.deep.equal({whole: 1})
    })
  })

  describe('modify is a reduce', () => {
    const modifying = (body: string) => `export default { async executePreRoomCreateModify(room, builder) { ${body} } }`

    it("gives each plugin the room the previous one returned; the configured order decides who wins", async () => {
      const plugins = [
        {name: 'upper', source: modifying(`console.log(JSON.stringify(room.displayName ?? null)); return builder.setDisplayName('UPPER').getRoom()`)},
        {name: 'lower', source: modifying(`console.log(JSON.stringify(room.displayName ?? null)); return builder.setDisplayName('lower').getRoom()`)},
      ]
      t = await openTestEngine({plugins})
      const first = await t.run('room.create', {name: 'one'})
      expect(first.status).to.equal('completed')
      expect(reports(first, 'upper')).to.deep.equal(['one'])
      expect(reports(first, 'lower')).to.deep.equal(['UPPER'])
      expect(first.room!.displayName).to.equal('lower')
      await t.close()

      t = await openTestEngine({plugins: [plugins[1]!, plugins[0]!]})
      const second = await t.run('room.create', {name: 'two'})
      expect(reports(second, 'upper')).to.deep.equal(['lower'])
      expect(second.room!.displayName).to.equal('UPPER')
    })

    it("uses the builder's room when a plugin returns nothing, and a returned plain room as is", async () => {
      t = await openTestEngine({
        plugins: [
          {name: 'quiet', source: modifying(`builder.setDisplayName('From builder').addCustomField('k', 'v').addMemberToBeAddedByUsername('carol')`)},
          {name: 'plain', source: modifying(`return {...room, description: 'from a plain object'}`)},
        ],
      })
      const outcome = await t.run('room.create', {name: 'general', by: 'alice'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.room).to.include({displayName: 'From builder', description: 'from a plain object'})
      expect(outcome.room!.customFields).to.deep.equal({k: 'v'})
      expect(t.store.roomByName('general')!.usernames).to.have.members(['alice', 'carol'])
      expect(outcome.hooks.map((hook) => hook.result)).to.deep.equal(['applied', 'applied'])
      expect(outcome.hooks[0]!.detail).to.deep.include({changed: ['displayName', 'usernames', 'customFields']})
    })

    it('ignores the id in setData and in a returned room: a room keeps its id', async () => {
      t = await openTestEngine({
        plugins: [
          {name: 'setter', source: modifying(`return builder.setData({id: 'hacked', description: 'set by setData'}).getRoom()`)},
          {name: 'forger', source: modifying(`return {...room, id: 'forged'}`)},
        ],
      })
      const outcome = await t.run('room.create', {name: 'general'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.room!.description).to.equal('set by setData')
      expect(outcome.room!.id).to.not.be.oneOf(['hacked', 'forged'])
      expect(t.store.roomById(outcome.room!.id)!.slugifiedName).to.equal('general')
      expect(t.store.roomById('hacked')).to.equal(undefined)
      expect(t.store.roomById('forged')).to.equal(undefined)
    })

    it('renames a room when a plugin sets a valid free name', async () => {
      t = await openTestEngine({plugins: [{name: 'renamer', source: modifying(`return builder.setSlugifiedName(room.slugifiedName + '-renamed').getRoom()`)}]})
      const outcome = await t.run('room.create', {name: 'general'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.room!.slugifiedName).to.equal('general-renamed')
      expect(t.store.roomByName('general')).to.equal(undefined)
    })

    for (const [what, body, message] of [
      ['an invalid name', `return builder.setSlugifiedName('bad name!').getRoom()`, /bad name!/],
      ['an empty name', `return builder.setSlugifiedName('').getRoom()`, /empty/],
      ['a name that is taken', `return builder.setSlugifiedName('taken').getRoom()`, /taken/],
      ['an unknown room type', `return builder.setType('x').getRoom()`, /type/],
      ['a direct room whose name breaks the rule', `return builder.setType('d').setSlugifiedName('alice & bob').getRoom()`, /alice & bob/],
      ['a room that is not an object', `return 'a string'`, /room/],
    ] as const) {
      it(`fails the action, naming the plugin, with nothing committed, when a plugin produces ${what}`, async () => {
        t = await openTestEngine({
          plugins: [
            {name: 'culprit', source: modifying(body)},
            {name: 'after', source: modifying(`throw new Error('must not run')`)},
          ],
        })
        seedRoom(t.store, 'taken', ['zed'])
        const before = t.state()
        const outcome = await t.run('room.create', {name: 'general', by: 'alice', members: ['bob']})
        expect(outcome.status).to.equal('failed')
        expect(exitCodeOf(outcome)).to.equal(4)
        expect(outcome.error).to.deep.include({code: 'PLUGIN_FAILED', plugin: 'culprit'})
        expect(outcome.error!.message).to.include('culprit').and.match(message)
        expect(calls(outcome)).to.deep.equal(['culprit:executePreRoomCreateModify:error'])
        expect(t.state()).to.equal(before)
        expect(t.store.events({limit: 5}).map((event) => `${event.kind}:${event.status}`)).to.deep.equal(['room.create:failed'])
      })
    }
  })
})
