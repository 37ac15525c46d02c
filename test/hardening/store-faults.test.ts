import {expect} from 'chai'
import {chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {spawn} from 'node:child_process'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import {openDatabase} from '../../src/store/database.js'
import {LATEST_VERSION} from '../../src/store/migrations.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {STACK_LINE, storeFingerprint} from '../helpers/files.js'
import {writePlugin} from '../helpers/plugins.js'
import {inspect, SLOW_PLUGIN, Sqlite, start, until} from './helpers.js'

const require = createRequire(import.meta.url)
const isRoot = process.getuid?.() === 0
const NOBODY = 65_534

/** One line on stderr, exit 2, the code given, no stack trace, the store's bytes as they were. */
async function refused(args: string[], cwd: string, store: string, says: RegExp, {code = 'BAD_STORE', env = {}}: {code?: string; env?: Record<string, string>} = {}): Promise<void> {
  const before = storeFingerprint(store)
  const plain = await runCli(args, {cwd, env})
  expect(plain.code, plain.stderr).to.equal(2)
  expect(plain.stderr.trim().split('\n'), plain.stderr).to.have.length(1)
  expect(plain.stderr).to.match(says).and.not.match(STACK_LINE)
  const json = await runCli([...args, '--json'], {cwd, env})
  expect(json.code).to.equal(2)
  expect(json.json().error.code).to.equal(code)
  expect(storeFingerprint(store)).to.equal(before)
}

describe('hardening: store faults get a precise message and exit 2', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => void
  let store: string
  beforeEach(async () => {
    ;({dir, cleanup} = tempDir('roomsim-faults-'))
    store = join(dir, '.roomsim', 'store.db')
  })
  afterEach(() => {
    if (existsSync(join(dir, '.roomsim'))) chmodSync(join(dir, '.roomsim'), 0o755)
    cleanup()
  })

  const fill = async (rooms = 12): Promise<void> => {
    for (let index = 0; index < rooms; index++) expect((await runCli(['room', 'create', `room-${index}`, '--description', 'x'.repeat(900)], {cwd: dir})).code).to.equal(0)
  }

  it('a 0-byte store file is refused, not taken for a new store', async () => {
    mkdirSync(join(dir, '.roomsim'))
    writeFileSync(store, '')
    await refused(['room', 'create', 'general'], dir, store, /empty file \(0 bytes\).*remove it to start a new store, or restore a backup/)
    await refused(['room', 'list'], dir, store, /empty file/)
    expect(statSync(store).size).to.equal(0)
  })

  it('a damaged page: writes refused before they touch it, store check names the damage', async () => {
    await fill()
    const db = new Sqlite(store)
    const pages = db.pragma('page_count', {simple: true}) as number
    db.close()
    // Break the b-tree header of a page in the middle (a table or index page of rooms).
    const {openSync, writeSync, closeSync} = await import('node:fs')
    const fd = openSync(store, 'r+')
    writeSync(fd, Buffer.from([0x0d, 0, 0, 0, 5, 0x0f, 0xff, 0xff]), 0, 8, 4096 * Math.floor(pages / 2))
    closeSync(fd)
    expect(inspect(store).integrity).to.not.equal('ok')
    await refused(['room', 'create', 'another'], dir, store, /is damaged .*roomsim store check.*restore a backup/)
    const check = await runCli(['store', 'check', '--json'], {cwd: dir})
    expect(check.code).to.equal(2)
    expect(check.json().ok).to.equal(false)
    expect(check.json().problems[0]).to.match(/^integrity: /)
  })

  it('read-only commands open the store read-only: an older store is not migrated', async () => {
    await fill(1)
    const db = new Sqlite(store)
    // Undo the newest migration (6: indexes and the kept message count), as an older roomsim left the store.
    db.exec(`DROP TRIGGER messages_counted; DROP TRIGGER messages_uncounted; ALTER TABLE rooms DROP COLUMN message_count;
      DROP INDEX memberships_by_user; DROP INDEX memberships_in_order; DROP INDEX events_by_room_name; DROP INDEX associations_of_record; DROP INDEX plugin_records_in_order`)
    db.pragma(`user_version = ${LATEST_VERSION - 1}`)
    db.close()
    await refused(['room', 'list'], dir, store, /older roomsim .*roomsim store upgrade/)
    await refused(['log'], dir, store, /older roomsim/)
    const info = await runCli(['store', 'info', '--json'], {cwd: dir})
    expect(info.code, info.stderr).to.equal(0)
    expect(info.json()).to.include({schemaVersion: LATEST_VERSION - 1, latestSchemaVersion: LATEST_VERSION})
    expect((await runCli(['store', 'upgrade'], {cwd: dir})).code).to.equal(0)
    expect((await runCli(['room', 'list', '--json'], {cwd: dir})).json()).to.have.length(1)
  })

  it('a store locked by another program: STORE_BUSY after ROOMSIM_LOCK_WAIT, naming the holder when it is roomsim', async () => {
    await fill(1)
    // The holder is another process: in this one, reading the store's files for fingerprints would drop its POSIX locks.
    const holder = spawn(process.execPath, ['-e', `const db = new (require(${JSON.stringify(require.resolve('better-sqlite3'))}))(${JSON.stringify(store)}); db.exec('BEGIN IMMEDIATE'); console.log('held'); setInterval(() => {}, 1000)`], {stdio: ['ignore', 'pipe', 'inherit']})
    await new Promise((resolve) => holder.stdout!.once('data', resolve))
    try {
      await refused(['room', 'create', 'blocked'], dir, store, /locked by another program; gave up after \d+ s \(ROOMSIM_LOCK_WAIT/, {code: 'STORE_BUSY', env: {ROOMSIM_LOCK_WAIT: '1'}})
      // A note as a roomsim writer leaves it, naming a live process.
      writeFileSync(`${store}.writer`, JSON.stringify({pid: holder.pid, command: 'roomsim room join general --user slow'}))
      await refused(['room', 'create', 'blocked'], dir, store, new RegExp(`another roomsim process \\(pid ${holder.pid}: roomsim room join general --user slow\\)`), {code: 'STORE_BUSY', env: {ROOMSIM_LOCK_WAIT: '1'}})
    } finally {
      holder.kill('SIGKILL')
      await new Promise((resolve) => holder.once('close', resolve))
    }
    expect((await runCli(['room', 'create', 'free'], {cwd: dir})).code).to.equal(0)
  })

  it('a writer waits for a slow pre stage of another process instead of failing', async () => {
    writePlugin(join(dir, 'slow'), 'slow', SLOW_PLUGIN)
    writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({hooks: {timeoutMs: {pre: 60_000, post: 60_000}}, plugins: [{path: './slow', settings: {preSleepMs: 3000}}]}))
    expect((await runCli(['room', 'create', 'general'], {cwd: dir})).code).to.equal(0)
    const slow = start(['room', 'join', 'general', '--user', 'bob'], {cwd: dir})
    await until(() => existsSync(`${store}.writer`), 'the slow join to take the lock')
    const second = await runCli(['room', 'create', 'second'], {cwd: dir})
    expect(second.code, second.stderr).to.equal(0)
    expect((await slow.ended).code).to.equal(0)
  })

  describe('permissions (run as another user when the tests run as root)', () => {
    const asUser = isRoot ? {uid: NOBODY, gid: NOBODY} : undefined
    const cli = (args: string[], cwd: string) =>
      new Promise<{code: number | null; stderr: string; stdout: string}>((resolve) => {
        const {FORCE_COLOR: _color, ROOMSIM_STORE: _store, ...env} = process.env
        import('node:child_process').then(({spawn}) => {
          const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'run.js'), ...args], {cwd, env: {...env, NO_COLOR: '1', HOME: cwd}, ...(asUser ?? {})})
          let stdout = ''
          let stderr = ''
          child.stdout.on('data', (chunk) => (stdout += chunk))
          child.stderr.on('data', (chunk) => (stderr += chunk))
          child.on('close', (code) => resolve({code, stdout, stderr}))
        })
      })

    beforeEach(async function () {
      if (isRoot && !existsSync('/proc')) this.skip()
      await fill(1)
      // Everyone may reach the test folder; the store belongs to the test's user.
      chmodSync(dir, 0o755)
    })

    it('a read-only store file: writes refused with what to fix, reads still work', async () => {
      chmodSync(store, 0o444)
      const before = storeFingerprint(store)
      const write = await cli(['room', 'create', 'x'], dir)
      expect(write.code, write.stderr).to.equal(2)
      expect(write.stderr).to.match(/read-only for this user; fix its permissions|folder .* is not writable/).and.not.match(STACK_LINE)
      expect(storeFingerprint(store)).to.equal(before)
    })

    it('an unwritable folder is not reported as "not a roomsim store"', async () => {
      chmodSync(join(dir, '.roomsim'), 0o555)
      if (!isRoot) chmodSync(store, 0o444)
      const write = await cli(['room', 'create', 'x'], dir)
      expect(write.code, write.stderr).to.equal(2)
      expect(write.stderr).to.not.match(/not a roomsim store/)
      expect(write.stderr).to.match(/not writable|read-only/)
    })

    it('-wal/-shm files of another user: a precise message, not exit 1', async function () {
      if (!isRoot) this.skip()
      for (const suffix of ['-wal', '-shm']) {
        writeFileSync(`${store}${suffix}`, '')
        chownSync(`${store}${suffix}`, 0, 0)
        chmodSync(`${store}${suffix}`, 0o644)
      }
      chownSync(store, NOBODY, NOBODY)
      chownSync(join(dir, '.roomsim'), NOBODY, NOBODY)
      const write = await cli(['room', 'create', 'x'], dir)
      expect(write.code, write.stderr).to.equal(2)
      expect(write.stderr).to.match(/store\.db-(wal|shm) belongs to another user \(uid 0\)/)
    })
  })
})

describe('hardening: a committed action always reports its outcome', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir('roomsim-post-')))
  afterEach(() => cleanup())

  it('a kill inside the post stage leaves the action marked: log and store check account for its writes', async () => {
    writePlugin(join(dir, 'slow'), 'slow', SLOW_PLUGIN)
    writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({hooks: {timeoutMs: {pre: 60_000, post: 60_000}}, plugins: [{path: './slow', settings: {postSleepMs: 60_000}}]}))
    const store = join(dir, '.roomsim', 'store.db')
    const running = start(['room', 'create', 'general'], {cwd: dir})
    await until(() => {
      if (!existsSync(store)) return false
      const db = new Sqlite(store, {readonly: true})
      try {
        return (db.prepare('SELECT count(*) AS n FROM plugin_records').get() as {n: number}).n > 0
      } catch {
        return false
      } finally {
        db.close()
      }
    }, 'the post stage to write')
    running.child.kill('SIGKILL')
    await running.ended
    const log = (await runCli(['log', '--json'], {cwd: dir})).json()
    expect(log.find((entry: {kind: string}) => entry.kind === 'room.create').post).to.equal('interrupted')
    expect((await runCli(['log'], {cwd: dir})).stdout).to.match(/post stage interrupted/)
    const {integrity, report} = inspect(store)
    expect(integrity).to.equal('ok')
    expect(report.problems).to.deep.equal([])
    expect(report.warnings.join('\n')).to.match(/post stage of #1 \(room.create\) was interrupted/)
  })

  it('the disk filling up while the post stage is logged: the outcome still prints, with a warning', async () => {
    const {openTestEngine} = await import('../helpers/engine.js')
    // Many lines of a few KB: each log line is capped in length, the lines of an action in number.
    const big = `export default class Loud { async executePostRoomCreate() { for (let i = 0; i < 200; i++) this.getLogger().info('x'.repeat(3000)) } }`
    const engine = await openTestEngine({plugins: [{name: 'loud', source: big}]})
    try {
      const db = engine.store.db
      // A store allowed only a few more pages: the action commits, its 600 KB post-stage entry cannot.
      db.pragma(`max_page_count = ${(db.pragma('page_count', {simple: true}) as number) + 40}`)
      const outcome = await engine.run('room.create', {name: 'general'})
      expect(outcome.status).to.equal('completed')
      expect(outcome.room?.slugifiedName).to.equal('general')
      expect(outcome.logIncomplete).to.match(/disk .* is full.*shows the post stage as interrupted/)
      const row = db.prepare("SELECT post_pid FROM events WHERE kind = 'room.create'").get() as {post_pid: number | null}
      expect(row.post_pid).to.equal(process.pid)
    } finally {
      await engine.close()
    }
  })
})

describe('hardening: temporary stores', function () {
  this.timeout(120_000)
  it('Ctrl-C (SIGINT) and SIGTERM during scenario run remove every temporary store', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const {dir, cleanup} = tempDir('roomsim-sigint-')
      try {
        const tmp = join(dir, 'tmp')
        mkdirSync(tmp)
        writePlugin(join(dir, 'slow'), 'slow', SLOW_PLUGIN)
        writeFileSync(join(dir, 'slow.yaml'), ['name: slow', 'plugins:', '  - path: ./slow', '    settings: {postSleepMs: 60000}', 'steps:', '  - create: {room: general}', ''].join('\n'))
        writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({hooks: {timeoutMs: {post: 120_000}}}))
        const running = start(['scenario', 'run', 'slow.yaml'], {cwd: dir, env: {TMPDIR: tmp}})
        await until(() => readdirSync(tmp).some((name) => name.startsWith('roomsim-scenario-')), 'the scenario to start')
        await new Promise((resolve) => setTimeout(resolve, 500))
        running.child.kill(signal)
        const {code} = await running.ended
        expect(code).to.equal(signal === 'SIGINT' ? 130 : 143)
        expect(readdirSync(tmp).filter((name) => name.startsWith('roomsim-scenario-'))).to.deep.equal([])
      } finally {
        cleanup()
      }
    }
  })
})

describe('hardening: a report file', function () {
  this.timeout(120_000)
  it('keeps every step reported before Ctrl-C, though it is written in chunks', async () => {
    const {dir, cleanup} = tempDir('roomsim-report-')
    try {
      writePlugin(join(dir, 'slow'), 'slow', SLOW_PLUGIN)
      writeFileSync(join(dir, 'slow.yaml'), ['name: slow', 'plugins:', '  - path: ./slow', '    settings: {preSleepMs: 60000, postSleepMs: 0}', 'steps:', '  - create: {room: general}', '  - join: {room: general, user: bob}', ''].join('\n'))
      writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({hooks: {timeoutMs: {pre: 120_000}}}))
      const running = start(['scenario', 'run', 'slow.yaml', '--reporter', 'json', '--output', 'report.json'], {cwd: dir})
      await until(() => existsSync(join(dir, 'report.json')), 'the run to start')
      // The create is done well within this; the join then sleeps for a minute.
      await new Promise((resolve) => setTimeout(resolve, 8000))
      running.child.kill('SIGINT')
      expect((await running.ended).code, running.output().stderr).to.equal(130)
      const report = readFileSync(join(dir, 'report.json'), 'utf8')
      expect(report).to.include('"label":"room create general')
      expect(report).to.not.include('"label":"room join general')
    } finally {
      cleanup()
    }
  })
})

describe('hardening: openDatabase', () => {
  it('creates a store whole: nothing but the store is left beside it', () => {
    const {dir, cleanup} = tempDir('roomsim-create-')
    try {
      openDatabase(join(dir, 'store.db'), {create: true})!.close()
      expect(readdirSync(dir)).to.deep.equal(['store.db'])
    } finally {
      cleanup()
    }
  })
})
