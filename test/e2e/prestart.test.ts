import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {ROOT, tempDir} from '../helpers/index.js'

/**
 * The prestart of isolates (src/host/prestart.ts), through the built module in
 * real processes. A "command" here is a small script that does what bin/run.js
 * and PluginProcess do — prestart(argv) first, adoptOrSpawn(launch) later — and
 * a launch is a node process that waits for its channel (fd 3) to close, as an
 * isolate does. Whether the process a command got was started ahead is read
 * from the kernel (its start time in /proc), not from how fast anything ran.
 */
describe("isolates started from the last run's plan", function () {
  this.timeout(30_000)
  let dir: string
  let cleanup: () => void
  beforeEach(function () {
    if (process.platform !== 'linux') this.skip()
    ;({dir, cleanup} = tempDir())
  })
  afterEach(() => cleanup?.())

  const launch = (env: Record<string, string> = {}) => ({
    args: ['-e', 'new (require("net").Socket)({fd: 3}).on("close", () => process.exit(0)).resume()'],
    env,
    cwd: dir,
  })

  const JOIN = ['room', 'join', 'general', '--user', 'bob']

  /**
   * Runs one command wanting `launches`; says, for each, whether the process it
   * got was started before it was asked for, and how many were started ahead.
   */
  /** A launch that, like an isolate, reads frames on fd 3: it writes each message it gets to `received-PID` in the test's folder. */
  const recording = () => ({
    args: ['-e', `const channel = new (require('net').Socket)({fd: 3}); channel.on('data', (bytes) => require('fs').appendFileSync(${JSON.stringify(dir)} + '/received-' + process.pid, JSON.stringify(require('v8').deserialize(bytes.subarray(4))) + '\\n')); channel.on('close', () => process.exit(0))`],
    env: {},
    cwd: dir,
  })

  interface Preload {
    message: unknown
    inputs: string[]
  }

  /**
   * Runs one command wanting `launches` (each with `preload`, when given); says,
   * for each, whether the process it got was started before it was asked for,
   * whether it came loaded, what it had received by then, and how many were started ahead.
   */
  function run(launches: ReturnType<typeof launch>[], {env = {}, argv = JOIN, exitCode = 0, preload}: {env?: NodeJS.ProcessEnv; argv?: string[]; exitCode?: number; preload?: Preload} = {}): {adopted: boolean[]; preloaded: boolean[]; receivedAhead: string[]; ahead: number} {
    const script = `
      import {existsSync, readFileSync} from 'node:fs'
      const {prestart, adoptOrSpawn} = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'host', 'prestart.js')).href)})
      // Kernel clock ticks (USER_HZ, 100 a second) since boot: when a process was forked, and now.
      const startTicks = (pid) => Number(readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ')[19])
      const nowTicks = () => Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100)
      prestart(${JSON.stringify(argv)})
      const ahead = readFileSync('/proc/self/task/' + process.pid + '/children', 'utf8').split(' ').filter(Boolean).length
      await new Promise((resolve) => setTimeout(resolve, 200))
      const asked = nowTicks()
      const got = (pid) => existsSync(${JSON.stringify(dir)} + '/received-' + pid) ? readFileSync(${JSON.stringify(dir)} + '/received-' + pid, 'utf8') : ''
      const answers = ${JSON.stringify(launches)}.map((launch) => adoptOrSpawn(launch, ${JSON.stringify(preload)}))
      const receivedAhead = answers.map(({child}) => got(child.pid))
      console.log(JSON.stringify({adopted: answers.map(({child}) => startTicks(child.pid) < asked - 5), preloaded: answers.map(({preloaded}) => preloaded), receivedAhead, ahead}))
      for (const {child} of answers) child.stdio[3].destroy()
      process.exitCode = ${exitCode}
    `
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {cwd: dir, env: {...process.env, TMPDIR: join(dir, 'tmp'), ...env}, encoding: 'utf8', timeout: 20_000})
    // Ended by itself: what was prestarted and not adopted does not hold the command open.
    expect(result.status, result.stderr).to.equal(exitCode)
    return JSON.parse(result.stdout) as {adopted: boolean[]; preloaded: boolean[]; receivedAhead: string[]; ahead: number}
  }
  const command = (launches: ReturnType<typeof launch>[], env: NodeJS.ProcessEnv = {}): boolean[] => run(launches, {env}).adopted

  it("adopts the process started ahead from the last run's plan instead of starting one", () => {
    expect(command([launch()])).to.deep.equal([false])
    expect(command([launch()])).to.deep.equal([true])
    expect(command([launch()])).to.deep.equal([true])
  })

  it('starts anew a launch that changed (here its environment), and still ends with the unused ones', () => {
    command([launch(), launch({TZ: 'Europe/Paris'})])
    expect(command([launch({TZ: 'UTC'})])).to.deep.equal([false])
    // The plan follows what the command used.
    expect(command([launch({TZ: 'UTC'})])).to.deep.equal([true])
  })

  it('forgets the plan after a successful run that needed no isolate, not after a refused one', () => {
    command([launch({TZ: 'UTC'}), launch({TZ: 'Europe/Paris'})])
    expect(run([], {exitCode: 2}).ahead, 'a refused run').to.equal(2)
    expect(run([]).ahead, 'a successful run with no plugin').to.equal(2)
    expect(run([]).ahead, 'the run after it').to.equal(0)
  })

  it('keeps a plan per set of scenario files', () => {
    const scenario = (file: string) => ['scenario', 'run', file, '--reporter', 'json']
    const two = [launch({TZ: 'UTC'}), launch({TZ: 'Europe/Paris'})]
    run(two, {argv: scenario('plugins.yaml')})
    run([], {argv: scenario('bare.yaml')})
    expect(run([], {argv: scenario('bare.yaml')}).ahead, 'the file without plugins').to.equal(0)
    expect(run(two, {argv: scenario('plugins.yaml')})).to.deep.include({adopted: [true, true], ahead: 2})
  })

  it('sends the load message ahead while the files it came from are unchanged, and adopts that isolate only for the same message', () => {
    const source = join(dir, 'plugin.js')
    writeFileSync(source, 'one')
    const preload = {message: {type: 'load', spec: {name: 'p', entry: source}}, inputs: [source, join(dir, 'missing.json')]}
    const line = `${JSON.stringify(preload.message)}\n`
    expect(run([recording()], {preload})).to.deep.include({adopted: [false], preloaded: [false]})
    expect(run([recording()], {preload})).to.deep.include({adopted: [true], preloaded: [true], receivedAhead: [line]})
    // A changed source: started ahead, not sent ahead; the plan then holds the new stamps.
    writeFileSync(source, 'two, longer')
    expect(run([recording()], {preload})).to.deep.include({adopted: [true], preloaded: [false], receivedAhead: ['']})
    expect(run([recording()], {preload})).to.deep.include({adopted: [true], preloaded: [true], receivedAhead: [line]})
    // A file that appeared where there was none counts as a change too.
    writeFileSync(join(dir, 'missing.json'), '{}')
    expect(run([recording()], {preload})).to.deep.include({preloaded: [false]})
    // Loaded ahead with a message roomsim would not send now: killed, and a fresh one started.
    run([recording()], {preload})
    expect(run([recording()], {preload: {...preload, message: {type: 'load', spec: {name: 'other'}}}})).to.deep.include({adopted: [false], preloaded: [false], receivedAhead: ['']})
  })

  it('forgets every plan when asked (plugins disable, uninstall)', () => {
    command([launch()])
    expect(run([]).ahead).to.equal(1)
    const forget = `const {forgetPlans} = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'host', 'prestart.js')).href)}); forgetPlans()`
    spawnSync(process.execPath, ['--input-type=module', '-e', forget], {cwd: dir, env: {...process.env, TMPDIR: join(dir, 'tmp')}})
    expect(run([]).ahead).to.equal(0)
  })

  it('starts nothing ahead with ROOMSIM_PRESTART=0', () => {
    command([launch()])
    expect(command([launch()], {ROOMSIM_PRESTART: '0'})).to.deep.equal([false])
  })
})
