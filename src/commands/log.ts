import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {writeJsonArray} from '../output/json-stream.js'
import {formatLog, formatLogEntry} from '../output/log.js'
import {pageNote, printPageNote} from '../output/page.js'
import type {EventEntry} from '../store/store.js'
import {followEvents} from '../watch/follow-log.js'

export default class Log extends BaseCommand<typeof Log> {
  static override summary = 'Show the event log: every completed, prevented or failed action, oldest first.'
  static override description = 'With --follow, keeps running and prints each new entry as other roomsim commands add it (with --json, one JSON object per line); Ctrl-C ends it.'
  static override examples = ['<%= config.bin %> log', '<%= config.bin %> log --room general --limit 10 --json', '<%= config.bin %> log --limit 50 --offset 50', '<%= config.bin %> log --follow']

  static override flags = {
    room: Flags.string({summary: 'Only entries about this room (name or id).'}),
    limit: Flags.integer({summary: 'How many of the newest entries to show.', default: 50, min: 1}),
    offset: Flags.integer({summary: 'Skip this many of the newest entries first (the page before the last one: --offset 50).', default: 0, min: 0}),
    follow: Flags.boolean({char: 'f', summary: 'Keep printing new entries as they are logged, until Ctrl-C.'}),
  }

  /** Prints its own output: --json arrays are streamed, so there is no document to return. */
  async run(): Promise<void> {
    const {limit, offset, room, follow} = this.flags
    const workspace = await this.workspace()
    const query = {limit, ...(room === undefined ? {} : {room})}
    if (follow) {
      // Lines, not one document: a follower never ends, so each entry is printed as it comes.
      const print = (entry: EventEntry): void => {
        if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(entry)}\n`)
        else this.log(formatLogEntry(entry))
      }
      await followEvents(workspace, query, print)
      return
    }
    const store = workspace.readStore()
    try {
      const entries = store?.events({...query, offset}) ?? []
      const total = store?.countEvents(room) ?? 0
      if (this.jsonEnabled()) await writeJsonArray(entries)
      else this.log(entries.length === 0 && total > 0 ? 'No entries on this page.' : formatLog(entries))
      printPageNote({json: this.jsonEnabled(), log: (text) => this.log(text)}, pageNote('entries', {shown: entries.length, total, offset}))
    } finally {
      store?.close()
    }
  }
}
