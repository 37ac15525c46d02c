/**
 * npm has no lock of its own: two roomsim processes installing into one prefix
 * at once would corrupt its package.json. They take turns on an OS file lock
 * (a SQLite exclusive lock on `plugins.lock`), which the kernel releases the
 * moment its holder dies, however it dies: a lock is taken over only when its
 * holder is really gone, and a second install waits for the first.
 *
 * While it holds the lock, a change writes a journal (`plugins.journal.json`:
 * who, what, and the prefix's files as they were). A journal found by the next
 * holder means the last change was killed half-way: it is rolled back first.
 */
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import {RoomsimError} from '../errors.js'
import {isAlive} from '../store/write-lock.js'

const require = createRequire(import.meta.url)

/** How often a waiting install looks again. */
const POLL_MS = 200
/** How long an install waits for another one by default (npm installs can take minutes). */
const DEFAULT_WAIT_S = 600

export interface Journal {
  pid: number
  command: string
  startedAt: string
  /** What the change was doing, for the message of whoever finds it. */
  doing: string
  /** The prefix's files before the change: the rollback writes them back. */
  snapshot: unknown
  /** Set just before an install registers its plugins: these names registered since `startedAt` mean it completed. */
  registering?: string[]
}

export const lockPath = (stateFolder: string): string => join(stateFolder, 'plugins.lock')
export const journalPath = (stateFolder: string): string => join(stateFolder, 'plugins.journal.json')

export function readJournal(stateFolder: string): Journal | undefined {
  try {
    return JSON.parse(readFileSync(journalPath(stateFolder), 'utf8')) as Journal
  } catch {
    return undefined
  }
}

/** Writes the journal whole (a temp file renamed over it), so a kill never leaves half of one. */
export function writeJournal(stateFolder: string, journal: Journal): void {
  const temp = `${journalPath(stateFolder)}.${process.pid}`
  writeFileSync(temp, JSON.stringify(journal))
  renameSync(temp, journalPath(stateFolder))
}

const clearJournal = (stateFolder: string): void => rmSync(journalPath(stateFolder), {force: true})

function openLock(stateFolder: string): BetterSqlite3.Database {
  const Sqlite = require('better-sqlite3') as typeof BetterSqlite3
  const path = lockPath(stateFolder)
  try {
    return new Sqlite(path, {timeout: 0})
  } catch (error) {
    throw new RoomsimError('INSTALL_FAILED', `cannot open the plugin lock ${path}: ${(error as Error).message}`)
  }
}

/** Takes the lock or returns false when another process holds it. */
function tryTake(db: BetterSqlite3.Database): boolean {
  try {
    // Nothing is ever written: the lock is all it is for, so no rollback journal beside it.
    db.pragma('journal_mode = OFF')
    db.exec('BEGIN EXCLUSIVE')
    return true
  } catch (error) {
    if (/^SQLITE_BUSY/.test(String((error as {code?: unknown}).code))) return false
    if ((error as {code?: unknown}).code === 'SQLITE_NOTADB') {
      // A lock file of an older roomsim (a pid in text): nobody can hold it any more.
      throw new RoomsimError('INSTALL_FAILED', `${db.name} is a lock file of an older roomsim; remove it once no roomsim process is changing plugins`)
    }
    throw error
  }
}

function waitLimitMs(): number {
  const seconds = Number(process.env.ROOMSIM_LOCK_WAIT)
  return process.env.ROOMSIM_LOCK_WAIT !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_WAIT_S * 1000
}

/**
 * Runs `work` holding the prefix lock. `rollback` undoes a change that a
 * killed process left half-done (its journal's snapshot); `onWait` is told
 * once when another process holds the lock, to say so.
 */
export async function withPrefixLock<T>(
  stateFolder: string,
  work: () => Promise<T>,
  {rollback, onWait}: {rollback: (journal: Journal) => Promise<void>; onWait?: (holder: Journal | undefined) => void},
): Promise<T> {
  mkdirSync(stateFolder, {recursive: true})
  const db = openLock(stateFolder)
  try {
    const started = Date.now()
    let told = false
    while (!tryTake(db)) {
      const holder = readJournal(stateFolder)
      if (!told) onWait?.(holder)
      told = true
      if (Date.now() - started > waitLimitMs()) {
        const who = holder && isAlive(holder.pid) ? `roomsim process ${holder.pid} (${holder.command}), ${holder.doing},` : 'another roomsim process'
        throw new RoomsimError('STORE_BUSY', `${who} has been changing plugins in ${stateFolder} for longer than roomsim waits (ROOMSIM_LOCK_WAIT); try again when it has finished`)
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
    const left = readJournal(stateFolder)
    if (left) {
      await rollback(left)
      clearJournal(stateFolder)
    }
    try {
      return await work()
    } finally {
      clearJournal(stateFolder)
    }
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK')
    db.close()
  }
}

/** Whether a killed change is waiting to be rolled back (its holder is gone). */
export function hasInterruptedChange(stateFolder: string): boolean {
  const journal = existsSync(journalPath(stateFolder)) ? readJournal(stateFolder) : undefined
  return journal !== undefined && journal.pid !== process.pid && !isAlive(journal.pid)
}
