/**
 * Scenarios run in throwaway stores under the temp folder. They are removed
 * when a scenario ends, and also when the run is stopped by Ctrl-C (SIGINT),
 * SIGTERM or SIGHUP: the handler removes every one still there, then exits
 * with the signal's conventional code (128 + its number), unless the command
 * ends cleanly on the signal itself (a watch loop, which exits 0).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Store} from '../store/store.js'

const live = new Set<string>()
const SIGNALS = {SIGINT: 2, SIGTERM: 15, SIGHUP: 1} as const
let installed = false
let callerHandlesSignals = false

/** For a command that ends cleanly on Ctrl-C itself: the stores are then removed as it exits, not by exiting at once. */
export function leaveSignalsToCaller(): void {
  callerHandlesSignals = true
}

function removeAll(): void {
  for (const folder of live) rmSync(folder, {recursive: true, force: true})
  live.clear()
}

function install(): void {
  if (installed) return
  installed = true
  for (const [signal, number] of Object.entries(SIGNALS)) {
    process.once(signal, () => {
      // The caller ends gracefully on this signal (--watch finishes its run, then exits 0): the exit hook cleans up then.
      if (callerHandlesSignals) return
      removeAll()
      process.exit(128 + number)
    })
  }
  process.once('exit', removeAll)
}

/** A new temporary folder for one scenario's store. */
export function makeTempStoreFolder(): string {
  install()
  const folder = mkdtempSync(join(tmpdir(), 'roomsim-scenario-'))
  live.add(folder)
  return folder
}

export function removeTempStoreFolder(folder: string): void {
  rmSync(folder, {recursive: true, force: true})
  live.delete(folder)
}

/**
 * A throwaway store is this process's alone and need not survive a crash: it
 * takes its file lock once instead of at every transaction, keeps its rollback
 * journal in memory, never syncs, and commits many actions at once
 * (Store.groupCommits; docs/performance.md).
 */
export function makeThrowaway(store: Store): void {
  store.db.pragma('locking_mode = EXCLUSIVE')
  store.db.pragma('journal_mode = MEMORY')
  store.db.pragma('synchronous = OFF')
  store.groupCommits()
}
