/**
 * Merging the reports of shards into one. JSON reports merge into a JSON
 * report (from which every other format can be rendered); JUnit files merge by
 * gathering their <testsuite> elements under one <testsuites> with new totals.
 */
import {readFileSync} from 'node:fs'

import {RoomsimError} from '../errors.js'
import type {Report} from './report.js'
import {REPORT_FORMAT, summarize} from './report.js'
import {renderJunit} from './reporters/junit.js'
import {childElements, parseXml, serializeXml, type XmlElement, XmlError} from './xml.js'

export type ReportFile = {file: string; kind: 'json'; report: Report} | {file: string; kind: 'junit'; suites: XmlElement[]}

export function readReportFile(file: string): ReportFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new RoomsimError('BAD_FILE', `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message}`)
  }
  const start = text.trimStart()[0]
  if (start === '{') return {file, kind: 'json', report: jsonReport(file, text)}
  if (start === '<') return {file, kind: 'junit', suites: junitSuites(file, text)}
  throw new RoomsimError('BAD_FILE', `${file}: neither a JSON report nor JUnit XML from roomsim scenario run`)
}

function jsonReport(file: string, text: string): Report {
  let value: Partial<Report>
  try {
    value = JSON.parse(text) as Partial<Report>
  } catch (error) {
    throw new RoomsimError('BAD_FILE', `${file}: not valid JSON: ${(error as Error).message}`)
  }
  if (value.tool !== 'roomsim' || value.format !== REPORT_FORMAT || !Array.isArray(value.scenarios)) {
    throw new RoomsimError('BAD_FILE', `${file}: not a roomsim scenario report (format ${REPORT_FORMAT}); make it with --reporter json`)
  }
  return value as Report
}

function junitSuites(file: string, text: string): XmlElement[] {
  let root: XmlElement
  try {
    root = parseXml(text)
  } catch (error) {
    if (error instanceof XmlError) throw new RoomsimError('BAD_FILE', `${file}:${error.message}`)
    throw error
  }
  if (root.name === 'testsuite') return [root]
  if (root.name === 'testsuites') return childElements(root, 'testsuite')
  throw new RoomsimError('BAD_FILE', `${file}: the root element is <${root.name}>, not <testsuites> or <testsuite>`)
}

/** Problems with the set of shards (missing, repeated, mixed), as warnings: the merge itself still succeeds. */
export function shardWarnings(reports: {file: string; report: Report}[]): string[] {
  const warnings: string[] = []
  const sharded = reports.filter(({report}) => report.shard)
  if (sharded.length > 0) {
    const counts = new Set(sharded.map(({report}) => report.shard!.count))
    if (counts.size > 1) warnings.push(`the reports come from different shard counts (${[...counts].join(', ')})`)
    else {
      const count = [...counts][0]!
      const seen = new Map<number, string>()
      for (const {file, report} of sharded) {
        const index = report.shard!.index
        if (seen.has(index)) warnings.push(`shard ${index}/${count} appears twice (${seen.get(index)} and ${file})`)
        seen.set(index, file)
      }
      const missing = Array.from({length: count}, (_, index) => index + 1).filter((index) => !seen.has(index))
      if (missing.length > 0) warnings.push(`missing shard${missing.length === 1 ? '' : 's'} ${missing.map((index) => `${index}/${count}`).join(', ')}`)
    }
  }
  const owner = new Map<string, string>()
  for (const {file, report} of reports) {
    for (const scenarioFile of new Set(report.scenarios.map((scenario) => scenario.file))) {
      if (owner.has(scenarioFile) && owner.get(scenarioFile) !== file) warnings.push(`${scenarioFile} is in both ${owner.get(scenarioFile)} and ${file}`)
      owner.set(scenarioFile, file)
    }
  }
  return warnings
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** One report from many: scenarios in file order (as an unsharded run lists them), totals recounted, time summed. */
export function mergeJsonReports(reports: Report[]): Report {
  const scenarios = reports.flatMap((report) => report.scenarios)
  const order = new Map(scenarios.map((scenario, index) => [scenario, index]))
  scenarios.sort((a, b) => byCodePoint(a.file, b.file) || order.get(a)! - order.get(b)!)
  const durationMs = reports.reduce((sum, report) => sum + report.summary.durationMs, 0)
  return {tool: 'roomsim', format: REPORT_FORMAT, shard: null, summary: summarize(scenarios, durationMs), scenarios}
}

const numberOf = (element: XmlElement, name: string, fallback: number): number => {
  const value = Number(element.attributes[name])
  return Number.isFinite(value) ? value : fallback
}

/** JUnit files (and JSON reports, rendered) as one <testsuites> document. */
export function mergeJunit(inputs: ReportFile[]): string {
  const suites = inputs.flatMap((input) => (input.kind === 'junit' ? input.suites : childElements(parseXml(renderJunit(input.report)), 'testsuite')))
  const total = (name: string, count: (suite: XmlElement) => number) => suites.reduce((sum, suite) => sum + numberOf(suite, name, count(suite)), 0)
  const cases = (suite: XmlElement) => childElements(suite, 'testcase')
  const withChild = (child: string) => (suite: XmlElement) => cases(suite).filter((testcase) => childElements(testcase, child).length > 0).length
  const root: XmlElement = {
    name: 'testsuites',
    attributes: {
      name: 'roomsim scenarios',
      tests: String(total('tests', (suite) => cases(suite).length)),
      failures: String(total('failures', withChild('failure'))),
      errors: String(total('errors', withChild('error'))),
      skipped: String(total('skipped', withChild('skipped'))),
      time: total('time', () => 0).toFixed(3),
    },
    children: suites,
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(root)}\n`
}
