/**
 * What tests build on disk: temporary folders, plugin packages, config files,
 * stores seeded directly, and ways to look inside a store afterwards.
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import type {Store} from '../../src/store/store.js'
import {ROOT} from './paths.js'

/** A fresh temporary folder per test, outside the checkout; removed by the returned cleanup. */
export function tempDir(prefix = 'roomsim-test-'): {dir: string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {dir, cleanup: () => rmSync(dir, {recursive: true, force: true})}
}

/** Writes a small plugin package (package.json + ESM index.js) into `folder`. */
export function writePluginPackage(folder: string, name: string, source: string, extra: Record<string, unknown> = {}): string {
  mkdirSync(folder, {recursive: true})
  writeFileSync(join(folder, 'package.json'), JSON.stringify({name, version: '1.0.0', type: 'module', main: 'index.js', ...extra}, null, 2))
  mkdirSync(dirname(join(folder, 'index.js')), {recursive: true})
  writeFileSync(join(folder, 'index.js'), source)
  return folder
}

/** A plugin written to a temporary folder: a package.json and an ESM index.js. */
export interface TestPlugin {
  name: string
  /** Source of index.js (an ES module). */
  source: string
  enabled?: boolean
  settings?: Record<string, unknown>
}

/** Writes a plugin folder under `dir`/plugins and returns its path. */
export const writeTestPlugin = (dir: string, plugin: TestPlugin): string => writePluginPackage(join(dir, 'plugins', plugin.name), plugin.name, plugin.source)

/** Writes `config` as `dir`/roomsim.config.json; returns its path. */
export function writeConfigFile(dir: string, config: unknown): string {
  const path = join(dir, 'roomsim.config.json')
  writeFileSync(path, JSON.stringify(config, null, 2))
  return path
}

/** Writes the plugins and a roomsim.config.json listing them in the given order; returns the config path. */
export function writePluginsConfig(dir: string, plugins: TestPlugin[], config: Record<string, unknown> = {}): string {
  const entries = plugins.map((plugin) => {
    writeTestPlugin(dir, plugin)
    return {path: `./plugins/${plugin.name}`, ...(plugin.enabled === undefined ? {} : {enabled: plugin.enabled}), ...(plugin.settings ? {settings: plugin.settings} : {})}
  })
  return writeConfigFile(dir, {...config, plugins: entries})
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

/**
 * A store's fingerprint: the hash of the database file and of any WAL/SHM file
 * beside it. roomsim checkpoints on close, so compare after the command ended.
 */
export function storeFingerprint(path: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => `${suffix || 'db'}:${existsSync(path + suffix) ? createHash('sha256').update(readFileSync(path + suffix)).digest('hex') : 'absent'}`)
    .join(' ')
}

const require = createRequire(import.meta.url)

/** SQLite's own integrity check of the store, and how many rooms it holds. */
export function inspectStore(dir: string): {integrity: string; rooms: number; installed: string[]} {
  const Sqlite = require('better-sqlite3') as typeof BetterSqlite3
  const db = new Sqlite(join(dir, '.roomsim', 'store.db'), {readonly: true})
  try {
    return {
      integrity: db.pragma('integrity_check', {simple: true}) as string,
      rooms: (db.prepare('SELECT count(*) AS n FROM rooms').get() as {n: number}).n,
      installed: (db.prepare('SELECT name FROM installed_plugins ORDER BY position').all() as {name: string}[]).map((row) => row.name),
    }
  } finally {
    db.close()
  }
}

/** The plugin prefix's dependencies (what npm has installed), or undefined when there is no prefix. */
export function prefixDependencies(dir: string): Record<string, string> | undefined {
  const file = join(dir, '.roomsim', 'plugins', 'package.json')
  if (!existsSync(file)) return undefined
  return (JSON.parse(readFileSync(file, 'utf8')) as {dependencies?: Record<string, string>}).dependencies ?? {}
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!, index)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, lane))
  return results
}

/** A stack trace line, as Node prints them. */
export const STACK_LINE = /^\s+at .+[(:]/m

