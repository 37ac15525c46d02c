/**
 * The plugin worker: loads every plugin and runs handler calls on request. It is
 * a separate thread so that a plugin that loops forever, exits or crashes costs
 * roomsim a worker, never the process or the store.
 */
import {parentPort} from 'node:worker_threads'

import {createHttp, createModify, createPersistence, createRead, type Forward} from './handler-accessors.js'
import {checkMethodOf, interfacesImplementedBy} from '../protocol/interfaces.js'
import {firstLine} from '../errors.js'
import {RoomBuilder} from './room-builder.js'
import {RoomExtender} from './room-extender.js'
import type {HandlerArg} from '../engine/stages.js'
import type {Room} from '../domain/types.js'
import {startApp} from './app-lifecycle.js'
import {backgroundError, currentCall, runAs, runInvocation} from './call-context.js'
import {provideEnginePackage} from './engine-package.js'
import {deepFreeze} from './freeze.js'
import {handlerOf, importModule} from './load-module.js'
import {PendingWork, settleMargin, trackCall} from './pending-work.js'
import {
  type FromWorker,
  type HandlerValue,
  type InvokeRequest,
  type LoadedPlugin,
  type LogLine,
  type PluginSpec,
  serializeError,
  type ToWorker,
} from '../protocol/messages.js'

/** Largest room (as JSON) a modify handler may hand back. */
const MAX_RETURNED_BYTES = 1024 * 1024

const port = parentPort!
const send = (message: FromWorker): void => port.postMessage(message)
const handlers = new Map<string, object>()
/** Each app's id (app.json): blocks an app builds carry it. */
const appIds = new Map<string, string>()
const pendingCalls = new Map<number, {resolve: (value: unknown) => void; reject: (error: Error) => void}>()
let nextCallId = 1

function log(level: LogLine['level'], args: unknown[]): void {
  const current = currentCall()
  send({type: 'log', plugin: current?.plugin ?? '(unknown plugin)', actionId: current?.actionId ?? 0, level, args: args.map(printable)})
}

const printable = (value: unknown): unknown => {
  if (value instanceof Error) return `${value.name}: ${value.message}`
  try {
    return structuredClone(value)
  } catch {
    return String(value)
  }
}

function loggerFor(): Record<string, (...args: unknown[]) => void> {
  return {
    debug: (...args: unknown[]) => log('debug', args),
    info: (...args: unknown[]) => log('info', args),
    warn: (...args: unknown[]) => log('warn', args),
    error: (...args: unknown[]) => log('error', args),
    log: (...args: unknown[]) => log('log', args),
    success: (...args: unknown[]) => log('success', args),
  }
}

// A plugin's console output is its log, never roomsim's stdout (which may be carrying --json).
for (const level of ['debug', 'info', 'warn', 'error', 'log'] as const) console[level] = (...args: unknown[]) => log(level, args)
// process.exit() inside a worker would only end the worker; make it an error the handler is blamed for.
process.exit = ((code?: number) => {
  throw new Error(`plugin called process.exit(${code ?? ''})`)
}) as typeof process.exit
// Signalling roomsim's own process would take it down with the worker.
const kill = process.kill.bind(process)
process.kill = ((pid: number, signal?: string | number) => {
  if (pid === process.pid || pid === 0) throw new Error(`plugin tried to signal roomsim's own process (process.kill(${pid}))`)
  return kill(pid, signal)
}) as typeof process.kill

/**
 * Accessors an app holds from its constructor on (IAppAccessors): their calls
 * belong to whichever action the app's code is running for at the time.
 */
const forwardFor =
  (plugin: string): Forward =>
  (method, args) =>
    callMain({plugin, actionId: currentCall()?.actionId ?? 0}, method, args)

async function load(specs: PluginSpec[]): Promise<LoadedPlugin[]> {
  // Imports of @rocket.chat/apps-engine resolve to roomsim's copy, as the server provides its own.
  provideEnginePackage()
  const loaded: LoadedPlugin[] = []
  for (const spec of specs) {
    try {
      send({type: 'importing', plugin: spec.name})
      // Timers and promises the module starts while importing are the plugin's too.
      const module = await runAs({plugin: spec.name, actionId: 0}, () => importModule(spec.entry))
      const app = spec.isApp ? await runAs({plugin: spec.name, actionId: 0}, () => startApp(spec, module, loggerFor(), forwardFor(spec.name))) : undefined
      const handler = app?.handler ?? handlerOf(module)
      if (!('getLogger' in handler)) Object.defineProperty(handler, 'getLogger', {value: loggerFor, enumerable: false})
      handlers.set(spec.name, handler)
      if (spec.appId) appIds.set(spec.name, spec.appId)
      const declared = (app?.declaredSettings ?? module.settings ?? (handler as {settings?: unknown}).settings ?? {}) as Record<string, unknown>
      const interfaces = interfacesImplementedBy(handler)
      const checks = interfaces.map(checkMethodOf).filter((method): method is string => method !== undefined && typeof (handler as Record<string, unknown>)[method] === 'function')
      const report = app && {registered: app.registered, ...app.compatibility}
      loaded.push({name: spec.name, interfaces, checks, declaredSettings: structuredClone(declared), ...(report ? {app: structuredClone(report)} : {})})
    } catch (error) {
      loaded.push({name: spec.name, interfaces: [], checks: [], declaredSettings: {}, error: serializeError(error)})
    }
  }
  return loaded
}

async function invoke(request: InvokeRequest): Promise<HandlerValue> {
  const handler = handlers.get(request.plugin) as Record<string, (...args: unknown[]) => unknown> | undefined
  if (!handler) throw new Error(`plugin "${request.plugin}" is not loaded`)
  if (typeof handler[request.method] !== 'function') throw new Error(`${request.plugin} has no method ${request.method}`)
  const forward: Forward = (method, args) => callMain(request, method, args)
  const input = deepFreeze(request.input)
  let extender: RoomExtender | undefined
  let builder: RoomBuilder | undefined
  const make: Record<HandlerArg, () => unknown> = {
    input: () => input,
    extender: () => (extender = new RoomExtender(input as Room)),
    builder: () => (builder = new RoomBuilder(input as Room)),
    read: () => createRead(forward),
    http: () => createHttp(forward),
    persistence: () => createPersistence(forward),
    modify: () => createModify(forward, appIds.get(request.plugin)),
  }
  const returned = await handler[request.method]!(...request.args.map((name) => make[name]()))
  if (extender) {
    const {customFields, members} = extender.additions()
    return {kind: 'extension', customFields: transferable(customFields, 'custom fields'), members: transferable(members, 'members')}
  }
  if (builder) {
    const room = returned === undefined || returned === null ? builder.getRoom() : returned
    return {kind: 'room', room: transferable(room, 'room')}
  }
  if (typeof returned === 'boolean') return {kind: 'boolean', value: returned}
  if (returned === undefined || returned === null) return {kind: 'none'}
  return {kind: 'other', description: Array.isArray(returned) ? 'a list' : typeof returned, truthy: Boolean(returned)}
}

/** Values that go back to roomsim must be storable: not circular, not huge. */
function transferable<T>(value: T, what: string): T {
  let json: string
  try {
    json = JSON.stringify(value)
  } catch (error) {
    throw new Error(`returned ${what} that cannot be stored: ${firstLine((error as Error).message)}`)
  }
  if (json !== undefined && json.length > MAX_RETURNED_BYTES) {
    throw new Error(`returned ${what} of ${json.length} bytes; the limit is ${MAX_RETURNED_BYTES}`)
  }
  return structuredClone(value)
}

function callMain(request: Pick<InvokeRequest, 'plugin' | 'actionId'>, method: string, args: unknown[]): Promise<unknown> {
  const id = nextCallId++
  let cloned: unknown[]
  try {
    cloned = structuredClone(args)
  } catch (error) {
    return Promise.reject(new Error(`${method}: arguments cannot be sent: ${(error as Error).message}`))
  }
  return trackCall(
    new Promise((resolve, reject) => {
      pendingCalls.set(id, {resolve, reject})
      send({type: 'call', id, plugin: request.plugin, actionId: request.actionId, method, args: cloned})
    }),
  )
}

/** Runs a handler call, then waits for the work it left running (bounded by its budget) before it counts as finished. */
async function invokeAndSettle(request: InvokeRequest): Promise<HandlerValue> {
  const deadline = performance.now() + request.budgetMs - settleMargin(request.budgetMs)
  const work = new PendingWork()
  try {
    return await work.run(() => invoke(request))
  } finally {
    if (!(await work.settle(deadline))) {
      log('warn', [`${request.method}: background work still running after ${request.budgetMs} ms; roomsim stopped waiting for it, and what it does from now on is refused`])
    }
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'load':
      void load(message.plugins).then((plugins) => send({type: 'loaded', plugins}))
      break
    case 'invoke':
      runInvocation({plugin: message.plugin, actionId: message.actionId, invokeId: message.id}, () => invokeAndSettle(message), send)
      break
    case 'reply': {
      const pending = pendingCalls.get(message.id)
      pendingCalls.delete(message.id)
      if (!pending) break
      if (message.ok) pending.resolve(message.value)
      else pending.reject(Object.assign(new Error(message.error.message), {name: message.error.name}))
      break
    }
  }
})

// Background work of a plugin that throws must not end the worker: it fails the plugin's running call, or is logged against it.
process.on('uncaughtException', (error) => backgroundError('uncaught exception', error, (message) => log('error', [message])))
process.on('unhandledRejection', (reason) => backgroundError('unhandled rejection', reason, (message) => log('error', [message])))
