/**
 * The host's side of ONE plugin's isolate: a child process of its own under
 * Node's permission model, reached through a pipe of its own. Everything that
 * arrives on that pipe is this plugin speaking — no message names a plugin —
 * and is checked against the protocol before use. A hang, a crash, a message
 * that fails the check or memory over the limit costs this isolate only: its
 * running calls fail, and the next call starts a fresh one.
 */
import type {ChildProcess} from 'node:child_process'
import {readFileSync} from 'node:fs'
import type {Readable, Writable} from 'node:stream'

import {encodeFrame, FrameReader} from '../protocol/channel.js'
import {checkMemberFetch, encodeMemberFrame, MEMBER_FD, type MemberAnswer} from '../protocol/member-fetch.js'
import {type AccessorCall, type HandlerValue, type InvokeRequest, type LoadReport, type LogLine, type PluginSpec, type SerializedError, serializeError, type ToIsolate} from '../protocol/messages.js'
import {capLine, checkFromIsolate} from '../protocol/validate.js'
import {bundlePlugin} from './bundle.js'
import {isolateEntry} from './isolate-entry.js'
import {cachedReport, saveReport} from './load-cache.js'
import {adoptOrSpawn} from './prestart.js'
import {grantedPermissions, missingPermission, permissionError} from './permissions.js'
import {enginePackageFolder, engineReadFolders, isolateLaunch, sandboxFolder} from './sandbox.js'

export type InvokeResult =
  | {status: 'ok'; value: HandlerValue}
  | {status: 'threw'; error: SerializedError}
  | {status: 'timeout'}
  /** The isolate died, misbehaved or was stopped while this call ran. */
  | {status: 'crashed'; error: SerializedError}

export interface IsolateCallbacks {
  /** Answers an accessor call of this plugin (its action id already checked). */
  onCall(call: AccessorCall): Promise<unknown>
  onLog(line: LogLine): void
  /** Answers the isolate's fetch of a member list lent to its running call. */
  onMembers(list: number): MemberAnswer
}

export interface IsolateOptions {
  importTimeoutMs: number
  /** Hosts config lets plugins reach directly (http.allow). */
  httpAllow: readonly string[]
}

/** How often the host looks at an isolate's resident memory (Linux: /proc). */
const MEMORY_POLL_MS = 50
/** How long an isolate may take to start before its plugin's import begins. */
const BOOT_TIMEOUT_MS = 15_000

const failure = (className: string, message: string): SerializedError => ({name: 'Error', className, message})

interface Running {
  child: ChildProcess
  channel: Writable
  loaded: Promise<LoadReport>
  /** Why it ended, once it has. */
  ended?: SerializedError
  /** The settings this isolate was last sent: an unchanged snapshot (the same object) is not sent again. */
  settings?: InvokeRequest['settings']
}

export class PluginProcess {
  private running: Running | undefined
  private readonly pending = new Map<number, (result: InvokeResult) => void>()
  /** Actions this plugin was invoked in: the only ones its accessor calls may claim. */
  private readonly actions = new Set<number>()
  private readonly granted: Set<string>
  private nextId = 1
  private closed = false

  constructor(
    readonly spec: PluginSpec,
    private readonly callbacks: IsolateCallbacks,
    private readonly options: IsolateOptions,
  ) {
    this.granted = grantedPermissions(spec)
  }

  /** What the plugin reported when it last loaded unchanged, without starting it; else undefined. */
  known(): LoadReport | undefined {
    if (this.running) return undefined
    return cachedReport(this.spec, sandboxFolder(this.spec).bundle)
  }

  /** Starts the isolate and loads the plugin, once per isolate; a load failure is reported, not thrown. */
  load(): Promise<LoadReport> {
    if (this.closed) return Promise.resolve({interfaces: [], checks: [], declaredSettings: {}, error: failure('Closed', 'roomsim stopped this plugin')})
    this.running ??= this.start()
    return this.running.loaded
  }

  async invoke(request: Omit<InvokeRequest, 'type' | 'id' | 'budgetMs'>, timeoutMs: number): Promise<InvokeResult> {
    const report = await this.load()
    const running = this.running
    if (report.error || !running) return {status: 'crashed', error: report.error ?? failure('Stopped', 'the plugin is not running')}
    const id = this.nextId++
    this.actions.add(request.actionId)
    let timer: NodeJS.Timeout | undefined
    const result = await new Promise<InvokeResult>((resolve) => {
      this.pending.set(id, resolve)
      timer = setTimeout(() => {
        this.pending.delete(id)
        resolve({status: 'timeout'})
        // The handler may be spinning in a loop: only ending its process stops it.
        this.stop(running, failure('Timeout', `the isolate was restarted after ${request.method} timed out`))
      }, timeoutMs)
      const {settings, ...rest} = request
      const changed = settings !== undefined && settings !== running.settings
      if (changed) running.settings = settings
      this.post(running, {type: 'invoke', id, budgetMs: timeoutMs, settings: changed ? settings : undefined, ...rest})
    })
    clearTimeout(timer)
    return result
  }

  async close(): Promise<void> {
    this.closed = true
    const running = this.running
    if (running) this.stop(running, failure('Closed', 'roomsim stopped this plugin'))
  }

  private start(): Running {
    let settleLoad!: (report: LoadReport) => void
    const loaded = new Promise<LoadReport>((resolve) => (settleLoad = resolve))
    const running = {loaded} as Running
    void this.spawnInto(running, settleLoad).catch((error: unknown) => {
      running.ended ??= serializeError(error)
      settleLoad({interfaces: [], checks: [], declaredSettings: {}, error: running.ended})
      if (this.running === running) this.running = undefined
    })
    return running
  }

  private async spawnInto(running: Running, settleLoad: (report: LoadReport) => void): Promise<void> {
    const folders = sandboxFolder(this.spec)
    const [bundle, entry] = await Promise.all([bundlePlugin(this.spec, folders.bundle), isolateEntry()])
    if (this.closed) throw new Error('roomsim stopped this plugin')
    const launch = isolateLaunch(entry.file, [...bundle.reads, ...engineReadFolders(), folders.bundle, ...entry.reads], folders.scratch, this.spec.permissions)
    const child = adoptOrSpawn(launch)
    running.child = child
    running.channel = child.stdio[3] as Writable
    running.channel.on('error', () => undefined)

    let importTimer: NodeJS.Timeout | undefined
    const bootTimer = setTimeout(() => this.stop(running, failure('ImportTimeout', `the plugin's isolate did not start within ${BOOT_TIMEOUT_MS} ms`)), BOOT_TIMEOUT_MS)
    const endLoad = (report: LoadReport): void => {
      clearTimeout(bootTimer)
      clearTimeout(importTimer)
      settleLoad(report)
    }
    const reader = new FrameReader(
      (raw) => {
        const checked = checkFromIsolate(raw)
        if (!checked.ok) return this.stop(running, failure('ProtocolError', `the plugin's isolate ${checked.reason}`))
        const message = checked.message
        switch (message.type) {
          case 'importing':
            clearTimeout(bootTimer)
            clearTimeout(importTimer)
            importTimer = setTimeout(() => this.stop(running, failure('ImportTimeout', `importing the plugin timed out after ${this.options.importTimeoutMs} ms`)), this.options.importTimeoutMs)
            break
          case 'loaded':
            endLoad(message.report)
            saveReport(this.spec, folders.bundle, message.report)
            break
          case 'settled': {
            const resolve = this.pending.get(message.id)
            this.pending.delete(message.id)
            resolve?.(message.ok ? {status: 'ok', value: message.value} : {status: 'threw', error: message.error})
            break
          }
          case 'call':
            this.answer(running, message)
            break
          case 'log':
            this.callbacks.onLog({...message, actionId: this.actions.has(message.actionId) ? message.actionId : 0})
            break
        }
      },
      (reason) => this.stop(running, failure('ProtocolError', `the plugin's isolate ${reason}`)),
    )
    ;(child.stdio[3] as Readable).on('data', (chunk: Buffer) => reader.push(chunk))
    this.answerMemberFetches(running, child.stdio[MEMBER_FD] as Readable & Writable)
    // Raw writes to stdout/stderr are the plugin's log, never roomsim's own output.
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => {
        for (const line of chunk.split('\n').slice(0, 100)) if (line.trim() !== '') this.callbacks.onLog({type: 'log', actionId: 0, level: 'log', message: capLine(line)})
      })
    }
    const memory = this.watchMemory(running, launch.memoryMb)
    child.on('error', (error) => this.stop(running, {...serializeError(error), message: `the plugin's isolate could not start: ${error.message}`}))
    child.on('exit', (code, signal) => {
      clearInterval(memory)
      clearTimeout(bootTimer)
      clearTimeout(importTimer)
      running.ended ??= failure('IsolateExit', `the plugin's isolate ended (${signal ? `signal ${signal}` : `code ${code}`})`)
      endLoad({interfaces: [], checks: [], declaredSettings: {}, error: running.ended})
      this.ended(running)
    })
    this.post(running, {type: 'load', spec: {...this.spec, entry: bundle.file}, networkAllow: this.networkAllow(), originalEntry: this.spec.entry, engineFolder: enginePackageFolder()})
  }

  /** The member pipe: each fetch checked like any message, answered at once (the isolate blocks until it is). */
  private answerMemberFetches(running: Running, pipe: Readable & Writable): void {
    pipe.on('error', () => undefined)
    const reader = new FrameReader(
      (raw) => {
        const checked = checkMemberFetch(raw)
        if (!checked.ok) return this.stop(running, failure('ProtocolError', `the plugin's isolate ${checked.reason}`))
        if (!running.ended) pipe.write(encodeMemberFrame(this.callbacks.onMembers(checked.list)))
      },
      (reason) => this.stop(running, failure('ProtocolError', `the plugin's isolate ${reason}`)),
    )
    pipe.on('data', (chunk: Buffer) => reader.push(chunk))
  }

  /** Direct connections: what config allows, only when the plugin holds `networking`, plus its own loosening. */
  private networkAllow(): string[] {
    const permitted = this.granted.has('networking') ? this.options.httpAllow : []
    return [...permitted, ...(this.spec.permissions?.network ?? [])]
  }

  /** Resident memory, Buffers included: over the limit the isolate is stopped and the plugin blamed. */
  private watchMemory(running: Running, limitMb: number): NodeJS.Timeout | undefined {
    if (process.platform !== 'linux' || running.child.pid === undefined) return undefined
    const file = `/proc/${running.child.pid}/statm`
    const timer = setInterval(() => {
      let residentMb: number
      try {
        residentMb = (Number(readFileSync(file, 'utf8').split(' ')[1]) * 4096) / (1024 * 1024)
      } catch {
        return
      }
      if (residentMb > limitMb) this.stop(running, failure('MemoryLimit', `the plugin used more than ${limitMb} MB of memory and was stopped (config plugins[].permissions.memoryMb raises the limit)`))
    }, MEMORY_POLL_MS)
    timer.unref()
    return timer
  }

  private answer(running: Running, call: AccessorCall): void {
    const reply = (message: ToIsolate): void => {
      if (this.running === running) this.post(running, message)
    }
    const missing = missingPermission(this.granted, call.method)
    const answered = missing
      ? Promise.reject(permissionError(this.spec.name, call.method, missing))
      : this.callbacks.onCall({...call, actionId: this.actions.has(call.actionId) ? call.actionId : 0})
    answered.then(
      (value) => {
        try {
          reply({type: 'reply', id: call.id, ok: true, value})
        } catch (error) {
          reply({type: 'reply', id: call.id, ok: false, error: serializeError(error)})
        }
      },
      (error: unknown) => reply({type: 'reply', id: call.id, ok: false, error: serializeError(error)}),
    )
  }

  private post(running: Running, message: ToIsolate): void {
    if (running.ended || !running.channel) return
    running.channel.write(encodeFrame(message))
  }

  /** Ends an isolate for `reason`: its running calls fail with it; the next call starts a fresh isolate. */
  private stop(running: Running, reason: SerializedError): void {
    running.ended ??= reason
    running.child?.kill('SIGKILL')
    this.ended(running)
  }

  private ended(running: Running): void {
    if (this.running !== running) return
    this.running = undefined
    const error = running.ended ?? failure('IsolateExit', "the plugin's isolate ended")
    for (const [id, resolve] of this.pending) {
      this.pending.delete(id)
      resolve({status: 'crashed', error})
    }
  }
}
