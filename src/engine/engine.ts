import {appUserName, ensureAppUser} from '../host/app-user.js'
import {answerCall} from '../host/services/index.js'
import type {EngineServices} from '../host/services/scope.js'
import type {Config} from '../config/schema.js'
import {type MergedSettings, mergeSettings} from '../domain/settings.js'
import type {ActionName, Effect, HostRoom, Outcome, Room} from '../domain/types.js'
import {firstLine, messageOf, RoomsimError} from '../errors.js'
import {loadProblem} from '../host/inspect.js'
import {LentMemberLists} from '../host/lent-member-lists.js'
import {DEFAULT_IMPORT_TIMEOUT_MS, PluginHost} from '../host/plugin-host.js'
import type {LoadedPlugin, LogLine} from '../protocol/messages.js'
import type {PluginEntryResolved} from '../plugins/registry.js'
import {declaredSettings} from '../plugins/settings-shape.js'
import {storeFault} from '../store/faults.js'
import type {NewEvent, Store} from '../store/store.js'
import {ActionContext} from './action-context.js'
import {ACTION_DEFINITIONS, type ActionInputs} from './actions/index.js'
import type {InterfaceName} from '../protocol/interfaces.js'
import {type LoadFailure, loadFailures, reportLoadFailures} from './load-failures.js'
import {runStage, type StageEnd, type StagePlugin} from './run-stage.js'
import {CHAINS, isPreStage, type Stage} from './stages.js'

/** Log lines kept per plugin and action: a plugin that logs a million lines costs the store and --json nothing more. */
export const MAX_LOG_LINES = 1000

/**
 * Post-stage writes are committed together, but none waits longer than this:
 * it bounds how long they keep other processes from writing and what a killed
 * process loses of them.
 */
export const POST_BATCH_MS = 50

/** Actions that plugins start through IModify nest at most this deep; a loop ends here. */
export const MAX_NESTING_DEPTH = 8

/**
 * Runs actions: validate → pre stages → commit → post stage, each action in one
 * transaction. Plugins run in the plugin worker; their accessor calls come back
 * here and are answered in the context of the action that made them.
 */
export class Engine implements EngineServices {
  private readonly host: PluginHost
  private readonly enabled: PluginEntryResolved[]
  private loaded: Map<string, LoadedPlugin> | undefined
  private unloadable: LoadFailure[] = []
  private readonly contexts = new Map<number, ActionContext>()
  /** Serialises the transactional part of actions started in this process (nested ones included). */
  private queue: Promise<unknown> = Promise.resolve()
  /** Settings changed at run time (a scenario step), over what config says. */
  private readonly settingOverrides = new Map<string, Record<string, unknown>>()
  /** Member lists sent to running handler calls unread, fetched by the isolate only if the handler reads them. */
  private readonly memberLists = new LentMemberLists()
  /** Outermost actions running now: member lists held for them are let go when none is left. */
  private outermostRunning = 0
  /** Each plugin's merged settings until they change: the same object each time, so an isolate is sent them only once per change. */
  private readonly mergedSettings = new Map<string, MergedSettings>()

  constructor(
    readonly store: Store,
    readonly config: Config,
    readonly plugins: PluginEntryResolved[],
  ) {
    this.enabled = plugins.filter((plugin) => plugin.enabled)
    const importTimeoutMs = Math.max(DEFAULT_IMPORT_TIMEOUT_MS, config.hooks.timeoutMs.pre)
    this.host = new PluginHost(this.runnable(), {
      onCall: (plugin, call) => answerCall({engine: this, plugin, context: this.contexts.get(call.actionId)}, call.method, call.args),
      onLog: (plugin, line) => this.recordLog(plugin, line),
      onMembers: (plugin, list) => this.memberLists.answer(plugin, list),
    }, {importTimeoutMs, httpAllow: config.http.allow})
  }

  /** Enabled plugins whose folder is usable: the ones the worker loads. */
  private runnable(): PluginEntryResolved[] {
    return this.enabled.filter((plugin) => !plugin.problem)
  }

  /** Starts learning what the plugins implement now (from cache, or by loading those not cached), overlapping what the command does next. */
  warmUp(): void {
    if (this.runnable().length === 0) return
    this.ensureAppUsers()
    this.reports ??= this.host.reports()
  }

  private reports: Promise<LoadedPlugin[]> | undefined

  async close(): Promise<void> {
    await this.host.close()
    this.store.close()
  }

  isPlugin(name: string): boolean {
    return this.plugins.some((candidate) => candidate.name === name)
  }

  /** A plugin's settings: package defaults, then what it declares itself, then config, then run-time changes. */
  settingsOf(plugin: string): Record<string, unknown> {
    return this.settingLayers(plugin).values
  }

  /** A plugin's own defaults (ISetting.packageValue): its package.json, then what it declares itself. */
  defaultSettingsOf(plugin: string): Record<string, unknown> {
    return this.settingLayers(plugin).defaults
  }

  private settingLayers(plugin: string): MergedSettings {
    const known = this.mergedSettings.get(plugin)
    if (known) return known
    const entry = this.plugins.find((candidate) => candidate.name === plugin)
    const merged = mergeSettings({packageDefaults: entry?.packageDefaults, declared: declaredSettings(this.loaded?.get(plugin)?.declaredSettings, `plugin ${plugin}: its declared settings`), configured: entry?.settings, overrides: this.settingOverrides.get(plugin)})
    // What a plugin declares is known once it has loaded; until then nothing is kept.
    if (this.loaded) this.mergedSettings.set(plugin, merged)
    return merged
  }

  /** Changes a plugin's settings from now on; `values` are merged over the current ones. */
  setSettings(plugin: string, values: Record<string, unknown>): void {
    if (!this.plugins.some((candidate) => candidate.name === plugin)) throw new RoomsimError('INVALID_INPUT', `cannot change settings of ${plugin}: no such plugin is configured`)
    this.settingOverrides.set(plugin, {...this.settingOverrides.get(plugin), ...structuredClone(values)})
    this.mergedSettings.delete(plugin)
  }

  /**
   * Runs a plugin's write in the store's one write slot: at once when its action
   * holds the transaction (pre stages: the write then stands or falls with the
   * action), otherwise after whatever action holds it. Post-stage writes of one
   * action share a transaction (each in a savepoint of its own, so a write that
   * fails undoes only itself), committed with the stage's log entry, as soon as
   * anything else needs the slot (another action, a nested one), or at most
   * POST_BATCH_MS after the first of them, whichever comes first.
   */
  write<T>(context: ActionContext, work: () => T): Promise<T> {
    if (context.phase === 'pre') return new Promise<T>((resolve) => resolve(work()))
    return this.exclusive(async () => {
      if (this.postBatch?.context !== context) {
        this.commitPostBatch()
        this.store.begin()
        const timer = setTimeout(() => void this.exclusive(async () => this.postBatch?.context === context && this.commitPostBatch()).catch(() => undefined), POST_BATCH_MS)
        timer.unref()
        this.postBatch = {context, timer}
      }
      return this.store.transaction(work)
    })
  }

  /** The action whose post-stage writes are in the store's open transaction, not yet committed, and the timer that commits them. */
  private postBatch: {context: ActionContext; timer: NodeJS.Timeout} | undefined
  /** A commit of post-stage writes that failed (they were rolled back): reported when that action's post stage ends. */
  private lostPostWrites: {context: ActionContext; error: unknown} | undefined

  /** Commits the open post-stage writes, if any; when the commit fails they are rolled back and the error thrown. */
  private commitPostBatch(): void {
    const batch = this.postBatch
    if (!batch) return
    this.postBatch = undefined
    clearTimeout(batch.timer)
    try {
      this.store.commit()
    } catch (error) {
      this.store.rollback()
      this.lostPostWrites = {context: batch.context, error}
      throw error
    }
  }

  /** An action's post stage ends in the store: its log entry, then one commit of it and of the stage's writes still open. */
  private endPostStage(context: ActionContext, writeLog: () => void): void {
    const lost = this.lostPostWrites?.context === context ? this.lostPostWrites.error : undefined
    if (lost !== undefined) this.lostPostWrites = undefined
    if (this.postBatch?.context !== context) {
      this.commitPostBatch()
      this.store.transaction(writeLog)
    } else {
      let logError: unknown
      try {
        this.store.transaction(writeLog)
      } catch (error) {
        // The plugins' writes stand without the entry, as they would had each been committed alone.
        logError = error
      }
      this.commitPostBatch()
      if (logError !== undefined) throw logError
    }
    if (lost !== undefined) throw lost
  }

  /**
   * Loaded plugins by name. One that fails to load does not stop the command:
   * every action reports it as an `error` hook and the error policy applies (see
   * reportLoadFailures). One that loads but implements nothing is a mistake in
   * the plugin set, refused before anything runs (exit 2).
   */
  async loadPlugins(): Promise<Map<string, LoadedPlugin>> {
    if (this.loaded) return this.loaded
    this.ensureAppUsers()
    const loaded = this.runnable().length === 0 ? [] : await (this.reports ??= this.host.reports())
    const inert = loaded.find((plugin) => !plugin.error && loadProblem(plugin) !== undefined)
    if (inert) throw new RoomsimError('BAD_PLUGIN', `plugin ${inert.name} ${loadProblem(inert)}`)
    const all = new Map(loaded.map((plugin) => [plugin.name, plugin]))
    this.unloadable = loadFailures(this.enabled, all)
    this.loaded = new Map(loaded.filter((plugin) => !this.unloadable.some((failure) => failure.plugin === plugin.name)).map((plugin) => [plugin.name, plugin]))
    return this.loaded
  }

  /** Every app has its app user before its lifecycle runs, as a server makes it at install: onEnable may read it. */
  private ensureAppUsers(): void {
    const missing = this.runnable().filter((plugin) => plugin.isApp && !this.store.userByName(appUserName(plugin.name)))
    if (missing.length === 0) return
    this.store.transaction(() => missing.forEach((plugin) => ensureAppUser(this.store, plugin.name, undefined)))
  }

  private pluginsFor(iface: InterfaceName): StagePlugin[] {
    return this.enabled.flatMap((plugin) => this.loaded!.get(plugin.name) ?? []).filter((plugin) => plugin.interfaces.includes(iface))
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.queue
    let release!: () => void
    this.queue = new Promise<void>((resolve) => (release = resolve))
    await previous
    try {
      return await work()
    } finally {
      release()
    }
  }

  /**
   * Runs one action through its chain. An action a plugin starts through IModify
   * passes the action it runs for as `parent`: its outcome then also lands in the
   * parent's `nested`, and its depth is limited (a loop between plugins ends with
   * a failed nested outcome and an error on the outermost action).
   */
  async run<A extends ActionName>(action: A, input: ActionInputs[A], parent?: ActionContext, startedBy?: string): Promise<Outcome> {
    if (parent && parent.depth + 1 > MAX_NESTING_DEPTH) return this.refuseNesting(action, parent, startedBy)
    await this.loadPlugins()
    // Only the isolates of plugins in this action's chain start, all at once.
    this.host.warm(new Set(CHAINS[action].flatMap((stage) => this.pluginsFor(stage.interface).map((plugin) => plugin.name))))
    const context = new ActionContext(action, this.store, parent ? parent.depth + 1 : 0, parent)
    this.contexts.set(context.id, context)
    if (!parent) this.outermostRunning++
    try {
      const outcome = await this.runChain(action, input, context)
      // A nested outcome is shown with its parent's: its members stay as this action left them, whatever later ones do.
      outcome.room?.members.hold()
      parent?.nested.push(outcome)
      return outcome
    } finally {
      this.contexts.delete(context.id)
      // Writes of a post stage that ended without its log entry (an internal error) are kept, as they were made.
      if (this.postBatch?.context === context) this.commitPostBatch()
      if (!parent && --this.outermostRunning === 0) this.store.releaseHeldMembers()
    }
  }

  private async runChain<A extends ActionName>(action: A, input: ActionInputs[A], context: ActionContext): Promise<Outcome> {
    const pre = await this.exclusive(() => this.runPreAndCommit(action, input, context))
    // From here on the action no longer holds the transaction: plugin writes take turns with other actions.
    context.phase = 'post'
    if (pre.status !== 'completed' || !pre.post) return this.outcome(context, pre)
    const preEffects = context.effects.length
    const preNested = context.nested.length
    const post = await this.runOne(postStageOf(action), context, pre.room, pre.post.input, undefined)
    const effects = context.effects.slice(preEffects)
    let logIncomplete: string | undefined
    const toLog = context.postHooks.length > 0 || effects.length > 0
    if (toLog || pre.post.pending) {
      try {
        await this.exclusive(async () =>
          this.endPostStage(context, () => {
            if (toLog) {
              this.store.appendEvent({parentSeq: context.seq, kind: `${action}.post`, status: post.postError ? 'error' : 'completed', roomId: pre.room.id, roomName: pre.room.slugifiedName, data: {hooks: context.postHooks, effects}})
            }
            if (pre.post!.pending) this.store.postStageEnded(context.seq!)
          }),
        )
      } catch (error) {
        // The action committed: its outcome is still printed. The log shows its post stage as interrupted.
        logIncomplete = `the post stage's log entry could not be written (${firstLine(storeFault(error, this.store.db.name)?.message ?? messageOf(error))}); "roomsim log" shows the post stage as interrupted`
      }
    }
    // The final state: post handlers may have sent messages or started actions on the room. A deleted room stays as it was.
    const room = action === 'room.delete' ? pre.room : this.roomAfterPost(pre.room, effects, context.nested.length > preNested)
    const outcome = this.outcome(context, {...pre, room, error: post.postError ?? null})
    if (logIncomplete) outcome.logIncomplete = logIncomplete
    return outcome
  }

  /**
   * The room after its post stage, read again only as far as the stage may have
   * changed it: every change of members goes through a nested action, and a sent
   * message changes only the count. When the store cannot be read, the committed room stands.
   */
  private roomAfterPost(room: HostRoom, postEffects: readonly Effect[], startedActions: boolean): HostRoom {
    try {
      if (startedActions) return this.store.hostRoomById(room.id) ?? room
      if (postEffects.some((effect) => effect.kind === 'message')) return {...room, messageCount: this.store.messageCount(room.id)}
    } catch {
      // A store that cannot be read now (disk full, damaged): the outcome shows the room as committed.
    }
    return room
  }

  /** The action that would nest too deep is not run: it shows as failed, and the outermost action carries the error. */
  private refuseNesting(action: ActionName, parent: ActionContext, startedBy: string | undefined): Outcome {
    const depth = parent.depth + 1
    const error = {
      code: 'NESTING_TOO_DEEP' as const,
      message: `${action}${startedBy ? ` started by ${startedBy}` : ''} would nest ${depth} actions deep (limit ${MAX_NESTING_DEPTH}): do plugins start actions from each other's handlers in a loop?`,
    }
    parent.root.nestingError ??= error
    const outcome: Outcome = {action, status: 'failed', room: null, prevented: null, error, hooks: [], effects: [], nested: []}
    parent.nested.push(outcome)
    return outcome
  }

  private async runPreAndCommit<A extends ActionName>(action: A, input: ActionInputs[A], context: ActionContext): Promise<ChainResult> {
    const {store} = this
    this.commitPostBatch()
    store.begin()
    try {
      const prepared = ACTION_DEFINITIONS[action].prepare(input, context, this.config.names)
      if ('noop' in prepared) {
        store.rollback()
        return {status: 'noop', room: prepared.room, prevented: null, error: null}
      }
      // Plugin writes made during pre stages vanish with a prevented or failed action.
      store.savepoint('chain')
      let room = prepared.room
      let stop = reportLoadFailures(this.unloadable, room, this.config.hooks.onError, (hook) => context.hooks.push(hook))
      for (const stage of stop ? [] : CHAINS[action].filter(isPreStage)) {
        const end = await this.runOne(stage, context, room, prepared.preInput, prepared.review)
        room = end.room
        if (end.prevented || end.failed) {
          stop = end
          break
        }
      }
      // The entry in one literal (no keys after a spread, see docs/decisions.md); JSON leaves out what is undefined.
      const entry = (status: string, data: Record<string, unknown>, postPid: number | null = null): NewEvent => ({parentSeq: context.parent?.seq ?? null, kind: action, status, roomId: room.id, roomName: room.slugifiedName, actor: prepared.actor, data, postPid})
      // Effects so far (pre-stage logs, notifications…) are kept with the action's entry.
      const effects = context.effects.length > 0 ? context.effects : undefined
      if (stop) {
        store.undo('chain')
        const status = stop.prevented ? 'prevented' : 'failed'
        context.seq = store.appendEvent(entry(status, {input: prepared.input, hooks: context.hooks, effects, prevented: stop.prevented ?? null, error: stop.failed ?? null}))
        store.commit()
        return {status, room, prevented: stop.prevented ?? null, error: stop.failed ?? null}
      }
      store.release('chain')
      // A post stage with plugins to run may write: the entry says so until the post stage logs its end.
      const pending = this.pluginsFor(postStageOf(action).interface).length > 0
      context.seq = store.appendEvent(entry('completed', {input: prepared.input, hooks: context.hooks, effects}, pending ? process.pid : null))
      context.users.commit(context.seq)
      const committed = prepared.commit(room)
      store.commit()
      return {status: 'completed', room: committed, prevented: null, error: null, post: {input: prepared.postInput, pending}}
    } catch (error) {
      store.rollback()
      throw error
    }
  }

  private runOne(stage: Stage, context: ActionContext, room: HostRoom, input: (room: HostRoom) => unknown, review: ((room: Room) => HostRoom) | undefined): Promise<StageEnd> {
    const isPost = !isPreStage(stage)
    const timeoutMs = this.config.hooks.timeoutMs[isPost ? 'post' : 'pre']
    return runStage({
      stage,
      plugins: this.pluginsFor(stage.interface),
      room,
      input,
      ...(review ? {review} : {}),
      onError: this.config.hooks.onError,
      timeoutMs,
      call: async (plugin, method, args, handlerInput) => {
        const lent = this.memberLists.lend(plugin, handlerInput)
        try {
          return await this.host.invoke({plugin, kind: stage.kind, method, args, input: lent.input, actionId: context.id, settings: this.settingLayers(plugin)}, timeoutMs)
        } finally {
          lent.release()
        }
      },
      record: (hook) => (isPost ? context.postHooks : context.hooks).push(hook),
    })
  }

  private outcome(context: ActionContext, result: ChainResult): Outcome {
    return {
      action: context.action,
      status: result.status,
      room: result.room,
      prevented: result.prevented,
      // A loop of nested actions surfaces on the outermost action, so the command exits 4.
      error: result.error ?? (context.depth === 0 ? (context.nestingError ?? null) : null),
      hooks: [...context.hooks, ...context.postHooks],
      effects: context.effects,
      nested: context.nested,
    }
  }

  /**
   * A plugin's log line becomes an effect of the action it ran for (or of the
   * newest one, for stray output). Each plugin keeps at most MAX_LOG_LINES per
   * action; one marker line says how many more were dropped.
   */
  private recordLog(plugin: string, line: LogLine): void {
    const context = this.contexts.get(line.actionId) ?? [...this.contexts.values()].at(-1)
    if (!context) return
    const kept = context.logLines.get(plugin) ?? 0
    context.logLines.set(plugin, kept + 1)
    if (kept < MAX_LOG_LINES) {
      context.effects.push({kind: 'log', plugin, level: line.level, message: line.message} satisfies Effect)
      return
    }
    const marker = `${kept + 1 - MAX_LOG_LINES} more log line(s) of ${plugin} dropped (at most ${MAX_LOG_LINES} per action)`
    const last = context.droppedLogs.get(plugin)
    if (last) last.message = marker
    else {
      const effect = {kind: 'log' as const, plugin, level: 'warn' as const, message: marker}
      context.droppedLogs.set(plugin, effect)
      context.effects.push(effect)
    }
  }
}

/**
 * Checks an action's input against a store without running it: throws what run()
 * would throw for bad input. No plugin runs and nothing is written.
 */
export function validateAction<A extends ActionName>(store: Store, config: Config, action: A, input: ActionInputs[A]): void {
  store.begin()
  try {
    ACTION_DEFINITIONS[action].prepare(input, new ActionContext(action, store, 0, undefined), config.names)
  } finally {
    store.rollback()
  }
}

interface ChainResult {
  status: Outcome['status']
  room: HostRoom
  prevented: Outcome['prevented']
  error: Outcome['error']
  post?: {input: (room: HostRoom) => unknown; pending: boolean}
}

const postStageOf = (action: ActionName): Stage => CHAINS[action].find((stage) => !isPreStage(stage))!
