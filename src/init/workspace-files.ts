/**
 * What `roomsim init` writes: a config that lists plugins, a first scenario,
 * `.roomsim/` in `.gitignore`, and with examples a copy of the six example
 * plugins. Nothing is overwritten: when a target exists, nothing is written.
 */
import {cpSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {RoomsimError} from '../errors.js'
import {BUNDLED_PLUGINS} from '../package-root.js'

/** The bundled example plugins, in the order the README's first sample shows their hooks. */
export const EXAMPLE_PLUGINS = ['name-policy', 'room-defaults', 'welcome', 'gatekeeper', 'archive-guard', 'audit'] as const

export const CONFIG_FILE = 'roomsim.config.yaml'
export const SCENARIO_FILE = 'scenario.yaml'

export interface InitResult {
  folder: string
  /** What was created or changed, relative to the folder. */
  written: string[]
  plugins: string[]
}

function configText(examples: boolean): string {
  const header = `# roomsim config (README "Config"). Paths are relative to this file.
# Room commands run these plugins, in this order, then any installed with
# "roomsim plugins install" or linked with "roomsim plugins link".
`
  if (!examples) {
    return `${header}plugins: []
#  - path: ./plugins/my-plugin          # a folder: its package.json names the entry
#    settings: { banned: [spam] }
#  - package: some-installed-plugin     # placed here; installed with roomsim plugins install
`
  }
  return `${header}plugins:
${EXAMPLE_PLUGINS.map((name) => `  - path: ./plugins/${name}`).join('\n')}
`
}

function scenarioText(examples: boolean): string {
  if (!examples) {
    return `# Run with: roomsim scenario run ${SCENARIO_FILE}
# Each run uses a fresh temporary store; add plugins under "plugins:" to test them.
name: a first scenario
steps:
  - create: { room: general, by: alice }
    expect: completed
  - join: { room: general, user: bob }
    expect: { status: completed, members: [alice, bob] }
`
  }
  return `# Run with: roomsim scenario run ${SCENARIO_FILE}
# Each run uses a fresh temporary store; the plugins are the ones copied into ./plugins.
name: gatekeeper refuses banned users
plugins:
  - path: ./plugins/gatekeeper
    settings: { banned: [mallory] }
  - path: ./plugins/welcome
steps:
  - create: { room: general, by: alice }
    expect: completed
  - join: { room: general, user: mallory }
    expect: { status: prevented, prevented: { plugin: gatekeeper, reason: /banned/ } }
  - join: { room: general, user: bob }
    expect: { status: completed, members: [alice, bob], messages: { contains: "Welcome" } }
`
}

const IGNORED = '.roomsim/'

export function initWorkspace(folder: string, {examples}: {examples: boolean}): InitResult {
  const targets = [CONFIG_FILE, SCENARIO_FILE, ...(examples ? EXAMPLE_PLUGINS.map((name) => `plugins/${name}`) : [])]
  const taken = targets.filter((target) => existsSync(join(folder, target)))
  if (taken.length > 0) {
    throw new RoomsimError('BAD_FILE', `${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''} in ${folder}; nothing was written (move ${taken.length === 1 ? 'it' : 'them'} away, or run init in another folder)`)
  }
  const written: string[] = []
  if (examples) {
    for (const name of EXAMPLE_PLUGINS) {
      cpSync(join(BUNDLED_PLUGINS, name), join(folder, 'plugins', name), {recursive: true})
      written.push(`plugins/${name}/`)
    }
  }
  writeFileSync(join(folder, CONFIG_FILE), configText(examples))
  writeFileSync(join(folder, SCENARIO_FILE), scenarioText(examples))
  written.push(CONFIG_FILE, SCENARIO_FILE)
  const gitignore = join(folder, '.gitignore')
  const ignored = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : ''
  if (!ignored.split('\n').some((line) => ['.roomsim', '.roomsim/', '/.roomsim', '/.roomsim/'].includes(line.trim()))) {
    writeFileSync(gitignore, `${ignored}${ignored === '' || ignored.endsWith('\n') ? '' : '\n'}${IGNORED}\n`)
    written.push('.gitignore')
  }
  return {folder, written, plugins: examples ? [...EXAMPLE_PLUGINS] : []}
}
