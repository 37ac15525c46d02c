/**
 * Work a handler started and did not await. Real handlers often fire and forget
 * (`modify.getCreator().finish(msg)` in a `.then`, a `setTimeout(…, 50)`); the
 * worker keeps reporting a call as running until that work is done, bounded by
 * the stage timeout, so its effects land in the action that caused them.
 *
 * What counts, per invocation (followed through async context):
 * - accessor calls to the main thread still in flight;
 * - timers and immediates it scheduled (not intervals, not unref'd ones);
 * - one-shot native requests (file system, DNS, connects, crypto).
 * Long-lived handles (sockets, servers) do not count: they may stay open forever.
 * A promise chain with nothing of the above beneath it finishes within the same
 * turn of the event loop, so it needs no tracking of its own.
 */
import {AsyncLocalStorage, createHook} from 'node:async_hooks'

/** Async resource types that are one-shot operations: they end by themselves. */
const ONE_SHOT = /^(Timeout|Immediate)$|REQ(UEST|WRAP|CALLBACK|PROMISE)?$|CONNECTWRAP$|QUERYWRAP$|SHUTDOWNWRAP$|WRITEWRAP$|SENDWRAP$/
const NEVER = new Set(['PROMISE', 'HTTPCLIENTREQUEST', 'HTTPINCOMINGMESSAGE'])
/**
 * Crypto jobs: the *Sync functions (randomFillSync, which uuid and the engine's
 * BlockBuilder use) create one too, and it is never destroyed until collected,
 * so counting them would hold every such call open until its timeout.
 */
const CRYPTO_JOB = /^(RANDOM|CHECKPRIME|PBKDF2|SCRYPT|HKDF|KEY|SIGN|VERIFY|CIPHER|DERIVEBITS|HASH|HMAC|SECRETKEY|ECDH|DH)\w*REQUEST$/

/** Node's Timeout and Immediate objects, as far as we look at them. */
interface TimerLike {
  _destroyed?: boolean
  _repeat?: number | null
  hasRef?: () => boolean
}

export class PendingWork {
  private calls = 0
  private readonly resources = new Map<number, TimerLike>()
  private wake: (() => void) | undefined

  /** Runs `work` so that everything it starts is counted against this invocation. */
  run<T>(work: () => T): T {
    return tracking.run(this, work)
  }

  /** True when nothing this invocation started is still under way. */
  isIdle(): boolean {
    if (this.calls > 0) return false
    for (const [id, resource] of this.resources) {
      if (resource._destroyed === true) this.resources.delete(id)
      else if (!holdsOpen(resource)) continue
      else return false
    }
    return true
  }

  /**
   * Waits until the invocation's work is done, or until `deadline`
   * (performance.now() time). Answers whether it finished.
   */
  async settle(deadline: number): Promise<boolean> {
    for (;;) {
      // Let queued callbacks run first: a `.then` may be about to start more work.
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (this.isIdle()) return true
      const left = deadline - performance.now()
      if (left <= 0) return false
      let timer: NodeJS.Timeout | undefined
      await new Promise<void>((resolve) => {
        this.wake = resolve
        timer = setTimeout(resolve, Math.min(left, POLL_MS))
      })
      clearTimeout(timer)
      this.wake = undefined
    }
  }

  /** Counts a call to the main thread until it settles. */
  track<T>(call: Promise<T>): Promise<T> {
    this.calls++
    const done = (): void => {
      this.calls--
      this.wake?.()
    }
    call.then(done, done)
    return call
  }

  added(id: number, resource: TimerLike): void {
    this.resources.set(id, resource)
    owners.set(id, this)
  }

  ended(id: number): void {
    if (this.resources.delete(id)) this.wake?.()
  }
}

/** Some endings (a timer's `_destroyed`) are seen only by looking: look again this often while waiting. */
const POLL_MS = 25

/** An interval or an unref'd timer never holds a handler's call open. */
const holdsOpen = (resource: TimerLike): boolean => resource._repeat == null && (typeof resource.hasRef !== 'function' || resource.hasRef())

const tracking = new AsyncLocalStorage<PendingWork>()
const owners = new Map<number, PendingWork>()

createHook({
  init(asyncId, type, _triggerAsyncId, resource) {
    if (NEVER.has(type) || CRYPTO_JOB.test(type) || !ONE_SHOT.test(type)) return
    tracking.getStore()?.added(asyncId, resource as TimerLike)
  },
  destroy(asyncId) {
    const owner = owners.get(asyncId)
    if (!owner) return
    owners.delete(asyncId)
    owner.ended(asyncId)
  },
}).enable()

/** Counts `call` against the invocation that made it, if any (a call made outside handlers is not tracked). */
export function trackCall<T>(call: Promise<T>): Promise<T> {
  return tracking.getStore()?.track(call) ?? call
}

/** How long before the host's timeout the worker gives up waiting, so the handler's own result still gets through. */
export const settleMargin = (budgetMs: number): number => Math.min(1000, Math.max(50, budgetMs / 5))
