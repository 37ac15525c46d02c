/**
 * The JSON and JUnit reports, written as the run goes, so that a report of any
 * size is written and a run keeps no more than one scenario's small step results.
 *
 * JSON: the Report document (report.ts) with `summary` written last, once it is
 * known; each step is written when it ends, its outcome with it, on one line
 * (the envelope is indented; an indented step took 6–11 µs to write, a compact one 3 µs).
 * JUnit: a suite's counts come before its cases, and the totals before every
 * suite, so suites are written to a scratch file as they end and copied out
 * after the header at the end.
 */
import {closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {StringDecoder} from 'node:string_decoder'

import {outcomeView} from '../../domain/room-view.js'
import type {Shard} from '../files.js'
import {REPORT_FORMAT, type ScenarioResult, type StepResult} from '../report.js'
import type {Reporter} from './index.js'
import {junitHead, testsuite} from './junit.js'

/** `value` as pretty JSON, every line after the first indented by `indent`. */
const json = (value: unknown, indent: string): string => JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`)

/** The JSON reporter; a report already made is written through it by replaying its scenarios' ends (renderJson). */
export interface JsonReporter extends Reporter {
  scenarioEnd(result: ScenarioResult): void
}

export function streamingJsonReporter(write: (text: string) => void, shard: Shard | undefined): JsonReporter {
  let scenarios = 0
  let open: {steps: number} | undefined
  // A step's outcome is printed with its room's member list (read here, when it is shown).
  const stepText = (step: StepResult, first: boolean) => `${first ? '\n' : ',\n'}        ${JSON.stringify(step.outcome ? {...step, outcome: outcomeView(step.outcome)} : step)}`
  const openScenario = (head: Pick<ScenarioResult, 'file' | 'name' | 'line'>) => {
    write(`${scenarios++ === 0 ? '\n' : ',\n'}    {\n      "file": ${JSON.stringify(head.file)},\n      "name": ${JSON.stringify(head.name)},\n      "line": ${head.line},\n      "steps": [`)
    open = {steps: 0}
  }
  return {
    start: () => write(`{\n  "tool": "roomsim",\n  "format": ${REPORT_FORMAT},\n  "shard": ${json(shard ?? null, '  ')},\n  "scenarios": [`),
    scenarioStart: (scenario) => openScenario(scenario),
    stepEnd(_scenario, result) {
      write(stepText(result, open!.steps++ === 0))
    },
    scenarioEnd(result) {
      if (!open) openScenario(result)
      // Steps that never ran (skipped) had no stepEnd.
      for (const step of result.steps.slice(open!.steps)) write(stepText(step, open!.steps++ === 0))
      const rest = {status: result.status, durationMs: result.durationMs, error: result.error, ...(result.skipReason === undefined ? {} : {skipReason: result.skipReason})}
      const tail = Object.entries(rest).map(([key, value]) => `,\n      ${JSON.stringify(key)}: ${json(value, '      ')}`).join('')
      write(`${open!.steps > 0 ? '\n      ' : ''}]${tail}\n    }`)
      open = undefined
    },
    end: (report) => write(`${scenarios > 0 ? '\n  ' : ''}],\n  "summary": ${json(report.summary, '  ')}\n}\n`),
  }
}

export function streamingJunitReporter(write: (text: string) => void): Reporter {
  const folder = mkdtempSync(join(tmpdir(), 'roomsim-junit-'))
  const scratch = join(folder, 'suites.xml')
  const fd = openSync(scratch, 'w+')
  const counts = {tests: 0, errors: 0}
  return {
    start() {},
    scenarioEnd(result) {
      writeSync(fd, `${testsuite(result)}\n`)
      // Only what the totals need is kept, not the step results.
      counts.tests += result.steps.length + (result.error ? 1 : 0)
      if (result.error) counts.errors++
    },
    end(report) {
      try {
        write(`${junitHead(report, counts)}\n`)
        const buffer = Buffer.alloc(1024 * 1024)
        const decoder = new StringDecoder('utf8')
        for (let position = 0, read; (read = readSync(fd, buffer, 0, buffer.length, position)) > 0; position += read) write(decoder.write(buffer.subarray(0, read)))
        write('</testsuites>\n')
      } finally {
        closeSync(fd)
        rmSync(folder, {recursive: true, force: true})
      }
    },
  }
}
