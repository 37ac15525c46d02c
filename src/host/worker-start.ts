import {Worker} from 'node:worker_threads'

// Under bin/dev.js and in tests the sources are TypeScript: the worker then needs tsx too. Node 20 ignores
// `--import tsx` in a worker's execArgv, so the worker starts from a one-line module that registers tsx first.
const workerUrl = import.meta.url.endsWith('.ts')
  ? new URL(`data:text/javascript,${encodeURIComponent(`import {register} from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(new URL('../isolate/worker.ts', import.meta.url).href)})`)}`)
  : new URL('../isolate/worker.js', import.meta.url)
const workerExecArgv: string[] = []

/** The plugin worker's heap limit: a plugin that hoards memory costs its worker (ERR_WORKER_OUT_OF_MEMORY), not the machine. */
const WORKER_HEAP_MB = 1024

function newWorker(): Worker {
  const worker = new Worker(workerUrl, {execArgv: workerExecArgv, stdout: true, stderr: true, resourceLimits: {maxOldGenerationSizeMb: WORKER_HEAP_MB}})
  // Whoever watches a worker reacts to its 'error'; this keeps a late one from being an unhandled event.
  worker.on('error', () => undefined)
  return worker
}

let early: {worker: Worker; alive: boolean} | undefined

/**
 * Starts a plugin worker before the command knows whether it needs one, so the
 * worker's boot overlaps reading the config and opening the store. It is
 * unreferenced: when no engine takes it (no plugins), it does not keep roomsim running.
 */
export function startWorkerEarly(): void {
  if (early) return
  const worker = newWorker()
  worker.unref()
  const started = {worker, alive: true}
  worker.once('exit', () => (started.alive = false))
  early = started
}

/** The worker started early when there is one, else a new one; it has been given no plugins yet. */
export function takeWorker(): Worker {
  const started = early
  early = undefined
  if (started?.alive) {
    started.worker.ref()
    return started.worker
  }
  return newWorker()
}
