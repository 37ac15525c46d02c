import {existsSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {loadConfig, resolveFromConfig} from './config/load.js'
import type {Config} from './config/schema.js'
import type {ActionName} from './domain/types.js'
import type {ActionInputs} from './engine/actions/index.js'
import {Engine, validateAction} from './engine/engine.js'
import {installedEntries} from './plugins/installed.js'
import {type PluginEntryResolved, runOrder} from './plugins/registry.js'
import {openDatabase} from './store/database.js'
import {Store} from './store/store.js'

export const DEFAULT_STORE = '.roomsim/store.db'

export interface WorkspaceOptions {
  cwd?: string
  storePath?: string
  configPath?: string
}

/**
 * Where a command works: its config, its store and its plugins. Commands that
 * only read never create a store; commands that change state create it.
 */
export class Workspace {
  private constructor(
    readonly cwd: string,
    readonly config: Config,
    readonly storePath: string,
  ) {}

  static async open(options: WorkspaceOptions = {}): Promise<Workspace> {
    const cwd = options.cwd ?? process.cwd()
    const config = await loadConfig({cwd, ...(options.configPath ? {explicitPath: options.configPath} : {})})
    const storePath = options.storePath ? resolve(cwd, options.storePath) : config.store ? resolveFromConfig(config, config.store, cwd) : resolve(cwd, DEFAULT_STORE)
    return new Workspace(cwd, config, storePath)
  }

  /** The folder that holds the store: installed plugins live here too. */
  get stateFolder(): string {
    return dirname(this.storePath)
  }

  /** The store for reading, opened read-only; undefined when it does not exist yet (nothing is created, nothing migrated). */
  readStore(): Store | undefined {
    const db = openDatabase(this.storePath, {create: false, readonly: true})
    return db ? new Store(db) : undefined
  }

  readStoreExists(): boolean {
    return existsSync(this.storePath)
  }

  writeStore(): Store {
    return new Store(openDatabase(this.storePath, {create: true})!)
  }

  /**
   * Bad input must not leave a new store behind: while there is no store yet, an
   * action is first checked against an empty one in memory.
   */
  validateWithoutStore<A extends ActionName>(action: A, input: ActionInputs[A]): void {
    if (existsSync(this.storePath)) return
    const empty = new Store(openDatabase(':memory:', {create: true})!)
    try {
      validateAction(empty, this.config, action, input)
    } finally {
      empty.close()
    }
  }

  /**
   * Every plugin in run order: config-listed ones first (in list order), then
   * the other installed plugins by position (see runOrder). Disabled ones are
   * included with `enabled: false`. Reads the installed registrations from
   * `store`, or from the store file when none is given.
   */
  plugins(store?: Store): PluginEntryResolved[] {
    const reader = store ?? this.readStore()
    try {
      const installed = reader ? installedEntries(reader.installedPlugins(), this.stateFolder) : []
      return runOrder(this.config, this.cwd, installed)
    } finally {
      if (!store) reader?.close()
    }
  }

  /** An engine over the writable store, with plugins already loading in the background. */
  engine(): Engine {
    const store = this.writeStore()
    let plugins: PluginEntryResolved[]
    try {
      plugins = this.plugins(store)
    } catch (error) {
      store.close()
      throw error
    }
    const engine = new Engine(store, this.config, plugins)
    engine.warmUp()
    return engine
  }
}
