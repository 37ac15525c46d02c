import {expect} from 'chai'
import {join} from 'node:path'

import {formatProblem, parseScenarioText} from '../../src/scenario/parse.js'
import {EXAMPLE_PLUGINS} from '../helpers/cli.js'

/** Parses text as if it were a file in plugins/ (so `path: ./gatekeeper` resolves). */
const parse = (text: string, file = 'test.yaml') => parseScenarioText(text, file, join(EXAMPLE_PLUGINS, file))
const problems = async (text: string) => (await parse(text)).problems.map(formatProblem)

describe('scenario files: parsing and validation', () => {
  it('reads a scenario with every kind of step and expectation', async () => {
    const {scenarios, problems: found} = await parse(`
name: everything
plugins:
  - path: ./gatekeeper
    settings: {banned: [mallory]}
  - ./welcome
http:
  stubs: [{method: get, url: "https://api.example.com/*", data: {ok: true}}]
hooks: {onError: abort, timeoutMs: {pre: 500}}
seed:
  users: [carol, {username: dave, roles: [admin]}]
  rooms: [{room: lobby, by: carol, members: [dave]}]
  persistence: [{plugin: gatekeeper, associations: [{model: room, room: lobby}, {model: misc, id: counter}], data: {joins: 3}}]
steps:
  - create: {room: general, by: alice, type: private, members: [bob], readOnly: true, default: true, description: Hi, customFields: {level: 3}}
    expect: completed
  - join: {room: general, user: mallory, invitedBy: alice}
    expect: {status: prevented, prevented: {plugin: gatekeeper, reason: /banned/}}
  - leave: {room: "{{room:general}}", user: bob, removedBy: alice}
    expect:
      members: {includes: [alice], excludes: [bob], count: 1}
      fields: {isReadOnly: true}
      customFields: {level: 3}
      messages: {count: 0, contains: Welcome, excludes: [/spam/i]}
      hooks: {gatekeeper: [allowed], welcome: {IPostRoomUserLeave: []}}
      effects: [{kind: log, message: /x/}]
      outcome: {action: room.leave}
  - settings: {plugin: gatekeeper, values: {banned: []}}
  - user: {username: erin, name: Erin, roles: [moderator]}
    expect: {error: NAME_TAKEN}
  - delete: {room: general, by: alice}
  - assert: {room: general, exists: false}
`)
      expect(found.map(formatProblem)).to.deep.equal([])
      expect(scenarios).to.have.length(1)
      const [scenario] = scenarios
      expect(scenario!.name).to.equal('everything')
      expect(scenario!.plugins.map((plugin) => plugin.resolved.name)).to.deep.equal(['gatekeeper', 'welcome'])
      expect(scenario!.http.stubs[0]).to.include({method: 'GET', status: 200})
      expect(scenario!.hooks).to.deep.equal({onError: 'abort', timeoutMs: {pre: 500}})
      expect(scenario!.seed.users).to.deep.equal([{username: 'carol'}, {username: 'dave', roles: ['admin']}])
      expect(scenario!.steps.map((step) => step.kind)).to.deep.equal(['create', 'join', 'leave', 'settings', 'user', 'delete', 'assert'])
      const create = scenario!.steps[0]!
      expect(create).to.deep.include({line: 15, index: 1, input: {name: 'general', by: 'alice', type: 'p', members: ['bob'], readOnly: true, isDefault: true, description: 'Hi', customFields: {level: 3}}})
      expect(create.expect).to.deep.equal({status: ['completed']})
      const leave = scenario!.steps[2]!
      expect(leave.expect.members).to.deep.equal({includes: ['alice'], excludes: ['bob'], count: 1})
      expect(leave.expect.messages).to.deep.equal({count: 0, contains: ['Welcome'], excludes: ['/spam/i']})
      expect(leave.expectLines).to.include({members: 21, outcome: 27})
  })

  it('reads JSON files too', async () => {
    const {scenarios, problems: found} = await parse(JSON.stringify({steps: [{create: {room: 'x'}, expect: 'completed'}]}), 'plain.json')
    expect(found).to.deep.equal([])
    expect(scenarios[0]!.name).to.equal('plain')
  })

  it('reads several scenarios from one YAML stream, each named', async () => {
    const {scenarios} = await parse('steps: [{create: {room: a}}]\n---\nname: second\nsteps: [{create: {room: b}}]\n', 'multi.scenario.yaml')
    expect(scenarios.map((scenario) => scenario.name)).to.deep.equal(['multi #1', 'second'])
    expect(scenarios[1]!.steps[0]!.line).to.equal(4)
  })

  it('reports YAML syntax errors as file:line:column', async () => {
    expect(await problems('name: x\nsteps:\n  - create: {room: a}}\n')).to.deep.equal(['test.yaml:3:22: Unexpected flow-map-end token in YAML stream: "}"'])
    expect(await problems('name: "unterminated\nsteps: []\n')).to.deep.equal(['test.yaml:3:1: Missing closing "quote'])
  })

  it('hints at the usual cause: an unquoted " #" or ": " in a value', async () => {
    expect((await problems('steps:\n  - join: {room: a, user: b}\n    expect: {prevented: {reason: /visitor #42/}}\n'))[0]).to.match(/^test\.yaml:\d+:\d+: .*\(a " #" starts a comment in YAML: quote values that contain one/)
    expect(await problems('steps:\n  - name: extend is add-only: kept\n    create: {room: a}\n')).to.deep.equal([
      'test.yaml:2:11: Nested mappings are not allowed in compact mappings (quote values that contain ": ", e.g. name: "step one: create")',
    ])
  })

  it('reports duplicate keys', async () => {
    expect(await problems('steps: []\nsteps: []\n')).to.satisfy((lines: string[]) => lines.some((line) => /^test\.yaml:2:1: .*unique/i.test(line)))
  })

  it('points schema errors at the offending key or value, with hints', async () => {
    const found = await problems(`plugins:
  - path: ./no-such-plugin
steps:
  - create: {room: general, membrs: [bob]}
    expect: complete
  - join: {room: {{room:general}}, user: bob}
  - join: {room: general}
  - leave: {room: general, user: bob}
    expect:
      prevented: {reason: "/[a-/"}
      hooks: {gatekeeper: alowed}
  - sleep: 3
  - create: {room: a}
    join: {room: a, user: b}
  - settings: {plugin: nobody, values: {}}
`)
    expect(found).to.deep.equal([
      'test.yaml:2:11: plugins[0].path: plugin ./no-such-plugin: ' + join(EXAMPLE_PLUGINS, 'no-such-plugin') + ' is not a folder',
      'test.yaml:4:29: steps[0].create.membrs: unknown key "membrs" (did you mean "members"?); allowed: room, name, type, by, members, readOnly, default, description, displayName, customFields',
      'test.yaml:5:13: steps[0].expect: expected one of completed, prevented, failed, noop, invalid, got "complete" (did you mean "completed"?)',
      'test.yaml:6:18: steps[1].join.room: write {{room:NAME}} / {{user:NAME}} in quotes: unquoted, YAML reads {{…}} as a mapping',
      'test.yaml:7:11: steps[2].join: missing "user"',
      'test.yaml:10:27: steps[3].expect.prevented.reason: not a valid regular expression: Invalid regular expression: /[a-/: Unterminated character class',
      'test.yaml:11:15: steps[3].expect.hooks.gatekeeper: no plugin named "gatekeeper" in this scenario (plugins: none)',
      'test.yaml:11:27: steps[3].expect.hooks.gatekeeper: expected one of allowed, prevented, skipped, applied, done, error, timeout, got "alowed" (did you mean "allowed"?)',
      'test.yaml:12:5: steps[4].sleep: unknown key "sleep"; a step is one of create, delete, join, leave, user, settings, assert, with an optional name and expect',
      'test.yaml:14:5: steps[5].join: a step does one thing: found create and join',
      'test.yaml:15:24: steps[6].settings.plugin: no plugin named "nobody" in this scenario (plugins: none)',
    ])
  })

  it('requires steps, and a name only where the room type needs one', async () => {
    expect(await problems('name: nothing to do\n')).to.deep.equal(['test.yaml:1:1: missing "steps" (a list of actions and expectations)'])
    expect(await problems('steps: []\n')).to.deep.equal(['test.yaml:1:8: steps: expected at least one step'])
    expect(await problems('steps:\n  - create: {by: alice}\n  - create: {room: x, type: direct, members: [b]}\n')).to.deep.equal([
      'test.yaml:2:13: steps[0].create: missing "room" (the room name; only a direct room has none)',
      'test.yaml:3:20: steps[1].create.room: a direct room takes no name: it is named after its members',
    ])
  })

  it('checks config-like parts with the config schema', async () => {
    expect(await problems('hooks: {onError: explode}\nhttp: {stubs: [{url: "x", method: TRACE}]}\nsteps: [{create: {room: a}}]\n')).to.deep.equal([
      'test.yaml:1:18: hooks.onError: expected one of continue, abort, got "explode"',
      'test.yaml:2:35: http.stubs[0].method: expected one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, got "TRACE"',
    ])
  })

  it('refuses an empty file and unknown placeholders', async () => {
    expect(await problems('')).to.deep.equal(['test.yaml:1:1: the file holds no scenario (expected a mapping with "steps")'])
    expect(await problems('steps: [{join: {room: "{{channel:x}}", user: a}}]\n')).to.deep.equal([
      'test.yaml:1:23: steps[0].join.room: unknown placeholder in "{{channel:x}}": use {{room:NAME}} or {{user:NAME}}',
    ])
  })
})
