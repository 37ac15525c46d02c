/**
 * The human report: one line per passing scenario, every failure with its
 * file:line, message and diff, and a summary with steps per second. On a
 * terminal, long runs show a progress line that is cleared as results print.
 */
import type {ChalkInstance} from 'chalk'

import {printable, printableLines} from '../../output/printable.js'
import type {Failure, Report, ScenarioResult, StepResult, Summary} from '../report.js'

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`

const duration = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`)

function failureLines(style: ChalkInstance, file: string, failure: Failure, pad: string): string[] {
  const lines = [`${pad}${style.cyan(`${printable(file)}:${failure.line}`)}  ${style.bold(printable(failure.expectation))}`, `${pad}${printableLines(failure.message)}`]
  if (failure.diff) {
    for (const line of printableLines(failure.diff).split('\n')) {
      const colored = line.startsWith('-') ? style.red(line) : line.startsWith('+') ? style.green(line) : style.dim(line)
      lines.push(line === '' ? '' : `${pad}  ${colored}`)
    }
  }
  return lines
}

function stepLine(style: ChalkInstance, step: StepResult, pad: string): string {
  const mark = step.status === 'passed' ? style.green('✓') : step.status === 'failed' ? style.red('✗') : style.gray('-')
  const time = step.status === 'skipped' ? style.gray(`skipped: ${printable(step.skipReason)}`) : style.dim(duration(step.durationMs))
  return `${pad}${mark} ${step.index}. ${printable(step.label)}  ${style.dim(`line ${step.line}`)}  ${time}`
}

/** One scenario: a line when it passed (and its steps with --verbose), every failure in full when it did not. */
export function prettyScenario(result: ScenarioResult, style: ChalkInstance, {verbose = false} = {}): string {
  const ran = result.steps.filter((step) => step.status !== 'skipped').length
  const where = style.dim(printable(result.file))
  const name = printable(result.name)
  if (result.status === 'skipped') return `${style.gray('-')} ${name}  ${where}  ${style.gray(`skipped: ${printable(result.skipReason)}`)}`
  const mark = result.status === 'passed' ? style.green('✓') : style.red('✗')
  const lines = [`${mark} ${name}  ${where}  ${style.dim(`${plural(ran, 'step')}, ${duration(result.durationMs)}`)}`]
  if (result.error) lines.push(...failureLines(style, result.file, result.error, '    '))
  for (const step of result.steps) {
    if (step.status === 'failed') {
      lines.push(stepLine(style, step, '    '))
      for (const failure of step.failures) lines.push(...failureLines(style, result.file, failure, '        '))
    } else if (verbose && step.status === 'passed') lines.push(stepLine(style, step, '    '))
  }
  const skipped = result.steps.filter((step) => step.status === 'skipped')
  if (skipped.length > 0 && !result.error) lines.push(`    ${style.gray(`${plural(skipped.length, 'later step')} skipped (${printable(skipped[0]!.skipReason)})`)}`)
  return lines.join('\n')
}

export function prettySummary(summary: Summary, style: ChalkInstance): string {
  const part = (counts: Summary['steps'], word: string) => {
    const details = [style.green(`${counts.passed} passed`), ...(counts.failed ? [style.red(`${counts.failed} failed`)] : []), ...(counts.skipped ? [style.gray(`${counts.skipped} skipped`)] : [])]
    return `${plural(counts.total, word)} (${details.join(', ')})`
  }
  return [
    '',
    `${part(summary.scenarios, 'scenario')} in ${plural(summary.files, 'file')}`,
    `${part(summary.steps, 'step')} in ${duration(summary.durationMs)}: ${style.bold(`${summary.stepsPerSecond} steps/s`)}`,
  ].join('\n')
}

export function renderPretty(report: Report, style: ChalkInstance, options: {verbose?: boolean} = {}): string {
  return [...report.scenarios.map((scenario) => prettyScenario(scenario, style, options)), prettySummary(report.summary, style), ''].join('\n')
}

/** Redraws at most this often. */
const PROGRESS_EVERY_MS = 100
/** Runs shorter than this never show progress. */
const PROGRESS_AFTER_MS = 300

/** A one-line progress display for a terminal: scenarios done, steps run, failures so far. */
export class Progress {
  private readonly started = performance.now()
  private lastDraw = 0
  private shown = false
  private scenariosDone = 0
  private steps = 0
  private failed = 0

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly total: number,
    private readonly style: ChalkInstance,
  ) {}

  step(scenario: string, step: StepResult, stepsInScenario: number): void {
    this.steps++
    if (step.status === 'failed') this.failed++
    const now = performance.now()
    if (now - this.started < PROGRESS_AFTER_MS || now - this.lastDraw < PROGRESS_EVERY_MS) return
    this.lastDraw = now
    const width = this.stream.columns ?? 80
    const failed = this.failed > 0 ? ` · ${this.failed} failed` : ''
    const text = `${this.scenariosDone}/${this.total} scenarios · ${this.steps} steps${failed} · step ${step.index}/${stepsInScenario} of ${scenario}`
    this.stream.write(`\r\u001B[2K${this.style.dim(text.slice(0, width - 1))}`)
    this.shown = true
  }

  scenarioDone(): void {
    this.scenariosDone++
  }

  /** Clears the line before anything else is printed. */
  clear(): void {
    if (!this.shown) return
    this.stream.write('\r\u001B[2K')
    this.shown = false
  }
}
