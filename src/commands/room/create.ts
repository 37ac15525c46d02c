import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {ROOM_TYPES, type RoomTypeWord} from '../../domain/names.js'
import type {Outcome, Room} from '../../domain/types.js'
import {parseCustomFields} from '../../input/custom-fields.js'

export default class RoomCreate extends BaseCommand<typeof RoomCreate> {
  static override summary = 'Create a room through the full create chain (prevent → extend → modify → post).'
  static override description = 'A direct room takes no NAME: it is named after its members (sorted, joined by "__").'
  static override examples = [
    '<%= config.bin %> room create general --by alice --member bob',
    '<%= config.bin %> room create ops --type private --custom-field level=3 --custom-field \'tags=["a","b"]\'',
    '<%= config.bin %> room create --type direct --by alice --member bob',
    '<%= config.bin %> room create town-square --display-name "Town Square"',
  ]

  static override args = {
    name: Args.string({description: 'Room name (none for a direct room).', required: false}),
  }

  static override flags = {
    type: Flags.string({summary: 'Room type.', options: Object.keys(ROOM_TYPES), default: 'channel'}),
    by: Flags.string({summary: 'Acting user, the creator (default: admin).'}),
    member: Flags.string({summary: 'A member to add at creation (no join events fire). Repeatable.', multiple: true}),
    'read-only': Flags.boolean({summary: 'Create the room read-only.'}),
    default: Flags.boolean({summary: 'Mark the room as a default room.'}),
    description: Flags.string({summary: 'Room description.'}),
    'display-name': Flags.string({summary: 'Display name (IRoom.displayName). Default: the room name for a channel or private room, the creator\'s name for livechat, none for a direct room (as the server sets it).'}),
    'custom-field': Flags.string({summary: 'KEY=VALUE; VALUE is parsed as JSON when it parses. Repeatable.', multiple: true}),
  }

  async run(): Promise<Outcome<Room>> {
    const {flags} = this
    return this.runAction('room.create', {
      ...(this.args.name === undefined ? {} : {name: this.args.name}),
      type: ROOM_TYPES[flags.type as RoomTypeWord],
      ...(flags.by === undefined ? {} : {by: flags.by}),
      members: flags.member ?? [],
      readOnly: flags['read-only'],
      isDefault: flags.default,
      ...(flags.description === undefined ? {} : {description: flags.description}),
      ...(flags['display-name'] === undefined ? {} : {displayName: flags['display-name']}),
      customFields: parseCustomFields(flags['custom-field'] ?? []),
    })
  }
}
