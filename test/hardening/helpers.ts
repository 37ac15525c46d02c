/** Helpers of the hardening tests: processes to kill, stores to inspect, plugins that take their time. */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import {checkStore, type CheckReport} from '../../src/store/check.js'
import {BIN} from '../helpers/cli.js'

const require = createRequire(import.meta.url)
export const Sqlite = require('better-sqlite3') as typeof BetterSqlite3

export interface Started {
  child: ChildProcess
  output: () => {stdout: string; stderr: string}
  ended: Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

/** Starts the real binary without waiting for it: the caller kills it, or awaits `ended`. */
export function start(args: string[], {cwd, env = {}}: {cwd: string; env?: Record<string, string>}): Started {
  const {FORCE_COLOR: _color, ROOMSIM_STORE: _store, ...inherited} = process.env
  const child = spawn(process.execPath, [BIN, ...args], {cwd, env: {...inherited, NO_COLOR: '1', UV_USE_IO_URING: '0', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const ended = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.on('close', (code, signal) => resolve({code, signal})))
  return {child, output: () => ({stdout, stderr}), ended}
}

/** Resolves once `test` holds, polling; rejects after `limitMs` (a guard against a hang, not a timing assertion). */
export async function until(test: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const started = Date.now()
  while (!test()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** SQLite's integrity check and roomsim's invariants; query-only (a read-only connection would leave -wal/-shm behind). */
export function inspect(path: string): {integrity: string; report: CheckReport} {
  const db = new Sqlite(path, {fileMustExist: true})
  db.pragma('query_only = ON')
  try {
    return {integrity: db.pragma('integrity_check', {simple: true}) as string, report: checkStore(db)}
  } finally {
    db.close()
  }
}

/** Pids of live processes whose environment names `parent` as the roomsim that started npm. */
export function npmChildrenOf(parent: number): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const environ = readFileSync(join('/proc', entry, 'environ'), 'utf8')
      if (environ.split('\0').includes(`ROOMSIM_NPM_PARENT=${parent}`)) found.push(Number(entry))
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found
}

export const hasProc = existsSync('/proc/self/environ')

/**
 * A plugin that takes its time where a test wants to kill it: its pre join
 * handler keeps a record, its post create handler sends a message and keeps a
 * record, then each sleeps for the milliseconds its settings say.
 */
export const SLOW_PLUGIN = `
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const setting = (read, id) => read.getEnvironmentReader().getSettings().getValueById(id)

export default class SlowPoke {
  async executePostRoomCreate(room, read, http, persistence, modify) {
    const creator = modify.getCreator()
    await creator.finish(creator.startMessage().setRoom(room).setText('post ' + room.slugifiedName))
    await persistence.create({room: room.slugifiedName})
    await sleep(Number(await setting(read, 'postSleepMs')) || 0)
  }

  async executePreRoomUserJoined(context, read, http, persistence) {
    await persistence.create({pre: context.joiningUser.username})
    await sleep(Number(await setting(read, 'preSleepMs')) || 0)
  }
}
`
