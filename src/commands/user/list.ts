import {BaseCommand} from '../../base-command.js'
import type {User} from '../../domain/types.js'
import {formatTable} from '../../output/table.js'

export default class UserList extends BaseCommand<typeof UserList> {
  static override summary = 'List users.'
  static override examples = ['<%= config.bin %> user list --json']

  async run(): Promise<User[]> {
    const store = (await this.workspace()).readStore()
    const users = store?.listUsers() ?? []
    store?.close()
    this.log(formatTable(['username', 'name', 'roles', 'id'], users.map((user) => [user.username, user.name, user.roles.join(','), user.id]), 'No users yet.'))
    return users
  }
}
