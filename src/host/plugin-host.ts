import type {MemberAnswer} from '../protocol/member-fetch.js'
import type {AccessorCall, InvokeRequest, LoadedPlugin, LogLine, PluginSpec} from '../protocol/messages.js'
import {type InvokeResult, PluginProcess} from './plugin-process.js'

export type {InvokeResult} from './plugin-process.js'

export interface HostCallbacks {
  /** Answers a plugin's accessor call; `plugin` is known from the isolate the call came from. */
  onCall(plugin: string, call: AccessorCall): Promise<unknown>
  onLog(plugin: string, line: LogLine): void
  /** Answers a plugin's fetch of a member list lent to its running call (a host that lends none needs none). */
  onMembers?(plugin: string, list: number): MemberAnswer
}

export interface HostOptions {
  importTimeoutMs?: number
  httpAllow?: readonly string[]
}

/** How long one plugin's module may take to import (its isolate's start included). */
export const DEFAULT_IMPORT_TIMEOUT_MS = 5000

/**
 * The host side of the plugin runtime: one isolate per plugin (PluginProcess),
 * started only when a plugin is first needed, all needed ones in parallel.
 * Whatever happens in one isolate — a hang, a crash, a flood — is that
 * plugin's, never another's.
 */
export class PluginHost {
  private readonly processes = new Map<string, PluginProcess>()

  constructor(
    private readonly specs: PluginSpec[],
    callbacks: HostCallbacks,
    options: HostOptions = {},
  ) {
    for (const spec of specs) {
      this.processes.set(
        spec.name,
        new PluginProcess(spec, {onCall: (call) => callbacks.onCall(spec.name, call), onLog: (line) => callbacks.onLog(spec.name, line), onMembers: (list) => callbacks.onMembers?.(spec.name, list) ?? {ok: false, error: 'no member list was lent'}}, {
          importTimeoutMs: options.importTimeoutMs ?? DEFAULT_IMPORT_TIMEOUT_MS,
          httpAllow: options.httpAllow ?? [],
        }),
      )
    }
  }

  /** Loads `names` (every plugin when omitted), each in its own isolate, in parallel; the answer follows the specs' order. */
  async loaded(names?: readonly string[]): Promise<LoadedPlugin[]> {
    const wanted = names ? this.specs.filter((spec) => names.includes(spec.name)) : this.specs
    return Promise.all(wanted.map(async (spec) => ({name: spec.name, ...(await this.processes.get(spec.name)!.load())})))
  }

  /**
   * Every plugin's report, in the specs' order: the one cached from its last
   * unchanged load where there is one, else from loading it now (in parallel).
   */
  async reports(): Promise<LoadedPlugin[]> {
    return Promise.all(this.specs.map(async (spec) => {
      const process = this.processes.get(spec.name)!
      return {name: spec.name, ...(process.known() ?? (await process.load()))}
    }))
  }

  /** Starts these plugins' isolates now, in parallel, so that they are ready when their stage comes. */
  warm(names: Iterable<string>): void {
    for (const name of names) void this.processes.get(name)?.load()
  }

  invoke(request: Omit<InvokeRequest, 'type' | 'id' | 'budgetMs'> & {plugin: string}, timeoutMs: number): Promise<InvokeResult> {
    const process = this.processes.get(request.plugin)
    if (!process) return Promise.resolve({status: 'crashed', error: {name: 'Error', className: 'Error', message: `plugin "${request.plugin}" is not loaded`}})
    const {plugin: _plugin, ...rest} = request
    return process.invoke(rest, timeoutMs)
  }

  async close(): Promise<void> {
    await Promise.all([...this.processes.values()].map((process) => process.close()))
  }
}
