import {expect} from 'chai'
import {createRequire} from 'node:module'
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import {runCli, tempDir} from '../helpers/cli.js'
import {writeConfig, writePlugin} from '../helpers/plugins.js'

/**
 * One hostile plugin per attack on the runtime. Each runs first in a chain with
 * two well-behaved plugins: `keeper` (keeps a record of its own and vetoes the
 * room "forbidden" with Array.prototype.includes) and `witness`. Whatever the
 * attack, roomsim ends with its documented exit code, the others' results are
 * unchanged, and the store is sound with no row the attacker put under another
 * plugin's name.
 */

const KEEPER = `
import {RocketChatAssociationModel, RocketChatAssociationRecord} from '@rocket.chat/apps-engine/definition/metadata/index.js'
export default class Keeper {
  async executePreRoomCreatePrevent(room, read, http, persistence) {
    await persistence.createWithAssociation({owner: 'keeper', room: room.slugifiedName}, new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'keeper'))
    return ['forbidden'].includes(room.slugifiedName)
  }
}
`

const WITNESS = `
export default class Witness {
  async executePreRoomCreatePrevent() { return false }
  async executePostRoomCreate(room) { this.getLogger().info('witnessed #' + room.slugifiedName) }
}
`

/** Writes one frame on the isolate's channel (fd 3) the way the runtime does, to forge messages. */
const FORGE = `
import {writeSync} from 'node:fs'
import {serialize} from 'node:v8'
const forge = (message) => {
  const payload = serialize(message)
  const header = Buffer.alloc(4)
  header.writeUInt32BE(payload.length)
  writeSync(3, Buffer.concat([header, payload]))
}
`

const hostile = (body: string, prelude = ''): string => `${prelude}
export default class Hostile {
  async executePreRoomCreatePrevent(room, read, http, persistence) {
${body}
    return false
  }
}
`

interface Attack {
  name: string
  source: string
  /** What the hostile hook shows (result, and a pattern its error must match). */
  result: 'error' | 'allowed' | 'timeout'
  error?: RegExp
  config?: Record<string, unknown>
  hostileConfig?: Record<string, unknown>
  /** The room to create (default general) and the exit code that follows. */
  room?: string
  code?: number
}

const ATTACKS: Attack[] = [
  {name: 'malformed-frame', source: hostile(`writeSync(3, Buffer.from([0, 0, 0, 5, 1, 2, 3, 4, 5])); await new Promise((r) => setTimeout(r, 2000))`, `import {writeSync} from 'node:fs'`), result: 'error', error: /not a message|malformed/},
  {name: 'unknown-message', source: hostile(`forge({type: 'settled', id: 'x', plugin: 'keeper', ok: true}); await new Promise((r) => setTimeout(r, 2000))`, FORGE), result: 'error', error: /malformed settled|without an id/},
  {
    name: 'forged-call-for-another-plugin',
    source: hostile(
      `for (let actionId = 0; actionId < 5; actionId++) forge({type: 'call', id: 900 + actionId, actionId, plugin: 'keeper', method: 'persistence.removeByAssociation', args: [{model: 'misc', id: 'keeper'}]})
    await new Promise((r) => setTimeout(r, 200))`,
      FORGE,
    ),
    result: 'allowed',
  },
  {name: 'forged-settled-veto-disarm', source: hostile(`for (let id = 1; id < 20; id++) forge({type: 'settled', id, ok: true, value: {kind: 'boolean', value: false}})`, FORGE), result: 'allowed', room: 'forbidden', code: 3},
  {name: 'prototype-patch', source: hostile(`Array.prototype.includes = () => false; Object.prototype.then = undefined`), result: 'allowed', room: 'forbidden', code: 3},
  {
    name: 'then-getter-on-object-prototype',
    source: hostile('', `Object.defineProperty(Object.prototype, 'then', {get() { throw new Error('then trap') }, configurable: true})`),
    result: 'error',
  },
  {name: 'direct-fetch', source: hostile(`await fetch('http://127.0.0.1:' + PORT + '/leak')`), result: 'error', error: /direct network access to 127\.0\.0\.1:\d+ is refused/},
  {name: 'node-http', source: hostile(`await new Promise((resolve, reject) => get('http://127.0.0.1:' + PORT + '/leak', resolve).on('error', reject))`, `import {get} from 'node:http'`), result: 'error', error: /direct network access .* refused/},
  {name: 'node-net', source: hostile(`connect(Number(PORT), '127.0.0.1')`, `import {connect} from 'node:net'`), result: 'error', error: /direct network access .* refused/},
  {name: 'read-env', source: hostile(`if (process.env.ROOMSIM_TEST_SECRET) throw new Error('LEAK ' + process.env.ROOMSIM_TEST_SECRET)`), result: 'allowed'},
  {name: 'read-outside-folder', source: hostile(`readFileSync(STORE)`, `import {readFileSync} from 'node:fs'`), result: 'error', error: /ERR_ACCESS_DENIED|restricted/},
  {name: 'write-store-folder', source: hostile(`writeFileSync(STORE + '-evil', 'x')`, `import {writeFileSync} from 'node:fs'`), result: 'error', error: /ERR_ACCESS_DENIED|restricted/},
  {name: 'spawn-process', source: hostile(`execSync('true')`, `import {execSync} from 'node:child_process'`), result: 'error', error: /ERR_ACCESS_DENIED|restricted/},
  {name: 'open-store-with-sqlite', source: hostile(`const Database = createRequire(import.meta.url)(SQLITE); new Database(STORE).exec('DELETE FROM plugin_records')`, `import {createRequire} from 'node:module'`), result: 'error', error: /ERR_ACCESS_DENIED|restricted|disabled/},
  {name: 'signal-roomsim', source: hostile(`process.kill(process.ppid, 'SIGKILL')`), result: 'error', error: /may not send signals/},
  {name: 'signal-roomsim-raw', source: hostile(`process._kill(process.ppid, 9)`), result: 'error', error: /may not send signals/},
  {name: 'buffers-over-memory', source: hostile(`const keep = []; for (;;) { keep.push(Buffer.alloc(32 * 1024 * 1024, 1)); await new Promise((r) => setImmediate(r)) }`), result: 'error', error: /more than 160 MB of memory/, hostileConfig: {permissions: {memoryMb: 160}}},
  {name: 'log-flood', source: hostile(`for (let i = 0; i < 20000; i++) this.getLogger().info('line ' + i + ' ' + 'x'.repeat(10000))`), result: 'allowed'},
  {
    name: 'stub-pattern-backtracking',
    source: hostile(`try { await http.get('https://api.example.com/' + '/'.repeat(10000) + 'x') } catch {}`),
    result: 'allowed',
    config: {http: {stubs: [{method: 'GET', url: 'https://api.example.com/*/*/*/*/*/*/*/*/y', status: 200}]}},
  },
  {name: 'huge-message', source: hostile(`forge({type: 'log', actionId: 0, level: 'info', message: 'x'.repeat(20 * 1024 * 1024)})`, FORGE), result: 'error', error: /over the limit|limit is/},
  {name: 'deep-data', source: hostile(`let deep = []; for (let i = 0; i < 5000; i++) deep = [deep]; await persistence.create({deep})`), result: 'error', error: /nesting deeper|malformed|stack/i},
]

interface Hook {
  plugin: string
  method: string
  result: string
  error?: string
}

const require = createRequire(import.meta.url)
const SQLITE = require.resolve('better-sqlite3')

function storeFacts(dir: string): {integrity: string; foreign: number; keeperRecords: number} {
  const Sqlite = require('better-sqlite3') as typeof BetterSqlite3
  const db = new Sqlite(join(dir, '.roomsim', 'store.db'), {readonly: true})
  try {
    return {
      integrity: db.pragma('integrity_check', {simple: true}) as string,
      foreign: (db.prepare("SELECT count(*) AS n FROM plugin_records WHERE plugin NOT IN ('keeper', 'hostile')").get() as {n: number}).n,
      keeperRecords: (db.prepare("SELECT count(*) AS n FROM plugin_records WHERE plugin = 'keeper'").get() as {n: number}).n,
    }
  } finally {
    db.close()
  }
}

describe('the sandbox holds against a hostile plugin', function () {
  this.timeout(120_000)
  let server: Server
  let hits = 0
  let port = 0

  before(async () => {
    server = createServer((_request, response) => {
      hits++
      response.end('reached')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  for (const attack of ATTACKS) {
    it(`${attack.name}: contained; the others' results and the store are untouched`, async () => {
      const temp = tempDir()
      try {
        const store = join(temp.dir, '.roomsim', 'store.db')
        const source = attack.source.replaceAll('PORT', JSON.stringify(String(port))).replaceAll('STORE', JSON.stringify(store)).replaceAll('SQLITE', JSON.stringify(SQLITE))
        writePlugin(join(temp.dir, 'hostile'), 'hostile', source)
        writePlugin(join(temp.dir, 'keeper'), 'keeper', KEEPER)
        writePlugin(join(temp.dir, 'witness'), 'witness', WITNESS)
        writeConfig(temp.dir, {
          hooks: {timeoutMs: {pre: 5000, post: 5000}},
          plugins: [{path: './hostile', ...attack.hostileConfig}, {path: './keeper'}, {path: './witness'}],
          ...attack.config,
        })
        const before = hits
        const room = attack.room ?? 'general'
        const run = await runCli(['room', 'create', room, '--json'], {cwd: temp.dir, limitMs: 60_000, env: {ROOMSIM_TEST_SECRET: 'hunter2'}})
        expect(run.killed, 'roomsim hung').to.equal(false)
        expect(run.stderr).to.not.match(/\n\s+at /)
        expect(run.code, run.stderr).to.equal(attack.code ?? 0)
        expect(run.stdout.length, 'the outcome stays small').to.be.below(5_000_000)
        const outcome = run.json()
        const hooks = outcome.hooks as Hook[]
        const mine = hooks.find((hook) => hook.plugin === 'hostile')
        expect(mine, JSON.stringify(hooks)).to.include({result: attack.result})
        if (attack.error) expect(mine!.error).to.match(attack.error)
        expect(JSON.stringify(outcome)).to.not.include('hunter2')
        // The others: keeper vetoes "forbidden" and allows the rest; witness runs in both stages when the room is made.
        const others = hooks.filter((hook) => hook.plugin !== 'hostile').map((hook) => `${hook.plugin}:${hook.method}:${hook.result}`)
        expect(others).to.deep.equal(
          room === 'forbidden'
            ? ['keeper:executePreRoomCreatePrevent:prevented']
            : ['keeper:executePreRoomCreatePrevent:allowed', 'witness:executePreRoomCreatePrevent:allowed', 'witness:executePostRoomCreate:done'],
        )
        expect(hits, 'the loopback server was reached').to.equal(before)
        const facts = storeFacts(temp.dir)
        expect(facts).to.include({integrity: 'ok', foreign: 0, keeperRecords: room === 'forbidden' ? 0 : 1})
        expect(existsSync(`${store}-evil`)).to.equal(false)
        if (attack.name === 'log-flood') {
          const logs = (outcome.effects as {plugin: string; message: string}[]).filter((effect) => effect.plugin === 'hostile')
          expect(logs.length).to.be.at.most(1001)
          expect(logs.at(-1)!.message).to.match(/more log line\(s\) of hostile dropped/)
          expect(logs[0]!.message.length).to.be.below(4100)
        }
      } finally {
        temp.cleanup()
      }
    })
  }

  it('a plugin allowed a host by config reaches it; one that is not allowed cannot', async () => {
    const temp = tempDir()
    try {
      const reach = (name: string) => `
export default class Reach {
  async executePostRoomCreate() {
    try { this.getLogger().info('${name}: ' + await (await fetch('http://127.0.0.1:${port}/')).text()) }
    catch (error) { this.getLogger().info('${name}: ' + error.message) }
  }
}
`
      writePlugin(join(temp.dir, 'allowed'), 'allowed', reach('allowed'))
      writePlugin(join(temp.dir, 'denied'), 'denied', reach('denied'))
      writeConfig(temp.dir, {plugins: [{path: './allowed', permissions: {network: ['127.0.0.1']}}, {path: './denied'}]})
      const before = hits
      const run = await runCli(['room', 'create', 'general', '--json'], {cwd: temp.dir, limitMs: 60_000})
      expect(run.code, run.stderr).to.equal(0)
      const messages = (run.json().effects as {kind: string; message: string}[]).filter((effect) => effect.kind === 'log').map((effect) => effect.message)
      expect(messages).to.include('allowed: reached')
      expect(messages.find((message) => message.startsWith('denied:'))).to.match(/direct network access to 127\.0\.0\.1:\d+ is refused/)
      expect(hits - before).to.equal(1)
    } finally {
      temp.cleanup()
    }
  })

  it("honours an app's declared permissions as the server does, naming the one missing; config can grant it", async () => {
    const temp = tempDir()
    try {
      const folder = join(temp.dir, 'ledger-app')
      mkdirSync(folder)
      writeFileSync(join(folder, 'app.json'), JSON.stringify({id: '2b7c3a9e-0d1f-4e5a-8b6c-7d8e9f0a1b2c', name: 'Ledger App', nameSlug: 'ledger-app', version: '0.1.0', requiredApiVersion: '^1.44.0', author: {name: 'roomsim', homepage: '', support: ''}, classFile: 'LedgerApp.ts', permissions: [{name: 'room.read'}]}))
      writeFileSync(
        join(folder, 'LedgerApp.ts'),
        `import {App} from '@rocket.chat/apps-engine/definition/App'
import type {IHttp, IPersistence, IRead} from '@rocket.chat/apps-engine/definition/accessors'
import type {IRoom} from '@rocket.chat/apps-engine/definition/rooms'

export class LedgerApp extends App {
  async executePostRoomCreate(room: IRoom, read: IRead, _http: IHttp, persistence: IPersistence): Promise<void> {
    const found = await read.getRoomReader().getByName(room.slugifiedName)
    this.getLogger().info('read ' + found?.slugifiedName)
    await persistence.create({room: room.id})
  }
}
`,
      )
      writeConfig(temp.dir, {plugins: [{path: './ledger-app'}]})
      const denied = await runCli(['room', 'create', 'general', '--json'], {cwd: temp.dir, limitMs: 60_000})
      expect(denied.code, denied.stderr).to.equal(0)
      const hook = (denied.json().hooks as Hook[]).find((candidate) => candidate.plugin === 'ledger-app')
      expect(hook).to.include({result: 'error'})
      expect(hook!.error).to.match(/persistence\.create: ledger-app lacks the permission "persistence"/)
      expect(JSON.stringify(denied.json().effects)).to.include('read general')

      writeConfig(temp.dir, {plugins: [{path: './ledger-app', permissions: {grant: ['persistence']}}]})
      const granted = await runCli(['room', 'create', 'second', '--json'], {cwd: temp.dir, limitMs: 60_000})
      expect(granted.code, granted.stderr).to.equal(0)
      expect((granted.json().hooks as Hook[]).find((candidate) => candidate.plugin === 'ledger-app')).to.include({result: 'done'})
    } finally {
      temp.cleanup()
    }
  })

  it('a CommonJS plugin with a dependency of its own and a TypeScript plugin with a sibling module both load in their sandbox', async () => {
    const temp = tempDir()
    try {
      const cjs = join(temp.dir, 'cjs-plugin')
      mkdirSync(join(cjs, 'node_modules', 'shout'), {recursive: true})
      writeFileSync(join(cjs, 'node_modules', 'shout', 'package.json'), JSON.stringify({name: 'shout', version: '1.0.0', main: 'index.js'}))
      writeFileSync(join(cjs, 'node_modules', 'shout', 'index.js'), "module.exports = (text) => text.toUpperCase() + '!'")
      writeFileSync(join(cjs, 'package.json'), JSON.stringify({name: 'cjs-plugin', version: '1.0.0', main: 'index.js'}))
      writeFileSync(join(cjs, 'index.js'), "const shout = require('shout')\nmodule.exports = {executePostRoomCreate(room) { this.getLogger().info(shout(room.slugifiedName)) }}\n")
      const ts = join(temp.dir, 'ts-plugin')
      mkdirSync(ts)
      writeFileSync(join(ts, 'package.json'), JSON.stringify({name: 'ts-plugin', version: '1.0.0', main: 'index.ts'}))
      writeFileSync(join(ts, 'greet.ts'), 'export const greet = (name: string): string => `hello ${name}`\n')
      writeFileSync(join(ts, 'index.ts'), "import {greet} from './greet'\nexport default class TsPlugin {\n  executePostRoomCreate(room: {slugifiedName: string}): void { (this as unknown as {getLogger(): {info(text: string): void}}).getLogger().info(greet(room.slugifiedName)) }\n}\n")
      writeConfig(temp.dir, {plugins: [{path: './cjs-plugin'}, {path: './ts-plugin'}]})
      const run = await runCli(['room', 'create', 'general', '--json'], {cwd: temp.dir, limitMs: 60_000})
      expect(run.code, run.stderr).to.equal(0)
      const messages = (run.json().effects as {kind: string; message: string}[]).filter((effect) => effect.kind === 'log').map((effect) => effect.message)
      expect(messages).to.include.members(['GENERAL!', 'hello general'])
    } finally {
      temp.cleanup()
    }
  })

  it('install-time code runs only in the sandbox: a top-level write into the project is refused', async () => {
    const temp = tempDir()
    try {
      const marker = join(temp.dir, 'written-at-import')
      writePlugin(join(temp.dir, 'sneaky'), 'sneaky', `import {writeFileSync} from 'node:fs'\ntry { writeFileSync(${JSON.stringify(marker)}, 'x') } catch {}\n${WITNESS}`)
      const run = await runCli(['plugins', 'link', './sneaky'], {cwd: temp.dir, limitMs: 60_000})
      expect(run.code, run.stderr).to.equal(0)
      expect(existsSync(marker)).to.equal(false)
      expect(readdirSync(temp.dir)).to.not.include('written-at-import')
    } finally {
      temp.cleanup()
    }
  })
})
