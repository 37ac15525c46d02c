import {existsSync, linkSync, mkdirSync, rmSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import {RoomsimError} from '../errors.js'
import {storeFault} from './faults.js'
import {APPLICATION_ID, LATEST_VERSION, MIGRATIONS} from './migrations.js'
import {beginImmediate, releaseNote} from './write-lock.js'

export type Database = BetterSqlite3.Database

/** One slice of SQLite's own busy wait; beginImmediate decides whether to wait another. */
const BUSY_SLICE_MS = 1000

/**
 * A write open checks the store first, so that a damaged one is refused before
 * anything writes to it: the full integrity check (indexes too) up to
 * FULL_CHECK_MAX_BYTES, the quicker page check up to QUICK_CHECK_MAX_BYTES,
 * none beyond (`roomsim store check` still can).
 */
const FULL_CHECK_MAX_BYTES = 8 * 1024 * 1024
const QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024

const require = createRequire(import.meta.url)
const sqlite = (): typeof BetterSqlite3 => require('better-sqlite3') as typeof BetterSqlite3

export interface OpenOptions {
  /** Create the store when it does not exist (else: null). */
  create: boolean
  /** Open read-only: nothing is written, not even a migration; an older store is refused with what to do. */
  readonly?: boolean
  /** With readonly: accept an older schema too (store info and check look at any roomsim store). */
  anyVersion?: boolean
}

/** The store most recently opened: errors raised later by SQLite are reported against it. */
let currentPath: string | undefined
export const currentStorePath = (): string | undefined => currentPath

/**
 * Opens (and, when `create` is set, creates and migrates) a roomsim store.
 * Anything that is not a roomsim store, or is newer than this program, is refused
 * before a single byte is written to it. A new store is built beside the target
 * and linked into place whole, so a store file that exists is always a complete
 * store: an empty (0-byte) file is somebody else's, never "new".
 */
export function openDatabase(path: string, {create, readonly = false, anyVersion = false}: OpenOptions): Database | null {
  if (path === ':memory:') {
    const db = new (sqlite())(path)
    db.pragma('foreign_keys = ON')
    migrate(db, path)
    return db
  }
  const stat = statOf(path)
  if (!stat) {
    if (!create) return null
    createStore(path)
  } else if (stat.isDirectory()) {
    throw new RoomsimError('BAD_STORE', `${path} is a folder, not a store file; give the path of a file (--store PATH)`)
  } else if (stat.size === 0) {
    throw new RoomsimError('BAD_STORE', `${path} is an empty file (0 bytes), not a roomsim store; remove it to start a new store, or restore a backup`)
  }
  currentPath = path
  const sideFilesExisted = existsSync(`${path}-wal`) || existsSync(`${path}-shm`)

  let db: Database
  try {
    // Read-only commands open read-write but query-only: a read-only connection could not remove the -wal
    // and -shm files on close, and files left behind by one user block another user's writes. Only a user
    // who cannot write the store at all reads it through a truly read-only connection.
    db = readonly ? openForReading(path) : new (sqlite())(path, {timeout: BUSY_SLICE_MS, fileMustExist: true})
  } catch (error) {
    throw storeFault(error, path) ?? new RoomsimError('BAD_STORE', `cannot open the store ${path}: ${(error as Error).message}`, {cause: error})
  }
  try {
    const {version, blank} = refuseForeign(db, path)
    if (readonly && blank) {
      // A store that was never set up holds nothing yet.
      db.close()
      return null
    }
    if (readonly) {
      if (version < LATEST_VERSION && !anyVersion) {
        throw new RoomsimError('BAD_STORE', `${path} was written by an older roomsim (schema version ${version}; this one uses ${LATEST_VERSION}); read-only commands do not change it: run "roomsim store upgrade" first`)
      }
      db.pragma('query_only = ON')
      return db
    }
    if (String(db.pragma('journal_mode', {simple: true})) !== 'wal') db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    if (stat && stat.size <= QUICK_CHECK_MAX_BYTES) refuseDamaged(db, path, stat.size <= FULL_CHECK_MAX_BYTES ? 'integrity_check' : 'quick_check')
    migrate(db, path)
    return db
  } catch (error) {
    try {
      db.close()
    } catch {
      // Closing a damaged store can fail too; the error that matters is the first one.
    }
    // A refused store is left as it was found: no empty -wal/-shm of ours beside it.
    if (!sideFilesExisted) removeEmptySideFiles(path)
    throw storeFault(error, path) ?? error
  }
}

function removeEmptySideFiles(path: string): void {
  try {
    if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) return
    rmSync(`${path}-wal`, {force: true})
    rmSync(`${path}-shm`, {force: true})
  } catch {
    // Not ours to remove after all (permissions): harmless.
  }
}

function openForReading(path: string): Database {
  const Sqlite = sqlite()
  const writable = new Sqlite(path, {timeout: BUSY_SLICE_MS, fileMustExist: true})
  try {
    if (!writable.readonly) {
      writable.prepare('SELECT count(*) FROM sqlite_master').get()
      return writable
    }
  } catch {
    // Fall through to a read-only connection.
  }
  writable.close()
  return new Sqlite(path, {timeout: BUSY_SLICE_MS, fileMustExist: true, readonly: true})
}

function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'ENOTDIR') throw new RoomsimError('BAD_STORE', `cannot create the store ${path}: a part of its folder path is a file, not a folder`)
    throw storeFault(error, path) ?? new RoomsimError('BAD_STORE', `cannot read the store ${path}: ${(error as Error).message}`, {cause: error})
  }
}

/**
 * Builds a complete store in a file of its own, then links it into place; when
 * another process linked one first, that one is used and ours is dropped.
 */
function createStore(path: string): void {
  const folder = dirname(path)
  try {
    mkdirSync(folder, {recursive: true})
  } catch (error) {
    throw storeFault(error, path) ?? new RoomsimError('BAD_STORE', `cannot create the folder ${folder} for the store: ${(error as Error).message}`, {cause: error})
  }
  const building = `${path}.new-${process.pid}-${Date.now().toString(36)}`
  try {
    const db = new (sqlite())(building, {timeout: BUSY_SLICE_MS})
    try {
      db.pragma('foreign_keys = ON')
      migrate(db, path)
      // The WAL mark is in the header: the linked file opens in WAL mode without a change.
      db.pragma('journal_mode = WAL')
    } finally {
      db.close()
    }
    try {
      linkSync(building, path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  } catch (error) {
    throw storeFault(error, path) ?? new RoomsimError('BAD_STORE', `cannot create the store ${path}: ${(error as Error).message}`, {cause: error})
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${building}${suffix}`, {force: true})
  }
}

/** Refuses anything that is not a roomsim store (or a newer one); a blank SQLite file is a store not set up yet. */
function refuseForeign(db: Database, path: string): {version: number; blank: boolean} {
  let applicationId: number, version: number, objects: number
  try {
    applicationId = db.pragma('application_id', {simple: true}) as number
    version = db.pragma('user_version', {simple: true}) as number
    objects = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as {n: number}).n
  } catch (error) {
    const code = String((error as {code?: unknown}).code ?? '')
    if (code === 'SQLITE_NOTADB') throw new RoomsimError('BAD_STORE', `${path} is not a roomsim store (${(error as Error).message}); refusing to touch it`)
    throw error
  }
  const blank = applicationId === 0 && version === 0 && objects === 0
  if (!blank && applicationId !== APPLICATION_ID) {
    throw new RoomsimError('BAD_STORE', `${path} is a SQLite database but not a roomsim store; refusing to touch it`)
  }
  if (version > LATEST_VERSION) {
    throw new RoomsimError(
      'BAD_STORE',
      `${path} has schema version ${version}, newer than this roomsim understands (${LATEST_VERSION}); upgrade roomsim`,
    )
  }
  return {version, blank}
}

/** A store with a damaged page is refused before anything writes to it (writing could spread the damage). */
function refuseDamaged(db: Database, path: string, check: 'integrity_check' | 'quick_check'): void {
  const rows = db.pragma(`${check}(3)`) as Record<string, string>[]
  const problems = rows.map((row) => cleanCheckLine(Object.values(row)[0] ?? '')).filter((text) => text !== 'ok' && text !== '')
  if (problems.length > 0) {
    throw new RoomsimError('BAD_STORE', `the store ${path} is damaged (${problems[0]}); run "roomsim store check" to see what is wrong, then restore a backup or start a new store`)
  }
}

/** SQLite's check lines, one line each, without the "*** in database main ***" banner. */
export const cleanCheckLine = (text: string): string => text.replace(/\*\*\* in database \w+ \*\*\*/g, '').replace(/\s+/g, ' ').trim()

function migrate(db: Database, path: string): void {
  for (const migration of MIGRATIONS) {
    if ((db.pragma('user_version', {simple: true}) as number) >= migration.version) continue
    // A store being built is nobody else's yet: no lock holder to note.
    if (path === db.name) beginImmediate(db)
    else db.exec('BEGIN IMMEDIATE')
    try {
      // Another process may have applied it while we waited for the lock.
      if ((db.pragma('user_version', {simple: true}) as number) < migration.version) {
        db.exec(migration.sql)
        db.pragma(`user_version = ${migration.version}`)
      }
      db.exec('COMMIT')
      if (path === db.name) releaseNote(db)
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      if (path === db.name) releaseNote(db)
      throw (
        storeFault(error, path) ??
        new RoomsimError('BAD_STORE', `migrating ${path} to version ${migration.version} (${migration.description}) failed: ${(error as Error).message}`, {cause: error})
      )
    }
  }
}
