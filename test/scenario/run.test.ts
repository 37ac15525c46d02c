import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {DEFAULT_CONFIG} from '../../src/config/schema.js'
import {newId} from '../../src/domain/ids.js'
import {formatProblem, parseScenarioFile} from '../../src/scenario/parse.js'
import type {Report, ScenarioResult} from '../../src/scenario/report.js'
import {scenarioConfig} from '../../src/scenario/run.js'
import type {Scenario} from '../../src/scenario/types.js'
import {openDatabase} from '../../src/store/database.js'
import {Store} from '../../src/store/store.js'
import {EXAMPLE_PLUGINS, ROOT, runCli, tempDir} from '../helpers/cli.js'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'plugins')

/**
 * Each scenario runs through the real binary (`scenario run --json`), whose
 * JSON report carries every step result: in one process, through the engine,
 * with the plugins in their worker thread.
 */
describe('scenario runs (through the engine, real plugins, real stores)', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())

  let count = 0
  const write = (text: string): string => {
    const file = `s${++count}.yaml`
    writeFileSync(join(dir, file), text.replaceAll('PLUGINS', EXAMPLE_PLUGINS).replaceAll('FIXTURES', FIXTURES))
    return file
  }
  async function runFiles(files: string[], args: string[] = []): Promise<Report> {
    const result = await runCli(['scenario', 'run', ...files, '--json', ...args], {cwd: dir})
    const report = result.json<Report>()
    expect(result.code, result.stderr).to.equal(report.summary.scenarios.failed > 0 ? 1 : 0)
    return report
  }
  const scenario = (text: string): string => write(text)
  const run = async (file: string, args: string[] = []): Promise<ScenarioResult> => (await runFiles([file], args)).scenarios[0]!
  async function parsed(text: string): Promise<Scenario> {
    const file = write(text)
    const result = await parseScenarioFile(file, join(dir, file))
    expect(result.problems.map(formatProblem)).to.deep.equal([])
    return result.scenarios[0]!
  }

  it('passes when every expectation holds; settings changes apply from the next step', async () => {
    const result = await run(
      scenario(`
name: settings between steps
plugins: [{path: PLUGINS/gatekeeper, settings: {banned: [mallory]}}]
steps:
  - create: {room: general, by: alice}
  - join: {room: general, user: mallory}
    expect: {prevented: {plugin: gatekeeper, reason: /banned/}}
  - settings: {plugin: gatekeeper, values: {banned: [bob]}}
  - join: {room: general, user: mallory}
    expect: {members: [alice, mallory], hooks: {gatekeeper: allowed}}
  - join: {room: general, user: bob}
    expect: prevented
`),
    )
    expect(result.error).to.equal(null)
    expect(result.steps.map((step) => `${step.status}:${step.stepStatus ?? '-'}`)).to.deep.equal(['passed:completed', 'passed:prevented', 'passed:-', 'passed:completed', 'passed:prevented'])
    expect(result.status).to.equal('passed')
  })

  it('names the step, its line, and shows expected vs actual when an expectation fails; later steps are skipped', async () => {
    const result = await run(
      scenario(`plugins: [{path: PLUGINS/room-defaults}]
steps:
  - create: {room: general, by: alice}
    expect:
      members: [alice]
      customFields: {retention: 7d}
      fields: {creator: {username: bob}}
  - join: {room: general, user: bob}
`),
    )
    expect(result.status).to.equal('failed')
    const [first, second] = result.steps
    expect(first).to.deep.include({index: 1, line: 3, status: 'failed', label: 'room create general --by alice'})
    expect(first!.failures.map((failure) => [failure.expectation, failure.line, failure.message])).to.deep.equal([
      ['members', 5, 'expected exactly ["alice"] (in any order), got ["alice","helper.bot"]'],
      ['fields.creator', 7, 'expected {"username":"bob"}, got {"username":"alice"}'],
      ['customFields.retention', 6, 'expected "7d", got "30d"'],
    ])
    expect(first!.failures[0]!.diff).to.equal(['- expected', '+ actual', '', '  - "alice"', '+ - "helper.bot"'].join('\n'))
    expect(first!.failures[1]!.diff).to.equal(['- expected', '+ actual', '', '- username: "bob"', '+ username: "alice"'].join('\n'))
    expect(second).to.deep.include({status: 'skipped', skipReason: 'an earlier step failed'})
  })

  it('by default a step must succeed; prevented or refused steps fail unless expected', async () => {
    const result = await run(
      scenario(`plugins: [{path: PLUGINS/gatekeeper}]
steps:
  - create: {room: general}
  - join: {room: general, user: mallory}
`),
    )
    expect(result.steps[1]!.failures.map((failure) => failure.message)).to.deep.equal([
      'expected completed or noop, got prevented by gatekeeper (IPreRoomUserJoined): mallory is banned from #general',
    ])
    const refused = await run(scenario('steps:\n  - join: {room: nowhere, user: bob}\n'))
    expect(refused.steps[0]!.failures[0]!.message).to.equal('expected completed or noop, got invalid (UNKNOWN_ROOM: no room named or with id "nowhere")')
    const expected = await run(scenario('steps:\n  - join: {room: nowhere, user: bob}\n    expect: {status: invalid, error: {code: UNKNOWN_ROOM, message: /nowhere/}}\n'))
    expect(expected.status).to.equal('passed')
  })

  it('replaces {{room:NAME}} and {{user:NAME}} by ids, also in expectations', async () => {
    const result = await run(
      scenario(`steps:
  - create: {room: general, by: alice}
    expect: {fields: {id: "{{room:general}}", creator: {id: "{{user:alice}}"}}}
  - join: {room: "{{room:general}}", user: bob}
    expect: {outcome: {room: {id: "{{room:general}}", usernames: [alice, bob]}}}
  - delete: {room: "{{room:general}}"}
    expect: {outcome: {room: {id: "{{room:general}}"}}, exists: false}
  - join: {room: "{{room:general}}", user: carol}
`),
    )
    expect(result.steps.slice(0, 3).map((step) => step.status)).to.deep.equal(['passed', 'passed', 'passed'])
    expect(result.steps[3]!.failures[0]!.message).to.equal('expected completed or noop, got invalid (UNKNOWN_ROOM: {{room:general}}: no room named "general" (yet))')
  })

  it('seeds users, rooms and plugin persistence, and keeps a store given with storePath', async () => {
    const storePath = join(dir, 'kept.db')
    const result = await run(
      scenario(`plugins: [{path: PLUGINS/gatekeeper}]
seed:
  users: [{username: dave, name: Dave, roles: [moderator]}]
  rooms: [{room: lobby, by: dave, members: [erin], customFields: {topic: hi}}]
  persistence:
    - {plugin: gatekeeper, associations: [{model: room, room: lobby}, {model: misc, id: joins}], data: {count: 2}}
steps:
  - assert: {room: lobby, members: [dave, erin], customFields: {topic: hi}, fields: {creator: {name: Dave, roles: [moderator]}}}
`),
      ['--store', storePath],
    )
    expect(result.status, JSON.stringify(result.steps)).to.equal('passed')
    const store = new Store(openDatabase(storePath, {create: false})!)
    try {
      const lobby = store.roomByName('lobby')!
      const rows = store.db.prepare('SELECT r.plugin, r.data, a.model, a.key FROM plugin_records r JOIN plugin_record_associations a ON a.record_id = r.id ORDER BY a.model').all()
      expect(rows).to.deep.equal([
        {plugin: 'gatekeeper', data: '{"count":2}', model: 'misc', key: 'joins'},
        {plugin: 'gatekeeper', data: '{"count":2}', model: 'room', key: lobby.id},
      ])
    } finally {
      store.close()
    }
  })

  it('checks messages in the store (count, contains, excludes)', async () => {
    const storePath = join(dir, 'messages.db')
    const store = new Store(openDatabase(storePath, {create: true})!)
    const alice = {id: newId(), username: 'alice', name: 'alice', roles: ['user'], createdAt: new Date()}
    store.insertUser(alice)
    const now = new Date()
    store.insertRoom({id: newId(), slugifiedName: 'general', type: 'c', creator: alice, userIds: [alice.id], usernames: ['alice'], isDefault: false, isReadOnly: false, displaySystemMessages: true, messageCount: 0, createdAt: now, updatedAt: now, customFields: {}})
    const room = store.roomByName('general')!
    for (const text of ['Welcome to #general, bob!', 'Rules: be nice']) store.insertMessage({id: newId(), roomId: room.id, sender: alice, text, createdAt: new Date()})
    store.close()
    const result = await run(
      scenario(`steps:
  - assert: {room: general, messages: {count: 2, contains: [Welcome, /^Rules/], excludes: spam}}
  - join: {room: general, user: bob}
    expect: {messages: {contains: "Welcome to #general, bob"}, fields: {messageCount: 2}}
  - assert: {room: general, messages: {count: 3, contains: /goodbye/}}
`),
      ['--store', storePath],
    )
    expect(result.steps.map((step) => step.status)).to.deep.equal(['passed', 'passed', 'failed'])
    expect(result.steps[2]!.failures.map((failure) => failure.message)).to.deep.equal([
      'expected 3 message(s), got 2',
      'expected a message containing /goodbye/, got ["Welcome to #general, bob!","Rules: be nice"]',
    ])
  })

  it('matches effects (log lines today) and hook results per plugin and interface', async () => {
    const result = await run(
      scenario(`plugins: [{path: PLUGINS/welcome}, {path: PLUGINS/audit}]
steps:
  - create: {room: lobby, by: alice}
    expect:
      hooks: {welcome: done, audit: {IPostRoomCreate: [done], executePostRoomCreate: done}}
      effects:
        includes: [{kind: log, plugin: audit, message: "created #lobby (alice)"}, {plugin: welcome, level: info}]
        excludes: [{kind: http}]
  - join: {room: lobby, user: bob}
    expect:
      effects: [{plugin: audit, message: /left/}]
      hooks: {welcome: [done, done]}
`),
    )
    expect(result.steps[0]!.status).to.equal('passed')
    expect(result.steps[1]!.failures.map((failure) => failure.expectation)).to.deep.equal(['hooks.welcome', 'effects.includes'])
    expect(result.steps[1]!.failures[1]!.diff).to.contain('-   message: /left/').and.contain('+   message: "joined #lobby (bob)"')
  })

  it('fails a step whose plugin errs, even when the error policy goes on, unless the scenario expects it', async () => {
    const result = await run(
      scenario(`plugins: [{path: FIXTURES/post-thrower}]
steps:
  - create: {room: a}
    expect: {hooks: {post-thrower: error}}
  - create: {room: b}
`),
    )
    expect(result.steps.map((step) => step.status)).to.deep.equal(['passed', 'failed'])
    expect(result.steps[1]!.failures.map((failure) => failure.message)).to.deep.equal([
      'post-thrower IPostRoomCreate.executePostRoomCreate: error: cannot greet #b (if that is expected, say so: hooks: {post-thrower: error})',
    ])
  })

  it('reports a post-stage error under onError: abort unless it is expected', async () => {
    const result = await run(
      scenario(`plugins: [{path: FIXTURES/post-thrower}]
hooks: {onError: abort}
steps:
  - create: {room: a}
    expect: {error: {plugin: post-thrower, message: "/cannot greet #a/"}, hooks: {post-thrower: error}}
  - create: {room: b}
`),
    )
    expect(result.steps[0]!.status).to.equal('passed')
    expect(result.steps[1]!.failures.map((failure) => failure.message)).to.deep.equal([
      'expected no error, got PLUGIN_FAILED: post-thrower IPostRoomCreate.executePostRoomCreate: cannot greet #b',
    ])
  })

  it('a plugin that fails to load fails the scenario at setup; --bail skips the rest', async () => {
    const broken = scenario('plugins: [{path: FIXTURES/broken-import}]\nsteps:\n  - create: {room: a}\n')
    const fine = scenario('steps:\n  - create: {room: a}\n')
    const results = (await runFiles([broken, fine], ['--bail'])).scenarios
    expect(results[0]).to.deep.include({status: 'failed'})
    // Refused when loading (setup), or reported as an error hook of the first action: either way the scenario fails, saying why.
    const why = [results[0]!.error?.message, ...results[0]!.steps.flatMap((step) => step.failures.map((failure) => failure.message))].join('\n')
    expect(why).to.match(/broken-import.*broken on purpose/)
    expect(results[1]).to.deep.include({status: 'skipped', skipReason: 'an earlier scenario failed (--bail)'})
    const withoutBail = (await runFiles([broken, fine])).scenarios
    expect(withoutBail.map((result) => result.status)).to.deep.equal(['failed', 'passed'])
  })

  it('puts the scenario\'s HTTP stubs, hooks and names over the config', async () => {
    const value = await parsed(`http: {stubs: [{url: "https://api.example.com/*", data: {ok: true}}], allow: [example.org]}
hooks: {timeoutMs: {pre: 50}}
names: {maxLength: 10}
steps: [{create: {room: a}}]
`)
    const base = structuredClone(DEFAULT_CONFIG)
    base.http.stubs.push({method: 'POST', url: 'https://other/*', status: 201, headers: {}})
    const config = scenarioConfig(base, value)
    expect(config.http.stubs.map((stub) => stub.url)).to.deep.equal(['https://api.example.com/*', 'https://other/*'])
    expect(config.http.allow).to.deep.equal(['example.org'])
    expect(config.hooks.timeoutMs).to.deep.equal({pre: 50, post: 10_000})
    expect(config.names).to.deep.equal({pattern: DEFAULT_CONFIG.names.pattern, maxLength: 10})
    const result = await run(scenario('names: {maxLength: 3}\nsteps:\n  - create: {room: abcd}\n    expect: {error: INVALID_NAME}\n'))
    expect(result.status).to.equal('passed')
  })
})
