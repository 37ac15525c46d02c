import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import type {Message, Room, User} from '../../domain/types.js'
import {roomView} from '../../domain/room-view.js'
import {requireRoom} from '../../engine/actions/room-lookup.js'
import {RoomsimError} from '../../errors.js'
import {describeMessageExtras, listSome} from '../../output/outcome.js'
import {pageFlags, pageNote} from '../../output/page.js'

export default class RoomShow extends BaseCommand<typeof RoomShow> {
  static override summary = 'Show a room: its fields, members, custom fields and messages (the newest page of them).'
  static override examples = ['<%= config.bin %> room show general', '<%= config.bin %> room show general --limit 20 --offset 20', '<%= config.bin %> room show general --json']

  static override args = {room: Args.string({description: 'Room name or id.', required: true})}
  static override flags = pageFlags('of the newest messages')

  async run(): Promise<{room: Room; members: User[]; messages: Message[]}> {
    const store = (await this.workspace()).readStore()
    if (!store) throw new RoomsimError('UNKNOWN_ROOM', `no room named or with id "${this.args.room}" (the store is empty)`)
    try {
      const {limit, offset} = this.flags
      const room = roomView(requireRoom(store, this.args.room))
      // The newest page, shown oldest first (as `log` shows its entries).
      const messages = store.messages(room.id, {limit, skip: offset, newestFirst: true}).reverse()
      const result = {room, members: store.members(room.id), messages}
      const note = pageNote('messages', {shown: messages.length, total: room.messageCount, offset})
      this.log(formatRoom(result, note))
      if (note && this.jsonEnabled()) process.stderr.write(`${note}\n`)
      return result
    } finally {
      store.close()
    }
  }
}

function formatRoom({room, members, messages}: {room: Room; members: User[]; messages: Message[]}, note: string | undefined): string {
  const lines = [
    // The display name is shown when it says more than the name (the server's default is the name itself).
    `${room.slugifiedName}${room.displayName && room.displayName !== room.slugifiedName ? ` "${room.displayName}"` : ''}  (${room.type}, id ${room.id})`,
    `  creator      ${room.creator.username}`,
    `  created      ${room.createdAt.toISOString()}`,
    `  flags        ${[room.isDefault && 'default', room.isReadOnly && 'read-only', !room.displaySystemMessages && 'no system messages'].filter(Boolean).join(', ') || '-'}`,
  ]
  if (room.description) lines.push(`  description  ${room.description}`)
  lines.push(`  members (${members.length})  ${members.length === 0 ? '-' : listSome(members.map((member) => member.username))}`)
  const fields = Object.entries(room.customFields)
  lines.push(`  custom fields${fields.length === 0 ? '  -' : ''}`)
  for (const [key, value] of fields) lines.push(`    ${key} = ${JSON.stringify(value)}`)
  lines.push(`  messages (${room.messageCount})${note ? `  ${note}` : ''}`)
  for (const message of messages) {
    lines.push(`    ${message.createdAt.toISOString()}  ${message.sender.username}: ${message.text}${describeMessageExtras(message)}`)
    // Blocks and attachments are what the app built; shown whole so the author can read them back.
    for (const key of ['blocks', 'attachments'] as const) if (message[key]?.length) lines.push(`      ${key}: ${JSON.stringify(message[key])}`)
  }
  return lines.join('\n')
}
