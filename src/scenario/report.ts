/**
 * The results of a scenario run, in the shape of the JSON report. Every other
 * reporter renders from these, and `scenario merge` reads them back, so this is
 * the one format the others derive from.
 */
import type {Outcome} from '../domain/types.js'
import type {StepKind, StepStatus} from './types.js'

export const REPORT_FORMAT = 1

export type ResultStatus = 'passed' | 'failed' | 'skipped'

export interface Failure {
  /** Which expectation: `status`, `members`, `fields.displayName`, `setup`… */
  expectation: string
  /** Line of the expectation in the scenario file (the step's line when it has none of its own). */
  line: number
  message: string
  expected?: unknown
  actual?: unknown
  /** Expected vs actual as a unified diff, when the values are structured. */
  diff?: string
}

export interface StepResult {
  index: number
  line: number
  kind: StepKind
  /** The step's name, or what it does as a command line. */
  label: string
  status: ResultStatus
  durationMs: number
  /** What the step came to (`invalid` when the action refused its input). */
  stepStatus?: StepStatus
  outcome?: Outcome
  failures: Failure[]
  /** Why the step did not run. */
  skipReason?: string
}

export interface ScenarioResult {
  file: string
  name: string
  line: number
  status: ResultStatus
  durationMs: number
  /** Set when the scenario could not start: seed refused, plugin failed to load. */
  error: Failure | null
  steps: StepResult[]
  skipReason?: string
}

export interface Summary {
  files: number
  scenarios: {total: number; passed: number; failed: number; skipped: number}
  steps: {total: number; passed: number; failed: number; skipped: number}
  durationMs: number
  /** Steps that ran (passed or failed) per second of run time. */
  stepsPerSecond: number
}

export interface Report {
  tool: 'roomsim'
  format: typeof REPORT_FORMAT
  shard: {index: number; count: number} | null
  summary: Summary
  scenarios: ScenarioResult[]
}

/** Totals of a list of scenario results; `durationMs` is the run's time (the sum of the scenarios' when merging). */
export function summarize(scenarios: ScenarioResult[], durationMs: number): Summary {
  const count = <T extends {status: ResultStatus}>(items: T[]) => ({
    total: items.length,
    passed: items.filter((item) => item.status === 'passed').length,
    failed: items.filter((item) => item.status === 'failed').length,
    skipped: items.filter((item) => item.status === 'skipped').length,
  })
  const steps = count(scenarios.flatMap((scenario) => scenario.steps))
  const ran = steps.passed + steps.failed
  return {
    files: new Set(scenarios.map((scenario) => scenario.file)).size,
    scenarios: count(scenarios),
    steps,
    durationMs: round(durationMs),
    stepsPerSecond: durationMs > 0 ? Math.round((ran / durationMs) * 1000 * 10) / 10 : 0,
  }
}

export const round = (ms: number): number => Math.round(ms * 100) / 100

export const hasFailures = (report: Report): boolean => report.summary.scenarios.failed > 0
