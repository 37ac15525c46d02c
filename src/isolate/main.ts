/**
 * A plugin's isolate: a process of its own, started by the host under Node's
 * permission model, that loads ONE plugin and runs its handler calls on
 * request. It talks to the host over file descriptor 3 only (channel.ts);
 * whatever the plugin does to its globals, prototypes or module cache stays in
 * here, and whatever it sends is checked by the host.
 */
import net from 'node:net'

import {createHttp, createModify, createPersistence, createRead} from './handler-accessors.js'
import {checkMethodOf, interfacesImplementedBy} from '../protocol/interfaces.js'
import {RoomBuilder} from './room-builder.js'
import {RoomExtender} from './room-extender.js'
import type {Room} from '../domain/types.js'
import {startApp} from './app-lifecycle.js'
import {backgroundError, currentCall, runAs, runInvocation} from './call-context.js'
import {deepFreeze} from './freeze.js'
import {reviveLazyMembers} from './lazy-members.js'
import {handlerOf, importModule} from './load-module.js'
import {useEngineFolder} from './engine-package.js'
import {guardNetwork} from './network-guard.js'
import {PendingWork, settleMargin, trackCall} from './pending-work.js'
import {answerSettingRead, noteSettingUpdate, takeSettings} from './settings-copy.js'
import type {AccessorArgs, AccessorMethod, AccessorResult, Forward} from '../protocol/accessors.js'
import {encodeFrame, FrameReader} from '../protocol/channel.js'
import {
  type FromIsolate,
  type HandlerArg,
  type HandlerValue,
  type InvokeRequest,
  type LoadReport,
  type LogLevel,
  type LoadRequest,
  serializeError,
  type ToIsolate,
} from '../protocol/messages.js'

/** Largest room (as JSON) a modify handler may hand back. */
const MAX_RETURNED_BYTES = 1024 * 1024
/** Log lines this isolate sends per handler call at most; the host caps again per action. */
const MAX_LOG_CHARS = 4000

const channel = new net.Socket({fd: 3, readable: true, writable: true})
const send = (message: FromIsolate): void => {
  channel.write(encodeFrame(message))
}
let handler: Record<string, (...args: unknown[]) => unknown> | undefined
/** The app's id (app.json): blocks an app builds carry it. */
let appId: string | undefined
const pendingCalls = new Map<number, {resolve: (value: unknown) => void; reject: (error: Error) => void}>()
let nextCallId = 1

function describe(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Error) return `${value.name}: ${value.message}`
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    try {
      return String(value)
    } catch {
      return '(a value that cannot be printed)'
    }
  }
}

function log(level: LogLevel, args: unknown[]): void {
  let message = args.map(describe).join(' ')
  if (message.length > MAX_LOG_CHARS) message = `${message.slice(0, MAX_LOG_CHARS)}… (line cut: ${message.length} characters)`
  send({type: 'log', actionId: currentCall()?.actionId ?? 0, level, message})
}

function loggerFor(): Record<string, (...args: unknown[]) => void> {
  return Object.fromEntries((['debug', 'info', 'warn', 'error', 'log', 'success'] as const).map((level) => [level, (...args: unknown[]) => log(level, args)]))
}

// A plugin's console output is its log.
for (const level of ['debug', 'info', 'warn', 'error', 'log'] as const) console[level] = (...args: unknown[]) => log(level, args)
const exit = process.exit.bind(process)
// Ending the isolate is the plugin's failure; say so instead of a bare exit code.
process.exit = ((code?: number) => {
  throw new Error(`plugin called process.exit(${code ?? ''})`)
}) as typeof process.exit
// The permission model does not cover signals: no plugin signals roomsim or anything else.
const refuseKill = (): never => {
  throw Object.assign(new Error('plugins may not send signals to processes (process.kill)'), {code: 'ERR_ACCESS_DENIED'})
}
for (const name of ['kill', '_kill'] as const) Object.defineProperty(process, name, {value: refuseKill, writable: false, configurable: false})

async function load(request: LoadRequest): Promise<LoadReport> {
  const {spec} = request
  guardNetwork(request.networkAllow)
  useEngineFolder(request.engineFolder)
  try {
    send({type: 'importing'})
    // Timers and promises the module starts while importing are the plugin's too.
    const module = await runAs({plugin: spec.name, actionId: 0}, () => importModule(spec.entry, request.originalEntry))
    // Accessors an app holds from its constructor on (IAppAccessors) belong to whichever action its code runs for at the time.
    const forward: Forward = (method, args) => callHost(currentCall()?.actionId ?? 0, method, args)
    const app = spec.isApp ? await runAs({plugin: spec.name, actionId: 0}, () => startApp(spec, module, loggerFor(), forward)) : undefined
    const made = app?.handler ?? handlerOf(module)
    if (!('getLogger' in made)) Object.defineProperty(made, 'getLogger', {value: loggerFor, enumerable: false})
    handler = made as typeof handler
    appId = spec.appId
    const declared = (app?.declaredSettings ?? module.settings ?? (made as {settings?: unknown}).settings ?? {}) as Record<string, unknown>
    const interfaces = interfacesImplementedBy(made)
    const checks = interfaces.map(checkMethodOf).filter((method): method is string => method !== undefined && typeof (made as Record<string, unknown>)[method] === 'function')
    const report = app && {registered: app.registered, ...app.compatibility}
    return {interfaces, checks, declaredSettings: structuredClone(declared), ...(report ? {app: structuredClone(report)} : {})}
  } catch (error) {
    return {interfaces: [], checks: [], declaredSettings: {}, error: serializeError(error)}
  }
}

async function invoke(request: InvokeRequest): Promise<HandlerValue> {
  if (!handler) throw new Error('the plugin is not loaded')
  if (typeof handler[request.method] !== 'function') throw new Error(`the plugin has no method ${request.method}`)
  const forward: Forward = (method, args) => callHost(request.actionId, method, args)
  const input = deepFreeze(reviveLazyMembers(request.input))
  let extender: RoomExtender | undefined
  let builder: RoomBuilder | undefined
  const make: Record<HandlerArg, () => unknown> = {
    input: () => input,
    extender: () => (extender = new RoomExtender(input as Room)),
    builder: () => (builder = new RoomBuilder(input as Room)),
    read: () => createRead(forward),
    http: () => createHttp(forward),
    persistence: () => createPersistence(forward),
    modify: () => createModify(forward, appId),
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
    throw new Error(`returned ${what} that cannot be stored: ${String((error as Error).message).split('\n')[0]}`)
  }
  if (json !== undefined && json.length > MAX_RETURNED_BYTES) {
    throw new Error(`returned ${what} of ${json.length} bytes; the limit is ${MAX_RETURNED_BYTES}`)
  }
  return structuredClone(value)
}

function callHost<M extends AccessorMethod>(actionId: number, method: M, args: AccessorArgs<M>): Promise<AccessorResult<M>> {
  const local = answerSettingRead(method, args)
  if (local) return Promise.resolve(local.value as AccessorResult<M>)
  const id = nextCallId++
  let cloned: AccessorArgs<M>
  try {
    cloned = structuredClone(args)
  } catch (error) {
    return Promise.reject(new Error(`${method}: arguments cannot be sent: ${(error as Error).message}`))
  }
  return trackCall(
    new Promise<AccessorResult<M>>((resolve, reject) => {
      const accepted = (value: unknown): void => {
        noteSettingUpdate(method, cloned)
        resolve(value as AccessorResult<M>)
      }
      pendingCalls.set(id, {resolve: accepted, reject})
      send({type: 'call', id, actionId, method, args: cloned})
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

let pluginName = '(plugin)'

function receive(message: ToIsolate): void {
  switch (message.type) {
    case 'load':
      pluginName = message.spec.name
      void load(message).then((report) => send({type: 'loaded', report}))
      break
    case 'invoke':
      if (message.settings) takeSettings(message.settings)
      runInvocation({plugin: pluginName, actionId: message.actionId, invokeId: message.id}, () => invokeAndSettle(message), send)
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
}

// The host is trusted, but a broken pipe still ends this isolate rather than leaving it running.
const reader = new FrameReader(
  (message) => receive(message as ToIsolate),
  () => exit(70),
)
channel.on('data', (chunk: Buffer) => reader.push(chunk))
channel.on('end', () => exit(0))
channel.on('error', () => exit(0))

// Background work of a plugin that throws must not end the isolate: it fails the plugin's running call, or is logged against it.
process.on('uncaughtException', (error) => backgroundError('uncaught exception', error, (message) => log('error', [message])))
process.on('unhandledRejection', (reason) => backgroundError('unhandled rejection', reason, (message) => log('error', [message])))
