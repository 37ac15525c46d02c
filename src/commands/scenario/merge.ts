import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {RoomsimError} from '../../errors.js'
import {mergeJsonReports, mergeJunit, readReportFile, type ReportFile, shardWarnings} from '../../scenario/merge.js'
import type {Report} from '../../scenario/report.js'
import {REPORTERS} from '../../scenario/reporters/index.js'
import {renderJson} from '../../scenario/reporters/json.js'
import {renderJunit} from '../../scenario/reporters/junit.js'
import {renderPretty} from '../../scenario/reporters/pretty.js'
import {renderTap} from '../../scenario/reporters/tap.js'

export default class ScenarioMerge extends BaseCommand<typeof ScenarioMerge> {
  static override summary = 'Merge the reports of shards (scenario run --shard i/n) into one report.'
  static override description = `Reads JSON reports (--reporter json) or JUnit XML files (--reporter junit). JSON reports merge into any format; JUnit files merge into JUnit. Missing or repeated shards are warned about on stderr.

The exit code says whether the merge worked (0), not whether the scenarios passed: the shard runs say that.`

  static override examples = [
    '<%= config.bin %> scenario merge shard-*.json --output report.json',
    '<%= config.bin %> scenario merge shard-*.json --reporter junit --output junit.xml',
    '<%= config.bin %> scenario merge junit-*.xml --output junit.xml',
  ]

  static override strict = false
  static override args = {
    files: Args.string({description: 'Report files to merge.', required: true}),
  }

  static override flags = {
    reporter: Flags.string({summary: 'Format of the merged report (default: json for JSON inputs, junit for JUnit inputs).', options: [...REPORTERS]}),
    output: Flags.string({summary: 'Write the merged report to this file instead of stdout.'}),
  }

  async run(): Promise<Report | undefined> {
    const {argv} = await this.parse(ScenarioMerge)
    const inputs = (argv as string[]).map(readReportFile)
    const json = inputs.filter((input): input is Extract<ReportFile, {kind: 'json'}> => input.kind === 'json')
    const format = this.jsonEnabled() ? 'json' : (this.flags.reporter ?? (json.length === inputs.length ? 'json' : 'junit'))
    if (format !== 'junit' && json.length !== inputs.length) {
      throw new RoomsimError('USAGE', `JUnit files merge only into --reporter junit (${inputs.find((input) => input.kind === 'junit')!.file} is JUnit)`)
    }
    for (const warning of shardWarnings(json)) process.stderr.write(`Warning: ${warning}\n`)
    const merged = json.length === inputs.length ? mergeJsonReports(json.map((input) => input.report)) : undefined
    let text: string
    if (format === 'junit') text = merged ? renderJunit(merged) : mergeJunit(inputs)
    else if (format === 'tap') {
      const {stringify} = await import('yaml')
      text = renderTap(merged!, (value) => stringify(value, {lineWidth: 0}))
    }
    else if (format === 'pretty') {
      const {Chalk} = await import('chalk')
      text = renderPretty(merged!, new Chalk({level: 0}))
    } else text = renderJson(merged!)
    if (this.flags.output) {
      const target = resolve(this.flags.output)
      mkdirSync(dirname(target), {recursive: true})
      writeFileSync(target, text)
    } else if (!this.jsonEnabled()) process.stdout.write(text)
    return merged
  }
}
