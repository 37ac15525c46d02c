import {BaseCommand} from '../../base-command.js'
import {counted, writeJsonArray} from '../../output/json-stream.js'
import {pageFlags, pageNote} from '../../output/page.js'
import {formatTable} from '../../output/table.js'

export default class RoomList extends BaseCommand<typeof RoomList> {
  static override summary = 'List rooms, by name, a page at a time.'
  static override examples = ['<%= config.bin %> room list', '<%= config.bin %> room list --limit 100 --offset 100', '<%= config.bin %> room list --json']

  static override flags = pageFlags('rooms')

  async run(): Promise<void> {
    const {limit, offset} = this.flags
    const store = (await this.workspace()).readStore()
    try {
      const rooms = store?.eachRoom({limit, offset}) ?? []
      const total = store?.countRooms() ?? 0
      let shown = 0
      if (this.jsonEnabled()) {
        await writeJsonArray(counted(rooms, () => shown++))
      } else {
        const rows = [...rooms].map((room) => [room.slugifiedName, room.type, String(room.usernames.length), String(room.messageCount), room.id])
        shown = rows.length
        this.log(formatTable(['name', 'type', 'members', 'messages', 'id'], rows, total > 0 ? 'No rooms on this page.' : 'No rooms yet. Create one with: roomsim room create NAME'))
      }
      const note = pageNote('rooms', {shown, total, offset})
      // After the table for a reader; on stderr under --json, so stdout stays one JSON array.
      if (note) this.jsonEnabled() ? process.stderr.write(`${note}\n`) : this.log(note)
    } finally {
      store?.close()
    }
  }
}
