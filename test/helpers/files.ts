import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'

/**
 * A store's fingerprint: the hash of the database file and of any WAL/SHM file
 * beside it. roomsim checkpoints on close, so compare after the process exits.
 */
export function storeFingerprint(path: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => `${suffix || 'db'}:${existsSync(path + suffix) ? createHash('sha256').update(readFileSync(path + suffix)).digest('hex') : 'absent'}`)
    .join(' ')
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, lane))
  return results
}

/** A stack trace line, as Node prints them. */
export const STACK_LINE = /^\s+at .+[(:]/m
