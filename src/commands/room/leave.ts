import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import type {Outcome, Room} from '../../domain/types.js'

export default class RoomLeave extends BaseCommand<typeof RoomLeave> {
  static override summary = 'Remove a user from a room through the leave chain (veto → post).'
  static override examples = ['<%= config.bin %> room leave general --user bob', '<%= config.bin %> room leave general --user bob --removed-by alice']

  static override args = {room: Args.string({description: 'Room name or id.', required: true})}
  static override flags = {
    user: Flags.string({summary: 'The leaving user (must be a member).', required: true}),
    'removed-by': Flags.string({summary: 'A member who removes the user.'}),
  }

  async run(): Promise<Outcome<Room>> {
    const removedBy = this.flags['removed-by']
    return this.runAction('room.leave', {room: this.args.room, user: this.flags.user, ...(removedBy === undefined ? {} : {removedBy})})
  }
}
