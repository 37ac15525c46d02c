import {existsSync, mkdirSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import {RoomsimError} from '../errors.js'
import {APPLICATION_ID, LATEST_VERSION, MIGRATIONS} from './migrations.js'

export type Database = BetterSqlite3.Database

/** How long a writer waits for another roomsim process to finish its action. */
const BUSY_TIMEOUT_MS = 60_000

const require = createRequire(import.meta.url)

/**
 * Opens (and, when `create` is set, creates and migrates) a roomsim store.
 * Anything that is not a roomsim store, or is newer than this program, is refused
 * before a single byte is written to it.
 */
export function openDatabase(path: string, {create}: {create: boolean}): Database | null {
  const inMemory = path === ':memory:'
  const isNew = inMemory || !existsSync(path) || statSync(path).size === 0
  if (isNew && !create) return null
  if (isNew && !inMemory) {
    try {
      mkdirSync(dirname(path), {recursive: true})
    } catch (error) {
      throw new RoomsimError('BAD_STORE', `cannot create the store ${path}: ${(error as Error).message}`, {cause: error})
    }
  }

  const Sqlite = require('better-sqlite3') as typeof BetterSqlite3
  let db: Database
  try {
    db = new Sqlite(path, {timeout: BUSY_TIMEOUT_MS})
  } catch (error) {
    throw new RoomsimError('BAD_STORE', `cannot open store ${path}: ${(error as Error).message}`, {cause: error})
  }
  try {
    refuseForeign(db, path)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    migrate(db, path)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

function refuseForeign(db: Database, path: string): void {
  let applicationId: number, version: number, objects: number
  try {
    applicationId = db.pragma('application_id', {simple: true}) as number
    version = db.pragma('user_version', {simple: true}) as number
    objects = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as {n: number}).n
  } catch (error) {
    throw new RoomsimError('BAD_STORE', `${path} is not a roomsim store (${(error as Error).message}); refusing to touch it`)
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
}

function migrate(db: Database, path: string): void {
  for (const migration of MIGRATIONS) {
    if ((db.pragma('user_version', {simple: true}) as number) >= migration.version) continue
    db.exec('BEGIN IMMEDIATE')
    try {
      // Another process may have applied it while we waited for the lock.
      if ((db.pragma('user_version', {simple: true}) as number) < migration.version) {
        db.exec(migration.sql)
        db.pragma(`user_version = ${migration.version}`)
      }
      db.exec('COMMIT')
    } catch (error) {
      db.exec('ROLLBACK')
      throw new RoomsimError(
        'BAD_STORE',
        `migrating ${path} to version ${migration.version} (${migration.description}) failed: ${(error as Error).message}`,
        {cause: error},
      )
    }
  }
}
