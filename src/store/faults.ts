/**
 * What went wrong with a store file, in words a user can act on. SQLite's own
 * messages ("attempt to write a readonly database", "unable to open database
 * file", "database disk image is malformed") say what failed, not why or what
 * to do; the file system is asked for the why.
 */
import {accessSync, constants, statSync} from 'node:fs'
import {dirname} from 'node:path'

import {RoomsimError} from '../errors.js'

const codeOf = (error: unknown): string => String((error as {code?: unknown})?.code ?? '')

export const isSqliteError = (error: unknown): boolean => codeOf(error).startsWith('SQLITE_')

/** The errno of checking `path` for `mode`, or undefined when access is granted. */
function denied(path: string, mode: number): string | undefined {
  try {
    accessSync(path, mode)
    return undefined
  } catch (error) {
    return codeOf(error)
  }
}

function ownerOf(path: string): number | undefined {
  try {
    return statSync(path).uid
  } catch {
    return undefined
  }
}

/** Why the store cannot be written, from the file system's point of view (undefined when it sees no reason). */
export function whyNotWritable(path: string): string | undefined {
  const folder = dirname(path)
  const file = denied(path, constants.W_OK)
  if (file === 'EROFS' || denied(folder, constants.W_OK) === 'EROFS') {
    return `the file system holding ${path} is read-only; use a store on a writable disk (--store PATH)`
  }
  if (file === 'EACCES' || file === 'EPERM') return `${path} is read-only for this user; fix its permissions (chmod u+w) or use another store (--store PATH)`
  if (denied(folder, constants.W_OK | constants.X_OK)) {
    return `the folder ${folder} is not writable for this user, and SQLite needs to create files beside the store; fix the folder's permissions or use another store (--store PATH)`
  }
  for (const suffix of ['-wal', '-shm']) {
    const side = `${path}${suffix}`
    const problem = denied(side, constants.R_OK | constants.W_OK)
    if (problem && problem !== 'ENOENT') {
      const uid = ownerOf(side)
      return `${side} belongs to another user${uid === undefined ? '' : ` (uid ${uid})`} and this user cannot write it; fix its permissions (chown/chmod) — do not delete it while it may hold changes that are not yet in ${path}`
    }
  }
  return undefined
}

const DAMAGED = (path: string, detail: string): string =>
  `the store ${path} is damaged (${detail}); run "roomsim store check" to see what is wrong, then restore a backup or start a new store`

/**
 * A store error as roomsim reports it: BAD_STORE with what to do, or undefined
 * when `error` is not about the store file (a constraint, a bug).
 */
export function storeFault(error: unknown, path: string): RoomsimError | undefined {
  if (error instanceof RoomsimError) return error
  const code = codeOf(error)
  const message = (error as Error)?.message ?? String(error)
  const fault = (text: string) => new RoomsimError('BAD_STORE', text, {cause: error})
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return fault(`the disk holding ${path} is full (or the store reached its size limit); free some space and run the command again`)
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_')) return fault(DAMAGED(path, message))
  if (code === 'SQLITE_NOTADB') return fault(`${path} is not a roomsim store (${message}); refusing to touch it`)
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return fault(`the folder ${dirname(path)} is not writable for this user, and SQLite must create ${path}-shm beside the store even to read it; fix the folder's permissions, or copy the store somewhere writable and use --store`)
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN_') || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return fault(whyNotWritable(path) ?? `cannot use the store ${path}: ${message}; check that it and its folder are readable and writable`)
  }
  if (code.startsWith('SQLITE_IOERR')) return fault(whyNotWritable(path) ?? `reading or writing ${path} failed (${message}): check the disk, then run "roomsim store check"`)
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return new RoomsimError('STORE_BUSY', `the store ${path} is locked by another program; run the command again when it has finished`, {cause: error})
  return undefined
}
