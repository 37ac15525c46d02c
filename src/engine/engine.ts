import {answerCall} from '../accessors/services.js'
import type {Config} from '../config/schema.js'
import type {ActionName, Effect, Outcome, Room} from '../domain/types.js'
import {RoomsimError} from '../errors.js'
import {PluginHost} from '../plugins/host.js'
import type {LoadedPlugin, LogLine} from '../plugins/protocol.js'
import type {PluginEntryResolved} from '../plugins/registry.js'
import type {Store} from '../store/store.js'
import {ActionContext} from './action-context.js'
import {ACTION_DEFINITIONS, type ActionInputs} from './actions/index.js'
import type {InterfaceName} from './interfaces.js'
import {runStage, type StageEnd, type StagePlugin} from './run-stage.js'
import {CHAINS, isPreStage, type Stage} from './stages.js'

/** Actions that plugins start through IModify nest at most this deep; a loop ends here. */
export const MAX_NESTING_DEPTH = 8

/**
 * Runs actions: validate → pre stages → commit → post stage, each action in one
 * transaction. Plugins run in the plugin worker; their accessor calls come back
 * here and are answered in the context of the action that made them.
 */
export class Engine {
  private readonly host: PluginHost
  private readonly enabled: PluginEntryResolved[]
  private loaded: Map<string, LoadedPlugin> | undefined
  private readonly contexts = new Map<number, ActionContext>()
  /** Serialises the transactional part of actions started in this process (nested ones included). */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly store: Store,
    readonly config: Config,
    readonly plugins: PluginEntryResolved[],
  ) {
    this.enabled = plugins.filter((plugin) => plugin.enabled)
    this.host = new PluginHost(this.enabled, {
      onCall: (call) => answerCall({engine: this, plugin: call.plugin, context: this.contexts.get(call.actionId)}, call.method, call.args),
      onLog: (line) => this.recordLog(line),
    })
  }

  /** Starts loading plugins now, so that it overlaps whatever the command does next. */
  warmUp(): void {
    if (this.enabled.length > 0) this.host.loaded().catch(() => undefined)
  }

  async close(): Promise<void> {
    await this.host.close()
    this.store.close()
  }

  /** A plugin's settings: package defaults, then what it declares itself, then config. */
  settingsOf(plugin: string): Record<string, unknown> {
    const entry = this.plugins.find((candidate) => candidate.name === plugin)
    return {...entry?.packageDefaults, ...this.loaded?.get(plugin)?.declaredSettings, ...entry?.settings}
  }

  /** Loaded plugins by name; a plugin that fails to load or implements nothing is refused. */
  async loadPlugins(): Promise<Map<string, LoadedPlugin>> {
    if (this.loaded) return this.loaded
    const loaded = this.enabled.length === 0 ? [] : await this.host.loaded()
    for (const plugin of loaded) {
      if (plugin.error) throw new RoomsimError('BAD_PLUGIN', `plugin ${plugin.name} failed to load: ${plugin.error.message}`)
      if (plugin.interfaces.length === 0) throw new RoomsimError('BAD_PLUGIN', `plugin ${plugin.name} implements no room event interface (no execute* method)`)
    }
    this.loaded = new Map(loaded.map((plugin) => [plugin.name, plugin]))
    return this.loaded
  }

  private pluginsFor(iface: InterfaceName): StagePlugin[] {
    return this.enabled.map((plugin) => this.loaded!.get(plugin.name)!).filter((plugin) => plugin.interfaces.includes(iface))
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

  async run<A extends ActionName>(action: A, input: ActionInputs[A], parent?: ActionContext): Promise<Outcome> {
    const depth = parent ? parent.depth + 1 : 0
    if (depth > MAX_NESTING_DEPTH) {
      throw new RoomsimError('NESTING_TOO_DEEP', `${action} would nest ${depth} actions deep (limit ${MAX_NESTING_DEPTH}): do plugins start actions in a loop?`)
    }
    await this.loadPlugins()
    const context = new ActionContext(action, this.store, depth, parent)
    this.contexts.set(context.id, context)
    try {
      const pre = await this.exclusive(() => this.runPreAndCommit(action, input, context))
      if (pre.status !== 'completed' || !pre.post) return this.outcome(context, pre)
      context.phase = 'post'
      const post = await this.runOne(CHAINS[action].find((stage) => !isPreStage(stage))!, context, pre.room, pre.post.input, undefined)
      if (context.postHooks.length > 0 || context.effects.length > 0) {
        this.store.transaction(() =>
          this.store.appendEvent({parentSeq: context.seq, kind: `${action}.post`, status: post.postError ? 'error' : 'completed', roomId: pre.room.id, roomName: pre.room.slugifiedName, data: {hooks: context.postHooks, effects: context.effects}}),
        )
      }
      return this.outcome(context, {...pre, error: post.postError ?? null})
    } finally {
      this.contexts.delete(context.id)
    }
  }

  private async runPreAndCommit<A extends ActionName>(action: A, input: ActionInputs[A], context: ActionContext): Promise<ChainResult> {
    const {store} = this
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
      let stop: StageEnd | undefined
      for (const stage of CHAINS[action].filter(isPreStage)) {
        const end = await this.runOne(stage, context, room, prepared.preInput, prepared.review)
        room = end.room
        if (end.prevented || end.failed) {
          stop = end
          break
        }
      }
      const event = {kind: action, roomId: room.id, roomName: room.slugifiedName, actor: prepared.actor}
      if (stop) {
        store.rollbackTo('chain')
        store.release('chain')
        const status = stop.prevented ? 'prevented' : 'failed'
        context.seq = store.appendEvent({...event, status, data: {input: prepared.input, hooks: context.hooks, prevented: stop.prevented ?? null, error: stop.failed ?? null}})
        store.commit()
        return {status, room, prevented: stop.prevented ?? null, error: stop.failed ?? null}
      }
      store.release('chain')
      context.seq = store.appendEvent({...event, status: 'completed', data: {input: prepared.input, hooks: context.hooks}})
      context.users.commit(context.seq)
      const committed = prepared.commit(room)
      store.commit()
      return {status: 'completed', room: committed, prevented: null, error: null, post: {input: prepared.postInput}}
    } catch (error) {
      store.rollback()
      throw error
    }
  }

  private runOne(stage: Stage, context: ActionContext, room: Room, input: (room: Room) => unknown, review: ((room: Room) => Room) | undefined): Promise<StageEnd> {
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
      call: (plugin, method, args, handlerInput) =>
        this.host.invoke({plugin, kind: stage.kind, method, args, input: handlerInput, actionId: context.id}, timeoutMs),
      record: (hook) => (isPost ? context.postHooks : context.hooks).push(hook),
    })
  }

  private outcome(context: ActionContext, result: ChainResult): Outcome {
    return {
      action: context.action,
      status: result.status,
      room: result.room,
      prevented: result.prevented,
      error: result.error,
      hooks: [...context.hooks, ...context.postHooks],
      effects: context.effects,
      nested: context.nested,
    }
  }

  /** A plugin's log line becomes an effect of the action it ran for (or of the newest one, for stray output). */
  private recordLog(line: LogLine): void {
    const context = this.contexts.get(line.actionId) ?? [...this.contexts.values()].at(-1)
    const effect: Effect = {kind: 'log', plugin: line.plugin, level: line.level, message: line.args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}
    context?.effects.push(effect)
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
  room: Room
  prevented: Outcome['prevented']
  error: Outcome['error']
  post?: {input: (room: Room) => unknown}
}
