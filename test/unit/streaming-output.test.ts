import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import {listSome} from '../../src/output/outcome.js'
import {writeJsonArray} from '../../src/output/json-stream.js'
import {pageNote} from '../../src/output/page.js'
import {loadStyle} from '../../src/output/style.js'
import {type Report, type ScenarioResult, summarize} from '../../src/scenario/report.js'
import {renderJson} from '../../src/scenario/reporters/json.js'
import {renderJunit} from '../../src/scenario/reporters/junit.js'
import {streamingJsonReporter, streamingJunitReporter} from '../../src/scenario/reporters/streaming.js'
import type {Reporter} from '../../src/scenario/reporters/index.js'
import type {Scenario, Step} from '../../src/scenario/types.js'

const step = (index: number, status: 'passed' | 'failed' | 'skipped'): ScenarioResult['steps'][number] => ({
  index,
  line: index * 2,
  kind: 'join',
  label: `join <r> & "${index}" ✓`,
  status,
  durationMs: 1.5,
  failures: status === 'failed' ? [{expectation: 'members', line: 3, message: 'expected x\ngot y', expected: ['a'], actual: [], diff: '- a'}] : [],
  ...(status === 'skipped' ? {skipReason: 'an earlier step failed'} : {}),
})

function sample(): Report {
  const scenarios: ScenarioResult[] = [
    {file: 'a.yaml', name: 'first', line: 1, status: 'failed', durationMs: 10, error: null, steps: [step(1, 'passed'), step(2, 'failed'), step(3, 'skipped')]},
    {file: 'b.yaml', name: 'could not start', line: 4, status: 'failed', durationMs: 0, error: {expectation: 'setup', line: 4, message: 'setup failed: nope'}, steps: [step(1, 'skipped')]},
    {file: 'c.yaml', name: 'bailed', line: 1, status: 'skipped', durationMs: 0, error: null, steps: [], skipReason: 'an earlier scenario failed (--bail)'},
  ]
  return {tool: 'roomsim', format: 1, shard: {index: 1, count: 2}, summary: summarize(scenarios, 12), scenarios}
}

/** Plays a report to a reporter the way the runner does: stepEnd only for steps that ran, no start for a bailed scenario. */
function play(reporter: Reporter, report: Report): void {
  reporter.start([])
  for (const result of report.scenarios) {
    const scenario = {name: result.name, file: result.file, line: result.line} as Scenario
    if (result.status !== 'skipped') reporter.scenarioStart?.(scenario)
    for (const each of result.steps) if (each.status !== 'skipped') reporter.stepEnd?.(scenario, each, {} as Step)
    reporter.scenarioEnd?.(result, scenario)
  }
  reporter.end(report)
}

describe('streamed output', () => {
  it('a JSON array written item by item is what JSON.stringify writes', async () => {
    for (const items of [[], [{a: 1, b: [1, 2, {c: 'x\ny'}]}], Array.from({length: 3000}, (_, index) => ({index, text: 'x'.repeat(50)}))]) {
      const out = new PassThrough()
      let text = ''
      out.on('data', (chunk: Buffer) => (text += chunk.toString()))
      await writeJsonArray(items, out)
      expect(text).to.equal(`${JSON.stringify(items, null, 2)}\n`)
    }
  })

  it('the streamed JSON report is the report document', () => {
    const report = sample()
    let text = ''
    play(streamingJsonReporter((chunk) => (text += chunk), report.shard!), report)
    expect(JSON.parse(text)).to.deep.equal(JSON.parse(JSON.stringify(report)))
  })

  it('a made report is written as a run streams it, each step on one line', () => {
    const report = sample()
    let text = ''
    play(streamingJsonReporter((chunk) => (text += chunk), report.shard!), report)
    expect(renderJson(report)).to.equal(text)
    const stepLines = text.split('\n').filter((line) => line.startsWith('        {'))
    expect(stepLines.map((line) => JSON.parse(line.replace(/,$/, '')))).to.deep.equal(JSON.parse(JSON.stringify(report.scenarios.flatMap((scenario) => scenario.steps))))
  })

  it('the streamed JUnit report is the rendered one, byte for byte', () => {
    const report = sample()
    let text = ''
    play(streamingJunitReporter((chunk) => (text += chunk)), report)
    expect(text).to.equal(renderJunit(report))
  })

  it('long name lists are cut with a count; page notes say what is shown', () => {
    expect(listSome(['a', 'b'])).to.equal('a, b')
    const many = Array.from({length: 25}, (_, index) => `u${index}`)
    expect(listSome(many)).to.equal(`${many.slice(0, 20).join(', ')}, … and 5 more`)
    expect(pageNote('rooms', {shown: 3, total: 3, offset: 0})).to.equal(undefined)
    expect(pageNote('rooms', {shown: 50, total: 120, offset: 50})).to.equal('50 of 120 rooms shown (--offset 100 for the next page)')
    expect(pageNote('rooms', {shown: 20, total: 120, offset: 100})).to.equal('20 of 120 rooms shown')
  })

  it('without colour the style is plain text, at any depth, and can be awaited', async () => {
    const style = await loadStyle({isTTY: false} as NodeJS.WriteStream)
    expect(style.bold.red('a', 'b')).to.equal('a b')
    expect(style.dim(`x`)).to.equal('x')
  })
})
