import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {RoomsimError} from '../../src/errors.js'
import {calls, openTestEngine, OWN_EXCEPTIONS, reports, seedRoom, type TestEngine} from '../helpers/engine.js'

/** The error an action throws (validation happens before any plugin runs), or a failure if it does not throw. */
async function rejection(promise: Promise<unknown>): Promise<RoomsimError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(RoomsimError)
    return error as RoomsimError
  }
  throw new Error('expected the action to be refused')
}

describe('engine: inputs, committed state, membership, noop and the event log', () => {
  let t: TestEngine | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  it('gives handlers deep-frozen copies: a mutation throws inside the plugin and changes nothing', async () => {
    const attempts = `
      const attempt = (fn) => { try { fn(); return 'no error' } catch (error) { return error.constructor.name } }
      const tryAll = (room, user) => console.log(JSON.stringify([
        attempt(() => { room.slugifiedName = 'renamed' }),
        attempt(() => { room.customFields.injected = 1 }),
        attempt(() => { room.usernames.push('mallory') }),
        attempt(() => { room.creator.username = 'mallory' }),
        attempt(() => { delete room.type }),
        attempt(() => { room.createdAt.setFullYear(1999) }),
        ...(user ? [attempt(() => { user.roles.push('admin') })] : []),
      ]))`
    t = await openTestEngine({
      plugins: [
        {
          name: 'vandal',
          source: `${attempts}
          export default {
            async executePreRoomCreatePrevent(room) { tryAll(room); return false },
            async executePostRoomCreate(room) { tryAll(room) },
            async executePreRoomUserJoined(context) { tryAll(context.room, context.joiningUser) },
            async executePostRoomUserJoined(context) { tryAll(context.room, context.joiningUser) },
          }`,
        },
        // One that does not catch: the throw is an error of that plugin, nothing more.
        {name: 'careless', source: `export default { async executePreRoomUserJoined(context) { context.room.usernames.push('mallory') } }`},
      ],
    })
    const created = await t.run('room.create', {name: 'general', by: 'alice'})
    expect(created.status).to.equal('completed')
    const joined = await t.run('room.join', {room: 'general', user: 'bob'})
    expect(joined.status).to.equal('completed')
    const seen = [...reports(created, 'vandal'), ...reports(joined, 'vandal')]
    expect(seen).to.have.length(4)
    for (const results of seen) for (const result of results) expect(result).to.equal('TypeError')
    expect(calls(joined)[1]).to.equal('careless:executePreRoomUserJoined:error')
    const room = t.store.roomByName('general')!
    expect(room.usernames).to.deep.equal(['alice', 'bob'])
    expect(room.customFields).to.deep.equal({})
    expect(room.creator.username).to.equal('alice')
    expect(t.store.userByName('bob')!.roles).to.deep.equal(['user'])
    expect(t.store.userByName('mallory')).to.equal(undefined)
  })

  it('gives handlers Date objects for dates', async () => {
    t = await openTestEngine({
      plugins: [{name: 'dates', source: `export default { async executePostRoomCreate(room) { console.log(JSON.stringify([room.createdAt instanceof Date, room.creator.createdAt instanceof Date])) } }`}],
    })
    const outcome = await t.run('room.create', {name: 'general'})
    expect(reports(outcome, 'dates')).to.deep.equal([[true, true]])
  })

  it('runs post handlers on the committed state: after join the room lists the member, after leave not, after delete the room as it was', async () => {
    t = await openTestEngine({
      plugins: [
        {
          name: 'inspector',
          source: `const look = async (label, room, read) => {
              const stored = await read.getRoomReader().getById(room.id)
              const members = await read.getRoomReader().getMembers(room.id)
              console.log(JSON.stringify({label, given: room.usernames, stored: stored ? stored.usernames : null, members: members.map((user) => user.username)}))
            }
            export default {
              async executePostRoomCreate(room, read) { await look('create', room, read) },
              async executePostRoomUserJoined(context, read) { await look('join', context.room, read) },
              async executePostRoomUserLeave(context, read) { await look('leave', context.room, read) },
              async executePostRoomDeleted(room, read) { await look('delete', room, read) },
            }`,
        },
      ],
    })
    const create = reports(await t.run('room.create', {name: 'general', by: 'alice'}))
    const join = reports(await t.run('room.join', {room: 'general', user: 'bob'}))
    const leave = reports(await t.run('room.leave', {room: 'general', user: 'alice'}))
    const deleted = reports(await t.run('room.delete', {room: 'general'}))
    expect(create).to.deep.equal([{label: 'create', given: ['alice'], stored: ['alice'], members: ['alice']}])
    expect(join).to.deep.equal([{label: 'join', given: ['alice', 'bob'], stored: ['alice', 'bob'], members: ['alice', 'bob']}])
    expect(leave).to.deep.equal([{label: 'leave', given: ['bob'], stored: ['bob'], members: ['bob']}])
    // The room as it was, though the store no longer has it.
    expect(deleted).to.deep.equal([{label: 'delete', given: ['bob'], stored: null, members: []}])
  })

  it('lets pre handlers see the state before the action (the join is not visible yet)', async () => {
    t = await openTestEngine({
      plugins: [
        {
          name: 'early',
          source: `export default { async executePreRoomUserJoined(context, read) {
            const stored = await read.getRoomReader().getById(context.room.id)
            console.log(JSON.stringify(stored.usernames))
          } }`,
        },
      ],
    })
    await t.run('room.create', {name: 'general', by: 'alice'})
    expect(reports(await t.run('room.join', {room: 'general', user: 'bob'}))).to.deep.equal([['alice']])
  })

  it('fires no join events for members given at create', async () => {
    t = await openTestEngine({
      plugins: [
        {
          name: 'joins',
          source: `export default {
            async executePreRoomUserJoined() { throw new Error('no join at create') },
            async executePostRoomUserJoined() { throw new Error('no join at create') },
            async executePostRoomCreate() {},
          }`,
        },
      ],
    })
    const outcome = await t.run('room.create', {name: 'general', by: 'alice', members: ['bob', 'carol']})
    expect(outcome.status).to.equal('completed')
    expect(calls(outcome)).to.deep.equal(['joins:executePostRoomCreate:done'])
    expect(t.store.roomByName('general')!.usernames).to.deep.equal(['alice', 'bob', 'carol'])
  })

  it('treats a re-join as noop: no hooks run and nothing is logged', async () => {
    t = await openTestEngine({plugins: [{name: 'wall', source: `${OWN_EXCEPTIONS} export default { async executePreRoomUserJoined() { throw new UserNotAllowedException('nobody') } }`}]})
    await t.run('room.create', {name: 'general', by: 'alice', members: ['bob']})
    const eventsBefore = t.store.events({limit: 100})
    const before = t.state()
    const outcome = await t.run('room.join', {room: 'general', user: 'bob'})
    expect(outcome.status).to.equal('noop')
    expect(outcome.hooks).to.deep.equal([])
    expect(outcome.prevented).to.equal(null)
    expect(outcome.room!.members.usernames()).to.deep.equal(['alice', 'bob'])
    expect(t.store.events({limit: 100})).to.deep.equal(eventsBefore)
    expect(t.state()).to.equal(before)
    // Also in a private room, where only newcomers need an inviter.
    await t.run('room.create', {name: 'secret', type: 'p', by: 'alice'})
    const [eventsBeforePrivate, stateBeforePrivate] = [t.store.events({limit: 100}), t.state()]
    const rejoin = await t.run('room.join', {room: 'secret', user: 'alice'})
    expect(rejoin.status).to.equal('noop')
    expect(rejoin.hooks).to.deep.equal([])
    expect(t.store.events({limit: 100})).to.deep.equal(eventsBeforePrivate)
    expect(t.state()).to.equal(stateBeforePrivate)
  })

  it('appends completed, prevented and failed actions to the event log with their hook calls; noop and invalid input leave no entry', async () => {
    t = await openTestEngine({
      plugins: [
        {
          name: 'judge',
          source: `${OWN_EXCEPTIONS} export default {
            async executePreRoomUserJoined(context) { if (context.joiningUser.username === 'mallory') throw new UserNotAllowedException('not you') },
            async executePreRoomCreateModify(room, builder) { if (room.slugifiedName === 'broken') builder.setSlugifiedName('no good'); return builder.getRoom() },
            async executePostRoomUserJoined() {},
          }`,
        },
      ],
    })
    await t.run('room.create', {name: 'general', by: 'alice'})
    await t.run('room.join', {room: 'general', user: 'bob'})
    await t.run('room.join', {room: 'general', user: 'mallory'})
    await t.run('room.create', {name: 'broken'})
    await t.run('room.join', {room: 'general', user: 'bob'}) // noop
    await rejection(t.run('room.join', {room: 'nowhere', user: 'bob'})) // invalid
    const log = t.store.events({limit: 100})
    expect(log.map((event) => `${event.kind}:${event.status}`)).to.deep.equal([
      'room.create:completed',
      'user.create:completed', // alice, named by the action
      'room.join:completed',
      'user.create:completed', // bob
      'room.join.post:completed',
      'room.join:prevented',
      'room.create:failed',
    ])
    const [, , join, , post, prevented, failed] = log
    expect((join!.data.hooks as {method: string}[]).map((hook) => hook.method)).to.deep.equal(['executePreRoomUserJoined'])
    expect(post!.parentSeq).to.equal(join!.seq)
    expect((post!.data.hooks as {method: string}[]).map((hook) => hook.method)).to.deep.equal(['executePostRoomUserJoined'])
    expect(prevented!.data.prevented).to.deep.include({plugin: 'judge', reason: 'not you'})
    expect(failed!.data.error).to.deep.include({plugin: 'judge'})
    // Nobody was created by the prevented or failed actions.
    expect(t.store.userByName('mallory')).to.equal(undefined)
    expect(t.store.roomByName('broken')).to.equal(undefined)
  })

  it('refuses bad input before any plugin runs', async () => {
    t = await openTestEngine()
    const marker = join(t.dir, 'ran.txt')
    await t.close()
    const everywhere = ['PreRoomCreatePrevent', 'PreRoomCreateExtend', 'PreRoomCreateModify', 'PostRoomCreate', 'PreRoomDeletePrevent', 'PostRoomDeleted', 'PreRoomUserJoined', 'PostRoomUserJoined', 'PreRoomUserLeave', 'PostRoomUserLeave']
    t = await openTestEngine({
      plugins: [
        {
          name: 'tripwire',
          source: `import {appendFileSync} from 'node:fs'
          export default { ${everywhere.map((name) => `async execute${name}() { appendFileSync(${JSON.stringify(marker)}, '${name}\\n'); return false }`).join(',\n')} }`,
        },
      ],
    })
    seedRoom(t.store, 'general', ['alice', 'bob'])
    seedRoom(t.store, 'secret', ['alice'], 'p')
    seedRoom(t.store, 'alice__bob', ['alice', 'bob'], 'd')
    seedRoom(t.store, 'support', ['alice'], 'l')
    const before = t.state()
    const refusals = {
      'bad room name': () => t!.run('room.create', {name: 'no spaces'}),
      'room name taken': () => t!.run('room.create', {name: 'general'}),
      'direct room with a name': () => t!.run('room.create', {name: 'dm', type: 'd', by: 'alice', members: ['bob']}),
      'direct room without another member': () => t!.run('room.create', {type: 'd', by: 'alice'}),
      'direct room that exists': () => t!.run('room.create', {type: 'd', by: 'bob', members: ['alice']}),
      'custom field key with a dot': () => t!.run('room.create', {name: 'fine', customFields: {'a.b': 1}}),
      'bad username': () => t!.run('room.join', {room: 'general', user: 'bad/user'}),
      'unknown room': () => t!.run('room.join', {room: 'nowhere', user: 'carol'}),
      'join a direct room': () => t!.run('room.join', {room: 'alice__bob', user: 'carol'}),
      'join a livechat room': () => t!.run('room.join', {room: 'support', user: 'carol'}),
      'private room without inviter': () => t!.run('room.join', {room: 'secret', user: 'carol'}),
      'inviter not a member': () => t!.run('room.join', {room: 'secret', user: 'carol', invitedBy: 'bob'}),
      'inviter unknown': () => t!.run('room.join', {room: 'general', user: 'carol', invitedBy: 'ghost'}),
      'leave when not a member': () => t!.run('room.leave', {room: 'secret', user: 'bob'}),
      'leave as an unknown user': () => t!.run('room.leave', {room: 'general', user: 'ghost'}),
      'remover not a member': () => t!.run('room.leave', {room: 'secret', user: 'alice', removedBy: 'bob'}),
      'delete an unknown room': () => t!.run('room.delete', {room: 'nowhere'}),
    }
    const codes: Record<string, string> = {}
    for (const [what, attempt] of Object.entries(refusals)) codes[what] = (await rejection(attempt())).code
    expect(codes).to.deep.equal({
      'bad room name': 'INVALID_NAME',
      'room name taken': 'NAME_TAKEN',
      'direct room with a name': 'INVALID_INPUT',
      'direct room without another member': 'INVALID_INPUT',
      'direct room that exists': 'NAME_TAKEN',
      'custom field key with a dot': 'INVALID_INPUT',
      'bad username': 'INVALID_NAME',
      'unknown room': 'UNKNOWN_ROOM',
      'join a direct room': 'JOIN_NOT_ALLOWED',
      'join a livechat room': 'JOIN_NOT_ALLOWED',
      'private room without inviter': 'INVITER_REQUIRED',
      'inviter not a member': 'NOT_A_MEMBER',
      'inviter unknown': 'UNKNOWN_USER',
      'leave when not a member': 'NOT_A_MEMBER',
      'leave as an unknown user': 'NOT_A_MEMBER',
      'remover not a member': 'NOT_A_MEMBER',
      'delete an unknown room': 'UNKNOWN_ROOM',
    })
    expect(existsSync(marker) ? readFileSync(marker, 'utf8') : '').to.equal('')
    expect(t.state()).to.equal(before)
    expect(t.store.events({limit: 10})).to.deep.equal([])
  })

  it('names a direct room after its members, sorted, joined by "__", and lets an inviting member into a private room', async () => {
    t = await openTestEngine()
    const direct = await t.run('room.create', {type: 'd', by: 'zoe', members: ['adam', 'mia']})
    expect(direct.room).to.include({slugifiedName: 'adam__mia__zoe', type: 'd'})
    await t.run('room.create', {name: 'secret', type: 'p', by: 'alice'})
    const joined = await t.run('room.join', {room: 'secret', user: 'bob', invitedBy: 'alice'})
    expect(joined.status).to.equal('completed')
    expect(t.store.roomByName('secret')!.usernames).to.deep.equal(['alice', 'bob'])
    expect(t.store.userByName('bob')).to.deep.include({name: 'bob', roles: ['user']})
  })

  it('makes admin (role admin) the acting user when none is given, on first use', async () => {
    t = await openTestEngine()
    const outcome = await t.run('room.create', {name: 'general'})
    expect(outcome.room!.creator).to.deep.include({username: 'admin', roles: ['admin']})
    expect(t.store.userByName('admin')).to.deep.include({username: 'admin', roles: ['admin']})
    await t.run('room.delete', {room: 'general'})
    expect(t.store.listUsers().map((user) => user.username)).to.deep.equal(['admin'])
  })
})
