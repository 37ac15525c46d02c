/**
 * Runs scenarios in this process, straight through the engine: one store and
 * one engine (one plugin worker) per scenario, reused by all of its steps.
 */
import {join} from 'node:path'

import type {Config} from '../config/schema.js'
import type {ActionName, Outcome} from '../domain/types.js'
import {Engine} from '../engine/engine.js'
import {EXIT, messageOf, RoomsimError} from '../errors.js'
import type {PluginEntryResolved} from '../plugins/registry.js'
import {openDatabase} from '../store/database.js'
import {Store} from '../store/store.js'
import {checkAssert, checkStep, type StepActual} from './expectations.js'
import type {Failure, ScenarioResult, StepResult} from './report.js'
import {round} from './report.js'
import {createUser, seedStore} from './seed.js'
import {stepLabel, substitute} from './steps.js'
import {makeTempStoreFolder, makeThrowaway, removeTempStoreFolder} from './temp-stores.js'
import type {ActionStep, Scenario, Step, StepExpectation} from './types.js'

export interface RunOptions {
  /** The config the scenario's own hooks, names and HTTP settings apply over. */
  config: Config
  /** Run against this store (kept) instead of a fresh temporary one per scenario. */
  storePath?: string
  /** Stop at the first scenario that fails; the rest are reported as skipped. */
  bail?: boolean
  /**
   * Keep each step's outcome in the results (the JSON report prints them). Without
   * it a step's outcome is dropped once its step has been reported, so a long run
   * keeps only small step results.
   */
  keepOutcomes?: boolean
}

export interface RunEvents {
  scenarioStart?(scenario: Scenario): void
  stepEnd?(scenario: Scenario, result: StepResult, step: Step): void
  scenarioEnd?(result: ScenarioResult, scenario: Scenario): void
}

const ACTION_OF: Record<Exclude<ActionStep['kind'], 'user'>, ActionName> = {create: 'room.create', delete: 'room.delete', join: 'room.join', leave: 'room.leave'}

/** The scenario's hook timeouts, error policy, name rule and HTTP stubs over the base config. */
export function scenarioConfig(base: Config, scenario: Scenario): Config {
  return {
    ...base,
    names: {...base.names, ...scenario.names},
    hooks: {timeoutMs: {...base.hooks.timeoutMs, ...scenario.hooks?.timeoutMs}, onError: scenario.hooks?.onError ?? base.hooks.onError},
    // The scenario's stubs come first, so they win over the config's.
    http: {allow: [...scenario.http.allow, ...base.http.allow], stubs: [...scenario.http.stubs, ...base.http.stubs]},
    plugins: [],
  }
}

const skippedStep = (step: Step, reason: string): StepResult => ({index: step.index, line: step.line, kind: step.kind, label: stepLabel(step), status: 'skipped', durationMs: 0, failures: [], skipReason: reason})
const skipped = (steps: Step[], reason: string): StepResult[] => steps.map((step) => skippedStep(step, reason))

export async function runScenarios(scenarios: Scenario[], options: RunOptions, events: RunEvents = {}): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = []
  let stop = false
  for (const scenario of scenarios) {
    if (stop) {
      const result: ScenarioResult = {file: scenario.file, name: scenario.name, line: scenario.line, status: 'skipped', durationMs: 0, error: null, steps: skipped(scenario.steps, 'an earlier scenario failed (--bail)'), skipReason: 'an earlier scenario failed (--bail)'}
      results.push(result)
      events.scenarioEnd?.(result, scenario)
      continue
    }
    const result = await runScenario(scenario, options, events)
    results.push(result)
    if (options.bail && result.status === 'failed') stop = true
  }
  return results
}

export async function runScenario(scenario: Scenario, options: RunOptions, events: RunEvents = {}): Promise<ScenarioResult> {
  events.scenarioStart?.(scenario)
  const started = performance.now()
  const folder = options.storePath ? undefined : makeTempStoreFolder()
  const config = scenarioConfig(options.config, scenario)
  const steps: StepResult[] = []
  let error: Failure | null = null
  let store: Store | undefined
  let engine: Engine | undefined
  try {
    store = new Store(openDatabase(options.storePath ?? join(folder!, 'store.db'), {create: true})!)
    if (folder) makeThrowaway(store)
    const plugins: PluginEntryResolved[] = scenario.plugins.map((plugin) => ({
      ...plugin.resolved,
      // A scenario's plugins are listed by path, as a config file lists them.
      source: 'config',
      spec: plugin.path,
      inConfig: true,
      enabled: plugin.enabled,
      settings: structuredClone(plugin.settings),
    }))
    engine = new Engine(store, config, plugins)
    try {
      // The seed is written before any plugin loads: an app's onEnable already finds it.
      seedStore(store, scenario.seed, config.names)
      engine.warmUp()
      await engine.loadPlugins()
    } catch (setupError) {
      error = {expectation: 'setup', line: scenario.line, message: `setup failed: ${messageOf(setupError)}`}
    }
    let failed = error !== null
    for (const step of scenario.steps) {
      if (failed) {
        steps.push(skippedStep(step, error ? 'the scenario could not start' : 'an earlier step failed'))
        continue
      }
      const result = await runStep(step, engine, store, config)
      steps.push(result)
      events.stepEnd?.(scenario, result, step)
      // Cleared, not deleted: a deleted property turns each kept result into a dictionary (600 B instead of 220 B a step).
      if (!options.keepOutcomes) result.outcome = undefined
      failed = result.status === 'failed'
    }
  } catch (startError) {
    error = {expectation: 'setup', line: scenario.line, message: `setup failed: ${messageOf(startError)}`}
    steps.push(...skipped(scenario.steps.slice(steps.length), 'the scenario could not start'))
  } finally {
    if (engine) await engine.close()
    else store?.close()
    if (folder) removeTempStoreFolder(folder)
  }
  const status = error || steps.some((step) => step.status === 'failed') ? 'failed' : 'passed'
  const result: ScenarioResult = {file: scenario.file, name: scenario.name, line: scenario.line, status, durationMs: round(performance.now() - started), error, steps}
  events.scenarioEnd?.(result, scenario)
  return result
}

async function runStep(step: Step, engine: Engine, store: Store, config: Config): Promise<StepResult> {
  const started = performance.now()
  // One literal, every key always present (undefined is left out of the report): results kept for 100k steps share one shape.
  const done = (failures: Failure[], extra: Pick<StepResult, 'stepStatus' | 'outcome'> = {}): StepResult => ({
    index: step.index,
    line: step.line,
    kind: step.kind,
    label: stepLabel(step),
    status: failures.length > 0 ? 'failed' : 'passed',
    durationMs: round(performance.now() - started),
    stepStatus: extra.stepStatus,
    outcome: extra.outcome,
    failures,
  })
  try {
    if (step.kind === 'settings') {
      // Handlers read settings live, so they see the change from the next step on.
      engine.setSettings(step.plugin, substitute(step.values, store))
      return done([])
    }
    if (step.kind === 'assert') {
      const stored = store.findHostRoom(substitute(step.room, store))
      const expect = substitute(step.expect, store)
      return done(checkAssert(expect, step.expectLines, step.line, {room: stored, roomExists: stored !== undefined, messages: stored && expect.messages ? store.messages(stored.id) : []}))
    }
    const expectBefore = trySubstitute(step.expect, store)
    const actual = await runAction(step, engine, store, config)
    // The last try throws, naming the placeholder that resolves neither before nor after the step.
    const expect = trySubstitute(step.expect, store) ?? expectBefore ?? substitute(step.expect, store)
    return done(checkStep(expect, step.expectLines, step.line, actual), {stepStatus: actual.status, outcome: actual.outcome})
  } catch (error) {
    const message = error instanceof RoomsimError ? error.message : `internal error: ${messageOf(error)}`
    return done([{expectation: 'step', line: step.line, message}])
  }
}

/** Placeholders in expectations may name what the step itself makes (or, after a delete, what it removed). */
function trySubstitute<T>(value: T, store: Store): T | undefined {
  try {
    return substitute(value, store)
  } catch {
    return undefined
  }
}

async function runAction(step: ActionStep, engine: Engine, store: Store, config: Config): Promise<StepActual> {
  let outcome: Outcome | undefined
  try {
    if (step.kind === 'user') {
      createUser(store, substitute(step.input, store), config.names)
    } else {
      outcome = await engine.run(ACTION_OF[step.kind], substitute(step.input, store) as never)
    }
  } catch (error) {
    if (!(error instanceof RoomsimError)) throw error
    // Refused input is the step's result (a scenario may expect it); it exits 2 on the CLI.
    const status = error.exit === EXIT.invalid ? 'invalid' : 'failed'
    const named = 'room' in step.input ? step.input.room : 'name' in step.input ? step.input.name : undefined
    const needs = needsOf(step.expect)
    const room = named === undefined || !(needs.room || needs.exists || needs.messages) ? undefined : store.findHostRoom(trySubstitute(named, store) ?? named)
    return {status, error: {code: error.code, message: error.message}, room, roomExists: room !== undefined, messages: room && needs.messages ? store.messages(room.id) : []}
  }
  if (!outcome) return {status: 'completed', error: null, room: undefined, roomExists: false, messages: []}
  // The outcome's room is the room as the action left it (the engine reads it again when post handlers changed it),
  // so the store is asked only what an expectation names: whether it still exists, and its messages.
  const needs = needsOf(step.expect)
  const exists = outcome.room !== null && (needs.exists || needs.messages) && store.hasRoom(outcome.room.id)
  return {
    status: outcome.status,
    outcome,
    error: outcome.error,
    room: outcome.room ?? undefined,
    roomExists: exists,
    messages: exists && needs.messages ? store.messages(outcome.room!.id) : [],
  }
}

/** What of the room a step's expectations look at; the rest is not read. */
function needsOf(expect: StepExpectation): {room: boolean; exists: boolean; messages: boolean} {
  return {room: Boolean(expect.members || expect.fields || expect.customFields || expect.outcome !== undefined), exists: expect.exists !== undefined, messages: expect.messages !== undefined}
}
