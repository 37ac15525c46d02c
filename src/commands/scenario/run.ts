import {closeSync, mkdirSync, openSync, writeSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {RoomsimError, SCENARIO_EXIT} from '../../errors.js'
import {loadStyle} from '../../output/style.js'
import {parseShard} from '../../scenario/files.js'
import {formatProblem} from '../../scenario/parse.js'
import {hasFailures, type Report} from '../../scenario/report.js'
import {createReporter, fanOut, type Reporter, type ReporterName, REPORTERS} from '../../scenario/reporters/index.js'
import {loadSuite, runSuite} from '../../scenario/suite.js'

export default class ScenarioRun extends BaseCommand<typeof ScenarioRun> {
  static override summary = 'Run scenario files: steps through the full hook chain, with expectations (for CI).'
  static override description = `Each scenario runs in a fresh temporary store, or in the one --store names, which is kept (ROOMSIM_STORE is not used here: a test run must not write into a real store by accident). Files and quoted globs are sorted and run in one process. The format is described in docs/scenarios.md.`

  static override examples = [
    '<%= config.bin %> scenario run plugins/*/scenario.yaml',
    '<%= config.bin %> scenario run "scenarios/**/*.yaml" --reporter junit --output reports/junit.xml',
    '<%= config.bin %> scenario run "scenarios/**/*.yaml" --shard 2/4 --reporter json --output shard-2.json',
    '<%= config.bin %> scenario run gatekeeper.yaml --grep banned --bail',
  ]

  static override strict = false
  static override args = {
    files: Args.string({description: 'Scenario files (YAML or JSON) or globs.', required: true}),
  }

  static override flags = {
    reporter: Flags.string({summary: 'Report format.', options: [...REPORTERS], default: 'pretty'}),
    output: Flags.string({summary: 'Write the report to this file; the console then shows the pretty report.'}),
    bail: Flags.boolean({summary: 'Stop at the first failing scenario (the rest are reported as skipped).'}),
    grep: Flags.string({summary: 'Run only scenarios whose name matches this regular expression.'}),
    shard: Flags.string({summary: 'Run shard i of n (e.g. 2/4): the sorted files at positions i-1, i-1+n, …'}),
  }

  async run(): Promise<Report | undefined> {
    const {argv} = await this.parse(ScenarioRun)
    const {flags} = this
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
    const grep = flags.grep === undefined ? undefined : toRegExp(flags.grep)
    const suite = await loadSuite(argv as string[], {cwd: process.cwd(), ...(shard ? {shard} : {}), ...(grep ? {grep} : {})})
    if (suite.problems.length > 0) this.refuse(suite.problems.map(formatProblem))
    if (grep && suite.scenarios.length === 0 && suite.total > 0) process.stderr.write(`No scenario name matches --grep ${flags.grep}.\n`)

    // Only an explicit --store keeps state: ROOMSIM_STORE in the environment must not redirect a test run into a real store.
    const explicitStore = this.argv.some((arg) => arg === '--store' || arg.startsWith('--store='))
    const workspace = await this.workspace()
    // --output takes the chosen report; the console shows the pretty one (or, with --json, only the JSON report).
    const reporterName = flags.reporter as ReporterName
    const reporters: Reporter[] = []
    const shardOption = shard ? {shard} : {}
    if (flags.output) {
      // The report goes to its file as the run goes: a report of any size is written, none is held whole.
      const target = resolve(flags.output)
      mkdirSync(dirname(target), {recursive: true})
      const fd = openSync(target, 'w')
      this.onCleanup(() => closeSync(fd))
      reporters.push(await createReporter(reporterName, {write: (text) => writeSync(fd, text), style: await loadStyle({isTTY: false} as NodeJS.WriteStream), verbose: flags.verbose, bail: flags.bail, ...shardOption}))
    }
    if (this.jsonEnabled()) {
      reporters.push(await createReporter('json', {write: (text) => process.stdout.write(text), style: await loadStyle({isTTY: false} as NodeJS.WriteStream), ...shardOption}))
    } else {
      const style = await loadStyle()
      const name = flags.output ? 'pretty' : reporterName
      const progress = name === 'pretty' && process.stdout.isTTY ? {progress: process.stdout} : {}
      reporters.push(await createReporter(name, {write: (text) => process.stdout.write(text), style, verbose: flags.verbose, bail: flags.bail, ...progress}))
    }
    const report = await runSuite(suite.scenarios, {config: workspace.config, ...(explicitStore ? {storePath: workspace.storePath} : {}), bail: flags.bail, ...shardOption}, fanOut(reporters))
    process.exitCode = hasFailures(report) ? SCENARIO_EXIT.expectationFailed : SCENARIO_EXIT.passed
    // With --json the report was streamed above; the one returned here holds no outcomes.
    return this.jsonEnabled() ? undefined : report
  }

  /** Invalid files: every problem on its own line, exit 2, nothing run. */
  private refuse(problems: string[]): never {
    if (this.jsonEnabled()) this.logJson({error: {code: 'BAD_FILE', message: problems[0], problems}})
    else process.stderr.write(`${problems.join('\n')}\n${problems.length} problem${problems.length === 1 ? '' : 's'} in scenario files; nothing was run.\n`)
    this.exit(SCENARIO_EXIT.invalidFile)
  }
}

function toRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern)
  } catch (error) {
    throw new RoomsimError('USAGE', `--grep ${pattern}: ${(error as Error).message}`)
  }
}
