import {UserNotAllowedException} from '@rocket.chat/apps-engine/definition/exceptions/index.js'

const setting = (read, id) => read.getEnvironmentReader().getSettings().getValueById(id)

/** "dev-ops_team" → "Dev Ops Team" */
const tidy = (slug) => slug.split(/[-_.]+/).filter(Boolean).map((word) => word[0].toUpperCase() + word.slice(1)).join(' ')

export default class NamePolicy {
  // Direct rooms are named after their members: nothing to police there.
  async checkPreRoomCreatePrevent(room) {
    return room.type !== 'd'
  }

  async executePreRoomCreatePrevent(room, read) {
    const banned = (await setting(read, 'banned')) ?? []
    const word = banned.find((candidate) => room.slugifiedName.toLowerCase().includes(String(candidate).toLowerCase()))
    if (word) throw new UserNotAllowedException(`room name "${room.slugifiedName}" contains the banned word "${word}"`)
    return false
  }

  async checkPreRoomCreateModify(room, read) {
    // The server shows a new room's name as its display name; only a name someone chose is kept.
    const untouched = !room.displayName || room.displayName === room.slugifiedName
    return room.type !== 'd' && untouched && (await setting(read, 'tidyDisplayName')) !== false
  }

  async executePreRoomCreateModify(room, builder) {
    return builder.setDisplayName(tidy(room.slugifiedName)).getRoom()
  }
}
