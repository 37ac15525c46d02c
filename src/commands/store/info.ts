import {existsSync, statSync} from 'node:fs'

import {BaseCommand} from '../../base-command.js'
import {openDatabase} from '../../store/database.js'
import {LATEST_VERSION} from '../../store/migrations.js'
import {postStageInterrupted} from '../../store/store.js'

interface StoreSummary {
  path: string
  exists: boolean
  schemaVersion: number | null
  latestSchemaVersion: number
  bytes: {store: number; wal: number}
  pages: {size: number; count: number; free: number} | null
  counts: Record<string, number>
  interruptedPostStages: number
}

const TABLES = ['users', 'rooms', 'memberships', 'messages', 'plugin_records', 'events', 'installed_plugins'] as const

const sizeOf = (path: string): number => (existsSync(path) ? statSync(path).size : 0)

export default class StoreInfo extends BaseCommand<typeof StoreInfo> {
  static override summary = 'Show the store: path, schema version, sizes and how many rows each table holds.'
  static override description = 'Reads only; creates nothing. Works on a store written by an older roomsim too.'
  static override examples = ['<%= config.bin %> store info', '<%= config.bin %> store info --json']

  async run(): Promise<StoreSummary> {
    const {storePath} = await this.workspace()
    const info: StoreSummary = {path: storePath, exists: false, schemaVersion: null, latestSchemaVersion: LATEST_VERSION, bytes: {store: sizeOf(storePath), wal: sizeOf(`${storePath}-wal`)}, pages: null, counts: {}, interruptedPostStages: 0}
    const db = openDatabase(storePath, {create: false, readonly: true, anyVersion: true})
    if (db) {
      try {
        info.exists = true
        info.schemaVersion = db.pragma('user_version', {simple: true}) as number
        info.pages = {size: db.pragma('page_size', {simple: true}) as number, count: db.pragma('page_count', {simple: true}) as number, free: db.pragma('freelist_count', {simple: true}) as number}
        const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {name: string}[]).map((row) => row.name))
        for (const table of TABLES) if (tables.has(table)) info.counts[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as {n: number}).n
        const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all('events') as {name: string}[]).map((row) => row.name)
        if (columns.includes('post_pid')) {
          const pids = (db.prepare('SELECT post_pid FROM events WHERE post_pid IS NOT NULL').all() as {post_pid: number}[]).map((row) => row.post_pid)
          info.interruptedPostStages = pids.filter(postStageInterrupted).length
        }
      } finally {
        db.close()
      }
    }
    if (!this.jsonEnabled()) this.log(format(info))
    return info
  }
}

function format(info: StoreSummary): string {
  if (!info.exists) return `${info.path}: no store yet (it is created by the first command that changes something)`
  const lines = [
    `store             ${info.path}`,
    `schema version    ${info.schemaVersion}${info.schemaVersion === info.latestSchemaVersion ? '' : ` (this roomsim uses ${info.latestSchemaVersion}; "roomsim store upgrade" upgrades it)`}`,
    `size              ${info.bytes.store} bytes${info.bytes.wal > 0 ? ` + ${info.bytes.wal} bytes of write-ahead log` : ''}${info.pages ? ` (${info.pages.count} pages of ${info.pages.size} bytes, ${info.pages.free} free)` : ''}`,
    ...Object.entries(info.counts).map(([table, count]) => `${table.replaceAll('_', ' ').padEnd(18)}${count}`),
  ]
  if (info.interruptedPostStages > 0) lines.push(`interrupted post stages  ${info.interruptedPostStages} (see "roomsim store check")`)
  return lines.join('\n')
}
