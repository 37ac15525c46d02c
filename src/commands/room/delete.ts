import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import type {Outcome, Room} from '../../domain/types.js'

export default class RoomDelete extends BaseCommand<typeof RoomDelete> {
  static override summary = 'Delete a room through the delete chain (prevent → post).'
  static override examples = ['<%= config.bin %> room delete general --by alice']

  static override args = {room: Args.string({description: 'Room name or id.', required: true})}
  static override flags = {by: Flags.string({summary: 'Acting user (default: admin).'})}

  async run(): Promise<Outcome<Room>> {
    return this.runAction('room.delete', {room: this.args.room, ...(this.flags.by === undefined ? {} : {by: this.flags.by})})
  }
}
