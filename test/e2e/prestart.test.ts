import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
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
  function run(launches: ReturnType<typeof launch>[], {env = {}, argv = JOIN, exitCode = 0}: {env?: NodeJS.ProcessEnv; argv?: string[]; exitCode?: number} = {}): {adopted: boolean[]; ahead: number} {
    const script = `
      import {readFileSync} from 'node:fs'
      const {prestart, adoptOrSpawn} = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'host', 'prestart.js')).href)})
      // Kernel clock ticks (USER_HZ, 100 a second) since boot: when a process was forked, and now.
      const startTicks = (pid) => Number(readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ')[19])
      const nowTicks = () => Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100)
      prestart(${JSON.stringify(argv)})
      const ahead = readFileSync('/proc/self/task/' + process.pid + '/children', 'utf8').split(' ').filter(Boolean).length
      await new Promise((resolve) => setTimeout(resolve, 200))
      const asked = nowTicks()
      const children = ${JSON.stringify(launches)}.map((launch) => adoptOrSpawn(launch))
      console.log(JSON.stringify({adopted: children.map((child) => startTicks(child.pid) < asked - 5), ahead}))
      for (const child of children) child.stdio[3].destroy()
      process.exitCode = ${exitCode}
    `
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {cwd: dir, env: {...process.env, TMPDIR: join(dir, 'tmp'), ...env}, encoding: 'utf8', timeout: 20_000})
    // Ended by itself: what was prestarted and not adopted does not hold the command open.
    expect(result.status, result.stderr).to.equal(exitCode)
    return JSON.parse(result.stdout) as {adopted: boolean[]; ahead: number}
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
    expect(run(two, {argv: scenario('plugins.yaml')})).to.deep.equal({adopted: [true, true], ahead: 2})
  })

  it('starts nothing ahead with ROOMSIM_PRESTART=0', () => {
    command([launch()])
    expect(command([launch()], {ROOMSIM_PRESTART: '0'})).to.deep.equal([false])
  })
})
