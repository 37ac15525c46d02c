import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {ActionName, Outcome} from '../../src/domain/types.js'
import type {ActionInputs} from '../../src/engine/actions/index.js'
import type {Engine} from '../../src/engine/engine.js'
import type {Store} from '../../src/store/store.js'
import {Workspace} from '../../src/workspace.js'
import {tempDir} from './cli.js'

/** A plugin written to a temporary folder: a package.json and an ESM index.js. */
export interface TestPlugin {
  name: string
  /** Source of index.js (an ES module). */
  source: string
  enabled?: boolean
  settings?: Record<string, unknown>
}

/**
 * The exception classes a plugin brings along, as upstream declares them: its own
 * copy, so roomsim can only recognise them by name (upstream's AppsEngineException
 * sets `name = 'AppsEngineException'`, and UserNotAllowedException inherits it).
 */
export const OWN_EXCEPTIONS = `
class AppsEngineException extends Error {
  constructor(message) { super(message); this.name = 'AppsEngineException' }
}
class UserNotAllowedException extends AppsEngineException {}
`

/** Writes a plugin folder under `dir`/plugins and returns its path. */
export function writePlugin(dir: string, plugin: TestPlugin): string {
  const folder = join(dir, 'plugins', plugin.name)
  mkdirSync(folder, {recursive: true})
  writeFileSync(join(folder, 'package.json'), JSON.stringify({name: plugin.name, version: '1.0.0', type: 'module', main: 'index.js'}, null, 2))
  writeFileSync(join(folder, 'index.js'), plugin.source)
  return folder
}

/** Writes the plugins and a roomsim.config.json listing them in the given order; returns the config path. */
export function writeConfig(dir: string, plugins: TestPlugin[], config: Record<string, unknown> = {}): string {
  const entries = plugins.map((plugin) => {
    writePlugin(dir, plugin)
    return {path: `./plugins/${plugin.name}`, ...(plugin.enabled === undefined ? {} : {enabled: plugin.enabled}), ...(plugin.settings ? {settings: plugin.settings} : {})}
  })
  const path = join(dir, 'roomsim.config.json')
  writeFileSync(path, JSON.stringify({...config, plugins: entries}, null, 2))
  return path
}

export interface TestEngine {
  dir: string
  engine: Engine
  store: Store
  run<A extends ActionName>(action: A, input: ActionInputs[A]): Promise<Outcome>
  /** Every row of every table that holds state (not the event log), for before/after comparisons. */
  state(): string
  close(): Promise<void>
}

const STATE_TABLES = ['users', 'rooms', 'memberships', 'messages', 'plugin_records', 'plugin_record_associations']

/**
 * The real thing, in process: plugins in a temporary folder, a config file that
 * lists them, a fresh SQLite store, and the Engine a command would get (its
 * plugin worker included).
 */
export async function openTestEngine({plugins = [], config = {}}: {plugins?: TestPlugin[]; config?: Record<string, unknown>} = {}): Promise<TestEngine> {
  const {dir, cleanup} = tempDir('roomsim-engine-')
  const configPath = writeConfig(dir, plugins, config)
  const workspace = await Workspace.open({cwd: dir, configPath, storePath: join(dir, 'store.db')})
  const engine = workspace.engine()
  return {
    dir,
    engine,
    store: engine.store,
    run: (action, input) => engine.run(action, input),
    state: () => JSON.stringify(STATE_TABLES.map((table) => engine.store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all())),
    async close() {
      await engine.close()
      cleanup()
    },
  }
}

/** The hook records of an outcome as `plugin:method:result`, the shape most rule tests compare. */
export const calls = (outcome: Outcome): string[] => outcome.hooks.map((hook) => `${hook.plugin}:${hook.method}:${hook.result}`)

/** What plugins printed with console.log(JSON.stringify(x)) during an action, parsed, in order. */
export function reports<T = any>(outcome: Outcome, plugin?: string): T[] {
  return outcome.effects
    .filter((effect) => effect.kind === 'log' && (plugin === undefined || effect.plugin === plugin))
    .map((effect) => JSON.parse(String(effect.message)) as T)
}

/**
 * Puts a room (and its users) straight into the store, without running any chain:
 * for tests whose plugins would prevent the create.
 */
export function seedRoom(store: Store, name: string, usernames: string[], type: 'c' | 'p' | 'd' | 'l' = 'c'): void {
  store.transaction(() => {
    const users = usernames.map((username) => {
      const existing = store.userByName(username)
      if (existing) return existing
      const user = {id: `id-${username}`, username, name: username, roles: ['user'], createdAt: new Date()}
      store.insertUser(user)
      return user
    })
    const now = new Date()
    store.insertRoom({
      id: `id-${name}`,
      slugifiedName: name,
      type,
      creator: users[0]!,
      userIds: users.map((user) => user.id),
      usernames,
      isDefault: false,
      isReadOnly: false,
      displaySystemMessages: true,
      messageCount: 0,
      createdAt: now,
      updatedAt: now,
      customFields: {},
    })
  })
}
