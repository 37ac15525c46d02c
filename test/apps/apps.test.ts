/**
 * Rocket.Chat Apps as their authors write them (test/fixtures/apps: a named
 * class export, value imports from @rocket.chat/apps-engine, no node_modules),
 * each copied to a temporary folder outside the checkout — so nothing resolves
 * from roomsim's own node_modules by accident — and driven the three ways a
 * user drives one: `plugins link`, a config entry, and a scenario. In process:
 * the library calls the commands make, with the real worker, store and npm-free
 * resolution of the engine package.
 */
import {expect} from 'chai'
import {cpSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, parse} from 'node:path'

import {roomView} from '../../src/domain/room-view.js'
import type {Outcome} from '../../src/domain/types.js'
import type {Engine} from '../../src/engine/engine.js'
import {pluginInfo} from '../../src/plugins/catalog.js'
import {linkPlugin} from '../../src/plugins/install.js'
import {parseScenarioFile} from '../../src/scenario/parse.js'
import type {ScenarioResult} from '../../src/scenario/report.js'
import {runScenarios} from '../../src/scenario/run.js'
import {Workspace} from '../../src/workspace.js'
import {EXAMPLE_PLUGINS, ROOT, tempDir} from '../helpers/cli.js'

const APPS = join(ROOT, 'test', 'fixtures', 'apps')

/** Copies a fixture app into `dir` (as `name`) and returns its folder. */
function copyApp(dir: string, app: string, name = app): string {
  const folder = join(dir, name)
  cpSync(join(APPS, app), folder, {recursive: true})
  return folder
}

async function withEngine<T>(cwd: string, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = (await Workspace.open({cwd})).engine()
  try {
    return await work(engine)
  } finally {
    await engine.close()
  }
}

/** Runs one scenario file in process, as `roomsim scenario run` does; fails the test with every failure listed. */
async function runScenario(cwd: string, file: string, text: string): Promise<ScenarioResult> {
  const path = join(cwd, file)
  writeFileSync(path, text)
  const parsed = await parseScenarioFile(file, path)
  expect(parsed.problems, JSON.stringify(parsed.problems)).to.deep.equal([])
  const [result] = await runScenarios(parsed.scenarios, {config: (await Workspace.open({cwd})).config})
  const failures = [result!.error, ...result!.steps.flatMap((step) => step.failures)].filter(Boolean)
  expect(result!.status, JSON.stringify(failures, null, 2)).to.equal('passed')
  return result!
}

const writeConfig = (dir: string, config: unknown): void => writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify(config))
const messages = (outcome: Outcome) => outcome.effects.filter((effect) => effect.kind === 'message')
const hooks = (outcome: Outcome) => outcome.hooks.map((hook) => `${hook.plugin}:${hook.method}:${hook.result}`)

describe('Rocket.Chat Apps, unmodified, from a folder outside the checkout', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir('roomsim-app-')))
  afterEach(() => cleanup())

  it('the temporary folders have no node_modules anywhere above them (nothing resolves by accident)', () => {
    for (let folder = dir; folder !== parse(folder).root; folder = dirname(folder)) expect(existsSync(join(folder, 'node_modules')), folder).to.equal(false)
    expect(dir.startsWith(ROOT)).to.equal(false)
  })

  describe('hello-world: the exact layout rc-apps create generates, with a join veto and a welcome', () => {
    it('plugins link . inside the project folder, then room commands run its handlers', async () => {
      const app = copyApp(dir, 'hello-world')
      expect(existsSync(join(app, '.rcappsconfig'))).to.equal(true)
      const linked = await linkPlugin(await Workspace.open({cwd: app}), '.')
      expect(linked).to.deep.include({name: 'hello-world', interfaces: ['IPreRoomUserJoined', 'IPostRoomUserJoined']})
      expect(linked.app).to.deep.include({unsimulated: [], warnings: []})
      await withEngine(app, async (engine) => {
        await engine.run('room.create', {name: 'general', by: 'alice'})
        const vetoed = await engine.run('room.join', {room: 'general', user: 'mallory'})
        expect(vetoed.prevented).to.deep.equal({plugin: 'hello-world', interface: 'IPreRoomUserJoined', reason: 'mallory may not join #general'})
        const joined = await engine.run('room.join', {room: 'general', user: 'bob'})
        expect(messages(joined)).to.have.length(1)
        expect(messages(joined)[0]).to.include({plugin: 'hello-world', sender: 'hello-world.bot', text: 'Hello, bob! Welcome to general.'})
      })
    })

    it('a config entry overrides the setting it provides; a scenario runs it', async () => {
      copyApp(dir, 'hello-world')
      writeConfig(dir, {plugins: [{path: './hello-world', settings: {blocked_user: 'trudy'}}]})
      await withEngine(dir, async (engine) => {
        await engine.run('room.create', {name: 'general', by: 'alice'})
        expect((await engine.run('room.join', {room: 'general', user: 'mallory'})).status).to.equal('completed')
        expect((await engine.run('room.join', {room: 'general', user: 'trudy'})).prevented?.reason).to.equal('trudy may not join #general')
      })
      await runScenario(
        dir,
        'hello.yaml',
        `name: hello world greets and keeps mallory out
plugins:
  - path: ./hello-world
steps:
  - create: {room: general, by: alice}
  - join: {room: general, user: mallory}
    expect: {status: prevented, prevented: {plugin: hello-world, reason: /may not join/}}
  - join: {room: general, user: bob}
    expect: {members: [alice, bob], messages: {contains: "Hello, bob!", match: {sender: {username: hello-world.bot}}}}
`,
      )
    })
  })

  describe('lobby-keeper: create prevent by boolean, delete prevent with a message-less exception', () => {
    it('link reports the message interface it does not simulate; a default room cannot be deleted, the reason is the exception name', async () => {
      copyApp(dir, 'lobby-keeper')
      const linked = await linkPlugin(await Workspace.open({cwd: dir}), './lobby-keeper')
      expect(linked.interfaces).to.deep.equal(['IPreRoomCreatePrevent', 'IPreRoomDeletePrevent', 'IPostRoomDeleted'])
      expect(linked.app!.unsimulated).to.deep.equal(['IPostMessageSent'])
      await withEngine(dir, async (engine) => {
        expect((await engine.run('room.create', {name: 'tmp-chat'})).prevented).to.deep.include({plugin: 'lobby-keeper', interface: 'IPreRoomCreatePrevent'})
        await engine.run('room.create', {name: 'lobby', isDefault: true})
        const refused = await engine.run('room.delete', {room: 'lobby'})
        expect(refused.prevented).to.deep.equal({plugin: 'lobby-keeper', interface: 'IPreRoomDeletePrevent', reason: 'UserNotAllowedException'})
      })
    })

    it('config and scenario: another prefix, and the post delete hook sees the room', async () => {
      copyApp(dir, 'lobby-keeper')
      writeConfig(dir, {plugins: [{path: './lobby-keeper', settings: {throwaway_prefix: 'scratch-'}}]})
      await withEngine(dir, async (engine) => {
        expect((await engine.run('room.create', {name: 'tmp-chat'})).status).to.equal('completed')
        expect((await engine.run('room.create', {name: 'scratch-1'})).status).to.equal('prevented')
      })
      await runScenario(
        dir,
        'lobby.yaml',
        `name: lobby keeper
plugins: [{path: ./lobby-keeper}]
steps:
  - create: {room: tmp-x}
    expect: prevented
  - create: {room: lobby, default: true}
  - delete: {room: lobby}
    expect: {status: prevented, prevented: {reason: UserNotAllowedException}}
  - create: {room: side}
  - delete: {room: side}
    expect: {status: completed, hooks: {lobby-keeper: [allowed, done]}, effects: [{kind: log, message: /room side is gone/}]}
`,
      )
    })
  })

  describe('room-shaper: extend and modify, a relative import of a sibling .ts file', () => {
    it('tags the owner, adds its bot, tidies the display name; skips direct rooms', async () => {
      copyApp(dir, 'room-shaper')
      await linkPlugin(await Workspace.open({cwd: dir}), './room-shaper')
      await withEngine(dir, async (engine) => {
        const created = await engine.run('room.create', {name: 'dev-ops', by: 'alice'})
        expect(roomView(created.room!)).to.deep.include({displayName: 'Dev Ops', customFields: {owner: 'alice'}, usernames: ['alice', 'room-shaper.bot']})
        const direct = await engine.run('room.create', {type: 'd', by: 'alice', members: ['bob']})
        expect(hooks(direct)).to.include('room-shaper:checkPreRoomCreateModify:skipped')
      })
    })

    it('config sets its prefix; a scenario expects the shaped room', async () => {
      copyApp(dir, 'room-shaper')
      writeConfig(dir, {plugins: [{path: './room-shaper', settings: {display_prefix: '# '}}]})
      await withEngine(dir, async (engine) => {
        expect((await engine.run('room.create', {name: 'dev-ops'})).room!.displayName).to.equal('# Dev Ops')
      })
      await runScenario(
        dir,
        'shaper.yaml',
        `name: room shaper
plugins: [{path: ./room-shaper, settings: {display_prefix: "Team "}}]
steps:
  - create: {room: night_shift, by: carol}
    expect: {fields: {displayName: Team Night Shift}, customFields: {owner: carol}, members: {includes: [room-shaper.bot]}}
`,
      )
    })
  })

  describe('block-greeter: a message with blocks and every builder field', () => {
    it('keeps blocks, attachments, alias, emoji, groupable, parseUrls and custom fields in the store and the outcome', async () => {
      copyApp(dir, 'block-greeter')
      await linkPlugin(await Workspace.open({cwd: dir}), './block-greeter')
      await withEngine(dir, async (engine) => {
        const created = await engine.run('room.create', {name: 'general', by: 'alice', displayName: 'The General'})
        const [effect] = messages(created)
        expect(effect).to.deep.include({text: 'The General is open', alias: 'Greeter', emoji: ':tada:', groupable: false, parseUrls: false, customFields: {kind: 'welcome'}})
        expect(effect!.attachments).to.deep.equal([{text: 'Read the rules first', color: '#ff0000'}])
        const [stored] = engine.store.messages(created.room!.id)
        expect(stored!.blocks).to.have.length(2)
        expect(stored!.blocks![0]).to.deep.include({type: 'section', appId: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918', text: {type: 'mrkdwn', text: 'Welcome to *The General*'}})
        expect(stored).to.deep.include({alias: 'Greeter', emoji: ':tada:', groupable: false, parseUrls: false})
      })
    })

    it('through a config entry and a scenario that expects blocks and a partial message', async () => {
      copyApp(dir, 'block-greeter')
      writeConfig(dir, {plugins: [{path: './block-greeter'}]})
      await withEngine(dir, async (engine) => {
        expect(messages(await engine.run('room.create', {name: 'ops'}))[0]).to.include({text: 'ops is open'})
      })
      await runScenario(
        dir,
        'blocks.yaml',
        `name: block greeter
plugins: [{path: ./block-greeter}]
steps:
  - create: {room: general, by: alice}
    expect:
      messages:
        blocks: [{type: section, text: {text: "/Welcome to \\\\*general\\\\*/"}}, {type: context}]
        match: {alias: Greeter, emoji: ":tada:", groupable: false, parseUrls: false, customFields: {kind: welcome}, attachments: [{text: /rules/}]}
`,
      )
    })
  })

  describe('join-ledger: persistence by ROOM and MISC association, un-awaited work', () => {
    it('counts joins from a seeded record and writes one record per member in background work', async () => {
      copyApp(dir, 'join-ledger')
      await linkPlugin(await Workspace.open({cwd: dir}), './join-ledger')
      await withEngine(dir, async (engine) => {
        await engine.run('room.create', {name: 'general', by: 'alice'})
        const joined = await engine.run('room.join', {room: 'general', user: 'bob'})
        expect(messages(joined)[0]).to.include({text: '#general has seen 1 joins'})
        const bob = engine.store.userByName('bob')!
        // The forEach(async …) the handler did not await has finished before the action counts as done.
        expect(engine.store.recordsWithAll('join-ledger', [{model: 'user', id: bob.id}]).map((record) => record.data)).to.deep.equal([{seen: 'bob'}])
        await engine.run('room.leave', {room: 'general', user: 'bob'})
        const general = engine.store.roomByName('general')!
        const [ledger] = engine.store.recordsWithAll('join-ledger', [{model: 'room', id: general.id}, {model: 'misc', id: 'ledger'}])
        expect(ledger!.data).to.deep.equal({joins: 1, leaves: 1})
      })
    })

    it('a scenario seeds its record (MISC keyed by a room name too) and the app reads it', async () => {
      copyApp(dir, 'join-ledger')
      writeConfig(dir, {plugins: [{path: './join-ledger'}]})
      await runScenario(
        dir,
        'ledger.yaml',
        `name: join ledger continues a count
plugins: [{path: ./join-ledger}]
seed:
  users: [{username: alice}]
  rooms: [{room: general, by: alice}]
  persistence:
    - plugin: join-ledger
      associations: [{model: room, room: general}, {model: misc, id: ledger}]
      data: {joins: 41, leaves: 3}
    - plugin: join-ledger
      associations: [{model: misc, room: general}]
      data: {note: a misc record keyed by a room}
steps:
  - join: {room: general, user: bob}
    expect: {messages: {contains: "has seen 42 joins"}}
`,
      )
    })
  })

  describe('dm-concierge: onEnable caches the app user, a direct room with the bot, a message without a sender', () => {
    it('opens a direct room through a nested create and writes there as the app user', async () => {
      copyApp(dir, 'dm-concierge')
      await linkPlugin(await Workspace.open({cwd: dir}), './dm-concierge')
      await withEngine(dir, async (engine) => {
        await engine.run('room.create', {name: 'general', by: 'alice'})
        const joined = await engine.run('room.join', {room: 'general', user: 'bob'})
        expect(joined.hooks.map((hook) => hook.result)).to.deep.equal(['done'])
        expect(joined.nested.map((nested) => [nested.action, nested.status, nested.room?.slugifiedName])).to.deep.equal([['room.create', 'completed', 'bob__dm-concierge.bot']])
        const direct = engine.store.roomByName('bob__dm-concierge.bot')!
        expect(direct).to.deep.include({type: 'd', usernames: ['dm-concierge.bot', 'bob']})
        expect(direct.displayName).to.equal(undefined)
        expect(engine.store.messages(direct.id).map((message) => [message.sender.username, message.text])).to.deep.equal([['dm-concierge.bot', 'Hi bob, welcome to #general']])
      })
    })

    it('a config entry and a scenario: the second join reuses the direct room', async () => {
      copyApp(dir, 'dm-concierge')
      writeConfig(dir, {plugins: [{path: './dm-concierge'}]})
      await runScenario(
        dir,
        'dm.yaml',
        `name: concierge
plugins: [{path: ./dm-concierge}]
steps:
  - create: {room: general, by: alice}
  - create: {room: random, by: alice}
  - join: {room: general, user: bob}
  - join: {room: random, user: bob}
    expect: completed
  - assert: {room: bob__dm-concierge.bot, messages: {count: 2, contains: "welcome to #random"}}
`,
      )
    })
  })

  describe('exit-guard: an ES module app with a default export', () => {
    it('vetoes leaving a locked room; the post hook sees who removed whom', async () => {
      copyApp(dir, 'exit-guard')
      const linked = await linkPlugin(await Workspace.open({cwd: dir}), './exit-guard')
      expect(linked.interfaces).to.deep.equal(['IPreRoomUserLeave', 'IPostRoomUserLeave'])
      await withEngine(dir, async (engine) => {
        await engine.run('room.create', {name: 'vault', by: 'alice', members: ['bob'], customFields: {locked: true}})
        expect((await engine.run('room.leave', {room: 'vault', user: 'bob'})).prevented?.reason).to.equal('bob cannot leave #vault: it is locked')
        await engine.run('room.create', {name: 'hall', by: 'alice', members: ['bob']})
        const left = await engine.run('room.leave', {room: 'hall', user: 'bob', removedBy: 'alice'})
        expect(messages(left)[0]).to.include({text: 'bob left (removed by alice)', sender: 'exit-guard.bot'})
      })
    })

    it('through a config entry and a scenario', async () => {
      copyApp(dir, 'exit-guard')
      writeConfig(dir, {plugins: [{path: './exit-guard'}]})
      await withEngine(dir, async (engine) => {
        await engine.run('room.create', {name: 'hall', members: ['bob']})
        expect((await engine.run('room.leave', {room: 'hall', user: 'bob'})).status).to.equal('completed')
      })
      await runScenario(
        dir,
        'exit.yaml',
        `name: exit guard
plugins: [{path: ./exit-guard}]
steps:
  - create: {room: vault, by: alice, members: [bob], customFields: {locked: true}}
  - leave: {room: vault, user: bob}
    expect: {status: prevented, prevented: {plugin: exit-guard, reason: /locked/}}
`,
      )
    })
  })

  describe('integrations-only: an app with no room interface is loaded with its report, not refused', () => {
    it('link lists what it does not simulate and warns about its requiredApiVersion; info shows everything it registered', async () => {
      copyApp(dir, 'integrations-only')
      const workspace = await Workspace.open({cwd: dir})
      const linked = await linkPlugin(workspace, './integrations-only')
      expect(linked.interfaces).to.deep.equal([])
      expect(linked.app!.unsimulated).to.have.members(['IPostMessageSent', 'IPreEmailSent', 'IUIKitInteractionHandler'])
      expect(linked.app!.warnings).to.have.length(1)
      expect(linked.app!.warnings[0]).to.match(/requiredApiVersion \^1\.99\.0 is newer than the Apps-Engine roomsim bundles \(1\.\d+\.\d+\)/)
      const info = await pluginInfo(workspace, 'integrations-only')
      expect(info.error).to.equal(null)
      expect(info.app!.registered).to.deep.include({
        settings: ['digest_hour'],
        slashCommands: ['/status'],
        apiEndpoints: ['GET /ping (public)'],
        schedulerProcessors: ['digest'],
        uiButtons: ['open-digest (roomAction)'],
        videoConfProviders: ['fake-meet'],
        externalComponents: ['digest-panel'],
        emailProviders: ['fake-mail'],
        phoneProviders: [],
        httpDefaults: ['header x-app'],
        scheduledJobs: ['digest every 1 hour'],
        slashCommandChanges: ['disabled /status'],
        serverSettingChanges: ['hid Some_Server_Setting'],
      })
      await withEngine(dir, async (engine) => {
        const created = await engine.run('room.create', {name: 'general'})
        expect(created.status).to.equal('completed')
        expect(created.hooks).to.deep.equal([])
      })
    })

    it('runs beside other apps from a config entry and in a scenario', async () => {
      copyApp(dir, 'integrations-only')
      copyApp(dir, 'block-greeter')
      writeConfig(dir, {plugins: [{path: './integrations-only'}, {path: './block-greeter'}]})
      await runScenario(
        dir,
        'mixed.yaml',
        `name: an app without room handlers changes nothing
plugins: [{path: ./integrations-only}, {path: ./block-greeter}]
steps:
  - create: {room: general}
    expect: {hooks: {block-greeter: [done]}, messages: {count: 1}}
`,
      )
    })
  })

  describe('legacy-cjs: an app compiled to CommonJS JavaScript, with an older engine of its own', () => {
    /** An "older copy" the author installed, which would break the app if it were used. */
    function installOldEngine(app: string): void {
      const engine = join(app, 'node_modules', '@rocket.chat', 'apps-engine')
      mkdirSync(join(engine, 'definition'), {recursive: true})
      writeFileSync(join(engine, 'package.json'), JSON.stringify({name: '@rocket.chat/apps-engine', version: '1.19.0'}))
      writeFileSync(join(engine, 'definition', 'App.js'), "throw new Error('the app\\'s own old copy of the engine was loaded')\n")
    }

    it("uses roomsim's engine, as the server uses its own, even when the app brings an older copy", async () => {
      const app = copyApp(dir, 'legacy-cjs')
      installOldEngine(app)
      await linkPlugin(await Workspace.open({cwd: dir}), './legacy-cjs')
      await withEngine(dir, async (engine) => {
        const created = await engine.run('room.create', {name: 'quiet-zone', by: 'alice'})
        expect(messages(created)[0]).to.include({text: 'legacy says: new channel'})
        expect((await engine.run('room.join', {room: 'quiet-zone', user: 'bob'})).prevented?.reason).to.equal('#quiet-zone is quiet')
      })
    })

    it('through a config entry and a scenario', async () => {
      copyApp(dir, 'legacy-cjs')
      writeConfig(dir, {plugins: [{path: './legacy-cjs'}]})
      await runScenario(
        dir,
        'legacy.yaml',
        `name: legacy app
plugins: [{path: ./legacy-cjs}]
steps:
  - create: {room: ops, type: private, by: alice}
    expect: {messages: {contains: "new private group"}}
  - join: {room: ops, user: bob, invitedBy: alice}
    expect: completed
`,
      )
    })
  })
})

describe('plain plugins need no engine dependency either', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir('roomsim-plugin-')))
  afterEach(() => cleanup())

  it("the README's \"Writing one\" example works from a folder of its own", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### Writing one'))
    const [source, manifest] = [...section.matchAll(/```(?:js|json)\n([\s\S]*?)```/g)].slice(0, 2).map((match) => match[1]!.replace(/^\/\/.*\n/, ''))
    const folder = join(dir, 'gatekeeper')
    mkdirSync(folder)
    writeFileSync(join(folder, 'index.js'), source!)
    writeFileSync(join(folder, 'package.json'), manifest!)
    await linkPlugin(await Workspace.open({cwd: dir}), './gatekeeper')
    await withEngine(dir, async (engine) => {
      await engine.run('room.create', {name: 'general'})
      expect((await engine.run('room.join', {room: 'general', user: 'mallory'})).prevented).to.deep.include({plugin: 'gatekeeper', reason: 'mallory is banned'})
    })
  })

  it('every example plugin passes its scenario from a copy outside the checkout', async () => {
    cpSync(EXAMPLE_PLUGINS, join(dir, 'plugins'), {recursive: true})
    const files = ['archive-guard', 'audit', 'gatekeeper', 'name-policy', 'room-defaults', 'welcome'].map((name) => `plugins/${name}/scenario.yaml`).concat('plugins/demo.scenario.yaml')
    for (const file of files) {
      const parsed = await parseScenarioFile(file, join(dir, file))
      expect(parsed.problems).to.deep.equal([])
      for (const result of await runScenarios(parsed.scenarios, {config: (await Workspace.open({cwd: dir})).config})) {
        expect(result.status, `${file}: ${JSON.stringify(result.steps.flatMap((step) => step.failures))}`).to.equal('passed')
      }
    }
  })
})
