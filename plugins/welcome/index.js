const fill = (template, values) => template.replace(/\{(\w+)\}/g, (match, key) => values[key] ?? match)

const setting = (read, id) => read.getEnvironmentReader().getSettings().getValueById(id)

// No sender set: the message comes from the plugin's app user (welcome.bot).
async function post(modify, room, text) {
  const creator = modify.getCreator()
  return creator.finish(creator.startMessage().setRoom(room).setText(text))
}

export default class Welcome {
  async executePostRoomCreate(room, read, http, persistence, modify) {
    const opening = await setting(read, 'opening')
    await post(modify, room, fill(opening, {room: room.slugifiedName, user: room.creator.username}))
    this.getLogger().info(`opened #${room.slugifiedName} with ${room.usernames.length} member(s)`)
  }

  async executePostRoomUserJoined(context, read, http, persistence, modify) {
    const greeting = await setting(read, 'greeting')
    await post(modify, context.room, fill(greeting, {room: context.room.slugifiedName, user: context.joiningUser.username}))
  }
}
