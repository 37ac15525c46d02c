import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCommand, tempDir} from '../helpers/index.js'

describe('roomsim init', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => void
  const cli = (...args: string[]) => runCommand(args, {cwd: dir})
  beforeEach(() => ({dir, cleanup} = tempDir('roomsim-init-')))
  afterEach(() => cleanup())

  it('--examples: copies the six example plugins, lists them in the config, and room commands run them', async () => {
    const init = await cli('init', '--examples', '--json')
    expect(init.code, init.stderr).to.equal(0)
    expect(readdirSync(join(dir, 'plugins')).sort()).to.deep.equal(['archive-guard', 'audit', 'gatekeeper', 'name-policy', 'room-defaults', 'welcome'])
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).to.equal('.roomsim/\n')
    const created = await cli('room', 'create', 'dev-ops', '--by', 'alice', '--member', 'bob', '--json')
    expect(created.json().hooks.map((hook: {plugin: string}) => hook.plugin)).to.deep.equal(['name-policy', 'room-defaults', 'name-policy', 'welcome', 'audit'])
    const scenario = await cli('scenario', 'run', 'scenario.yaml')
    expect(scenario.code, scenario.stdout + scenario.stderr).to.equal(0)
    // plugins list fits an 80-column terminal; piped, nothing is cut.
    const narrow = await runCommand(['plugins', 'list'], {cwd: dir, tty: true, columns: 80})
    for (const line of narrow.stdout.trimEnd().split('\n')) expect(line.length, line).to.be.at.most(80)
    expect(narrow.stdout.split('\n')).to.have.length.at.least(7)
    const piped = await cli('plugins', 'list')
    expect(piped.stdout).to.include('IPreRoomCreatePrevent, IPreRoomCreateModify').and.include('config ./plugins/name-policy')
  })

  it('without --examples: a config with no plugins and a scenario that passes', async () => {
    expect((await cli('init')).code).to.equal(0)
    expect(existsSync(join(dir, 'plugins'))).to.equal(false)
    expect(readFileSync(join(dir, 'roomsim.config.yaml'), 'utf8')).to.match(/^plugins: \[\]$/m)
    expect((await cli('scenario', 'run', 'scenario.yaml')).code).to.equal(0)
  })

  it('keeps an existing .gitignore and adds .roomsim/ once', async () => {
    writeFileSync(join(dir, '.gitignore'), 'node_modules')
    expect((await cli('init')).code).to.equal(0)
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).to.equal('node_modules\n.roomsim/\n')
  })

  it('overwrites nothing: with a config already there it exits 2 and writes nothing', async () => {
    writeFileSync(join(dir, 'roomsim.config.yaml'), 'plugins: []\n')
    const again = await cli('init', '--examples')
    expect(again.code).to.equal(2)
    expect(again.stderr).to.match(/^Error: roomsim\.config\.yaml already exists in .*nothing was written/)
    expect(readdirSync(dir)).to.deep.equal(['roomsim.config.yaml'])
    expect(existsSync(join(dir, 'plugins'))).to.equal(false)
  })

  it('a room command with no plugins says so on stderr, only to a person at a terminal', async () => {
    const atTerminal = await runCommand(['room', 'create', 'general'], {cwd: dir, tty: true})
    expect(atTerminal.code).to.equal(0)
    expect(atTerminal.stderr).to.equal('No plugins loaded: no hooks will run. Set some up with "roomsim init --examples", or "roomsim plugins link PATH".\n')
    expect((await runCommand(['room', 'create', 'piped'], {cwd: dir})).stderr).to.equal('')
    expect((await runCommand(['room', 'create', 'scripted', '--json'], {cwd: dir, tty: true})).stderr).to.equal('')
  })
})
