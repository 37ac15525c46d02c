import {expect} from 'chai'
import {join} from 'node:path'

import BetterSqlite3 from 'better-sqlite3'

import {openDatabase} from '../../src/store/database.js'
import {APPLICATION_ID, MIGRATIONS} from '../../src/store/migrations.js'
import {Store} from '../../src/store/store.js'
import {tempDir} from '../helpers/cli.js'
import {APPS_ENGINE, probePlugin, probeReport, sandbox, type Sandbox} from '../helpers/accessor-sandbox.js'

const ASSOCIATIONS = `import {RocketChatAssociationModel as Model, RocketChatAssociationRecord as Record} from '${APPS_ENGINE.metadata}'`

describe('accessors: IPersistence', () => {
  let box: Sandbox | undefined
  afterEach(async () => {
    await box?.close()
    box = undefined
  })

  it('creates, reads, updates (with upsert) and removes records, by id and by association', async () => {
    box = await sandbox({
      keeper: {
        source: probePlugin(
          'executePostRoomCreate',
          `async (room, read, http, persistence) => {
            const reader = read.getPersistenceReader()
            const ofRoom = new Record(Model.ROOM, room.id)
            const ofUser = new Record(Model.USER, room.creator.id)
            const misc = new Record(Model.MISC, 'settings')
            const plain = await persistence.create({kind: 'plain'})
            const roomOnly = await persistence.createWithAssociation({kind: 'room'}, ofRoom)
            const both = await persistence.createWithAssociations({kind: 'both'}, [ofRoom, ofUser])
            const log = {}
            log.read = await reader.read(plain)
            log.readMissing = (await reader.read('nope')) === undefined
            log.byRoom = (await reader.readByAssociation(ofRoom)).map((data) => data.kind)
            log.byRoomAndUser = (await reader.readByAssociations([ofRoom, ofUser])).map((data) => data.kind)
            log.byNothing = await reader.readByAssociation(misc)
            log.update = (await persistence.update(plain, {kind: 'plain', n: 2})) === plain
            log.afterUpdate = await reader.read(plain)
            log.updateMissing = await attempt(() => persistence.update('counter', {n: 1}))
            log.upsert = await persistence.update('counter', {n: 1}, true)
            log.counter = await reader.read('counter')
            // updateByAssociation matches records whose associations are exactly these: the room-only record.
            log.updateByRoom = (await persistence.updateByAssociation(ofRoom, {kind: 'room', n: 2})) === roomOnly
            log.afterUpdateByRoom = (await reader.readByAssociation(ofRoom)).map((data) => data.n ?? 0)
            log.updateByMissing = await attempt(() => persistence.updateByAssociation(misc, {theme: 'dark'}))
            log.upsertByMisc = typeof (await persistence.updateByAssociation(misc, {theme: 'dark'}, true))
            log.upsertByMiscAgain = await persistence.updateByAssociations([misc], {theme: 'light'}, true)
            log.misc = await reader.readByAssociation(misc)
            log.updateByBoth = (await persistence.updateByAssociations([ofUser, ofRoom], {kind: 'both', n: 3})) === both
            log.removed = await persistence.remove(plain)
            log.removedAgain = (await persistence.remove(plain)) === undefined
            log.removeByBoth = await persistence.removeByAssociations([ofRoom, ofUser])
            log.removeByRoom = await persistence.removeByAssociation(ofRoom)
            log.removeNothing = await persistence.removeByAssociation(new Record(Model.MESSAGE, 'x'))
            log.notAnObject = await attempt(() => persistence.create('text'))
            log.noAssociation = await attempt(() => reader.readByAssociations([]))
            log.badAssociation = await attempt(() => persistence.createWithAssociation({}, {id: 'x'}))
            return log
          }`,
          ASSOCIATIONS,
        ),
      },
    })
    const outcome = await box.engine.run('room.create', {name: 'general', by: 'alice'})
    const log = probeReport(outcome)
    expect(log).to.deep.include({
      read: {kind: 'plain'},
      readMissing: true,
      byRoom: ['room', 'both'],
      byRoomAndUser: ['both'],
      byNothing: [],
      update: true,
      afterUpdate: {kind: 'plain', n: 2},
      upsert: 'counter',
      counter: {n: 1},
      updateByRoom: true,
      afterUpdateByRoom: [2, 0],
      upsertByMisc: 'string',
      misc: [{theme: 'light'}],
      updateByBoth: true,
      removed: {kind: 'plain', n: 2},
      removedAgain: true,
      removeByBoth: [{kind: 'both', n: 3}],
      removeByRoom: [{kind: 'room', n: 2}],
      removeNothing: [],
    })
    expect(log.updateMissing.error).to.equal('IPersistence.update: keeper has no record "counter" (pass upsert = true to create it)')
    expect(log.updateByMissing.error).to.equal('IPersistence.updateByAssociation: keeper has no record associated with exactly [misc:settings] (pass upsert = true to create it)')
    expect(log.notAnObject.error).to.equal('IPersistence.create: data must be an object, got "text"')
    expect(log.noAssociation.error).to.match(/^IPersistenceRead\.readByAssociations: expected a non-empty list of associations/)
    expect(log.badAssociation.error).to.match(/^IPersistence\.createWithAssociation: association must be an association \{model, id\}/)
    // What is left in the store: the upserted counter and the misc record.
    const left = box.store.records('keeper').map((record) => ({id: record.id, data: record.data, associations: record.associations}))
    expect(left).to.have.length(2)
    expect(left[0]).to.deep.equal({id: 'counter', data: {n: 1}, associations: []})
    expect(left[1]).to.deep.include({data: {theme: 'light'}, associations: [{model: 'misc', id: 'settings'}]})
  })

  it('keeps each plugin to its own records, even under the same id and association', async () => {
    const body = (name: string) => `async (room, read, http, persistence) => {
      const reader = read.getPersistenceReader()
      const ofRoom = new Record(Model.ROOM, room.id)
      const seen = {
        before: (await reader.read('config')) ?? null,
        beforeByRoom: await reader.readByAssociation(ofRoom),
      }
      await persistence.update('config', {owner: '${name}'}, true)
      await persistence.createWithAssociation({owner: '${name}'}, ofRoom)
      seen.after = await reader.read('config')
      seen.afterByRoom = await reader.readByAssociation(ofRoom)
      seen.removedOthers = await persistence.removeByAssociation(new Record(Model.ROOM, 'elsewhere'))
      return seen
    }`
    box = await sandbox({
      first: {source: probePlugin('executePostRoomCreate', body('first'), ASSOCIATIONS)},
      second: {source: probePlugin('executePostRoomCreate', body('second'), ASSOCIATIONS)},
    })
    const outcome = await box.engine.run('room.create', {name: 'general', by: 'alice'})
    const empty = {before: null, beforeByRoom: [], removedOthers: []}
    expect(probeReport(outcome, 0)).to.deep.equal({...empty, after: {owner: 'first'}, afterByRoom: [{owner: 'first'}]})
    expect(probeReport(outcome, 1)).to.deep.equal({...empty, after: {owner: 'second'}, afterByRoom: [{owner: 'second'}]})
    expect(box.store.records('first').map((record) => record.data)).to.deep.equal([{owner: 'first'}, {owner: 'first'}])
    expect(box.store.records('second').map((record) => record.data)).to.deep.equal([{owner: 'second'}, {owner: 'second'}])
    expect(box.store.recordById('first', 'config')!.data).to.deep.equal({owner: 'first'})
  })

  describe('writes of pre-stage handlers', () => {
    const writer = {
      source: `export default {
        async executePreRoomCreatePrevent(room, read, http, persistence) {
          await persistence.update('seen-' + room.slugifiedName, {room: room.slugifiedName}, true)
          return false
        },
        async executePreRoomUserJoined(context, read, http, persistence) {
          await persistence.create({joined: context.joiningUser.username})
        },
      }`,
    }
    const blocker = {
      source: `class UserNotAllowedException extends Error {}
      export default {
        async executePreRoomCreatePrevent(room) { return room.slugifiedName.startsWith('blocked') },
        async executePreRoomUserJoined(context) {
          if (context.joiningUser.username === 'mallory') throw new UserNotAllowedException('no mallory')
        },
      }`,
    }
    const breaker = {
      source: `export default {
        async executePreRoomCreatePrevent(room) { if (room.slugifiedName.startsWith('broken')) throw new Error('broke'); return false },
      }`,
    }

    it('are discarded with a prevented action and kept with a completed one', async () => {
      box = await sandbox({writer, blocker})
      expect((await box.engine.run('room.create', {name: 'blocked-room', by: 'alice'})).status).to.equal('prevented')
      expect(box.store.records('writer')).to.deep.equal([])
      expect((await box.engine.run('room.create', {name: 'general', by: 'alice'})).status).to.equal('completed')
      expect(box.store.records('writer').map((record) => record.id)).to.deep.equal(['seen-general'])
      expect((await box.engine.run('room.join', {room: 'general', user: 'mallory'})).status).to.equal('prevented')
      expect((await box.engine.run('room.join', {room: 'general', user: 'bob'})).status).to.equal('completed')
      expect(box.store.records('writer').map((record) => record.data)).to.deep.equal([{room: 'general'}, {joined: 'bob'}])
    })

    it('are discarded with a failed action (onError: abort)', async () => {
      box = await sandbox({writer, breaker}, {hooks: {onError: 'abort'}})
      const outcome = await box.engine.run('room.create', {name: 'broken-room', by: 'alice'})
      expect(outcome.status).to.equal('failed')
      expect(box.store.records('writer')).to.deep.equal([])
    })
  })

  it('a post-stage write stays, whatever happens after it', async () => {
    box = await sandbox(
      {
        counter: {
          source: `export default {
            async executePostRoomUserJoined(context, read, http, persistence) {
              await persistence.update('joins', {n: 1}, true)
              throw new Error('after the write')
            },
          }`,
        },
      },
      {hooks: {onError: 'abort'}},
    )
    await box.engine.run('room.create', {name: 'general', by: 'alice'})
    const outcome = await box.engine.run('room.join', {room: 'general', user: 'bob'})
    expect(outcome.status).to.equal('completed')
    expect(outcome.error?.message).to.match(/after the write/)
    expect(box.store.recordById('counter', 'joins')!.data).to.deep.equal({n: 1})
  })
})

describe('store migration 3: plugin records keyed by (plugin, id)', () => {
  it('keeps the records and associations of a version 1 store', () => {
    const {dir, cleanup} = tempDir()
    try {
      const path = join(dir, 'store.db')
      const old = new BetterSqlite3(path)
      old.exec(MIGRATIONS[0]!.sql)
      old.pragma('user_version = 1')
      old.prepare("INSERT INTO plugin_records (id, plugin, data, created_at, updated_at) VALUES ('r1', 'audit', '{\"n\":1}', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')").run()
      old.prepare("INSERT INTO plugin_record_associations (record_id, model, key) VALUES ('r1', 'room', 'R')").run()
      old.close()
      const store = new Store(openDatabase(path, {create: true})!)
      try {
        expect(store.db.pragma('user_version', {simple: true})).to.equal(MIGRATIONS.at(-1)!.version)
        expect(store.db.pragma('application_id', {simple: true})).to.equal(APPLICATION_ID)
        expect(store.records('audit').map(({id, data, associations}) => ({id, data, associations}))).to.deep.equal([{id: 'r1', data: {n: 1}, associations: [{model: 'room', id: 'R'}]}])
        // The same id may now exist for another plugin.
        store.insertRecord('other', {id: 'r1', data: {}, associations: [{model: 'room', id: 'R'}]})
        expect(store.recordsWithAll('audit', [{model: 'room', id: 'R'}])).to.have.length(1)
        store.deleteRecord('audit', 'r1')
        expect(store.db.prepare('SELECT count(*) AS n FROM plugin_record_associations').get()).to.deep.equal({n: 1})
      } finally {
        store.close()
      }
    } finally {
      cleanup()
    }
  })
})
