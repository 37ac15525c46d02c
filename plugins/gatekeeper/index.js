import {UserNotAllowedException} from '@rocket.chat/apps-engine/definition/exceptions/index.js'

const setting = async (read, id) => (await read.getEnvironmentReader().getSettings().getValueById(id)) ?? []

export default class Gatekeeper {
  async executePreRoomUserJoined(context, read) {
    const banned = await setting(read, 'banned')
    if (banned.includes(context.joiningUser.username)) {
      throw new UserNotAllowedException(`${context.joiningUser.username} is banned from #${context.room.slugifiedName}`)
    }
  }

  // Members of a locked room may still be removed by another member, never leave on their own.
  async executePreRoomUserLeave(context, read) {
    const locked = await setting(read, 'locked')
    if (locked.includes(context.room.slugifiedName) && !context.removedBy) {
      throw new UserNotAllowedException(`#${context.room.slugifiedName} is locked: members cannot leave it`)
    }
  }
}
