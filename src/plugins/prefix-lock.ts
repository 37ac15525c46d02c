import {closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs'
import {join} from 'node:path'

import {RoomsimError} from '../errors.js'

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function take(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx')
    writeSync(fd, String(process.pid))
    closeSync(fd)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return false
  }
}

/**
 * npm has no lock of its own: two roomsim processes installing into one prefix
 * at once would corrupt its package.json. One holds this lock file (its pid
 * inside); a lock left by a process that died is taken over.
 */
export async function withPrefixLock<T>(stateFolder: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(stateFolder, {recursive: true})
  const lock = join(stateFolder, 'plugins.lock')
  if (!take(lock)) {
    const holder = Number.parseInt(readFileSync(lock, 'utf8'), 10)
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new RoomsimError('INSTALL_FAILED', `another roomsim process (pid ${holder}) is changing plugins in ${stateFolder}; try again when it has finished`)
    }
    rmSync(lock, {force: true})
    if (!take(lock)) throw new RoomsimError('INSTALL_FAILED', `another roomsim process is changing plugins in ${stateFolder}; try again when it has finished`)
  }
  try {
    return await work()
  } finally {
    rmSync(lock, {force: true})
  }
}
