/**
 * Worker side: which plugin the worker is running code for, kept across async
 * hops (AsyncLocalStorage). Logs and errors from a plugin's background work —
 * timers, unawaited promises — are attributed to it this way, and such an error
 * while its handler call is still running fails that call.
 */
import {AsyncLocalStorage} from 'node:async_hooks'

import {type HandlerValue, type InvokeReply, serializeError, type SerializedError} from '../protocol/messages.js'

export interface CallContext {
  plugin: string
  actionId: number
  /** The handler call; absent while the plugin's module is being imported. */
  invokeId?: number
}

const storage = new AsyncLocalStorage<CallContext>()
/** Handler calls still running, by invoke id: each can be failed once. */
const running = new Map<number, (error: SerializedError) => void>()

export const currentCall = (): CallContext | undefined => storage.getStore()

/** Runs `work` (and everything it schedules) as `plugin`'s code. */
export const runAs = <T>(context: CallContext, work: () => T): T => storage.run(context, work)

/**
 * Runs one handler call. It settles exactly once: with its result, with what it
 * threw, or with the first background error attributed to it, whichever comes
 * first; later news about the same call is dropped.
 */
export function runInvocation(context: Required<CallContext>, work: () => Promise<HandlerValue>, reply: (message: InvokeReply) => void): void {
  const id = context.invokeId
  let settled = false
  const settle = (message: InvokeReply): void => {
    if (settled) return
    settled = true
    running.delete(id)
    try {
      reply(message)
    } catch (error) {
      // The value could not cross to roomsim (say, it holds a function): that is the handler's error.
      reply({type: 'settled', id, ok: false, error: serializeError(error)})
    }
  }
  running.set(id, (error) => settle({type: 'settled', id, ok: false, error}))
  void storage.run(context, async () => {
    try {
      settle({type: 'settled', id, ok: true, value: await work()})
    } catch (error) {
      settle({type: 'settled', id, ok: false, error: serializeError(error)})
    }
  })
}

/**
 * An uncaught exception or unhandled rejection in the worker. While the call it
 * came from still runs, that call fails with it (its hook is an `error`);
 * otherwise it is logged against the plugin whose code raised it.
 */
export function backgroundError(kind: 'uncaught exception' | 'unhandled rejection', error: unknown, log: (message: string) => void): void {
  const serialized = serializeError(error)
  const message = `${kind} in background work: ${serialized.message}`
  const invokeId = currentCall()?.invokeId
  const fail = invokeId === undefined ? undefined : running.get(invokeId)
  // Never a veto: a background AppsEngineException is an error, not a decision of the handler.
  if (fail) fail({name: 'Error', className: 'BackgroundError', message, ...(serialized.stack ? {stack: serialized.stack} : {})})
  else log(message)
}
