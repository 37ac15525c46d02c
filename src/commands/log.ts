import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {writeJsonArray} from '../output/json-stream.js'
import {pageNote} from '../output/page.js'

export default class Log extends BaseCommand<typeof Log> {
  static override summary = 'Show the event log: every completed, prevented or failed action, oldest first.'
  static override examples = ['<%= config.bin %> log', '<%= config.bin %> log --room general --limit 10 --json', '<%= config.bin %> log --limit 50 --offset 50']

  static override flags = {
    room: Flags.string({summary: 'Only entries about this room (name or id).'}),
    limit: Flags.integer({summary: 'How many of the newest entries to show.', default: 50, min: 1}),
    offset: Flags.integer({summary: 'Skip this many of the newest entries first (the page before the last one: --offset 50).', default: 0, min: 0}),
  }

  async run(): Promise<void> {
    const {limit, offset, room} = this.flags
    const store = (await this.workspace()).readStore()
    try {
      const entries = store?.events({limit, offset, ...(room === undefined ? {} : {room})}) ?? []
      const total = store?.countEvents(room) ?? 0
      if (this.jsonEnabled()) {
        await writeJsonArray(entries)
      } else {
        if (entries.length === 0) this.log(total > 0 ? 'No entries on this page.' : 'The log is empty.')
        for (const entry of entries) {
          const hooks = (entry.data.hooks as unknown[] | undefined)?.length
          this.log(
            `#${entry.seq}${entry.parentSeq ? ` (of #${entry.parentSeq})` : ''}  ${entry.at.toISOString()}  ${entry.kind.padEnd(16)} ${String(entry.status ?? '').padEnd(9)} ${entry.roomName ?? ''}${entry.actor ? ` by ${entry.actor}` : ''}${hooks ? `  ${hooks} hook call${hooks === 1 ? '' : 's'}` : ''}`,
          )
        }
      }
      const note = pageNote('entries', {shown: entries.length, total, offset})
      // After the table for a reader; on stderr under --json, so stdout stays one JSON array.
      if (note) this.jsonEnabled() ? process.stderr.write(`${note}\n`) : this.log(note)
    } finally {
      store?.close()
    }
  }
}
