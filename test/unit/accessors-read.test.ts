import {expect} from 'chai'

import {probePlugin, probeReport, sandbox, type Sandbox} from '../helpers/accessor-sandbox.js'

/** The probe runs when carol joins #general; rooms, users and messages are set up before. */
async function setUp(body: string, extra: Parameters<typeof sandbox>[0] = {}, probeSettings: {defaults?: Record<string, unknown>; settings?: Record<string, unknown>} = {}): Promise<Sandbox> {
  const box = await sandbox({probe: {source: probePlugin('executePostRoomUserJoined', body), ...probeSettings}, ...extra})
  await box.engine.run('room.create', {name: 'general', by: 'alice', members: ['bob']})
  await box.engine.run('room.create', {type: 'd', by: 'alice', members: ['bob']})
  const general = box.store.roomByName('general')!
  const alice = box.store.userByName('alice')!
  const start = Date.parse('2025-01-01T10:00:00Z')
  for (const [index, text] of ['one', 'two', 'three'].entries()) {
    box.store.insertMessage({id: `m${index + 1}`, roomId: general.id, sender: alice, text, createdAt: new Date(start + index * 1000)})
  }
  return box
}

describe('accessors: IRead', () => {
  let box: Sandbox | undefined
  afterEach(async () => {
    await box?.close()
    box = undefined
  })

  it('IRoomRead answers every listed method from the store', async () => {
    box = await setUp(`async (context, read) => {
      const rooms = read.getRoomReader()
      const general = await rooms.getByName('general')
      return {
        datesAreDates: general.createdAt instanceof Date,
        byId: (await rooms.getById(general.id)).slugifiedName,
        missing: (await rooms.getById('nope')) === undefined,
        creatorById: (await rooms.getCreatorUserById(general.id)).username,
        creatorByName: (await rooms.getCreatorUserByName('general')).username,
        members: (await rooms.getMembers(general.id)).map((user) => user.username),
        membersOfNothing: await rooms.getMembers('nope'),
        messagesOfNothing: await rooms.getMessages('nope'),
        direct: (await rooms.getDirectByUsernames(['bob', 'alice'])).slugifiedName,
        noDirect: (await rooms.getDirectByUsernames(['alice', 'carol'])) === undefined,
        messages: (await rooms.getMessages(general.id)).map((message) => message.text),
        newestTwo: (await rooms.getMessages(general.id, {limit: 2, sort: {createdAt: 'desc'}})).map((message) => message.text),
        second: (await rooms.getMessages(general.id, {skip: 1, limit: 1})).map((message) => message.text),
        raw: (await rooms.getMessages(general.id, {limit: 1}))[0],
        tooMany: await attempt(() => rooms.getMessages(general.id, {limit: 101})),
      }
    }`)
    const outcome = await box.engine.run('room.join', {room: 'general', user: 'carol'})
    const report = probeReport(outcome)
    const general = box.store.roomByName('general')!
    const alice = box.store.userByName('alice')!
    expect(report).to.deep.include({
      datesAreDates: true,
      byId: 'general',
      missing: true,
      creatorById: 'alice',
      creatorByName: 'alice',
      members: ['alice', 'bob', 'carol'],
      direct: 'alice__bob',
      noDirect: true,
      messages: ['one', 'two', 'three'],
      newestTwo: ['three', 'two'],
      second: ['two'],
    })
    expect(report.membersOfNothing).to.deep.equal([])
    expect(report.messagesOfNothing).to.deep.equal([])
    expect(report.raw).to.deep.equal({id: 'm1', roomId: general.id, sender: {_id: alice.id, username: 'alice', name: 'alice'}, text: 'one', createdAt: '2025-01-01T10:00:00.000Z'})
    expect(report.tooMany.error).to.match(/^IRoomRead\.getMessages: limit must be a whole number from 1 to 100/)
  })

  it('IUserRead finds users and gives each plugin its own app user, made once with the role bot', async () => {
    box = await setUp(
      `async (context, read) => {
        const users = read.getUserReader()
        const alice = await users.getByUsername('alice')
        const bot = await users.getAppUser()
        const again = await users.getAppUser()
        return {
          byId: (await users.getById(alice.id)).username,
          unknown: (await users.getByUsername('nobody')) === undefined,
          bot: {username: bot.username, roles: bot.roles, same: bot.id === again.id},
          otherBot: (await users.getAppUser('other')).username,
          noSuchApp: (await users.getAppUser('no-such-plugin')) === undefined,
          roomIds: (await users.getUserRoomIds(alice.id)).length,
        }
      }`,
      {other: {source: 'export default {async executePostRoomDeleted() {}}'}},
    )
    const outcome = await box.engine.run('room.join', {room: 'general', user: 'carol'})
    expect(probeReport(outcome)).to.deep.equal({
      byId: 'alice',
      unknown: true,
      bot: {username: 'probe.bot', roles: ['bot'], same: true},
      otherBot: 'other.bot',
      noSuchApp: true,
      roomIds: 2,
    })
    expect(box.store.userByName('probe.bot')!.roles).to.deep.equal(['bot'])
    const made = box.store.events({limit: 50}).filter((event) => event.kind === 'user.create' && event.actor === 'probe.bot')
    expect(made).to.have.length(1)
    expect(made[0]!.data.reason).to.equal('app user of plugin probe')
  })

  it('IMessageRead reads a message, its room and its sender', async () => {
    box = await setUp(`async (context, read) => {
      const messages = read.getMessageReader()
      const message = await messages.getById('m2')
      return {
        text: message.text,
        room: message.room.slugifiedName,
        sender: message.sender.username,
        roomOf: (await messages.getRoom('m2')).slugifiedName,
        senderOf: (await messages.getSenderUser('m2')).username,
        missing: (await messages.getById('nope')) === undefined,
      }
    }`)
    const outcome = await box.engine.run('room.join', {room: 'general', user: 'carol'})
    expect(probeReport(outcome)).to.deep.equal({text: 'two', room: 'general', sender: 'alice', roomOf: 'general', senderOf: 'alice', missing: true})
  })

  it('IEnvironmentRead gives the plugin its settings (defaults, then config) and a few server settings', async () => {
    box = await setUp(
      `async (context, read) => {
        const env = read.getEnvironmentReader()
        const settings = env.getSettings()
        const server = env.getServerSettings()
        return {
          limit: await settings.getValueById('limit'),
          colour: await settings.getValueById('colour'),
          limitSetting: await settings.getById('limit'),
          unknownSetting: (await settings.getById('nope')) === undefined,
          unknownValue: await attempt(() => settings.getValueById('nope')),
          siteUrl: await server.getValueById('Site_Url'),
          siteName: await server.getOneById('Site_Name'),
          all: Array.from(await server.getAll()).map((setting) => setting.id),
          readable: [await server.isReadableById('Language'), await server.isReadableById('Nope')],
          unknownServer: await attempt(() => server.getValueById('Nope')),
        }
      }`,
      {},
      {defaults: {limit: 3, colour: 'blue'}, settings: {limit: 5}},
    )
    const outcome = await box.engine.run('room.join', {room: 'general', user: 'carol'})
    const report = probeReport(outcome)
    expect(report).to.deep.include({limit: 5, colour: 'blue', unknownSetting: true, siteUrl: 'http://localhost:3000', readable: [true, false]})
    expect(report.limitSetting).to.deep.equal({id: 'limit', type: 'int', packageValue: 3, value: 5, required: false, public: false, i18nLabel: 'limit'})
    expect(report.unknownValue.error).to.equal('ISettingRead.getValueById: probe has no setting "nope" (declare a default in its package.json "roomsimPlugin".settings, or set it in config plugins[].settings)')
    expect(report.siteName).to.include({id: 'Site_Name', value: 'roomsim'})
    expect(report.all).to.include.members(['Site_Url', 'Site_Name', 'Language'])
    expect(report.unknownServer.error).to.match(/^IServerSettingRead\.getValueById: roomsim simulates no server setting "Nope"/)
  })

  it('settings can be changed at run time, between actions', async () => {
    box = await setUp(`async (context, read) => read.getEnvironmentReader().getSettings().getValueById('limit')`, {}, {defaults: {limit: 3}})
    expect(probeReport(await box.engine.run('room.join', {room: 'general', user: 'carol'}))).to.equal(3)
    box.engine.setSettings('probe', {limit: 7})
    expect(box.engine.settingsOf('probe')).to.deep.equal({limit: 7})
    expect(probeReport(await box.engine.run('room.join', {room: 'general', user: 'dave'}))).to.equal(7)
    expect(() => box!.engine.setSettings('nope', {})).to.throw(/no such plugin is configured/)
  })

  it('every method roomsim lacks throws an error that names it', async () => {
    box = await setUp(`async (context, read, http, persistence, modify) => {
      const calls = {
        thread: () => read.getThreadReader(),
        moderators: () => read.getRoomReader().getModerators('x'),
        envVars: () => read.getEnvironmentReader().getEnvironmentVariables(),
        typing: () => read.getNotifier().typing({id: 'x'}),
        discussion: () => modify.getCreator().startDiscussion(),
        messageUpdate: () => modify.getUpdater().message('x', {}),
        deleteUsers: () => modify.getDeleter().deleteUsers('x', 'bot'),
        builderBlocks: () => modify.getCreator().startMessage().setNoSuchThing(),
        httpHead: () => http.head('https://example.com'),
      }
      const answers = {}
      for (const [key, call] of Object.entries(calls)) answers[key] = (await attempt(call)).error
      return answers
    }`)
    const report = probeReport(await box.engine.run('room.join', {room: 'general', user: 'carol'}))
    expect(report).to.deep.equal({
      thread: 'IRead.getThreadReader() is not supported by roomsim',
      moderators: 'IRoomRead.getModerators() is not supported by roomsim',
      envVars: 'IEnvironmentRead.getEnvironmentVariables() is not supported by roomsim',
      typing: 'INotifier.typing() is not supported by roomsim',
      discussion: 'IModifyCreator.startDiscussion() is not supported by roomsim',
      messageUpdate: 'IModifyUpdater.message() is not supported by roomsim',
      deleteUsers: 'IModifyDeleter.deleteUsers() is not supported by roomsim',
      builderBlocks: 'IMessageBuilder.setNoSuchThing() is not supported by roomsim',
      httpHead: 'IHttp.head() is not supported by roomsim',
    })
  })
})

