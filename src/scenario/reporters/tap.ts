/**
 * TAP version 14: one test point per scenario, its steps as an indented
 * subtest (which TAP 13 consumers read past), a YAML diagnostic block under
 * every failure. The plan comes first, so a consumer knows how many to expect.
 */
import type {Failure, Report, ScenarioResult, Summary} from '../report.js'

type Stringify = (value: unknown) => string

/** Descriptions must not end the line early, start a directive, or carry control characters to a terminal. */
const describe = (text: string): string =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/#/g, '\\#')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\u0000-\u001F\u007F]/g, '\uFFFD')

/** Every line, blank ones too: a bare empty line would end a subtest for a TAP consumer. */
const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .map((line) => by + line)
    .join('\n')

function diagnostics(stringify: Stringify, file: string, failures: Failure[], pad: string): string {
  const block = {
    message: failures.map((failure) => `${failure.expectation}: ${failure.message}`).join('\n'),
    at: {file, line: failures[0]?.line},
    failures: failures.map((failure) => ({
      expectation: failure.expectation,
      line: failure.line,
      message: failure.message,
      ...(failure.expected === undefined ? {} : {expected: failure.expected}),
      ...(failure.actual === undefined ? {} : {actual: failure.actual}),
      ...(failure.diff ? {diff: failure.diff} : {}),
    })),
  }
  return `${pad}  ---\n${indent(stringify(block).trimEnd(), `${pad}  `)}\n${pad}  ...`
}

/** The lines of one scenario: its subtest, then its own test point numbered `number`. */
export function tapScenario(result: ScenarioResult, number: number, stringify: Stringify): string {
  const pad = '    '
  const lines = [`# Subtest: ${describe(result.name)}`]
  let point = 0
  const plan = result.steps.length + (result.error ? 1 : 0)
  lines.push(`${pad}1..${plan}`)
  if (result.error) {
    lines.push(`${pad}not ok ${++point} - setup`, diagnostics(stringify, result.file, [result.error], pad))
  }
  for (const step of result.steps) {
    const description = `${pad}${step.status === 'failed' ? 'not ok' : 'ok'} ${++point} - ${describe(`step ${step.index}: ${step.label}`)}`
    if (step.status === 'skipped') lines.push(`${description} # SKIP ${describe(step.skipReason ?? '')}`)
    else if (step.status === 'failed') lines.push(description, diagnostics(stringify, result.file, step.failures, pad))
    else lines.push(description)
  }
  const own = `${result.status === 'failed' ? 'not ok' : 'ok'} ${number} - ${describe(result.name)}`
  lines.push(result.status === 'skipped' ? `${own} # SKIP ${describe(result.skipReason ?? '')}` : own)
  return lines.join('\n')
}

export const tapHeader = (count: number): string => `TAP version 14\n1..${count}`

export const tapFooter = (summary: Summary): string =>
  [
    `# scenarios ${summary.scenarios.total}, passed ${summary.scenarios.passed}, failed ${summary.scenarios.failed}, skipped ${summary.scenarios.skipped}`,
    `# steps ${summary.steps.total}, passed ${summary.steps.passed}, failed ${summary.steps.failed}, skipped ${summary.steps.skipped}`,
    `# duration ${(summary.durationMs / 1000).toFixed(2)} s, ${summary.stepsPerSecond} steps/s`,
  ].join('\n')

/** A whole report as TAP (what the streaming reporter prints, in one go). */
export function renderTap(report: Report, stringify: Stringify): string {
  return [tapHeader(report.scenarios.length), ...report.scenarios.map((scenario, index) => tapScenario(scenario, index + 1, stringify)), tapFooter(report.summary), ''].join('\n')
}
