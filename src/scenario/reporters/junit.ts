/**
 * JUnit XML, as CI dashboards read it: one <testsuite> per scenario, one
 * <testcase> per step (plus a `setup` case when a scenario could not start).
 */
import type {Failure, Report, ScenarioResult, StepResult} from '../report.js'
import {escapeAttribute, escapeText} from '../xml.js'

const seconds = (ms: number): string => (ms / 1000).toFixed(3)

const attributes = (values: Record<string, string | number | undefined>): string =>
  Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeAttribute(String(value))}"`)
    .join('')

export const failureText = (file: string, failure: Failure): string =>
  [`${file}:${failure.line}: ${failure.expectation}: ${failure.message}`, ...(failure.diff ? [failure.diff] : [])].join('\n')

function testcase(scenario: ScenarioResult, step: StepResult): string {
  const head = `    <testcase${attributes({name: `step ${step.index}: ${step.label}`, classname: scenario.name, file: scenario.file, line: step.line, time: seconds(step.durationMs)})}`
  if (step.status === 'skipped') return `${head}>\n      <skipped${attributes({message: step.skipReason})}/>\n    </testcase>`
  if (step.status === 'passed') return `${head}/>`
  const [first] = step.failures
  const body = step.failures.map((failure) => failureText(scenario.file, failure)).join('\n\n')
  return `${head}>\n      <failure${attributes({message: first ? `${first.expectation}: ${first.message}` : 'failed', type: first?.expectation})}>${escapeText(body)}</failure>\n    </testcase>`
}

export function testsuite(scenario: ScenarioResult): string {
  const counts = {
    tests: scenario.steps.length + (scenario.error ? 1 : 0),
    failures: scenario.steps.filter((step) => step.status === 'failed').length,
    errors: scenario.error ? 1 : 0,
    skipped: scenario.steps.filter((step) => step.status === 'skipped').length,
  }
  const cases = scenario.steps.map((step) => testcase(scenario, step))
  if (scenario.error) {
    const error = scenario.error
    cases.unshift(
      `    <testcase${attributes({name: 'setup', classname: scenario.name, file: scenario.file, line: error.line, time: '0.000'})}>\n      <error${attributes({message: error.message, type: 'setup'})}>${escapeText(failureText(scenario.file, error))}</error>\n    </testcase>`,
    )
  }
  return [`  <testsuite${attributes({name: scenario.name, ...counts, time: seconds(scenario.durationMs), file: scenario.file})}>`, ...cases, '  </testsuite>'].join('\n')
}

/** The XML declaration and the opening <testsuites> with the run's totals (`tests` and `errors` counted from the scenarios). */
export function junitHead(report: Pick<Report, 'summary'>, counts: {tests: number; errors: number}): string {
  const totals = {tests: counts.tests, failures: report.summary.steps.failed, errors: counts.errors, skipped: report.summary.steps.skipped}
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attributes({name: 'roomsim scenarios', ...totals, time: seconds(report.summary.durationMs)})}>`].join('\n')
}

export function renderJunit(report: Report): string {
  const suites = report.scenarios.map(testsuite)
  const counts = {
    tests: report.scenarios.reduce((sum, scenario) => sum + scenario.steps.length + (scenario.error ? 1 : 0), 0),
    errors: report.scenarios.filter((scenario) => scenario.error).length,
  }
  return [junitHead(report, counts), ...suites, '</testsuites>', ''].join('\n')
}
