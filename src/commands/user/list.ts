import {BaseCommand} from '../../base-command.js'
import {pageFlags, printListing} from '../../output/page.js'

export default class UserList extends BaseCommand<typeof UserList> {
  static override summary = 'List users, by username, a page at a time.'
  static override examples = ['<%= config.bin %> user list', '<%= config.bin %> user list --json --limit 500']

  static override flags = pageFlags('users')

  async run(): Promise<void> {
    const {limit, offset} = this.flags
    const store = (await this.workspace()).readStore()
    try {
      await printListing({json: this.jsonEnabled(), log: (text) => this.log(text)}, {
        what: 'users',
        items: store?.eachUser({limit, offset}) ?? [],
        total: store?.countUsers() ?? 0,
        offset,
        columns: ['username', 'name', 'roles', 'id'],
        row: (user) => [user.username, user.name, user.roles.join(','), user.id],
        none: 'No users yet.',
      })
    } finally {
      store?.close()
    }
  }
}
