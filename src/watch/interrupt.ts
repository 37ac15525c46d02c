import {setTimeout as sleep} from 'node:timers/promises'

/**
 * A signal that aborts on Ctrl-C (SIGINT) or SIGTERM, for commands that run
 * until told to stop: they finish what they are doing, clean up, and end with
 * exit 0 instead of dying half-way.
 */
export function untilInterrupted(): {signal: AbortSignal; dispose: () => void} {
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    },
  }
}

/** Waits `ms`, or less when `signal` aborts first; never throws. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, {signal}).catch(() => undefined)
}
