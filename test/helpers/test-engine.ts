import {join} from 'node:path'

import type {ActionName, Outcome} from '../../src/domain/types.js'
import type {ActionInputs} from '../../src/engine/actions/index.js'
import type {Engine} from '../../src/engine/engine.js'
import type {Store} from '../../src/store/store.js'
import {Workspace} from '../../src/workspace.js'
import {type TestPlugin, tempDir, writePluginsConfig as writeConfig} from './fixtures.js'

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

