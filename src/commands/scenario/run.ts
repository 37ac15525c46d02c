import {mkdirSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {RoomsimError, SCENARIO_EXIT} from '../../errors.js'
import {openFileWriter} from '../../output/file-writer.js'
import {loadStyle} from '../../output/style.js'
import {parseShard} from '../../scenario/files.js'
import {formatProblem} from '../../scenario/parse.js'
import {hasFailures, type Report} from '../../scenario/report.js'
import {createReporter, fanOut, type Reporter, type ReporterName, REPORTERS} from '../../scenario/reporters/index.js'
import {type LoadedSuite, loadSuite, runSuite} from '../../scenario/suite.js'
import {leaveSignalsToCaller} from '../../scenario/temp-stores.js'
import {type WatchedRun, watchScenarios} from '../../watch/scenarios.js'

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
    watch: Flags.boolean({summary: 'Keep running: re-run the scenarios a change affects (a scenario file, a plugin it loads, the config) until Ctrl-C.'}),
  }

  async run(): Promise<Report | undefined> {
    const {argv} = await this.parse(ScenarioRun)
    const files = argv as string[]
    if (this.flags.watch) {
      if (this.jsonEnabled()) throw new RoomsimError('USAGE', '--watch keeps running and redraws for a person; it cannot be combined with --json')
      leaveSignalsToCaller()
      const terminal = process.stdout.isTTY && process.env.TERM !== 'dumb' ? process.stdout : undefined
      await watchScenarios({cwd: process.cwd(), run: (only) => this.runOnce(files, only), ...(terminal ? {terminal} : {})})
      process.exitCode = 0
      return undefined
    }
    const {report, problems} = await this.runFiles(files)
    if (problems) this.refuse(problems)
    process.exitCode = hasFailures(report!) ? SCENARIO_EXIT.expectationFailed : SCENARIO_EXIT.passed
    // With --json the report was streamed as it ran; the one returned holds no outcomes.
    return this.jsonEnabled() ? undefined : report
  }

  /** One run under --watch: invalid files are reported and skipped rather than ending the watch. */
  private async runOnce(files: string[], only: Set<string> | undefined): Promise<WatchedRun> {
    const workspace = await this.workspace().catch((error: unknown) => {
      process.stderr.write(`Error: ${(error as Error).message}\n`)
      return undefined
    })
    const {suite, problems} = await this.runFiles(files, only).catch((error: unknown) => {
      process.stderr.write(`Error: ${(error as Error).message}\n`)
      return {suite: undefined, problems: undefined}
    })
    if (problems) process.stderr.write(`${problems.join('\n')}\n`)
    const pluginsOf = new Map((suite?.files ?? []).map((file) => [file.path, [...new Set(file.scenarios.flatMap((scenario) => scenario.plugins.map((plugin) => plugin.resolved.root)))]]))
    return {
      scenarioFiles: suite?.files.map((file) => file.path) ?? [],
      pluginsOf,
      sharedPlugins: workspace ? workspace.plugins().map((plugin) => plugin.root).filter(Boolean) : [],
      ...(workspace?.config.filepath ? {configFile: workspace.config.filepath} : {}),
    }
  }

  /** Loads the files (only those in `only`, when given) and runs their scenarios; problems instead when a file is invalid. */
  private async runFiles(files: string[], only?: Set<string>): Promise<{suite: LoadedSuite; report?: Report; problems?: string[]}> {
    const {flags} = this
    const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
    const grep = flags.grep === undefined ? undefined : toRegExp(flags.grep)
    const suite = await loadSuite(files, {cwd: process.cwd(), ...(shard ? {shard} : {}), ...(grep ? {grep} : {})})
    const inScope = (path: string): boolean => only === undefined || only.has(path)
    const problems = suite.problems.filter((problem) => inScope(suite.files.find((file) => file.file === problem.file)?.path ?? ''))
    if (problems.length > 0) return {suite, problems: problems.map(formatProblem)}
    const scenarios = suite.scenarios.filter((scenario) => inScope(scenario.path))
    if (grep && scenarios.length === 0 && suite.total > 0) process.stderr.write(`No scenario name matches --grep ${flags.grep}.\n`)

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
      const file = openFileWriter(target)
      this.onCleanup(() => file.close())
      reporters.push(await createReporter(reporterName, {write: (text) => file.write(text), style: await loadStyle({isTTY: false} as NodeJS.WriteStream), verbose: flags.verbose, bail: flags.bail, ...shardOption}))
    }
    if (this.jsonEnabled()) {
      reporters.push(await createReporter('json', {write: (text) => process.stdout.write(text), style: await loadStyle({isTTY: false} as NodeJS.WriteStream), ...shardOption}))
    } else {
      const style = await loadStyle()
      const name = flags.output ? 'pretty' : reporterName
      // A progress line redraws with escape codes: only on a terminal that understands them.
      const progress = name === 'pretty' && process.stdout.isTTY && process.env.TERM !== 'dumb' ? {progress: process.stdout} : {}
      reporters.push(await createReporter(name, {write: (text) => process.stdout.write(text), style, verbose: flags.verbose, bail: flags.bail, ...progress}))
    }
    const report = await runSuite(scenarios, {config: workspace.config, ...(explicitStore ? {storePath: workspace.storePath} : {}), bail: flags.bail, ...shardOption}, fanOut(reporters))
    return {suite, report}
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
