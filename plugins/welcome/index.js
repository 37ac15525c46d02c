const fill = (template, values) => template.replace(/\{(\w+)\}/g, (match, key) => values[key] ?? match)

export default class Welcome {
  async executePostRoomCreate(room) {
    this.getLogger().info(`room #${room.slugifiedName} is open with ${room.usernames.length} member(s)`)
  }

  async executePostRoomUserJoined(context, read) {
    const greeting = (await read.getEnvironmentReader().getSettings().getValueById('greeting')) ?? 'Welcome, {user}!'
    this.getLogger().info(fill(greeting, {room: context.room.slugifiedName, user: context.joiningUser.username}))
  }
}
