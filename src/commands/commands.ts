import {BaseCommand} from '../base-command.js'
import {formatTable} from '../output/table.js'

export interface CommandListing {
  command: string
  summary: string
}

export default class Commands extends BaseCommand<typeof Commands> {
  static override summary = 'List every command with what it does.'
  static override examples = ['<%= config.bin %> commands', '<%= config.bin %> commands --json']

  async run(): Promise<CommandListing[]> {
    const listing = this.config.commands
      .filter((command) => !command.hidden)
      .map((command) => ({command: command.id.replaceAll(':', ' '), summary: (command.summary ?? command.description?.split('\n')[0] ?? '').replaceAll('<%= config.bin %>', this.config.bin)}))
      .sort((a, b) => (a.command < b.command ? -1 : a.command > b.command ? 1 : 0))
    this.log(formatTable(['command', 'summary'], listing.map((entry) => [entry.command, entry.summary]), 'No commands.'))
    return listing
  }
}
