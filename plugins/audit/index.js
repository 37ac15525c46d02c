const record = (plugin, event, room, who) => plugin.getLogger().info(`${event} #${room.slugifiedName}${who ? ` (${who})` : ''}`)

export default class Audit {
  async executePostRoomCreate(room) {
    record(this, 'created', room, room.creator.username)
  }

  async executePostRoomDeleted(room) {
    record(this, 'deleted', room)
  }

  async executePostRoomUserJoined(context) {
    record(this, 'joined', context.room, context.joiningUser.username)
  }

  async executePostRoomUserLeave(context) {
    record(this, 'left', context.room, context.leavingUser.username)
  }
}
