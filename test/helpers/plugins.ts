import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import {type CliResult, ROOT, runCli} from './cli.js'

export const FIXTURES = join(ROOT, 'test', 'fixtures')
export const HOSTILE = join(FIXTURES, 'hostile')
export const BROKEN = join(FIXTURES, 'broken')
export const WITNESS = join(FIXTURES, 'plugins', 'witness')

export function writeConfig(dir: string, config: unknown): void {
  writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify(config, null, 2))
}

/** Runs the real binary, killing it when it has not ended within `limitMs`: this checks that roomsim ends, not how fast. */
export const runBounded = (args: string[], {cwd, limitMs = 30_000}: {cwd: string; limitMs?: number}): Promise<CliResult> => runCli(args, {cwd, limitMs})

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

/** Writes a small plugin package into `folder`. */
export function writePlugin(folder: string, name: string, source: string, extra: Record<string, unknown> = {}): string {
  mkdirSync(folder, {recursive: true})
  writeFileSync(join(folder, 'package.json'), JSON.stringify({name, version: '1.0.0', type: 'module', main: 'index.js', ...extra}, null, 2))
  mkdirSync(dirname(join(folder, 'index.js')), {recursive: true})
  writeFileSync(join(folder, 'index.js'), source)
  return folder
}
