import type {Report} from '../report.js'
import {streamingJsonReporter} from './streaming.js'

/** The JSON report: exactly the Report document (see report.ts), which `scenario merge` reads back, laid out as a run streams it. */
export function renderJson(report: Report): string {
  let text = ''
  const reporter = streamingJsonReporter((chunk) => (text += chunk), report.shard ?? undefined)
  reporter.start([])
  for (const result of report.scenarios) reporter.scenarioEnd(result)
  reporter.end(report)
  return text
}
