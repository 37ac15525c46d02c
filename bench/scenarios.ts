/**
 * Scenario throughput: a 200-step scenario with the six example plugins, run
 * through the built CLI (`npm run build` first) a few times. Prints the
 * summary's steps per second (whole run: worker start, plugin loading, steps)
 * and the rate of the steps alone.
 *
 *   node --import tsx bench/scenarios.ts [runs]
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {Report} from '../src/scenario/report.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const PLUGINS = ['name-policy', 'room-defaults', 'welcome', 'gatekeeper', 'archive-guard', 'audit']
const STEPS = 200

/** Rooms made, joined, refused, left and deleted, with an expectation on every step. */
function scenario(): string {
  const lines = ['name: two hundred steps', 'plugins:', ...PLUGINS.map((name) => `  - path: ${join(ROOT, 'plugins', name)}`), 'steps:']
  const steps: string[][] = []
  for (let room = 0; steps.length < STEPS; room++) {
    const name = `room-${room}`
    steps.push([`  - create: {room: ${name}, by: alice}`, '    expect: {members: {includes: [alice]}, customFields: {retention: 30d}}'])
    for (const user of ['bob', 'carol', 'dave']) steps.push([`  - join: {room: ${name}, user: ${user}}`, `    expect: {members: {includes: [${user}]}, hooks: {gatekeeper: allowed}}`])
    steps.push([`  - join: {room: ${name}, user: mallory}`, '    expect: {prevented: gatekeeper}'])
    steps.push([`  - leave: {room: ${name}, user: bob}`, '    expect: {members: {excludes: [bob]}}'])
    steps.push([`  - delete: {room: ${name}, by: alice}`, '    expect: {exists: false}'])
  }
  return [...lines, ...steps.slice(0, STEPS).flat(), ''].join('\n')
}

const folder = mkdtempSync(join(tmpdir(), 'roomsim-bench-'))
try {
  const file = join(folder, 'bench.yaml')
  writeFileSync(file, scenario())
  const runs = Number(process.argv[2] ?? 3)
  for (let run = 1; run <= runs; run++) {
    const output = execFileSync(process.execPath, [join(ROOT, 'bin', 'run.js'), 'scenario', 'run', file, '--reporter', 'json'], {cwd: folder, encoding: 'utf8'})
    const report = JSON.parse(output) as Report
    const steps = report.scenarios[0]!.steps
    const stepMs = steps.reduce((sum, step) => sum + step.durationMs, 0)
    console.log(
      `run ${run}: ${steps.length} steps, ${report.summary.steps.failed} failed · whole run ${report.summary.durationMs.toFixed(0)} ms = ${report.summary.stepsPerSecond} steps/s · steps alone ${stepMs.toFixed(0)} ms = ${Math.round((steps.length / stepMs) * 1000)} steps/s`,
    )
  }
} finally {
  rmSync(folder, {recursive: true, force: true})
}
