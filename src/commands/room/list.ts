import {BaseCommand} from '../../base-command.js'
import type {Room} from '../../domain/types.js'
import {formatTable} from '../../output/table.js'

export default class RoomList extends BaseCommand<typeof RoomList> {
  static override summary = 'List rooms.'
  static override examples = ['<%= config.bin %> room list', '<%= config.bin %> room list --json']

  async run(): Promise<Room[]> {
    const store = (await this.workspace()).readStore()
    const rooms = store?.listRooms() ?? []
    store?.close()
    this.log(
      formatTable(
        ['name', 'type', 'members', 'messages', 'id'],
        rooms.map((room) => [room.slugifiedName, room.type, String(room.usernames.length), String(room.messageCount), room.id]),
        'No rooms yet. Create one with: roomsim room create NAME',
      ),
    )
    return rooms
  }
}
