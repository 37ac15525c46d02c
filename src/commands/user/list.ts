import {BaseCommand} from '../../base-command.js'
import {counted, writeJsonArray} from '../../output/json-stream.js'
import {pageFlags, pageNote} from '../../output/page.js'
import {formatTable} from '../../output/table.js'

export default class UserList extends BaseCommand<typeof UserList> {
  static override summary = 'List users, by username, a page at a time.'
  static override examples = ['<%= config.bin %> user list', '<%= config.bin %> user list --json --limit 500']

  static override flags = pageFlags('users')

  async run(): Promise<void> {
    const {limit, offset} = this.flags
    const store = (await this.workspace()).readStore()
    try {
      const users = store?.eachUser({limit, offset}) ?? []
      const total = store?.countUsers() ?? 0
      let shown = 0
      if (this.jsonEnabled()) {
        await writeJsonArray(counted(users, () => shown++))
      } else {
        const rows = [...users].map((user) => [user.username, user.name, user.roles.join(','), user.id])
        shown = rows.length
        this.log(formatTable(['username', 'name', 'roles', 'id'], rows, total > 0 ? 'No users on this page.' : 'No users yet.'))
      }
      const note = pageNote('users', {shown, total, offset})
      // After the table for a reader; on stderr under --json, so stdout stays one JSON array.
      if (note) this.jsonEnabled() ? process.stderr.write(`${note}\n`) : this.log(note)
    } finally {
      store?.close()
    }
  }
}
