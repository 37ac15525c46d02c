const setting = (read, id) => read.getEnvironmentReader().getSettings().getValueById(id)

export default class ArchiveGuard {
  // Upstream style: returning true prevents; the log says why.
  async executePreRoomDeletePrevent(room, read) {
    if (room.isDefault && (await setting(read, 'protectDefault')) !== false) {
      this.getLogger().warn(`#${room.slugifiedName} is a default room and cannot be deleted`)
      return true
    }
    const maxMembers = (await setting(read, 'maxMembers')) ?? 50
    if (room.usernames.length > maxMembers) {
      this.getLogger().warn(`#${room.slugifiedName} has ${room.usernames.length} members (limit ${maxMembers})`)
      return true
    }
    return false
  }

  async executePostRoomDeleted(room) {
    this.getLogger().info(`#${room.slugifiedName} was deleted with ${room.messageCount} message(s) and ${room.usernames.length} member(s)`)
  }
}
