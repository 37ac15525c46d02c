import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import type {EventEntry} from '../store/store.js'

export default class Log extends BaseCommand<typeof Log> {
  static override summary = 'Show the event log: every completed, prevented or failed action, oldest first.'
  static override examples = ['<%= config.bin %> log', '<%= config.bin %> log --room general --limit 10 --json']

  static override flags = {
    room: Flags.string({summary: 'Only entries about this room (name or id).'}),
    limit: Flags.integer({summary: 'How many of the newest entries to show.', default: 50, min: 1}),
  }

  async run(): Promise<EventEntry[]> {
    const store = (await this.workspace()).readStore()
    const entries = store?.events({limit: this.flags.limit, ...(this.flags.room === undefined ? {} : {room: this.flags.room})}) ?? []
    store?.close()
    if (entries.length === 0) this.log('The log is empty.')
    for (const entry of entries) {
      const hooks = (entry.data.hooks as unknown[] | undefined)?.length
      this.log(
        `#${entry.seq}${entry.parentSeq ? ` (of #${entry.parentSeq})` : ''}  ${entry.at.toISOString()}  ${entry.kind.padEnd(16)} ${String(entry.status ?? '').padEnd(9)} ${entry.roomName ?? ''}${entry.actor ? ` by ${entry.actor}` : ''}${hooks ? `  ${hooks} hook call${hooks === 1 ? '' : 's'}` : ''}${entry.post ? `  post stage ${entry.post}` : ''}`,
      )
    }
    return entries
  }
}
