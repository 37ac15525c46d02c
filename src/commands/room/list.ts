import {BaseCommand} from '../../base-command.js'
import {pageFlags, printListing} from '../../output/page.js'

export default class RoomList extends BaseCommand<typeof RoomList> {
  static override summary = 'List rooms, by name, a page at a time.'
  static override examples = ['<%= config.bin %> room list', '<%= config.bin %> room list --limit 100 --offset 100', '<%= config.bin %> room list --json']

  static override flags = pageFlags('rooms')

  async run(): Promise<void> {
    const {limit, offset} = this.flags
    const store = (await this.workspace()).readStore()
    try {
      await printListing({json: this.jsonEnabled(), log: (text) => this.log(text)}, {
        what: 'rooms',
        items: store?.eachRoom({limit, offset}) ?? [],
        total: store?.countRooms() ?? 0,
        offset,
        columns: ['name', 'type', 'members', 'messages', 'id'],
        row: (room) => [room.slugifiedName, room.type, String(room.usernames.length), String(room.messageCount), room.id],
        none: 'No rooms yet. Create one with: roomsim room create NAME',
      })
    } finally {
      store?.close()
    }
  }
}
