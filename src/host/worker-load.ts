import type {Worker} from 'node:worker_threads'

import type {FromWorker, LoadedPlugin, PluginSpec, SerializedError} from '../protocol/messages.js'
import {serializeError} from '../protocol/messages.js'

/** How one attempt to load plugins into a fresh worker ended. */
export type LoadAttempt =
  | {status: 'loaded'; plugins: LoadedPlugin[]}
  /** This plugin's import hung past the timeout, or ended the worker: the worker is lost. */
  | {status: 'stuck'; plugin: string; error: SerializedError}
  /** The worker died before importing any plugin (roomsim's own fault). */
  | {status: 'failed'; error: Error}

/**
 * Asks `worker` to import `specs` and waits. The worker announces each import
 * first, so a hang (a busy loop or a never-settling top-level await) or a
 * death during an import is pinned on the plugin being imported; each import
 * gets `importTimeoutMs`.
 */
export function loadInWorker(worker: Worker, specs: readonly PluginSpec[], importTimeoutMs: number): Promise<LoadAttempt> {
  return new Promise<LoadAttempt>((resolve) => {
    let importing: string | undefined
    let timer: NodeJS.Timeout | undefined
    const end = (attempt: LoadAttempt): void => {
      clearTimeout(timer)
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      resolve(attempt)
    }
    const stuck = (error: SerializedError): void =>
      importing === undefined ? end({status: 'failed', error: new Error(error.message)}) : end({status: 'stuck', plugin: importing, error})
    const onMessage = (message: FromWorker): void => {
      if (message.type === 'importing') {
        importing = message.plugin
        clearTimeout(timer)
        timer = setTimeout(() => stuck({name: 'Error', className: 'ImportTimeout', message: `importing the plugin timed out after ${importTimeoutMs} ms`}), importTimeoutMs)
      } else if (message.type === 'loaded') {
        end({status: 'loaded', plugins: message.plugins})
      }
    }
    const onError = (error: Error): void => stuck({...serializeError(error), message: `the plugin worker crashed while importing the plugin: ${error.message}`})
    const onExit = (code: number): void => stuck({name: 'Error', className: 'WorkerExit', message: `the plugin worker exited (code ${code}) while importing the plugin`})
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
    worker.postMessage({type: 'load', plugins: specs})
  })
}
