const settings = (read) => read.getEnvironmentReader().getSettings()

export default class RoomDefaults {
  async checkPreRoomCreateExtend(room) {
    return room.type === 'c' || room.type === 'p'
  }

  // Extend is add-only: fields the creator already set are left alone.
  async executePreRoomCreateExtend(room, extend, read) {
    const fields = (await settings(read).getValueById('customFields')) ?? {}
    for (const [key, value] of Object.entries(fields)) {
      if (!(key in room.customFields)) extend.addCustomField(key, value)
    }
    const bot = await settings(read).getValueById('bot')
    if (bot && !room.usernames.includes(bot)) extend.addMember({username: bot, name: 'Helper bot', roles: ['bot']})
    return extend.getRoom()
  }
}
