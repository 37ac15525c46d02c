import type {EventEntry, Store} from '../store/store.js'
import type {Workspace} from '../workspace.js'
import {pause, untilInterrupted} from './interrupt.js'

/** How often the store is asked for new entries. Commits are visible to a reader as soon as they are made (WAL). */
const POLL_MS = 200

/**
 * `roomsim log --follow`: prints the newest entries, then every entry added
 * after them, until Ctrl-C. A store that does not exist yet is waited for.
 */
export async function followEvents(workspace: Workspace, query: {room?: string; limit: number}, print: (entry: EventEntry) => void, signal?: AbortSignal): Promise<void> {
  const interrupt = signal ? undefined : untilInterrupted()
  const stopped = signal ?? interrupt!.signal
  let store: Store | undefined
  let last = 0
  let first = true
  try {
    while (!stopped.aborted) {
      store ??= workspace.readStore()
      if (store) {
        const fresh = newEntries(store, query, last, first)
        first = false
        for (const entry of fresh) print(entry)
        if (fresh.length > 0) last = fresh.at(-1)!.seq
      }
      await pause(POLL_MS, stopped)
    }
  } finally {
    store?.close()
    interrupt?.dispose()
  }
}

/** Entries after `last` (the first time: the newest `limit`), asking for more when a burst outran one read. */
function newEntries(store: Store, query: {room?: string; limit: number}, last: number, first: boolean): EventEntry[] {
  if (first) return store.events(query)
  for (let limit = 256; ; limit *= 4) {
    const entries = store.events({...query, limit})
    if (entries.length < limit || (entries[0]?.seq ?? 0) <= last) return entries.filter((entry) => entry.seq > last)
  }
}
