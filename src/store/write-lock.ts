/**
 * SQLite lets one process write a store at a time; the others wait. While they
 * wait they want to know for whom: the writer notes its pid and command in
 * `<store>.writer` while it holds the lock (a note left by a killed writer names
 * a dead pid and is ignored). A waiter goes on waiting while that
 * process is alive (its pre stages are bounded by the hook timeouts), up to
 * ROOMSIM_LOCK_WAIT seconds (default 600); when the holder is unknown or gone
 * (another program, e.g. the sqlite3 shell) it waits 60 s at most.
 * Then it gives up with STORE_BUSY (exit 2), naming the holder.
 */
import {readFileSync, rmSync, writeFileSync} from 'node:fs'

import {RoomsimError} from '../errors.js'

import type {Database} from './database.js'

const DEFAULT_WAIT_ALIVE_S = 600
const DEFAULT_WAIT_UNKNOWN_S = 60

interface Holder {
  pid: number
  command: string
}

const notePath = (store: string): string => `${store}.writer`

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readHolder(store: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(notePath(store), 'utf8')) as Holder
    return Number.isInteger(holder.pid) ? holder : undefined
  } catch {
    return undefined
  }
}

/**
 * A waiter reads the note only after a busy slice of its own (a second, the
 * connection's timeout), so a transaction that ends sooner (almost all: an
 * action and its plugins' calls take milliseconds) needs none: its note is
 * written once it has held the lock this long, by a timer, and never when it is
 * over before.
 */
const NOTE_AFTER_MS = 100
const deferred = new Map<string, NodeJS.Timeout>()

/** Removes this process's note once it no longer holds the lock. */
export function releaseNote(db: Database): void {
  const store = db.name
  if (store === '' || store === ':memory:') return
  const pending = deferred.get(store)
  if (pending) {
    clearTimeout(pending)
    deferred.delete(store)
    return
  }
  rmSync(notePath(store), {force: true})
}

const note = JSON.stringify({pid: process.pid, command: ['roomsim', ...process.argv.slice(2)].join(' ').slice(0, 200)})

/** Notes this process as the writer; every time, since others may have taken the lock in between. */
function noteHolder(store: string): void {
  if (store === '' || store === ':memory:') return
  try {
    writeFileSync(notePath(store), note)
  } catch {
    // A note is a courtesy: a read-only folder must not stop the write itself.
  }
}

function waitLimits(): {alive: number; unknown: number} {
  const raw = process.env.ROOMSIM_LOCK_WAIT
  const seconds = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw)
  if (Number.isFinite(seconds) && seconds >= 0) return {alive: seconds * 1000, unknown: seconds * 1000}
  return {alive: DEFAULT_WAIT_ALIVE_S * 1000, unknown: DEFAULT_WAIT_UNKNOWN_S * 1000}
}

const isBusy = (error: unknown): boolean => /^SQLITE_BUSY/.test(String((error as {code?: unknown})?.code ?? ''))

/**
 * BEGIN IMMEDIATE, waiting for the lock as described above. SQLite's own busy
 * handler sleeps between tries (the connection's timeout); this loop decides
 * whether to go on after each of its slices. `note: 'deferred'` writes the
 * holder's note only once the lock has been held NOTE_AFTER_MS (the holder must
 * yield to its event loop for that: an action's plugin calls do); a long
 * synchronous transaction (a migration) notes itself at once.
 */
export function beginImmediate(db: Database, {note = 'now'}: {note?: 'now' | 'deferred'} = {}): void {
  const store = db.name
  const started = Date.now()
  for (;;) {
    try {
      db.exec('BEGIN IMMEDIATE')
      if (note === 'now' || store === '' || store === ':memory:') noteHolder(store)
      else {
        const timer = setTimeout(() => {
          deferred.delete(store)
          noteHolder(store)
        }, NOTE_AFTER_MS)
        timer.unref()
        deferred.set(store, timer)
      }
      return
    } catch (error) {
      if (!isBusy(error)) throw error
      const holder = readHolder(store)
      const known = holder !== undefined && holder.pid !== process.pid && isAlive(holder.pid)
      const waited = Date.now() - started
      const limits = waitLimits()
      if (waited < (known ? limits.alive : limits.unknown)) continue
      const who = known ? `another roomsim process (pid ${holder.pid}: ${holder.command})` : 'another program'
      throw new RoomsimError(
        'STORE_BUSY',
        `the store ${store} is locked by ${who}; gave up after ${Math.round(waited / 1000)} s (ROOMSIM_LOCK_WAIT sets how long to wait); run the command again when it has finished`,
        {cause: error},
      )
    }
  }
}
