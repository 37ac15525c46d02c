import {BaseCommand} from '../../base-command.js'
import {RoomsimError} from '../../errors.js'
import {type CheckReport, checkStore} from '../../store/check.js'
import {openDatabase} from '../../store/database.js'

export default class StoreCheck extends BaseCommand<typeof StoreCheck> {
  static override summary = 'Check the store: SQLite integrity, then that the event log accounts for every room, user, membership and plugin write.'
  static override description = 'Reads only; changes nothing. Exits 0 when every check passes and 2 when one fails (each problem is printed on its own line). Interrupted post stages (a process killed while post-stage plugins ran) are warnings: their writes may have no .post entry.'
  static override examples = ['<%= config.bin %> store check', '<%= config.bin %> store check --store ci.db --json']

  async run(): Promise<CheckReport & {store: string}> {
    const {storePath} = await this.workspace()
    let report: CheckReport
    try {
      const db = openDatabase(storePath, {create: false, readonly: true, anyVersion: true})
      if (!db) throw new RoomsimError('BAD_STORE', `there is no store at ${storePath}`)
      try {
        report = checkStore(db)
      } finally {
        db.close()
      }
    } catch (error) {
      if (!(error instanceof RoomsimError) || error.code !== 'BAD_STORE' || !/damaged/.test(error.message)) throw error
      report = {ok: false, problems: [error.message], warnings: []}
    }
    if (!this.jsonEnabled()) {
      for (const warning of report.warnings) this.log(`warning: ${warning}`)
      for (const problem of report.problems) this.log(`problem: ${problem}`)
      this.log(report.ok ? `${storePath}: every check passed` : `${storePath}: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; restore a backup ("roomsim store backup" makes one) or start a new store`)
    }
    if (!report.ok) process.exitCode = 2
    return {store: storePath, ...report}
  }
}
