import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {BaseCommand} from '../base-command.js'
import {DEMO_STORY, EXAMPLE_PLUGINS} from '../demo/story.js'
import type {Outcome} from '../domain/types.js'
import {formatOutcome} from '../output/outcome.js'
import {loadStyle} from '../output/style.js'
import {Workspace} from '../workspace.js'

/** The example plugins ship beside dist/ and src/. */
const PLUGINS_FOLDER = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'plugins')

export default class Demo extends BaseCommand<typeof Demo> {
  static override summary = 'Run a short narrated story with the six example plugins on a throwaway store.'
  static override description = 'Creates, a prevented create, joins, a vetoed join, a leave, a prevented delete and a delete, printing every hook chain. Nothing is left behind.'
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --json']

  async run(): Promise<{steps: {say: string; outcome: Outcome}[]}> {
    const folder = mkdtempSync(join(tmpdir(), 'roomsim-demo-'))
    this.onCleanup(() => rmSync(folder, {recursive: true, force: true}))
    const configPath = join(folder, 'roomsim.config.json')
    writeFileSync(configPath, JSON.stringify({plugins: EXAMPLE_PLUGINS.map((name) => ({path: join(PLUGINS_FOLDER, name)}))}, null, 2))
    const workspace = await Workspace.open({cwd: folder, configPath, storePath: join(folder, 'store.db')})
    const engine = workspace.engine()
    this.onCleanup(() => engine.close())
    const style = await loadStyle()
    const steps: {say: string; outcome: Outcome}[] = []
    for (const [index, step] of DEMO_STORY.entries()) {
      const outcome = await engine.run(step.action, step.input as never)
      steps.push({say: step.say, outcome})
      this.log(`\n${style.bold(`${index + 1}. ${step.say}`)}\n${style.dim(`$ roomsim ${commandLine(step)}`)}`)
      this.log(formatOutcome(outcome, style, {verbose: true}))
    }
    this.log(`\n${style.dim('The demo store was temporary and is gone. Run your own: roomsim room create NAME')}`)
    return {steps}
  }
}

function commandLine(step: (typeof DEMO_STORY)[number]): string {
  const input = step.input as Record<string, unknown>
  const [topic, verb] = step.action.split('.')
  const flags: string[] = []
  if (input.by) flags.push(`--by ${String(input.by)}`)
  if (input.user) flags.push(`--user ${String(input.user)}`)
  for (const member of (input.members as string[] | undefined) ?? []) flags.push(`--member ${member}`)
  if (input.isDefault) flags.push('--default')
  return [topic, verb, input.name ?? input.room, ...flags].join(' ')
}
