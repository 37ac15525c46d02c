/**
 * npm run bench — what roomsim's start-up and plugin isolation cost, on this machine.
 *
 * 1. Cold start, side by side in one run: bare `node -e 0`, a minimal oclif 4
 *    hello-world (bench/fixtures/hello-oclif), `roomsim room list`, and a
 *    full-chain `roomsim room join` with the six example plugins configured.
 *    With hyperfine when it is installed, else by timing N spawns here.
 *    Goal (issue 12): room join ≤ 1.4 × hello-world. Beside them the join's
 *    floor: `room list` while three bare `node -e 0` start on the same cores.
 * 2. Per hook call: a handler call through the plugin's isolate
 *    (PluginHost.invoke) against the same handler called in-process, the
 *    isolates' start, and one accessor round trip (isolate → host → isolate).
 * 3. Hostile plugins: how long after its stage timeout each command ends
 *    (goal: within timeout + 1 s).
 *
 * Measures the built CLI (bin/run.js → dist/): run `npm run build` first.
 * BENCH_RUNS sets the number of timed runs per command (default 20).
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

// BENCH_ROOT measures another build of roomsim (say, a checkout of an older commit) with this script.
const ROOT = process.env.BENCH_ROOT ? resolve(process.env.BENCH_ROOT) : resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = join(ROOT, 'bin', 'run.js')
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const HELLO = join(FIXTURES, 'hello-oclif', 'bin', 'run.js')
const EXAMPLES = ['name-policy', 'room-defaults', 'welcome', 'gatekeeper', 'archive-guard', 'audit']
const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const ENV: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', ROOMSIM_STORE: ''}
delete ENV.FORCE_COLOR

interface Stats {
  name: string
  mean: number
  stddev: number
  min: number
  runs: number
}

interface Case {
  name: string
  args: string[]
  /** Runs before every timed run, untimed (puts the store back so the join runs its whole chain again). */
  prepare?: string[]
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(1)} ms`

function hasHyperfine(): boolean {
  return spawnSync('hyperfine', ['--version'], {stdio: 'ignore'}).status === 0
}

const shellQuote = (args: string[]): string => args.map((arg) => (/^[\w./=:-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ')

function withHyperfine(cases: Case[], cwd: string): Stats[] {
  const exported = join(cwd, 'hyperfine.json')
  const args = ['--warmup', '3', '--runs', String(RUNS), '-N', '--export-json', exported, '--style', 'basic']
  for (const item of cases) args.push('--prepare', item.prepare ? `sh -c '${shellQuote(item.prepare)} >/dev/null 2>&1 || true'` : 'true')
  for (const item of cases) args.push('-n', item.name, shellQuote(item.args))
  execFileSync('hyperfine', args, {cwd, env: ENV, stdio: ['ignore', 'inherit', 'inherit']})
  const results = (JSON.parse(readFileSync(exported, 'utf8')) as {results: {command: string; mean: number; stddev: number; min: number; times: number[]}[]}).results
  return results.map((result) => ({name: result.command, mean: result.mean, stddev: result.stddev, min: result.min, runs: result.times.length}))
}

function bySpawning(cases: Case[], cwd: string): Stats[] {
  return cases.map((item) => {
    const times: number[] = []
    for (let run = -3; run < RUNS; run++) {
      if (item.prepare) spawnSync(item.prepare[0]!, item.prepare.slice(1), {cwd, env: ENV, stdio: 'ignore'})
      const started = performance.now()
      const result = spawnSync(item.args[0]!, item.args.slice(1), {cwd, env: ENV, stdio: 'ignore'})
      const seconds = (performance.now() - started) / 1000
      if (result.status !== 0) throw new Error(`${item.name} exited with ${result.status}`)
      if (run >= 0) times.push(seconds)
    }
    const mean = times.reduce((sum, time) => sum + time, 0) / times.length
    const stddev = Math.sqrt(times.reduce((sum, time) => sum + (time - mean) ** 2, 0) / Math.max(1, times.length - 1))
    return {name: item.name, mean, stddev, min: Math.min(...times), runs: times.length}
  })
}

function coldStart(cwd: string): Stats[] {
  const node = process.execPath
  writeFileSync(join(cwd, 'roomsim.config.json'), JSON.stringify({plugins: EXAMPLES.map((name) => ({path: join(ROOT, 'plugins', name)}))}, null, 2))
  const created = spawnSync(node, [BIN, 'room', 'create', 'general', '--by', 'alice'], {cwd, env: ENV, encoding: 'utf8'})
  if (created.status !== 0) throw new Error(`setting up the bench store failed:\n${created.stdout}${created.stderr}`)
  const cases: Case[] = [
    {name: 'node -e 0', args: [node, '-e', '0']},
    {name: 'oclif hello-world', args: [node, HELLO, 'hello']},
    {name: 'roomsim room list', args: [node, BIN, 'room', 'list']},
    {name: 'roomsim room join (6 plugins)', args: [node, BIN, 'room', 'join', 'general', '--user', 'bob'], prepare: [node, BIN, 'room', 'leave', 'general', '--user', 'bob']},
    // The join's floor: it needs three isolates (gatekeeper, welcome, audit). roomsim's start beside three bare
    // Node boots on the same cores, with no isolate code and no hook: no join with a Node process per plugin beats it.
    {name: 'floor: room list + 3 node boots', args: ['sh', '-c', `${shellQuote([node, '-e', '0'])} & ${shellQuote([node, '-e', '0'])} & ${shellQuote([node, '-e', '0'])} & ${shellQuote([node, BIN, 'room', 'list'])} >/dev/null; wait`]},
  ]
  const useHyperfine = hasHyperfine()
  console.log(`\n## 1. Cold start (${useHyperfine ? 'hyperfine' : 'hyperfine not found: timing spawns here'}, ${RUNS} runs each)\n`)
  const stats = useHyperfine ? withHyperfine(cases, cwd) : bySpawning(cases, cwd)
  const hello = stats[1]!.mean
  const bare = stats[0]!.mean
  console.log(`\n${'command'.padEnd(32)}${'mean'.padStart(12)}${'± σ'.padStart(12)}${'min'.padStart(12)}${'× node'.padStart(9)}${'× hello'.padStart(9)}`)
  for (const stat of stats) {
    console.log(`${stat.name.padEnd(32)}${ms(stat.mean).padStart(12)}${ms(stat.stddev).padStart(12)}${ms(stat.min).padStart(12)}${(stat.mean / bare).toFixed(2).padStart(9)}${(stat.mean / hello).toFixed(2).padStart(9)}`)
  }
  const ratio = stats[3]!.mean / hello
  console.log(`\nroom join / oclif hello-world = ${ratio.toFixed(2)} (goal ≤ 1.40: ${ratio <= 1.4 ? 'met' : 'NOT met'}); its floor with Node isolates ${(stats[4]!.mean / hello).toFixed(2)}`)
  return stats
}

/** The host module of the build under test: dist/host/ now, dist/plugins/ in builds before the runtime's split. */
function hostModule(): string {
  const current = join(ROOT, 'dist', 'host', 'plugin-host.js')
  return existsSync(current) ? current : join(ROOT, 'dist', 'plugins', 'host.js')
}

const median = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!

/** The isolates' start, the round trip of one handler call and of one accessor call, in-process. */
async function perHookCall(): Promise<void> {
  console.log('\n## 2. Per hook call and accessor call (in-process, built dist/)\n')
  type HostModule = typeof import('../src/host/plugin-host.js')
  const {PluginHost} = (await import(pathToFileURL(hostModule()).href)) as HostModule
  const fixture = (name: string) => ({name, entry: join(FIXTURES, name, 'index.js'), root: join(FIXTURES, name), isApp: false})
  const spec = fixture('noop-plugin')
  const callbacks = {onCall: () => Promise.resolve(undefined), onLog: () => undefined}
  const examples = EXAMPLES.map((name) => ({name, entry: join(ROOT, 'plugins', name, 'index.js'), root: join(ROOT, 'plugins', name), isApp: false}))

  for (const [label, specs] of [['start, 1 plugin', [spec]], ['start, 6 example plugins', examples]] as const) {
    const samples: number[] = []
    for (let run = 0; run < 10; run++) {
      const host = new PluginHost([...specs], callbacks)
      const started = performance.now()
      await host.loaded()
      samples.push(performance.now() - started)
      await host.close()
    }
    console.log(`${label.padEnd(34)} median ${median(samples).toFixed(1)} ms`)
  }

  const room = (calls: number) => ({id: 'r1', slugifiedName: 'general', type: 'c', creator: {id: 'u1', username: 'alice', name: 'alice', roles: [], createdAt: new Date()}, userIds: ['u1'], usernames: ['alice'], isDefault: false, isReadOnly: false, displaySystemMessages: true, messageCount: 0, createdAt: new Date(), updatedAt: new Date(), customFields: {calls}})
  const timeCalls = async (plugin: {name: string}, host: InstanceType<HostModule['PluginHost']>, input: unknown, calls: number): Promise<number> => {
    const invoke = () => host.invoke({plugin: plugin.name, kind: 'prevent', method: 'executePreRoomCreatePrevent', args: ['input', 'read', 'http', 'persistence'], input, actionId: 0}, 10_000)
    for (let i = 0; i < Math.min(200, calls); i++) await invoke()
    const started = performance.now()
    for (let i = 0; i < calls; i++) await invoke()
    return ((performance.now() - started) / calls) * 1000
  }
  const host = new PluginHost([spec], callbacks)
  await host.loaded()
  const isolated = await timeCalls(spec, host, room(0), 2000)
  await host.close()

  const {default: Noop} = (await import(pathToFileURL(spec.entry).href)) as {default: new () => {executePreRoomCreatePrevent(room: unknown): Promise<boolean>}}
  const handler = new Noop()
  const started = performance.now()
  for (let i = 0; i < 2000; i++) await handler.executePreRoomCreatePrevent(Object.freeze(structuredClone(room(0))))
  const direct = ((performance.now() - started) / 2000) * 1000
  console.log(`${'handler call through the isolate'.padEnd(34)} ${isolated.toFixed(1)} µs`)
  console.log(`${'same handler called in-process'.padEnd(34)} ${direct.toFixed(1)} µs`)
  console.log(`${'isolation cost per hook call'.padEnd(34)} ${(isolated - direct).toFixed(1)} µs`)

  // One accessor round trip: a hook call making 100 IRoomRead.getById calls, less one making none, over 100.
  const roundTrip = fixture('roundtrip-plugin')
  const tripHost = new PluginHost([roundTrip], callbacks)
  await tripHost.loaded()
  const none = await timeCalls(roundTrip, tripHost, room(0), 500)
  const hundred = await timeCalls(roundTrip, tripHost, room(100), 100)
  await tripHost.close()
  console.log(`${'one accessor round trip'.padEnd(34)} ${((hundred - none) / 100).toFixed(1)} µs`)
}

/** Each hostile plugin, default-ish timeouts: how long the command takes beyond its timeout. */
function hostile(cwd: string, startup: number): void {
  console.log('\n## 3. Hostile plugins: time to end (pre and post timeouts 1000 ms; import timeout 5000 ms)\n')
  const kinds = ['busy-loop', 'never-settles', 'process-exit', 'background-throw', 'background-rejection', 'throws-non-error', 'huge-return', 'circular-return', 'throws-on-import', 'post-busy-loop', 'hangs-on-import']
  console.log(`${'plugin'.padEnd(24)}${'hook'.padEnd(10)}${'wall'.padStart(10)}${'bound'.padStart(10)}  within`)
  for (const kind of kinds) {
    const folder = mkdtempSync(join(cwd, `${kind}-`))
    writeFileSync(join(folder, 'roomsim.config.json'), JSON.stringify({hooks: {timeoutMs: {pre: 1000, post: 1000}}, plugins: [{path: join(ROOT, 'test', 'fixtures', 'hostile', kind)}]}))
    const started = performance.now()
    const run = spawnSync(process.execPath, [BIN, 'room', 'create', 'general', '--json'], {cwd: folder, env: ENV, encoding: 'utf8', timeout: 60_000})
    const wall = performance.now() - started
    const hook = (JSON.parse(run.stdout) as {hooks: {plugin: string; result: string}[]}).hooks.find((candidate) => candidate.plugin === `hostile-${kind}`)
    // The bound: start-up (room list) + the timeout that can apply + 1 s.
    const timeout = kind === 'hangs-on-import' ? 5000 : hook?.result === 'timeout' ? 1000 : 0
    const bound = startup * 1000 + timeout + 1000
    console.log(`${kind.padEnd(24)}${(hook?.result ?? '?').padEnd(10)}${`${wall.toFixed(0)} ms`.padStart(10)}${`${bound.toFixed(0)} ms`.padStart(10)}  ${wall <= bound ? 'yes' : 'NO'}`)
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'commands'))) throw new Error('dist/ is missing: run "npm run build" first')
  const cwd = mkdtempSync(join(tmpdir(), 'roomsim-bench-'))
  try {
    console.log(`# roomsim bench — node ${process.version}`)
    const stats = coldStart(cwd)
    await perHookCall()
    hostile(cwd, stats[2]!.mean)
  } finally {
    rmSync(cwd, {recursive: true, force: true})
  }
}

await main()
