/**
 * npm run bench (part 2) — how cost grows with the store: rooms, members,
 * messages and steps, side by side in one run.
 *
 *   1. join+leave at 100k rooms / 1M memberships vs 100 rooms (in-process engine, no plugins)
 *   2. join+leave in a 100k-member room vs a 10-member room
 *   3. `room list --json` at 100k rooms: the default page, and every room at once (time, peak RSS)
 *   4. 1k scenario steps on a store with 1M messages (in the room the steps use) vs an empty store
 *   5. a 10k-step scenario through the CLI with and without the six example plugins: steps/s, peak RSS
 *      (BENCH_ROUNDS runs of each, alternating, medians shown; 3 by default), and beside it the channel
 *      floor (bench/channel-floor.ts) and the ceiling it sets for one process per plugin
 *
 * BENCH_SCALE multiplies every size (default 1; 0.1 for a quick look, 10 for a 100k-step run).
 * Arguments pick parts: `node --import tsx bench/scale.ts 5` runs only part 5 (default: every part);
 * `BENCH_SCALE=10 node --import tsx bench/scale.ts 5` is the 100k-step measurement.
 * Big stores are written straight into SQLite (bench/big-store.ts). Needs `npm run build`.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, tmpdir, totalmem} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {parseConfig} from '../src/config/schema.js'
import {Engine} from '../src/engine/engine.js'
import type {Report} from '../src/scenario/report.js'
import {openDatabase} from '../src/store/database.js'
import {Store} from '../src/store/store.js'
import type {Outcome} from '../src/domain/types.js'
import {writeBigStore} from './big-store.js'
import {echoRoundTripUs} from './channel-floor.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = join(ROOT, 'bin', 'run.js')
const EXAMPLES = ['name-policy', 'room-defaults', 'welcome', 'gatekeeper', 'archive-guard', 'audit']
const SCALE = Number(process.env.BENCH_SCALE ?? 1)
const n = (count: number): number => Math.max(1, Math.round(count * SCALE))
const PARTS = new Set(process.argv.slice(2).map(Number))
const part = (number: number): boolean => PARTS.size === 0 || PARTS.has(number)
/** Join+leave pairs timed per store (after 10 warm-up pairs). */
const PAIRS = 300
const ENV: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', ROOMSIM_STORE: ''}
delete ENV.FORCE_COLOR
/** Prints the child's peak RSS on exit, whatever the command. */
const RSS_HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\npeak-rss '+process.resourceUsage().maxRSS+'\\n'))`

const folder = mkdtempSync(join(tmpdir(), 'roomsim-scale-'))
const rows: [string, string, string, string, string][] = []
const row = (figure: string, big: string, small: string, ratio: string, target: string) => {
  rows.push([figure, big, small, ratio, target])
  console.log(`${figure.padEnd(60)}${big.padStart(28)}${small.padStart(28)}${ratio.padStart(20)}  ${target}`)
}
const us = (value: number) => `${value.toFixed(0)} µs`
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`

function timed<T>(label: string, work: () => T): T {
  const started = performance.now()
  const result = work()
  console.error(`  (${label}: ${((performance.now() - started) / 1000).toFixed(1)} s)`)
  return result
}

/** Mean µs of one join + one leave of `user` in `room`, through the engine with no plugin, after a warm-up. */
async function joinLeave(storePath: string, room: string, user: string, pairs: number): Promise<number> {
  const store = new Store(openDatabase(storePath, {create: true})!)
  const engine = new Engine(store, parseConfig(undefined), [])
  try {
    const pair = async () => {
      const joined = await engine.run('room.join', {room, user})
      const left = await engine.run('room.leave', {room, user})
      if (joined.status !== 'completed' || left.status !== 'completed') throw new Error(`join/leave in ${room}: ${joined.status}/${left.status}`)
    }
    for (let warm = 0; warm < 10; warm++) await pair()
    const started = performance.now()
    for (let index = 0; index < pairs; index++) await pair()
    return ((performance.now() - started) * 1000) / pairs
  } finally {
    await engine.close()
  }
}

function cli(args: string[], cwd = folder): {ms: number; rssKb: number; stdout: string; stderr: string; status: number | null} {
  const started = performance.now()
  const result = spawnSync(process.execPath, ['--import', RSS_HOOK, BIN, ...args], {cwd, env: ENV, encoding: 'utf8', maxBuffer: 4 * 1024 ** 3})
  const ms = performance.now() - started
  const rssKb = Number(/peak-rss (\d+)/.exec(result.stderr)?.[1] ?? Number.NaN)
  return {ms, rssKb, stdout: result.stdout, stderr: result.stderr, status: result.status}
}

/** A scenario: `creates` rooms, then joins and leaves round them until `steps` steps, each with an expectation. */
function scenarioFile(name: string, steps: number, {plugins, creates = 100, room}: {plugins: boolean; creates?: number; room?: string}): string {
  const lines = [`name: ${name}`, ...(plugins ? ['plugins:', ...EXAMPLES.map((plugin) => `  - path: ${join(ROOT, 'plugins', plugin)}`)] : []), 'steps:']
  const rooms = room ? [room] : Array.from({length: creates}, (_, index) => `bench-${index}`)
  let count = 0
  if (!room) for (const each of rooms) if (count++ < steps) lines.push(`  - create: {room: ${each}, by: alice}`, '    expect: {members: {includes: [alice]}}')
  for (let index = 0; count < steps; index++) {
    const each = rooms[index % rooms.length]!
    const user = `member-${Math.floor(index / rooms.length) % 50}`
    lines.push(`  - join: {room: ${each}, user: ${user}}`, `    expect: {members: {includes: [${user}]}}`)
    if (++count < steps) lines.push(`  - leave: {room: ${each}, user: ${user}}`, `    expect: {members: {excludes: [${user}]}}`)
    count++
  }
  const file = join(folder, `${name.replace(/\W+/g, '-')}.yaml`)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

function runScenario(file: string, extra: string[] = []): {report: Report; rssKb: number; ms: number} {
  const output = join(folder, 'report.json')
  const result = cli(['scenario', 'run', file, '--reporter', 'json', '--output', output, ...extra])
  if (result.status !== 0) throw new Error(`scenario ${file} exited ${result.status}: ${result.stderr.slice(0, 2000)}`)
  return {report: JSON.parse(readFileSync(output, 'utf8')) as Report, rssKb: result.rssKb, ms: result.ms}
}

const stepsAloneMs = (report: Report) => report.scenarios.flatMap((scenario) => scenario.steps).reduce((sum, step) => sum + step.durationMs, 0)

async function main(): Promise<void> {
  console.log(`# roomsim scale bench — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GB, BENCH_SCALE=${SCALE}\n`)
  console.log(`${'figure'.padEnd(60)}${'big'.padStart(28)}${'small'.padStart(28)}${'ratio'.padStart(20)}  target`)
  const wide = join(folder, 'wide.db')
  const narrow = join(folder, 'narrow.db')
  if (part(1) || part(3)) {
    timed(`writing ${n(100_000)} rooms / ${n(100_000) * 10} memberships`, () => writeBigStore(wide, {users: n(100_000), rooms: n(100_000), membersPerRoom: 10}))
    writeBigStore(narrow, {users: 1000, rooms: 100, membersPerRoom: 10})
  }
  if (part(1)) await storeSize(wide, narrow)
  if (part(2)) await roomSize()
  if (part(3)) listing(wide, narrow)
  if (part(4)) messages()
  if (part(5)) await throughput()
}

/** 1. store size */
async function storeSize(wide: string, narrow: string): Promise<void> {
  const atWide = await joinLeave(wide, 'room-50', 'joiner', PAIRS)
  const atNarrow = await joinLeave(narrow, 'room-50', 'joiner', PAIRS)
  row(`join+leave, ${n(100_000)} rooms vs 100 rooms`, us(atWide), us(atNarrow), `${(atWide / atNarrow).toFixed(2)}×`, '≤ 1.2×')
}

/** 2. room size */
async function roomSize(): Promise<void> {
  const crowded = join(folder, 'crowded.db')
  timed(`writing a ${n(100_000)}-member room`, () => writeBigStore(crowded, {users: n(100_000), rooms: 10, membersPerRoom: 10, bigRooms: {count: 1, members: n(100_000)}}))
  const inBig = await joinLeave(crowded, 'big-0', 'joiner', Math.min(PAIRS, 100))
  const inSmall = await joinLeave(crowded, 'room-5', 'joiner', PAIRS)
  row(`join+leave, ${n(100_000)}-member room vs 10-member room`, us(inBig), us(inSmall), `${(inBig / inSmall).toFixed(2)}×`, '≤ 1.5×')
}

/** 3. listing */
function listing(wide: string, narrow: string): void {
  const page = cli(['room', 'list', '--json', '--store', wide])
  const all = cli(['room', 'list', '--json', '--store', wide, '--limit', String(n(100_000))])
  const tiny = cli(['room', 'list', '--json', '--store', narrow])
  if (page.status !== 0 || all.status !== 0) throw new Error(`room list failed: ${page.stderr}${all.stderr}`)
  row(`room list --json at ${n(100_000)} rooms (default page), vs 100`, `${page.ms.toFixed(0)} ms`, `${tiny.ms.toFixed(0)} ms`, `${(page.ms / tiny.ms).toFixed(2)}×`, '≤ 1 s')
  row(`  same, peak RSS`, mb(page.rssKb), mb(tiny.rssKb), `${(page.rssKb / tiny.rssKb).toFixed(2)}×`, '')
  const lastPage = cli(['room', 'list', '--json', '--store', wide, '--offset', String(n(100_000) - 50)])
  row(`  the last page (--offset ${n(100_000) - 50})`, `${lastPage.ms.toFixed(0)} ms`, '', '', '≤ 1 s')
  row(`  every room at once (--limit ${n(100_000)})`, `${all.ms.toFixed(0)} ms`, mb(all.rssKb), '', `${(all.stdout.length / 1024 ** 2).toFixed(0)} MB of JSON`)
}

/** 4. messages */
function messages(): void {
  const chatty = join(folder, 'chatty.db')
  const quiet = join(folder, 'quiet.db')
  timed(`writing ${n(1_000_000)} messages`, () => writeBigStore(chatty, {users: 1000, rooms: 10, membersPerRoom: 10, messages: {count: n(1_000_000), rooms: ['room-0']}}))
  writeBigStore(quiet, {users: 1000, rooms: 10, membersPerRoom: 10})
  const stepsFile = scenarioFile('thousand steps on one room', 1000, {plugins: false, room: 'room-0'})
  const onChatty = runScenario(stepsFile, ['--store', chatty])
  const onQuiet = runScenario(stepsFile, ['--store', quiet])
  const chattyMs = stepsAloneMs(onChatty.report)
  const quietMs = stepsAloneMs(onQuiet.report)
  row(`1k steps, room with ${n(1_000_000)} messages vs none (steps alone)`, `${chattyMs.toFixed(0)} ms`, `${quietMs.toFixed(0)} ms`, `${(chattyMs / quietMs).toFixed(2)}×`, '≤ 1.5×')
}

/** Hook calls a step made, nested actions' included: each is at least one round trip to an isolate. */
const hookCallsPerStep = (report: Report): number => {
  const calls = (outcome: Outcome<unknown>): number => outcome.hooks.length + outcome.nested.reduce((sum, each) => sum + calls(each), 0)
  const steps = report.scenarios.flatMap((scenario) => scenario.steps)
  return steps.reduce((sum, step) => sum + (step.outcome ? calls(step.outcome) : 0), 0) / steps.length
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const spread = (values: number[], digits = 0): string => (values.length === 1 ? values[0]!.toFixed(digits) : `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`)

/** 5. throughput and memory over many steps; ROUNDS runs of each, alternating, medians shown (the second core is shared). */
async function throughput(): Promise<void> {
  const steps = n(10_000)
  const rounds = Number(process.env.BENCH_ROUNDS ?? (steps > 20_000 ? 1 : 3))
  const pluginFile = scenarioFile(`${steps} steps with plugins`, steps, {plugins: true})
  const bareFile = scenarioFile(`${steps} steps without plugins`, steps, {plugins: false})
  // A run keeps its summary only; the first run with plugins also counts its hook calls.
  let calls = Number.NaN
  const measure = (file: string) => {
    const {report, ms, rssKb} = runScenario(file)
    if (report.summary.steps.failed > 0) throw new Error(`a bench scenario failed: ${JSON.stringify(report.summary)}`)
    if (file === pluginFile && Number.isNaN(calls)) calls = hookCallsPerStep(report)
    return {summary: report.summary, ms, rssKb}
  }
  const runs: {plugins: ReturnType<typeof measure>[]; bare: ReturnType<typeof measure>[]} = {plugins: [], bare: []}
  for (let round = 0; round < rounds; round++) {
    runs.plugins.push(measure(pluginFile))
    runs.bare.push(measure(bareFile))
  }
  const rate = (run: ReturnType<typeof measure>) => (run.summary.steps.passed / run.ms) * 1000
  const whole = {plugins: runs.plugins.map(rate), bare: runs.bare.map(rate)}
  const alone = {plugins: runs.plugins.map((run) => run.summary.stepsPerSecond), bare: runs.bare.map((run) => run.summary.stepsPerSecond)}
  const ratios = whole.plugins.map((value, index) => value / whole.bare[index]!)
  const label = rounds > 1 ? ` (median of ${rounds})` : ''
  row(`${steps} steps, whole${label}: six plugins vs none`, `${spread(whole.plugins)} steps/s`, `${spread(whole.bare)} steps/s`, `${spread(ratios, 2)}×`, '≥ 2,000 and ≥ 0.25× / ≥ 8,000')
  row(`  steps alone (summary.stepsPerSecond)`, `${spread(alone.plugins)} steps/s`, `${spread(alone.bare)} steps/s`, '', '')
  row(`  peak RSS`, mb(Math.max(...runs.plugins.map((run) => run.rssKb))), mb(Math.max(...runs.bare.map((run) => run.rssKb))), '', `≤ ${steps >= 100_000 ? '300' : '200'} MB (plugins)`)

  // The ceiling the isolation itself sets: the no-plugin step, plus one zero-work round trip per hook call.
  // The lowest of three measurements: the floor is a bound, so noise must not raise it.
  const lowest = async (children: number) => Math.min(...[await echoRoundTripUs(children, 3000), await echoRoundTripUs(children, 3000), await echoRoundTripUs(children, 3000)])
  const floorOne = await lowest(1)
  const floorSix = await lowest(6)
  const bareStepUs = 1e6 / median(alone.bare)
  const ceiling = 1e6 / (bareStepUs + calls * floorSix)
  row(`  channel floor: a frame echoed by 1 / 6 isolates`, us(floorOne), us(floorSix), '', 'no roomsim code on either side')
  row(`  hook calls a step (six plugins)`, calls.toFixed(2), '', '', '')
  row(`  ceiling: bare step + calls × floor (6)`, `${ceiling.toFixed(0)} steps/s`, `${(bareStepUs + calls * floorSix).toFixed(0)} µs`, '', 'nothing faster with one process per plugin')
  row(`  budget a hook call has at 2,000 steps/s`, us((500 - bareStepUs) / calls), '', '', 'the floor and every handler\'s work inside it')
}

try {
  await main()
} finally {
  rmSync(folder, {recursive: true, force: true})
}
