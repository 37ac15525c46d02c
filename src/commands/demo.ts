import {join} from 'node:path'

import {BaseCommand} from '../base-command.js'
import {DEFAULT_CONFIG} from '../config/schema.js'
import {outcomeView} from '../domain/room-view.js'
import type {Outcome, Room} from '../domain/types.js'
import {RoomsimError} from '../errors.js'
import {BUNDLED_PLUGINS} from '../package-root.js'
import {formatOutcome} from '../output/outcome.js'
import {loadStyle} from '../output/style.js'
import {formatProblem, parseScenarioFile} from '../scenario/parse.js'
import {prettyScenario} from '../scenario/reporters/pretty.js'
import {runScenario} from '../scenario/run.js'
import {commandLine} from '../scenario/steps.js'

/** The demo story is an ordinary scenario, shipped beside the example plugins it uses. */
const DEMO_SCENARIO = join(BUNDLED_PLUGINS, 'demo.scenario.yaml')

export default class Demo extends BaseCommand<typeof Demo> {
  static override summary = 'Run a short narrated story with the six example plugins on a throwaway store.'
  static override description = `Narrates the bundled scenario plugins/demo.scenario.yaml: creates, a prevented create, joins, a vetoed join, a leave, a prevented delete and a delete, printing every hook chain and checking every expectation. Nothing is left behind.

Write your own with the same format and run it with "roomsim scenario run FILE".`

  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --json']

  async run(): Promise<{steps: {say: string; outcome: Outcome<Room>}[]}> {
    const parsed = await parseScenarioFile('demo.scenario.yaml', DEMO_SCENARIO)
    if (parsed.problems.length > 0) throw new RoomsimError('INTERNAL', `the bundled demo scenario is invalid: ${formatProblem(parsed.problems[0]!)}`)
    const scenario = parsed.scenarios[0]!
    const style = await loadStyle()
    const steps: {say: string; outcome: Outcome<Room>}[] = []
    // The demo ignores any roomsim config around it: the story must read the same everywhere.
    const result = await runScenario(scenario, {config: structuredClone(DEFAULT_CONFIG)}, {
      stepEnd: (_, stepResult, step) => {
        if (!stepResult.outcome) return
        const say = step.name ?? stepResult.label
        steps.push({say, outcome: outcomeView(stepResult.outcome)})
        this.log(`\n${style.bold(`${steps.length}. ${say}`)}\n${style.dim(`$ roomsim ${commandLine(step)}`)}`)
        this.log(formatOutcome(stepResult.outcome, style, {verbose: true}))
      },
    })
    if (result.status === 'passed') {
      this.log(`\n${style.green('✓')} every expectation of the story held (${result.steps.length} steps).`)
    } else {
      this.log(`\n${prettyScenario(result, style)}`)
      process.exitCode = 1
    }
    this.log(style.dim('The demo store was temporary and is gone. Run your own: roomsim room create NAME, or roomsim scenario run FILE'))
    return {steps}
  }
}
