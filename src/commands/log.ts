import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {formatLog, formatLogEntry} from '../output/log.js'
import {followEvents} from '../watch/follow-log.js'
import type {EventEntry} from '../store/store.js'

export default class Log extends BaseCommand<typeof Log> {
  static override summary = 'Show the event log: every completed, prevented or failed action, oldest first.'
  static override description = 'With --follow, keeps running and prints each new entry as other roomsim commands add it (with --json, one JSON object per line); Ctrl-C ends it.'
  static override examples = ['<%= config.bin %> log', '<%= config.bin %> log --room general --limit 10 --json', '<%= config.bin %> log --follow']

  static override flags = {
    room: Flags.string({summary: 'Only entries about this room (name or id).'}),
    limit: Flags.integer({summary: 'How many of the newest entries to show.', default: 50, min: 1}),
    follow: Flags.boolean({char: 'f', summary: 'Keep printing new entries as they are logged, until Ctrl-C.'}),
  }

  async run(): Promise<EventEntry[]> {
    const workspace = await this.workspace()
    const query = {limit: this.flags.limit, ...(this.flags.room === undefined ? {} : {room: this.flags.room})}
    if (this.flags.follow) {
      // Lines, not one document: a follower never ends, so each entry is printed as it comes.
      const print = (entry: EventEntry): void => {
        if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(entry)}\n`)
        else this.log(formatLogEntry(entry))
      }
      await followEvents(workspace, query, print)
      return []
    }
    const store = workspace.readStore()
    const entries = store?.events(query) ?? []
    store?.close()
    if (!this.jsonEnabled()) this.log(formatLog(entries))
    return entries
  }

  /** --follow --json prints its own lines; there is no final document. */
  protected override logJson(json: unknown): void {
    if (this.flags?.follow && Array.isArray(json) && json.length === 0) return
    super.logJson(json)
  }
}
