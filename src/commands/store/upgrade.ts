import {BaseCommand} from '../../base-command.js'
import {RoomsimError} from '../../errors.js'
import {LATEST_VERSION} from '../../store/migrations.js'

export default class StoreUpgrade extends BaseCommand<typeof StoreUpgrade> {
  static override summary = 'Upgrade a store written by an older roomsim to this one\'s schema (read-only commands never do).'
  static override examples = ['<%= config.bin %> store upgrade']

  async run(): Promise<{store: string; schemaVersion: number}> {
    const workspace = await this.workspace()
    if (!workspace.readStoreExists()) throw new RoomsimError('BAD_STORE', `there is no store at ${workspace.storePath}`)
    workspace.writeStore().close()
    this.log(`${workspace.storePath} is at schema version ${LATEST_VERSION}`)
    return {store: workspace.storePath, schemaVersion: LATEST_VERSION}
  }
}
