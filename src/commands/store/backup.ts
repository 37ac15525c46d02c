import {existsSync, mkdirSync, rmSync, statSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {RoomsimError} from '../../errors.js'
import {openDatabase} from '../../store/database.js'
import {storeFault} from '../../store/faults.js'

export default class StoreBackup extends BaseCommand<typeof StoreBackup> {
  static override summary = 'Copy the store into FILE with SQLite\'s online backup (safe while other roomsim processes use it).'
  static override description = 'FILE must not exist yet: a backup never overwrites anything. The copy is a complete store; use it with --store FILE, or put it in place of the damaged one.'
  static override examples = ['<%= config.bin %> store backup backups/store-2024-06-01.db']

  static override args = {file: Args.string({description: 'Where to write the copy (a new file).', required: true})}

  async run(): Promise<{store: string; backup: string; bytes: number}> {
    const {storePath, cwd} = await this.workspace()
    const target = resolve(cwd, this.args.file)
    if (existsSync(target)) throw new RoomsimError('BAD_FILE', `${target} already exists; a backup never overwrites a file: choose a new name`)
    if (target === storePath) throw new RoomsimError('BAD_FILE', 'the backup cannot be the store itself')
    const db = openDatabase(storePath, {create: false, readonly: true, anyVersion: true})
    if (!db) throw new RoomsimError('BAD_STORE', `there is no store at ${storePath} to back up`)
    try {
      mkdirSync(dirname(target), {recursive: true})
      await db.backup(target)
    } catch (error) {
      rmSync(target, {force: true})
      throw storeFault(error, target) ?? error
    } finally {
      db.close()
    }
    const bytes = statSync(target).size
    this.log(`backed up ${storePath} to ${target} (${bytes} bytes)`)
    return {store: storePath, backup: target, bytes}
  }
}
