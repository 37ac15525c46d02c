import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import type {Outcome, Room} from '../../domain/types.js'

export default class RoomJoin extends BaseCommand<typeof RoomJoin> {
  static override summary = 'Add a user to a room through the join chain (veto → post).'
  static override description = 'Only channels and private rooms can be joined; a private room needs --invited-by a member. Joining a room one is already in does nothing (noop, exit 0).'
  static override examples = ['<%= config.bin %> room join general --user bob', '<%= config.bin %> room join ops --user carol --invited-by alice']

  static override args = {room: Args.string({description: 'Room name or id.', required: true})}
  static override flags = {
    user: Flags.string({summary: 'The joining user (created on first use).', required: true}),
    'invited-by': Flags.string({summary: 'A member who invites the user (required for private rooms).'}),
  }

  async run(): Promise<Outcome<Room>> {
    const invitedBy = this.flags['invited-by']
    return this.runAction('room.join', {room: this.args.room, user: this.flags.user, ...(invitedBy === undefined ? {} : {invitedBy})})
  }
}
