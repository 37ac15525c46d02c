/**
 * A whole `scenario run`: which files (globs, shard), parsed and validated up
 * front (one invalid file stops the run before anything runs), filtered by
 * name, run one after another, reported.
 */
import {type ParsedFile, parseScenarioFile} from './parse.js'
import type {Report} from './report.js'
import {REPORT_FORMAT, summarize} from './report.js'
import type {Reporter} from './reporters/index.js'
import {type RunOptions, runScenarios} from './run.js'
import {resolveScenarioFiles, type Shard, shardFiles} from './files.js'
import type {FileProblem, Scenario} from './types.js'

export interface LoadedSuite {
  files: ParsedFile[]
  scenarios: Scenario[]
  problems: FileProblem[]
  /** How many scenarios the files hold before --grep. */
  total: number
}

/** Resolves, shards and parses the files; `grep` keeps the scenarios whose name it matches. */
export async function loadSuite(args: string[], {cwd, shard, grep}: {cwd: string; shard?: Shard; grep?: RegExp}): Promise<LoadedSuite> {
  const refs = resolveScenarioFiles(args, cwd)
  const mine = shard ? shardFiles(refs, shard) : refs
  const files = await Promise.all(mine.map((ref) => parseScenarioFile(ref.file, ref.path)))
  const all = files.flatMap((file) => file.scenarios)
  return {
    files,
    scenarios: grep ? all.filter((scenario) => grep.test(scenario.name)) : all,
    problems: files.flatMap((file) => file.problems),
    total: all.length,
  }
}

export async function runSuite(scenarios: Scenario[], options: RunOptions & {shard?: Shard}, reporter: Reporter): Promise<Report> {
  reporter.start(scenarios)
  const started = performance.now()
  const results = await runScenarios(scenarios, options, reporter)
  const report: Report = {
    tool: 'roomsim',
    format: REPORT_FORMAT,
    shard: options.shard ?? null,
    summary: summarize(results, performance.now() - started),
    scenarios: results,
  }
  reporter.end(report)
  return report
}
