import type {Worker} from 'node:worker_threads'

import type {AccessorCall, FromWorker, HandlerValue, InvokeRequest, LoadedPlugin, LogLine, PluginSpec, SerializedError, ToWorker} from '../protocol/messages.js'
import {serializeError} from '../protocol/messages.js'
import {loadInWorker} from './worker-load.js'
import {takeWorker} from './worker-start.js'

export type InvokeResult =
  | {status: 'ok'; value: HandlerValue}
  | {status: 'threw'; error: SerializedError}
  | {status: 'timeout'}
  /** The worker died or was restarted while this call ran. */
  | {status: 'crashed'; error: SerializedError}

export interface HostCallbacks {
  /** Answers a handler's accessor call on the main thread. */
  onCall(call: AccessorCall): Promise<unknown>
  onLog(line: LogLine): void
}

interface Pending {
  resolve(result: InvokeResult): void
  plugin: string
}

/** How long one plugin's module may take to import (tsx compiling a TypeScript entry included). */
export const DEFAULT_IMPORT_TIMEOUT_MS = 5000

/**
 * The main-thread side of the plugin worker. It takes the worker started early
 * (startWorkerEarly) or starts one, loads the plugins, runs each handler call
 * under a timeout, and replaces the worker when a handler hangs or kills it.
 * A plugin whose import hangs or kills the worker is reported as failing to
 * load and left out of every later worker of this run.
 */
export class PluginHost {
  private worker: Worker | undefined
  private loading: Promise<LoadedPlugin[]> | undefined
  private readonly pending = new Map<number, Pending>()
  private readonly broken = new Map<string, SerializedError>()
  private nextId = 1
  private closed = false

  constructor(
    private readonly specs: PluginSpec[],
    private readonly callbacks: HostCallbacks,
    private readonly importTimeoutMs = DEFAULT_IMPORT_TIMEOUT_MS,
  ) {}

  /** Starts the worker and begins loading plugins; idempotent. Every spec gets an entry, in order. */
  loaded(): Promise<LoadedPlugin[]> {
    this.loading ??= this.load()
    return this.loading
  }

  private async load(): Promise<LoadedPlugin[]> {
    for (;;) {
      const worker = this.spawn()
      const attempt = await loadInWorker(worker, this.specs.filter((spec) => !this.broken.has(spec.name)), this.importTimeoutMs)
      if (this.closed) throw new Error('the plugin host was closed while loading plugins')
      if (attempt.status === 'failed') throw attempt.error
      if (attempt.status === 'loaded') {
        // From now on a dead worker fails the calls running in it.
        worker.once('error', (error) => this.crashed(worker, serializeError(error)))
        worker.once('exit', (code) => this.crashed(worker, {name: 'Error', className: 'Error', message: `plugin worker exited (code ${code})`}))
        const byName = new Map(attempt.plugins.map((plugin) => [plugin.name, plugin]))
        return this.specs.map((spec) => {
          const error = this.broken.get(spec.name)
          return error ? {name: spec.name, interfaces: [], checks: [], declaredSettings: {}, error} : byName.get(spec.name)!
        })
      }
      this.broken.set(attempt.plugin, attempt.error)
      this.worker = undefined
      void worker.terminate()
    }
  }

  private spawn(): Worker {
    const worker = takeWorker()
    this.worker = worker
    worker.on('message', (message: FromWorker) => this.receive(message, worker))
    // Raw writes to stdout/stderr inside plugins end up in the log, never on roomsim's own stdout.
    for (const stream of [worker.stdout, worker.stderr]) {
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => this.callbacks.onLog({type: 'log', plugin: '(plugin output)', actionId: 0, level: 'log', args: [chunk.trimEnd()]}))
    }
    return worker
  }

  async invoke(request: Omit<InvokeRequest, 'type' | 'id' | 'budgetMs'>, timeoutMs: number): Promise<InvokeResult> {
    await this.loaded()
    const id = this.nextId++
    const worker = this.worker!
    let timer: NodeJS.Timeout | undefined
    const result = await new Promise<InvokeResult>((resolve) => {
      this.pending.set(id, {resolve, plugin: request.plugin})
      timer = setTimeout(() => {
        this.pending.delete(id)
        resolve({status: 'timeout'})
        // The handler may be spinning in a loop: only ending the thread stops it.
        this.restart(worker, `restarted after ${request.plugin}.${request.method} timed out`)
      }, timeoutMs)
      this.post({...request, type: 'invoke', id, budgetMs: timeoutMs})
    })
    clearTimeout(timer)
    return result
  }

  async close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    this.worker = undefined
    this.loading = undefined
    if (worker) await worker.terminate()
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message)
  }

  private receive(message: FromWorker, from: Worker): void {
    switch (message.type) {
      case 'settled': {
        const pending = this.pending.get(message.id)
        this.pending.delete(message.id)
        pending?.resolve(message.ok ? {status: 'ok', value: message.value} : {status: 'threw', error: message.error})
        break
      }
      case 'call':
        // A worker being replaced (its handler timed out) gets nothing more done on its behalf.
        if (from === this.worker) this.answer(message)
        break
      case 'log':
        this.callbacks.onLog(message)
        break
      case 'loaded':
      case 'importing':
        break
    }
  }

  private answer(call: AccessorCall): void {
    const worker = this.worker
    this.callbacks.onCall(call).then(
      (value) => worker === this.worker && this.post({type: 'reply', id: call.id, ok: true, value}),
      (error: unknown) => worker === this.worker && this.post({type: 'reply', id: call.id, ok: false, error: serializeError(error)}),
    )
  }

  private restart(worker: Worker, reason: string): void {
    if (worker !== this.worker) return
    this.crashed(worker, {name: 'Error', className: 'Error', message: `plugin worker ${reason}`})
    void worker.terminate()
  }

  /** Every call still running in a dead worker fails; the next call starts a fresh worker. */
  private crashed(worker: Worker, error: SerializedError): void {
    if (worker !== this.worker) return
    this.worker = undefined
    this.loading = undefined
    for (const [id, pending] of this.pending) {
      this.pending.delete(id)
      pending.resolve({status: 'crashed', error})
    }
  }
}
