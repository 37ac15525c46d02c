import type {OnError} from '../config/schema.js'
import type {HookRecord, HostRoom, Room} from '../domain/types.js'
import {RoomsimError} from '../errors.js'
import type {InvokeResult} from '../host/plugin-host.js'
import type {HandlerArg, Stage} from './stages.js'
import {CHECK_ARGS} from './stages.js'
import {checkMethodOf, executeMethodOf} from '../protocol/interfaces.js'
import {JUDGE_RETURN, judgeThrow, type Verdict} from './judge.js'

/** A plugin as the runner sees it: its name and the check methods it has. */
export interface StagePlugin {
  name: string
  checks: readonly string[]
}

export interface StageRun {
  stage: Stage
  plugins: readonly StagePlugin[]
  /** The room the stage starts from; extend and modify thread a changed room through. */
  room: HostRoom
  /** What a handler receives for a given room (the room itself, or a join/leave context). */
  input(room: HostRoom): unknown
  /** Re-checks a room a plugin changed (in the handler's shape); throws RoomsimError. */
  review?(room: Room): HostRoom
  call(plugin: string, method: string, args: readonly HandlerArg[], input: unknown): Promise<InvokeResult>
  onError: OnError
  timeoutMs: number
  record(hook: HookRecord): void
}

export interface StageEnd {
  room: HostRoom
  prevented?: {plugin: string; interface: string; reason: string}
  failed?: {code: 'PLUGIN_FAILED'; message: string; plugin: string}
  /** An error under onError: abort in a post stage: the commit stands, the command exits 4. */
  postError?: {code: 'PLUGIN_FAILED'; message: string; plugin: string}
}

const isFailure = (verdict: Verdict): boolean => verdict.result === 'error' || verdict.result === 'timeout'

/** A call that did not return: a throw, a timeout or a dead worker. */
function unsettled(run: StageRun, result: Exclude<InvokeResult, {status: 'ok'}>, allowVeto: boolean): Verdict {
  switch (result.status) {
    case 'threw':
      return allowVeto ? judgeThrow(run.stage.kind, result.error) : {result: 'error', error: result.error.message}
    case 'timeout':
      return {result: 'timeout', error: `timed out after ${run.timeoutMs} ms`}
    case 'crashed':
      return {result: 'error', error: result.error.message}
  }
}

const elapsedSince = (started: number): number => Math.round((performance.now() - started) * 100) / 100

/**
 * The one generic runner: every stage of every action goes through here. It runs
 * the stage's plugins in order, check first where there is one, and lets the
 * stage kind's rule (JUDGE_RETURN) say what each result means. Pre stages stop
 * at the first prevention (or, under onError: abort, the first failure); a post
 * stage always runs every plugin.
 */
export async function runStage(run: StageRun): Promise<StageEnd> {
  const iface = run.stage.interface
  const execute = executeMethodOf(iface)
  const check = checkMethodOf(iface)
  const isPost = run.stage.kind === 'post'
  let room = run.room
  let postError: StageEnd['postError']

  const failure = (plugin: string, method: string, error = 'failed') => ({code: 'PLUGIN_FAILED' as const, plugin, message: `${plugin} ${iface}.${method}: ${error}`})
  /** Applies the error policy; returns the end of the stage when the chain must stop. */
  const onFailure = (plugin: string, method: string, verdict: Verdict): StageEnd | undefined => {
    if (run.onError !== 'abort') return undefined
    if (!isPost) return {room, failed: failure(plugin, method, verdict.error)}
    postError ??= failure(plugin, method, verdict.error)
    return undefined
  }

  for (const plugin of run.plugins) {
    if (check && plugin.checks.includes(check)) {
      const started = performance.now()
      const result = await run.call(plugin.name, check, CHECK_ARGS, run.input(room))
      const durationMs = elapsedSince(started)
      if (result.status !== 'ok') {
        const verdict = unsettled(run, result, false)
        run.record({plugin: plugin.name, interface: iface, method: check, result: verdict.result, durationMs, error: verdict.error!})
        const stop = onFailure(plugin.name, check, verdict)
        if (stop) return stop
        continue
      }
      // Upstream runs execute* only when check* resolves truthy.
      const proceed = result.value.kind === 'boolean' ? result.value.value : result.value.kind === 'other' && result.value.truthy
      if (!proceed) {
        run.record({plugin: plugin.name, interface: iface, method: check, result: 'skipped', durationMs})
        continue
      }
    }

    const started = performance.now()
    const result = await run.call(plugin.name, execute, run.stage.args, run.input(room))
    const durationMs = elapsedSince(started)
    const verdict = result.status === 'ok' ? JUDGE_RETURN[run.stage.kind](result.value, room) : unsettled(run, result, true)
    if (verdict.room) {
      try {
        if (!run.review) throw new Error(`${iface}: a stage whose handlers change the room needs a review of it`)
        room = run.review(verdict.room)
      } catch (error) {
        if (!(error instanceof RoomsimError)) throw error
        run.record({plugin: plugin.name, interface: iface, method: execute, result: 'error', durationMs, error: error.message})
        // An invalid or taken room always breaks the action, whatever the error policy.
        return {room, failed: failure(plugin.name, execute, error.message)}
      }
    }
    run.record({
      plugin: plugin.name,
      interface: iface,
      method: execute,
      result: verdict.result,
      durationMs,
      ...(verdict.detail === undefined ? {} : {detail: verdict.detail}),
      ...(verdict.error === undefined ? {} : {error: verdict.error}),
    })
    if (verdict.prevented !== undefined) return {room, prevented: {plugin: plugin.name, interface: iface, reason: verdict.prevented}}
    if (isFailure(verdict)) {
      const stop = onFailure(plugin.name, execute, verdict)
      if (stop) return stop
    }
  }
  return postError ? {room, postError} : {room}
}
