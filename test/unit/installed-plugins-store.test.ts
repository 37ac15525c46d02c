import {expect} from 'chai'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import {openDatabase} from '../../src/store/database.js'
import {APPLICATION_ID, LATEST_VERSION, MIGRATIONS} from '../../src/store/migrations.js'
import {Store} from '../../src/store/store.js'
import {tempDir} from '../helpers/cli.js'

const require = createRequire(import.meta.url)

describe('store: installed plugins', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())

  it('registers in install order; re-registering keeps place and enabled flag', () => {
    const store = new Store(openDatabase(join(dir, 'store.db'), {create: true})!)
    try {
      store.registerPlugin({name: 'a', kind: 'package', spec: '/x/a'})
      store.registerPlugin({name: 'b', kind: 'link', spec: '/x/b'})
      store.registerPlugin({name: 'c', kind: 'package', spec: 'c@1'})
      store.setPluginEnabled('a', false)
      store.setPluginPosition('c', 0)
      store.registerPlugin({name: 'a', kind: 'package', spec: '/x/a-2.tgz'})
      expect(store.installedPlugins().map((plugin) => [plugin.name, plugin.position, plugin.enabled, plugin.spec])).to.deep.equal([
        ['c', 0, true, 'c@1'],
        ['a', 1, false, '/x/a-2.tgz'],
        ['b', 2, true, '/x/b'],
      ])
      store.unregisterPlugin('b')
      expect(store.installedPlugin('b')).to.equal(undefined)
      store.registerPlugin({name: 'd', kind: 'link', spec: '/x/d'})
      expect(store.installedPlugin('d')).to.include({position: 2, kind: 'link'})
    } finally {
      store.close()
    }
  })

  it('migrates a version 1 store, keeping its data', () => {
    const path = join(dir, 'store.db')
    const Sqlite = require('better-sqlite3') as typeof BetterSqlite3
    const old = new Sqlite(path)
    old.exec(MIGRATIONS[0]!.sql)
    old.pragma('user_version = 1')
    old.prepare("INSERT INTO users (id, username, name, created_at) VALUES ('u1', 'alice', 'Alice', '2024-01-01T00:00:00.000Z')").run()
    old.close()

    const store = new Store(openDatabase(path, {create: false})!)
    try {
      expect(store.db.pragma('user_version', {simple: true})).to.equal(LATEST_VERSION)
      expect(store.db.pragma('application_id', {simple: true})).to.equal(APPLICATION_ID)
      expect(store.userByName('alice')).to.include({id: 'u1'})
      expect(store.installedPlugins()).to.deep.equal([])
    } finally {
      store.close()
    }
  })
})
