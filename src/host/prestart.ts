/**
 * Isolates started before roomsim knows it needs them. A Node process takes
 * ~25 ms to boot and roomsim ~150 ms to learn which plugins an action runs,
 * so a command that starts isolates leaves their launches in a plan, and the
 * next run of the same command in the same folder starts those launches
 * first thing (bin/run.js), while oclif loads. A plan is only a guess: an
 * isolate is adopted when its launch is exactly the one roomsim would start
 * now (arguments, environment, folder), else it is killed unused, and a
 * launch the guess missed starts as it always did. Kept light: bin/run.js
 * imports this before anything else.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Readable} from 'node:stream'

/** What starts one isolate: the node arguments, its environment and its folder. */
export interface Launch {
  args: string[]
  env: Record<string, string>
  cwd: string
}

interface Session {
  planFile: string
  planned: string[]
  /** The launches this command started or adopted, by signature, in the order it first needed them. */
  used: Map<string, Launch>
  waiting: Map<string, ChildProcess[]>
}

let session: Session | undefined

const signature = (launch: Launch): string => JSON.stringify([launch.args, launch.env, launch.cwd])

/** The stdio every isolate is started with: fd 3 is its channel, fd 4 its synchronous member fetch (isolate/lazy-members.ts). */
export const ISOLATE_STDIO = ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] as const

export function spawnIsolate(launch: Launch): ChildProcess {
  return spawn(process.execPath, launch.args, {cwd: launch.cwd, env: launch.env, stdio: [...ISOLATE_STDIO], windowsHide: true})
}

/** The words that name a command (`room join`, `scenario run`, `demo`): the same command runs the same chains. */
function commandOf(argv: readonly string[]): string[] {
  const words: string[] = []
  for (const arg of argv) {
    if (arg.startsWith('-') || words.length === 2) break
    words.push(arg)
  }
  return words
}

function planFileFor(argv: readonly string[]): string | undefined {
  const folder = join(tmpdir(), `roomsim-${process.getuid?.() ?? 'user'}`, 'prestart')
  try {
    mkdirSync(folder, {recursive: true, mode: 0o700})
    // A plan names programs to start: only one in a folder of our own is trusted.
    if (process.getuid && statSync(folder).uid !== process.getuid()) return undefined
  } catch {
    return undefined
  }
  const configAt = argv.indexOf('--config')
  const words = commandOf(argv)
  // What a scenario run starts depends on its files' plugins: each set of files (and flag values) has a plan of its own.
  const operands = words.join(' ') === 'scenario run' ? argv.slice(2).filter((arg) => !arg.startsWith('-')) : []
  const key = JSON.stringify([process.cwd(), words, configAt >= 0 ? argv[configAt + 1] : null, process.env.ROOMSIM_STORE ?? null, ...operands])
  return join(folder, `${createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`)
}

function readPlan(file: string): Launch[] {
  try {
    const plan = JSON.parse(readFileSync(file, 'utf8')) as {launches?: unknown}
    return Array.isArray(plan.launches) ? plan.launches.filter(isLaunch) : []
  } catch {
    return []
  }
}

const isLaunch = (value: unknown): value is Launch => {
  const launch = value as Launch
  return typeof launch === 'object' && launch !== null && Array.isArray(launch.args) && launch.args.every((arg) => typeof arg === 'string') && typeof launch.cwd === 'string' && typeof launch.env === 'object' && launch.env !== null && Object.values(launch.env).every((entry) => typeof entry === 'string')
}

/** A prestarted isolate must not keep roomsim running: it counts only once adopted. */
function holdLoose(child: ChildProcess, hold: boolean): void {
  for (const stream of child.stdio) (stream as (Readable & {ref?(): void; unref?(): void}) | null)?.[hold ? 'ref' : 'unref']?.()
  if (hold) child.ref()
  else child.unref()
}

/** Starts what the plan of this command (argv without node and script) names. Off with ROOMSIM_PRESTART=0. */
export function prestart(argv: readonly string[]): void {
  if (process.env.ROOMSIM_PRESTART === '0' || commandOf(argv).length === 0) return
  const planFile = planFileFor(argv)
  if (!planFile) return
  const launches = readPlan(planFile)
  const waiting = new Map<string, ChildProcess[]>()
  for (const launch of launches) {
    try {
      const child = spawnIsolate(launch)
      child.on('error', () => undefined)
      holdLoose(child, false)
      const key = signature(launch)
      waiting.set(key, [...(waiting.get(key) ?? []), child])
    } catch {
      // A folder that is gone, say: that launch starts the usual way, if roomsim still needs it.
    }
  }
  session = {planFile, planned: launches.map(signature), used: new Map(), waiting}
  process.on('exit', endSession)
}

/**
 * The prestarted isolate for exactly this launch, if there is one still alive;
 * roomsim's start of an isolate goes through here either way, so the next plan
 * holds every launch this command used.
 */
export function adoptOrSpawn(launch: Launch): ChildProcess {
  const key = signature(launch)
  session?.used.set(key, {args: launch.args, env: launch.env, cwd: launch.cwd})
  const waiting = session?.waiting.get(key)
  while (waiting && waiting.length > 0) {
    const child = waiting.shift()!
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      holdLoose(child, true)
      return child
    }
  }
  return spawnIsolate(launch)
}

/**
 * Kills what was not adopted; writes the next plan when this run's launches
 * differ from it. A run that used none replaces the plan only when it succeeded:
 * one refused early (a typo) says nothing about what the command needs.
 */
function endSession(code: number): void {
  if (!session) return
  for (const children of session.waiting.values()) for (const child of children) child.kill('SIGKILL')
  const {used, planned} = session
  if ((used.size === 0 && code !== 0) || JSON.stringify([...used.keys()]) === JSON.stringify(planned)) return
  try {
    const temporary = `${session.planFile}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify({launches: [...used.values()]}))
    renameSync(temporary, session.planFile)
  } catch {
    // A plan is only a guess: without it the next run starts its isolates the usual way.
  }
}
