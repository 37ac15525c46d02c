import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {formatProblem, parseScenarioText} from '../../src/scenario/parse.js'
import {splitSteps} from '../../src/scenario/step-split.js'
import {EXAMPLE_PLUGINS} from '../helpers/paths.js'
import {tempDir} from '../helpers/fixtures.js'

/**
 * A file of the plain shape is read one step at a time (parse.ts
 * parseStepByStep); anything else, and any file with a problem, is read whole.
 * Both must give the same scenario, lines included, and the same messages.
 */
describe('scenario files read step by step', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())

  /** The same text with a comment that makes the splitter refuse it (an asterisk where an alias could start): read whole. */
  const wholeVariant = (text: string): string => text.replace(/^steps:\n(.*)$/m, 'steps:\n$1 # *')

  async function both(text: string) {
    const path = join(dir, 'case.scenario.yaml')
    writeFileSync(path, text)
    const whole = wholeVariant(text)
    expect(splitSteps(text), 'the plain text is split').to.not.equal(undefined)
    expect(splitSteps(whole), 'the variant is read whole').to.equal(undefined)
    const byStep = await parseScenarioText(text, 'case.scenario.yaml', path)
    const read = await parseScenarioText(whole, 'case.scenario.yaml', path)
    return {byStep, read}
  }

  it('gives the same scenario, with the same step and expectation lines, as reading the file whole', async () => {
    const {byStep, read} = await both(`# a scenario of many shapes
name: "shapes: all of them"
plugins:
  - path: ${EXAMPLE_PLUGINS}/gatekeeper
    settings: {banned: [mallory]}
hooks: {timeoutMs: {pre: 2000}}

steps:
  - create: {room: general, by: alice, customFields: {note: "a # not a comment", brackets: "[{"}}
    expect:
      members: {includes: [alice]}
      customFields: {note: /not a comment/}
  # a comment between steps
  - name: don't mind the apostrophe
    join: {room: general, user: bob}
    expect: {members: [alice, bob], hooks: {gatekeeper: allowed}}

  - settings:
      plugin: gatekeeper
      values:
        banned: [bob]
  - leave:
      room: general
      user: bob
    expect:
      status: [completed]
  - assert:
      room: general
      members: {excludes: [bob]}
      messages: {count: 0}
  - create:
      room: notes
      by: alice
      description: |
        several lines
        - that look like a list
    expect: {fields: {description: /several/}}
http:
  stubs: [{method: GET, url: "https://example.com/*", status: 200}]
`)
    expect(read.problems.map(formatProblem)).to.deep.equal([])
    expect(byStep).to.deep.equal(read)
    const steps = byStep.scenarios[0]!.steps
    expect(steps.map((step) => step.line)).to.deep.equal([9, 14, 18, 22, 27, 31])
    expect(steps[0]!.expectLines).to.deep.equal({members: 11, customFields: 12})
  })

  it('a problem in a step is reported exactly as when the file is read whole', async () => {
    const {byStep, read} = await both(`steps:
  - create: {room: general, by: alice}
  - join: {room: general, usr: bob}
  - leave: {room: general, user: 7}
    expect: {membres: [alice]}
`)
    expect(byStep.problems.map(formatProblem)).to.deep.equal(read.problems.map(formatProblem))
    expect(byStep.problems.map((problem) => problem.line)).to.deep.equal([3, 3, 5])
    expect(byStep.scenarios).to.deep.equal([])
  })

  it('a syntax error inside a step is reported with its place in the file', async () => {
    const {byStep, read} = await both(`name: broken
steps:
  - create: {room: general, by: alice}
  - join: {room: general, user: carol}
  - join: {room: general, user: dave}
  - join: {room: general, room: lobby, user: bob}
`)
    expect(byStep.problems.map(formatProblem)).to.deep.equal(read.problems.map(formatProblem))
    expect(byStep.problems[0]!.line).to.equal(6)
  })

  it('is not used for shapes it cannot cut safely', () => {
    const refused = {
      anchors: 'defaults: &who {by: alice}\nsteps:\n  - create: {room: a, <<: *who}\n',
      'a flow list over two lines': 'steps:\n  - create: {room: a,\n      by: alice}\n',
      'a quoted text over two lines': 'steps:\n  - create: {room: "a\n  - b"}\n',
      'two documents': 'steps:\n  - create: {room: a}\n---\nsteps:\n  - create: {room: b}\n',
      tabs: 'steps:\n  - create:\t{room: a}\n',
      'steps given inline': 'steps: [{create: {room: a}}]\n',
      'two steps keys': 'steps:\n  - create: {room: a}\nsteps:\n  - create: {room: b}\n',
    }
    for (const [shape, text] of Object.entries(refused)) expect(splitSteps(text), shape).to.equal(undefined)
    const split = splitSteps('steps:\n- create: {room: a}\n- join: {room: a, user: b}\nname: x\n')!
    expect(split.steps).to.deep.equal([
      {start: 1, end: 2},
      {start: 2, end: 3},
    ])
    // The header leaves the step lines out; its lines map back to the file's.
    expect(split.header).to.equal('steps:\nname: x\n')
    expect([1, 2, 3].map((line) => split.fileLine(line))).to.deep.equal([1, 4, 5])
  })
})
