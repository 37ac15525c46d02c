import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {checkName} from '../../domain/names.js'
import type {User} from '../../domain/types.js'
import {createUser} from '../../store/users.js'

export default class UserCreate extends BaseCommand<typeof UserCreate> {
  static override summary = 'Create a user with a display name and roles.'
  static override description = 'Users named by room commands are created on first use; this command sets their name and roles up front.'
  static override examples = ['<%= config.bin %> user create alice --name "Alice Liddell" --role admin --role moderator']

  static override args = {username: Args.string({description: 'Unique username.', required: true})}
  static override flags = {
    name: Flags.string({summary: 'Display name (default: the username).'}),
    role: Flags.string({summary: 'A role. Repeatable (default: user).', multiple: true}),
  }

  async run(): Promise<User> {
    const workspace = await this.workspace()
    checkName('user', this.args.username, workspace.config.names)
    const store = workspace.writeStore()
    this.onCleanup(() => store.close())
    const user = createUser(store, {username: this.args.username, name: this.flags.name, roles: this.flags.role}, workspace.config.names)
    this.log(`created user ${user.username} (${user.roles.join(', ')}), id ${user.id}`)
    return user
  }
}
