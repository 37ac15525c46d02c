import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {runCli, tempDir} from '../helpers/cli.js'
import {STACK_LINE} from '../helpers/files.js'

describe('hardening: command lines that used to exit 1 or print the wrong thing', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir('roomsim-cli-input-')))
  afterEach(() => cleanup())

  it('help with global flags and an unknown command: one line, exit 2', async () => {
    const result = await runCli(['help', 'nosuch', '--store', 'x.db'], {cwd: dir})
    expect(result.code).to.equal(2)
    expect(result.stderr).to.equal('Error: no command or topic "nosuch"; run "roomsim --help" for the list\n')
    expect(existsSync(join(dir, 'x.db'))).to.equal(false)
  })

  it('help ignores the global flags for a real command', async () => {
    const result = await runCli(['help', 'room', 'create', '--store', 'x.db', '--verbose'], {cwd: dir})
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/USAGE\s+\$ roomsim room create/)
    expect(result.stderr).to.not.match(STACK_LINE)
  })

  it('a topic with --json prints one JSON error document, exit 2', async () => {
    const result = await runCli(['room', '--json'], {cwd: dir})
    expect(result.code).to.equal(2)
    expect(result.json()).to.deep.equal({error: {code: 'USAGE', message: '"room" is a topic, not a command; run "roomsim room --help" for its commands'}})
  })

  it('log --limit past 64 bits shows everything instead of a datatype error', async () => {
    expect((await runCli(['room', 'create', 'general'], {cwd: dir})).code).to.equal(0)
    const result = await runCli(['log', '--limit', '9223372036854775807', '--json'], {cwd: dir})
    expect(result.code, result.stderr).to.equal(0)
    expect(result.json().map((entry: {kind: string}) => entry.kind)).to.include('room.create')
  })

  it('--custom-field k=1e999 exits 2 and creates no store', async () => {
    const result = await runCli(['room', 'create', 'general', '--custom-field', 'k=1e999'], {cwd: dir})
    expect(result.code).to.equal(2)
    expect(result.stderr).to.match(/too large for JSON/)
    expect(existsSync(join(dir, '.roomsim'))).to.equal(false)
  })
})
