import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {Effect, Outcome} from '../../src/domain/types.js'
import type {Engine} from '../../src/engine/engine.js'
import type {Store} from '../../src/store/store.js'
import {Workspace} from '../../src/workspace.js'
import {ROOT, tempDir} from './cli.js'

/** Absolute import specifiers for Apps-Engine definitions, for plugins written to temp folders. */
export const APPS_ENGINE = {
  metadata: pathToFileURL(join(ROOT, 'node_modules/@rocket.chat/apps-engine/definition/metadata/index.js')).href,
  exceptions: pathToFileURL(join(ROOT, 'node_modules/@rocket.chat/apps-engine/definition/exceptions/index.js')).href,
}

export interface PluginSource {
  /** The entry module's source (index.js, an ES module). */
  source: string
  /** Defaults declared in package.json ("roomsim": {"settings": …}). */
  defaults?: Record<string, unknown>
  /** Settings given in config. */
  settings?: Record<string, unknown>
  enabled?: boolean
}

export interface Sandbox {
  dir: string
  engine: Engine
  store: Store
  close(): Promise<void>
}

/** Writes plugins to folders under `dir` and returns the config document that lists them (in the given order). */
export function writePlugins(dir: string, plugins: Record<string, PluginSource>, config: Record<string, unknown> = {}): Record<string, unknown> {
  const entries = Object.entries(plugins).map(([name, plugin]) => {
    const folder = join(dir, 'plugins', name)
    mkdirSync(folder, {recursive: true})
    writeFileSync(join(folder, 'package.json'), JSON.stringify({name, version: '1.0.0', type: 'module', main: 'index.js', ...(plugin.defaults ? {roomsim: {settings: plugin.defaults}} : {})}))
    writeFileSync(join(folder, 'index.js'), plugin.source)
    return {path: `./plugins/${name}`, ...(plugin.settings ? {settings: plugin.settings} : {}), ...(plugin.enabled === undefined ? {} : {enabled: plugin.enabled})}
  })
  return {...config, plugins: entries}
}

/** A real engine (worker thread, temp SQLite store) over the given plugins. */
export async function sandbox(plugins: Record<string, PluginSource>, config: Record<string, unknown> = {}): Promise<Sandbox> {
  const {dir, cleanup} = tempDir()
  const document = writePlugins(dir, plugins, config)
  writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify(document, null, 2))
  const workspace = await Workspace.open({cwd: dir, storePath: join(dir, 'store.db')})
  const engine = workspace.engine()
  return {
    dir,
    engine,
    store: engine.store,
    close: async () => {
      await engine.close()
      cleanup()
    },
  }
}

/**
 * A plugin whose `method` handler runs `body` (an async function of the handler's
 * arguments) and reports what it returned, or what it threw, as a `PROBE` log line.
 * `attempt(fn)` inside the body gives `{ok: value}` or `{error, name}` for one call.
 */
export function probePlugin(method: string, body: string, prelude = ''): string {
  return `${prelude}
const attempt = async (fn) => { try { return {ok: await fn()} } catch (error) { return {error: error.message, name: error.name} } }
const probe = ${body}
export default {
  async ${method}(...args) {
    let report
    try { report = {ok: await probe.apply(this, args)} } catch (error) { report = {error: error.message, name: error.name} }
    console.log('PROBE ' + JSON.stringify(report === undefined ? null : report))
  },
}
`
}

/** What a probe plugin reported in an outcome (searching nested outcomes too); the n-th report when several. */
export function probeReport<T = any>(outcome: Outcome, index = 0): T {
  const reports = allEffects(outcome)
    .filter((effect) => effect.kind === 'log' && String(effect.message).startsWith('PROBE '))
    .map((effect) => JSON.parse(String(effect.message).slice('PROBE '.length)))
  if (reports.length <= index) throw new Error(`no probe report #${index} in the outcome: ${JSON.stringify(outcome, null, 2)}`)
  const report = reports[index]
  if ('error' in report) throw new Error(`the probe threw: ${report.name}: ${report.error}`)
  return report.ok as T
}

export const allEffects = (outcome: Outcome): Effect[] => [...outcome.effects, ...outcome.nested.flatMap(allEffects)]

/** Effects without log lines, for exact comparisons. */
export const effectsOf = (outcome: Outcome, kind?: Effect['kind']): Effect[] => outcome.effects.filter((effect) => (kind ? effect.kind === kind : effect.kind !== 'log'))
