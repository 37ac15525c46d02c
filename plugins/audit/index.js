import {RocketChatAssociationModel, RocketChatAssociationRecord} from '@rocket.chat/apps-engine/definition/metadata/index.js'

/** Every audit record carries this association, so `readByAssociation(TRAIL)` reads the whole trail. */
export const TRAIL = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'audit-trail')

const ofRoom = (room) => new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, room.id)

export default class Audit {
  async record(persistence, event, room, who) {
    this.getLogger().info(`${event} #${room.slugifiedName}${who ? ` (${who})` : ''}`)
    const entry = {event, room: room.slugifiedName, roomId: room.id, ...(who ? {who} : {}), at: new Date().toISOString()}
    await persistence.createWithAssociations(entry, [TRAIL, ofRoom(room)])
  }

  async executePostRoomCreate(room, read, http, persistence) {
    await this.record(persistence, 'created', room, room.creator.username)
  }

  async executePostRoomDeleted(room, read, http, persistence) {
    await this.record(persistence, 'deleted', room)
  }

  async executePostRoomUserJoined(context, read, http, persistence) {
    await this.record(persistence, 'joined', context.room, context.joiningUser.username)
  }

  async executePostRoomUserLeave(context, read, http, persistence) {
    await this.record(persistence, 'left', context.room, context.leavingUser.username)
  }
}
