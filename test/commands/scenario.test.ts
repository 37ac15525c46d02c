import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Report} from '../../src/scenario/report.js'
import {childElements, parseXml} from '../../src/scenario/xml.js'
import {EXAMPLE_PLUGINS, ROOT, runCommand, tempDir} from '../helpers/cli.js'
import {tapProblems} from '../helpers/tap.js'

const PASSING = `name: gatekeeper refuses banned users
plugins:
  - path: ${EXAMPLE_PLUGINS}/gatekeeper
    settings: {banned: [mallory]}
steps:
  - create: {room: general, by: alice}
    expect: completed
  - join: {room: general, user: mallory}
    expect: {status: prevented, prevented: {plugin: gatekeeper, reason: /banned/}}
  - join: {room: general, user: bob}
    expect: {status: completed, members: [alice, bob]}
`

describe('roomsim scenario run (CLI)', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())

  const write = (file: string, text: string) => writeFileSync(join(dir, file), text)
  const scenarioRun = (args: string[], env: Record<string, string> = {}) => runCommand(['scenario', 'run', ...args], {cwd: dir, env})

  it('runs every example plugin\'s scenario and the demo scenario', async () => {
    const result = await runCommand(['scenario', 'run', 'plugins/*/scenario.yaml', 'plugins/demo.scenario.yaml'], {cwd: ROOT})
    expect(result.code, result.stdout + result.stderr).to.equal(0)
    const plugins = readdirSync(EXAMPLE_PLUGINS, {withFileTypes: true}).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
    expect(plugins.length).to.be.at.least(6)
    for (const plugin of plugins) {
      expect(existsSync(join(EXAMPLE_PLUGINS, plugin, 'scenario.yaml')), `${plugin} has a scenario`).to.equal(true)
      expect(result.stdout).to.contain(`plugins/${plugin}/scenario.yaml`)
    }
    expect(result.stdout).to.match(new RegExp(`${plugins.length + 1} scenarios \\(${plugins.length + 1} passed\\) in ${plugins.length + 1} files`))
    expect(result.stdout).to.match(/steps \(\d+ passed\) in [\d.]+ m?s: [\d.]+ steps\/s/)
  })

  it('a passing scenario reads as a pass; a broken expectation exits 1 with the step, its line and a diff', async () => {
    write('gatekeeper.yaml', PASSING)
    const pass = await scenarioRun(['gatekeeper.yaml'])
    expect(pass.code, pass.stderr).to.equal(0)
    expect(pass.stdout).to.match(/^✓ gatekeeper refuses banned users {2}gatekeeper\.yaml {2}3 steps, (\d+ ms|\d+\.\d\d s)$/m)

    write('gatekeeper.yaml', PASSING.replace('members: [alice, bob]', 'members: [alice, bob, carol]'))
    const fail = await scenarioRun(['gatekeeper.yaml'])
    expect(fail.code).to.equal(1)
    expect(fail.stdout).to.contain('✗ gatekeeper refuses banned users')
    expect(fail.stdout).to.contain('    ✗ 3. room join general --user bob  line 10')
    expect(fail.stdout).to.contain('        gatekeeper.yaml:11  members')
    expect(fail.stdout).to.contain('expected exactly ["alice","bob","carol"] (in any order), got ["alice","bob"]')
    expect(fail.stdout).to.contain('          - - "carol"')
    expect(fail.stdout).to.contain('1 failed')
  })

  it('an invalid file exits 2 with file:line:column and runs nothing', async () => {
    write('good.yaml', PASSING)
    write('broken.yaml', 'name: broken\nsteps:\n  - create: {room: a}}\n')
    write('schema.yaml', 'steps:\n  - create: {room: a}\n    expect: {stauts: completed}\n')
    const result = await scenarioRun(['*.yaml'])
    expect(result.code).to.equal(2)
    expect(result.stdout).to.equal('')
    expect(result.stderr.split('\n')).to.include.members([
      'broken.yaml:3:22: Unexpected flow-map-end token in YAML stream: "}"',
      'schema.yaml:3:14: steps[0].expect.stauts: unknown key "stauts" (did you mean "status"?); allowed: status, prevented, error, exists, members, fields, customFields, messages, hooks, effects, outcome',
    ])
    const json = await scenarioRun(['broken.yaml', '--json'])
    expect(json.code).to.equal(2)
    expect(json.json().error).to.include({code: 'BAD_FILE', message: 'broken.yaml:3:22: Unexpected flow-map-end token in YAML stream: "}"'})
    for (const args of [['nothing-*.yaml'], ['good.yaml', '--shard', '3/2'], ['good.yaml', '--grep', '(']]) {
      const refused = await scenarioRun(args)
      expect(refused.code, args.join(' ')).to.equal(2)
      expect(refused.stderr, args.join(' ')).to.match(/^Error: /)
    }
  })

  it('writes JUnit XML a dashboard accepts, while the console shows the pretty report', async () => {
    write('pass.yaml', PASSING)
    write('fail.yaml', PASSING.replace('name: gatekeeper refuses banned users', 'name: "fails <&> here"').replace('reason: /banned/', 'reason: "not this"'))
    const result = await scenarioRun(['pass.yaml', 'fail.yaml', '--reporter', 'junit', '--output', 'reports/junit.xml'])
    expect(result.code).to.equal(1)
    expect(result.stdout).to.contain('✓ gatekeeper refuses banned users')
    const root = parseXml(readFileSync(join(dir, 'reports', 'junit.xml'), 'utf8'))
    expect(root.attributes).to.include({tests: '6', failures: '1', skipped: '1', errors: '0'})
    const [failing, passing] = childElements(root, 'testsuite')
    expect(failing!.attributes).to.include({name: 'fails <&> here', file: 'fail.yaml'})
    expect(childElements(passing!, 'testcase').map((testcase) => testcase.attributes.name)).to.deep.equal([
      'step 1: room create general --by alice',
      'step 2: room join general --user mallory',
      'step 3: room join general --user bob',
    ])
    const failure = childElements(childElements(failing!, 'testcase')[1]!, 'failure')[0]!
    expect(failure.attributes.message).to.equal('prevented: expected {"plugin":"gatekeeper","reason":"not this"}, got {"plugin":"gatekeeper","reason":"mallory is banned from #general"}')
  })

  it('prints well-formed TAP, failures included', async () => {
    write('pass.yaml', PASSING)
    write('fail.yaml', PASSING.replace('expect: completed', 'expect: prevented'))
    const result = await scenarioRun(['pass.yaml', 'fail.yaml', '--reporter', 'tap'])
    expect(result.code).to.equal(1)
    expect(tapProblems(result.stdout)).to.deep.equal([])
    expect(result.stdout).to.match(/^TAP version 14\n1\.\.2\n# Subtest: /)
    expect(result.stdout).to.contain('not ok 1 - gatekeeper refuses banned users\n')
    expect(result.stdout).to.contain('ok 2 - gatekeeper refuses banned users\n')
    const bail = await scenarioRun(['pass.yaml', 'fail.yaml', '--reporter', 'tap', '--bail'])
    expect(bail.stdout).to.contain('Bail out! gatekeeper refuses banned users failed (--bail)')
    expect(tapProblems(bail.stdout)).to.deep.equal([])
  })

  it('--grep picks scenarios by name; --bail skips the rest after a failure', async () => {
    write('a.yaml', PASSING.replace('gatekeeper refuses banned users', 'alpha'))
    write('b.yaml', PASSING.replace('gatekeeper refuses banned users', 'beta').replace('expect: completed', 'expect: noop'))
    write('c.yaml', PASSING.replace('gatekeeper refuses banned users', 'gamma'))
    const grep = (await scenarioRun(['*.yaml', '--grep', '^(alpha|gamma)$', '--json'])).json<Report>()
    expect(grep.scenarios.map((scenario) => scenario.name)).to.deep.equal(['alpha', 'gamma'])
    const bail = await scenarioRun(['*.yaml', '--bail', '--json'])
    expect(bail.code).to.equal(1)
    expect(bail.json<Report>().scenarios.map((scenario) => scenario.status)).to.deep.equal(['passed', 'failed', 'skipped'])
  })

  it('shards cover every file exactly once, and their reports merge into the whole run', async () => {
    const files = Array.from({length: 7}, (_, index) => `s${index}.yaml`)
    for (const file of files) write(file, PASSING.replace('gatekeeper refuses banned users', file))
    const whole = (await scenarioRun(['*.yaml', '--json'])).json<Report>()
    const shards: Report[] = []
    for (let index = 1; index <= 3; index++) {
      const result = await scenarioRun(['*.yaml', '--shard', `${index}/3`, '--reporter', 'json', '--output', `shard-${index}.json`])
      expect(result.code, result.stderr).to.equal(0)
      shards.push(JSON.parse(readFileSync(join(dir, `shard-${index}.json`), 'utf8')) as Report)
      await scenarioRun(['*.yaml', '--shard', `${index}/3`, '--reporter', 'junit', '--output', `junit-${index}.xml`])
    }
    const covered = shards.flatMap((report) => report.scenarios.map((scenario) => scenario.file))
    expect([...covered].sort()).to.deep.equal(files)
    expect(shards.map((report) => report.shard)).to.deep.equal([{index: 1, count: 3}, {index: 2, count: 3}, {index: 3, count: 3}])

    const merged = await runCommand(['scenario', 'merge', 'shard-3.json', 'shard-1.json', 'shard-2.json', '--output', 'merged.json'], {cwd: dir})
    expect(merged.code, merged.stderr).to.equal(0)
    expect(merged.stderr).to.equal('')
    const report = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as Report
    expect(report.scenarios.map((scenario) => scenario.file)).to.deep.equal(whole.scenarios.map((scenario) => scenario.file))
    expect(report.summary.steps).to.deep.equal(whole.summary.steps)
    expect(report.summary.scenarios).to.deep.equal(whole.summary.scenarios)

    const junit = await runCommand(['scenario', 'merge', 'junit-1.xml', 'junit-2.xml', 'junit-3.xml'], {cwd: dir})
    expect(junit.code, junit.stderr).to.equal(0)
    const root = parseXml(junit.stdout)
    expect(root.attributes).to.include({tests: '21', failures: '0'})
    expect(childElements(root, 'testsuite')).to.have.length(7)

    const missing = await runCommand(['scenario', 'merge', 'shard-1.json', 'shard-3.json', '--reporter', 'junit'], {cwd: dir})
    expect(missing.stderr).to.contain('Warning: missing shard 2/3')
    expect(parseXml(missing.stdout).attributes).to.include({tests: '15'})
    const mixed = await runCommand(['scenario', 'merge', 'shard-1.json', 'junit-2.xml', '--reporter', 'json'], {cwd: dir})
    expect(mixed.code).to.equal(2)
  })

  it('runs in a fresh temporary store unless --store is given (ROOMSIM_STORE does not count)', async () => {
    write('pass.yaml', PASSING)
    const envStore = join(dir, 'env.db')
    const first = await scenarioRun(['pass.yaml'], {ROOMSIM_STORE: envStore})
    expect(first.code, first.stderr).to.equal(0)
    expect(existsSync(envStore)).to.equal(false)
    expect(readdirSync(dir)).to.deep.equal(['pass.yaml'])

    const kept = await scenarioRun(['pass.yaml', '--store', 'kept.db'])
    expect(kept.code, kept.stderr).to.equal(0)
    const rooms = await runCommand(['room', 'list', '--json', '--store', 'kept.db'], {cwd: dir})
    expect(rooms.json().map((room: {slugifiedName: string}) => room.slugifiedName)).to.deep.equal(['general'])
    // The same scenario again on the kept store: general exists now, so its create is refused.
    const again = await scenarioRun(['pass.yaml', '--store', 'kept.db'])
    expect(again.code).to.equal(1)
    expect(again.stdout).to.contain('NAME_TAKEN')
  })
})
