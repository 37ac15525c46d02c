/**
 * Reporters listen to a run as it goes and write where they are told. pretty
 * and tap print a result as soon as its scenario ends; json and junit stream
 * too (see streaming.ts), so no report is ever built as one string.
 */
import type {ChalkInstance} from 'chalk'

import type {Report} from '../report.js'
import type {RunEvents} from '../run.js'
import type {Scenario} from '../types.js'
import type {Shard} from '../files.js'
import {streamingJsonReporter, streamingJunitReporter} from './streaming.js'
import {prettyScenario, prettySummary, Progress} from './pretty.js'
import {tapFooter, tapHeader, tapScenario} from './tap.js'

export const REPORTERS = ['pretty', 'tap', 'junit', 'json'] as const
export type ReporterName = (typeof REPORTERS)[number]

export interface Reporter extends RunEvents {
  start(scenarios: Scenario[]): void
  end(report: Report): void
}

export interface ReporterOptions {
  write(text: string): void
  style: ChalkInstance
  verbose?: boolean
  bail?: boolean
  /** Written into the JSON report. */
  shard?: Shard
  /** A terminal to draw a progress line on (pretty only). */
  progress?: NodeJS.WriteStream
}

export async function createReporter(name: ReporterName, options: ReporterOptions): Promise<Reporter> {
  const {write} = options
  switch (name) {
    case 'json':
      return streamingJsonReporter(write, options.shard)
    case 'junit':
      return streamingJunitReporter(write)
    case 'tap': {
      const {stringify} = await import('yaml')
      const toYaml = (value: unknown) => stringify(value, {lineWidth: 0})
      let number = 0
      let bailed = false
      return {
        start: (scenarios) => write(`${tapHeader(scenarios.length)}\n`),
        scenarioEnd(result) {
          if (bailed) return
          write(`${tapScenario(result, ++number, toYaml)}\n`)
          if (options.bail && result.status === 'failed') {
            bailed = true
            write(`Bail out! ${result.name} failed (--bail)\n`)
          }
        },
        end: (report) => {
          if (!bailed) write(`${tapFooter(report.summary)}\n`)
        },
      }
    }
    case 'pretty': {
      let progress: Progress | undefined
      return {
        start(scenarios) {
          if (options.progress) progress = new Progress(options.progress, scenarios.length, options.style)
        },
        stepEnd: (scenario, result) => progress?.step(scenario.name, result, scenario.steps.length),
        scenarioEnd(result) {
          progress?.scenarioDone()
          progress?.clear()
          write(`${prettyScenario(result, options.style, {verbose: options.verbose ?? false})}\n`)
        },
        end(report) {
          progress?.clear()
          write(`${prettySummary(report.summary, options.style)}\n`)
        },
      }
    }
  }
}

/** Several reporters as one (the chosen one to a file, pretty on the console). */
export function fanOut(reporters: Reporter[]): Reporter {
  return {
    start: (scenarios) => reporters.forEach((reporter) => reporter.start(scenarios)),
    scenarioStart: (scenario) => reporters.forEach((reporter) => reporter.scenarioStart?.(scenario)),
    stepEnd: (scenario, result, step) => reporters.forEach((reporter) => reporter.stepEnd?.(scenario, result, step)),
    scenarioEnd: (result, scenario) => reporters.forEach((reporter) => reporter.scenarioEnd?.(result, scenario)),
    end: (report) => reporters.forEach((reporter) => reporter.end(report)),
  }
}
