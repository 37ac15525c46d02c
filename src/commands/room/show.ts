import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import type {Message, Room, User} from '../../domain/types.js'
import {requireRoom} from '../../engine/actions/room-lookup.js'
import {RoomsimError} from '../../errors.js'
import {describeMessageExtras} from '../../output/outcome.js'

export default class RoomShow extends BaseCommand<typeof RoomShow> {
  static override summary = 'Show a room: its fields, members, custom fields and messages.'
  static override examples = ['<%= config.bin %> room show general', '<%= config.bin %> room show general --json']

  static override args = {room: Args.string({description: 'Room name or id.', required: true})}

  async run(): Promise<{room: Room; members: User[]; messages: Message[]}> {
    const store = (await this.workspace()).readStore()
    if (!store) throw new RoomsimError('UNKNOWN_ROOM', `no room named or with id "${this.args.room}" (the store is empty)`)
    try {
      const room = requireRoom(store, this.args.room)
      const result = {room, members: store.members(room.id), messages: store.messages(room.id)}
      this.log(formatRoom(result))
      return result
    } finally {
      store.close()
    }
  }
}

function formatRoom({room, members, messages}: {room: Room; members: User[]; messages: Message[]}): string {
  const lines = [
    // The display name is shown when it says more than the name (the server's default is the name itself).
    `${room.slugifiedName}${room.displayName && room.displayName !== room.slugifiedName ? ` "${room.displayName}"` : ''}  (${room.type}, id ${room.id})`,
    `  creator      ${room.creator.username}`,
    `  created      ${room.createdAt.toISOString()}`,
    `  flags        ${[room.isDefault && 'default', room.isReadOnly && 'read-only', !room.displaySystemMessages && 'no system messages'].filter(Boolean).join(', ') || '-'}`,
  ]
  if (room.description) lines.push(`  description  ${room.description}`)
  lines.push(`  members (${members.length})  ${members.map((member) => member.username).join(', ') || '-'}`)
  const fields = Object.entries(room.customFields)
  lines.push(`  custom fields${fields.length === 0 ? '  -' : ''}`)
  for (const [key, value] of fields) lines.push(`    ${key} = ${JSON.stringify(value)}`)
  lines.push(`  messages (${messages.length})`)
  for (const message of messages) {
    lines.push(`    ${message.createdAt.toISOString()}  ${message.sender.username}: ${message.text}${describeMessageExtras(message)}`)
    // Blocks and attachments are what the app built; shown whole so the author can read them back.
    for (const key of ['blocks', 'attachments'] as const) if (message[key]?.length) lines.push(`      ${key}: ${JSON.stringify(message[key])}`)
  }
  return lines.join('\n')
}
