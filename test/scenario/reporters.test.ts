import {expect} from 'chai'
import {Chalk} from 'chalk'
import {stringify} from 'yaml'

import {renderDiff} from '../../src/scenario/diff.js'
import {type Report, type ScenarioResult, summarize} from '../../src/scenario/report.js'
import {renderJson} from '../../src/scenario/reporters/json.js'
import {renderJunit} from '../../src/scenario/reporters/junit.js'
import {renderPretty} from '../../src/scenario/reporters/pretty.js'
import {renderTap} from '../../src/scenario/reporters/tap.js'
import {childElements, parseXml, type XmlElement} from '../../src/scenario/xml.js'
import {tapProblems} from '../helpers/tap.js'

const NASTY = `a <b> & "c" 'd' # e \\ ]]> \u0001 ✓`

function sampleReport(): Report {
  const scenarios: ScenarioResult[] = [
    {
      file: 'plugins/gatekeeper/scenario.yaml',
      name: 'gatekeeper # works',
      line: 1,
      status: 'failed',
      durationMs: 12.5,
      error: null,
      steps: [
        {index: 1, line: 5, kind: 'create', label: 'room create general --by alice', status: 'passed', durationMs: 3, failures: []},
        {
          index: 2,
          line: 7,
          kind: 'join',
          label: NASTY,
          status: 'failed',
          durationMs: 2,
          failures: [
            {expectation: 'members', line: 9, message: `expected exactly ["alice"], got ["alice","bob"] ${NASTY}`, expected: ['alice'], actual: ['alice', 'bob'], diff: renderDiff(['alice'], ['alice', 'bob'])},
            {expectation: 'status', line: 8, message: 'expected prevented, got completed', expected: 'prevented', actual: 'completed'},
          ],
        },
        {index: 3, line: 11, kind: 'leave', label: 'room leave general --user bob', status: 'skipped', durationMs: 0, failures: [], skipReason: 'an earlier step failed'},
      ],
    },
    {
      file: 'broken.yaml',
      name: 'does not start',
      line: 1,
      status: 'failed',
      durationMs: 4,
      error: {expectation: 'setup', line: 1, message: 'setup failed: plugin x failed to load: <boom>'},
      steps: [{index: 1, line: 3, kind: 'create', label: 'room create a', status: 'skipped', durationMs: 0, failures: [], skipReason: 'the scenario could not start'}],
    },
    {file: 'z.yaml', name: 'fine', line: 1, status: 'passed', durationMs: 1, error: null, steps: [{index: 1, line: 2, kind: 'create', label: 'room create z', status: 'passed', durationMs: 1, failures: []}]},
  ]
  return {tool: 'roomsim', format: 1, shard: null, summary: summarize(scenarios, 20), scenarios}
}

const text = (element: XmlElement): string => element.children.map((child) => (typeof child === 'string' ? child : text(child))).join('')

describe('scenario reporters', () => {
  it('junit: well-formed XML, one testcase per step, counts, escaped text', () => {
    const xml = renderJunit(sampleReport())
    const root = parseXml(xml)
    expect(root.name).to.equal('testsuites')
    expect(root.attributes).to.include({tests: '6', failures: '1', errors: '1', skipped: '2'})
    const suites = childElements(root, 'testsuite')
    expect(suites.map((suite) => suite.attributes.name)).to.deep.equal(['gatekeeper # works', 'does not start', 'fine'])
    const [first, second] = suites
    expect(first!.attributes).to.include({tests: '3', failures: '1', errors: '0', skipped: '1', file: 'plugins/gatekeeper/scenario.yaml'})
    const cases = childElements(first!, 'testcase')
    expect(cases.map((testcase) => testcase.attributes.line)).to.deep.equal(['5', '7', '11'])
    // Control characters cannot appear in XML at all; they are replaced, everything else round-trips.
    expect(cases[1]!.attributes.name).to.equal(`step 2: ${NASTY.replace('\u0001', '\uFFFD')}`)
    const failure = childElements(cases[1]!, 'failure')[0]!
    expect(failure.attributes.type).to.equal('members')
    expect(text(failure)).to.contain('plugins/gatekeeper/scenario.yaml:9: members: expected exactly').and.contain('+   - "bob"'.replace('+   ', '+ '))
    expect(childElements(cases[2]!, 'skipped')[0]!.attributes.message).to.equal('an earlier step failed')
    const setup = childElements(second!, 'testcase')[0]!
    expect(setup.attributes.name).to.equal('setup')
    expect(childElements(setup, 'error')[0]!.attributes.message).to.equal('setup failed: plugin x failed to load: <boom>')
  })

  it('the XML check itself refuses malformed documents', () => {
    const bad = [
      '<a><b></a>',
      '<a x="1" x="2"/>',
      '<a>&nope;</a>',
      '<a>AT&T</a>',
      '<a b="<"/>',
      '<a/><b/>',
      '<a>\u0001</a>',
      '<a><!-- x -- y --></a>',
      '<a>]]></a>',
      '<a',
    ]
    for (const xml of bad) expect(() => parseXml(xml), xml).to.throw()
    expect(parseXml('<?xml version="1.0"?>\n<!-- c --><a q=\'&lt;&#65;&#x42;\'><![CDATA[<raw>]]></a>').children).to.deep.equal(['<raw>'])
  })

  it('tap: version 14, a plan first, subtests per scenario, YAML diagnostics that parse', () => {
    const tap = renderTap(sampleReport(), (value) => stringify(value, {lineWidth: 0}))
    expect(tapProblems(tap)).to.deep.equal([])
    const lines = tap.split('\n')
    expect(lines.slice(0, 3)).to.deep.equal(['TAP version 14', '1..3', '# Subtest: gatekeeper \\# works'])
    expect(lines).to.include('    not ok 2 - step 2: a <b> & "c" \'d\' \\# e \\\\ ]]> \uFFFD ✓')
    expect(lines).to.include('    ok 3 - step 3: room leave general --user bob # SKIP an earlier step failed')
    expect(lines).to.include('not ok 1 - gatekeeper \\# works')
    expect(lines).to.include('    not ok 1 - setup')
    expect(lines).to.include('ok 3 - fine')
  })

  it('the TAP check itself finds broken documents', () => {
    expect(tapProblems('TAP version 14\n1..2\nok 1 - a\n')).to.deep.equal(['document at line 2: plan says 2, found 1 test points'])
    expect(tapProblems('TAP version 14\n1..2\nok 1 - a\nok 3 - b\n')).to.deep.equal(['line 4: test point 3 out of order (expected 2)'])
    expect(tapProblems('1..1\nok 1\n')[0]).to.match(/TAP version/)
    expect(tapProblems('TAP version 14\n1..1\nnot ok 1 - a\n  ---\n  a: [\n  ...\n')[0]).to.match(/YAML block does not parse/)
    expect(tapProblems('TAP version 14\n1..1\nok 1 - a # b\n')[0]).to.match(/unescaped #/)
    expect(tapProblems('TAP version 14\n1..1\nhello\nok 1\n')[0]).to.match(/not a TAP line/)
  })

  it('json: the report document itself', () => {
    const report = sampleReport()
    expect(JSON.parse(renderJson(report))).to.deep.equal(JSON.parse(JSON.stringify(report)))
  })

  it('pretty: a line per scenario, failures with file:line and diff, steps per second', () => {
    const out = renderPretty(sampleReport(), new Chalk({level: 0}))
    expect(out).to.contain('✗ gatekeeper # works  plugins/gatekeeper/scenario.yaml  2 steps, 13 ms')
    expect(out).to.contain('    ✗ 2. ')
    expect(out).to.contain('        plugins/gatekeeper/scenario.yaml:9  members')
    expect(out).to.contain('          + - "bob"')
    expect(out).to.contain('    1 later step skipped (an earlier step failed)')
    expect(out).to.contain('        broken.yaml:1  setup'.trimStart())
    expect(out).to.contain('✓ fine  z.yaml  1 step, 1 ms')
    expect(out).to.contain('3 scenarios (1 passed, 2 failed) in 3 files')
    expect(out).to.contain('5 steps (2 passed, 1 failed, 2 skipped) in 20 ms: 150 steps/s')
  })
})
