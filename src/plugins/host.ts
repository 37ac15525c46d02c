import {Worker} from 'node:worker_threads'

import type {AccessorCall, FromWorker, HandlerValue, InvokeRequest, LoadedPlugin, LogLine, PluginSpec, SerializedError, ToWorker} from './protocol.js'
import {serializeError} from './protocol.js'

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

// Under bin/dev.js and in tests the sources are TypeScript: the worker then needs tsx too. Node 20 ignores
// `--import tsx` in a worker's execArgv, so the worker starts from a one-line module that registers tsx first.
const workerUrl = import.meta.url.endsWith('.ts')
  ? new URL(`data:text/javascript,${encodeURIComponent(`import {register} from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)})`)}`)
  : new URL('./worker.js', import.meta.url)
const workerExecArgv: string[] = []

/**
 * The main-thread side of the plugin worker. It starts the worker as early as it
 * can (so loading plugins overlaps opening the store), runs each handler call
 * under a timeout, and replaces the worker when a handler hangs or kills it.
 */
export class PluginHost {
  private worker: Worker | undefined
  private loading: Promise<LoadedPlugin[]> | undefined
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(
    private readonly specs: PluginSpec[],
    private readonly callbacks: HostCallbacks,
  ) {}

  /** Starts the worker and begins loading plugins; idempotent. */
  loaded(): Promise<LoadedPlugin[]> {
    if (this.loading) return this.loading
    const worker = new Worker(workerUrl, {execArgv: workerExecArgv, stdout: true, stderr: true})
    this.worker = worker
    this.loading = new Promise<LoadedPlugin[]>((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        if (message.type === 'loaded') resolve(message.plugins)
        else this.receive(message)
      }
      worker.on('message', onMessage)
      worker.once('error', (error) => {
        reject(error)
        this.crashed(worker, serializeError(error))
      })
      worker.once('exit', (code) => {
        reject(new Error(`plugin worker exited with code ${code} while loading plugins`))
        this.crashed(worker, {name: 'Error', className: 'Error', message: `plugin worker exited (code ${code})`})
      })
    })
    // Raw writes to stdout/stderr inside plugins end up in the log, never on roomsim's own stdout.
    for (const stream of [worker.stdout, worker.stderr]) {
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => this.callbacks.onLog({type: 'log', plugin: '(plugin output)', actionId: 0, level: 'log', args: [chunk.trimEnd()]}))
    }
    this.post({type: 'load', plugins: this.specs})
    return this.loading
  }

  async invoke(request: Omit<InvokeRequest, 'type' | 'id'>, timeoutMs: number): Promise<InvokeResult> {
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
      this.post({...request, type: 'invoke', id})
    })
    clearTimeout(timer)
    return result
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    this.loading = undefined
    if (worker) await worker.terminate()
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message)
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'settled': {
        const pending = this.pending.get(message.id)
        this.pending.delete(message.id)
        pending?.resolve(message.ok ? {status: 'ok', value: message.value} : {status: 'threw', error: message.error})
        break
      }
      case 'call':
        this.answer(message)
        break
      case 'log':
        this.callbacks.onLog(message)
        break
      case 'loaded':
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
