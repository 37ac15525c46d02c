/**
 * The fault test: a long scenario on a kept store, SIGKILLed at seeded random
 * moments (often inside a slow pre or post stage), and a plugins install
 * killed the same way. After every round the store passes SQLite's integrity
 * check and every invariant of `store check`: the event log accounts for every
 * committed row. Replay with ROOMSIM_FAULT_SEED.
 */
import {expect} from 'chai'
import {cpSync, existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCli, tempDir} from '../helpers/cli.js'
import {WITNESS, writePlugin} from '../helpers/plugins.js'
import {inspect, SLOW_PLUGIN, Sqlite, start, until} from './helpers.js'

const SEED = Number(process.env.ROOMSIM_FAULT_SEED ?? 7)
const ROUNDS = Number(process.env.ROOMSIM_FAULT_ROUNDS ?? 5)

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0
    return state / 4_294_967_296
  }
}

/** How many actions of this round's rooms the log holds (read from this process, query-only). */
function loggedActions(store: string, round: number): number {
  if (!existsSync(store)) return 0
  const db = new Sqlite(store, {fileMustExist: true})
  try {
    db.pragma('query_only = ON')
    return (db.prepare("SELECT count(*) AS n FROM events WHERE room_name LIKE ? AND kind LIKE 'room.%'").get(`r${round}-%`) as {n: number}).n
  } catch {
    return 0
  } finally {
    db.close()
  }
}

function longScenario(round: number): string {
  const steps: string[] = []
  for (let index = 0; index < 40; index++) {
    const room = `r${round}-${index}`
    steps.push(`  - create: {room: ${room}, by: owner${round}}`, `  - join: {room: ${room}, user: guest${round}-${index}}`)
    if (index % 3 === 0) steps.push(`  - leave: {room: ${room}, user: guest${round}-${index}}`)
    if (index % 5 === 0) steps.push(`  - delete: {room: ${room}, by: owner${round}}`)
  }
  return ['name: long', 'plugins:', '  - path: ./slow', '    settings: {preSleepMs: 40, postSleepMs: 80}', 'steps:', ...steps, ''].join('\n')
}

describe('hardening: SIGKILL at random moments leaves a consistent, fully logged store', function () {
  this.timeout(600_000)
  let dir: string
  let cleanup: () => void
  beforeEach(() => {
    ;({dir, cleanup} = tempDir('roomsim-kill-'))
    writePlugin(join(dir, 'slow'), 'slow', SLOW_PLUGIN)
    cpSync(WITNESS, join(dir, 'witness'), {recursive: true})
  })
  afterEach(function () {
    if (this.currentTest?.state === 'failed') process.stderr.write(`fault seed: ${SEED} (replay: ROOMSIM_FAULT_SEED=${SEED} npx mocha test/hardening/kill-rounds.test.ts)\n`)
    cleanup()
  })

  it(`${ROUNDS} rounds of a long scenario killed mid-run, and a killed plugins install`, async () => {
    const rng = random(SEED)
    const store = join(dir, '.roomsim', 'store.db')
    const ensureCommitted = () => existsSync(store) && inspect(store).report.problems.length >= 0
    for (let round = 0; round < ROUNDS; round++) {
      writeFileSync(join(dir, `round-${round}.yaml`), longScenario(round))
      const running = start(['scenario', 'run', `round-${round}.yaml`, '--store', store, '--reporter', 'tap'], {cwd: dir})
      // Kill once some actions of this round are logged: after 2 to 30 of them, so the kill lands at a different point each round.
      const after = 2 + Math.floor(rng() * 28)
      await until(() => loggedActions(store, round) >= after || running.child.exitCode !== null, `action ${after} of round ${round}`)
      await new Promise((resolve) => setTimeout(resolve, Math.floor(rng() * 60)))
      running.child.kill('SIGKILL')
      // Killed mid-run, not after it ended by itself: otherwise the round proves nothing.
      expect((await running.ended).signal, `round ${round}: ${running.output().stderr}`).to.equal('SIGKILL')
      expect(ensureCommitted()).to.equal(true)
      const {integrity, report} = inspect(store)
      expect(integrity, `round ${round}`).to.equal('ok')
      expect(report.problems, `round ${round}`).to.deep.equal([])
      if (process.env.ROOMSIM_FAULT_TRACE) process.stderr.write(`round ${round}: ${report.warnings.length} interrupted post stages\n`)
    }

    // A plugins install killed at a random moment: the next install of it rolls back and succeeds.
    const installing = start(['plugins', 'install', './witness'], {cwd: dir})
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.floor(rng() * 1500)))
    installing.child.kill('SIGKILL')
    await installing.ended
    const again = await runCli(['plugins', 'install', './witness', '--json'], {cwd: dir})
    expect(again.code, again.stderr).to.equal(0)
    expect(again.json()).to.include({name: 'witness'})
    expect(existsSync(join(dir, '.roomsim', 'plugins.journal.json'))).to.equal(false)
    const check = await runCli(['store', 'check', '--json'], {cwd: dir})
    expect(check.code, check.stdout).to.equal(0)
    expect(check.json().problems).to.deep.equal([])
  })
})
