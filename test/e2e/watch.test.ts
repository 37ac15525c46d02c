import {expect} from 'chai'
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {startCli, tempDir, writePluginPackage} from '../helpers/index.js'

const scenario = (name: string, plugin?: string) => `name: ${name}
${plugin ? `plugins:\n  - path: ./${plugin}\n` : ''}steps:
  - create: { room: general, by: alice }
    expect: completed
`

/** Real processes and real file events: what --watch and --follow do while they run, and how they end on Ctrl-C. */
describe('watching', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => void
  let tmp: string
  beforeEach(() => {
    ;({dir, cleanup} = tempDir('roomsim-watch-'))
    // The child's own temporary folder: what its scenario stores leave behind is visible here alone.
    tmp = join(dir, 'tmp')
    mkdirSync(tmp)
  })
  afterEach(() => cleanup())

  it('scenario run --watch re-runs only the scenarios a plugin change affects, then ends cleanly on Ctrl-C', async () => {
    writePluginPackage(join(dir, 'guard'), 'guard', 'export default { async executePreRoomCreatePrevent() { return false } }')
    writeFileSync(join(dir, 'uses-guard.yaml'), scenario('uses guard', 'guard'))
    writeFileSync(join(dir, 'plain.yaml'), scenario('plain'))
    const watching = startCli(['scenario', 'run', '*.yaml', '--watch'], {cwd: dir, env: {TMPDIR: tmp}})
    try {
      await watching.waitFor(/2 scenarios/)
      expect(watching.output()).to.include('uses guard').and.include('plain')
      const mark = watching.output().length
      // The edit makes the guard prevent every create: its scenario now fails.
      writeFileSync(join(dir, 'guard', 'index.js'), 'export default { async executePreRoomCreatePrevent() { return true } }')
      await watching.waitFor(/1 scenario\b/, {from: mark})
      const rerun = watching.output().slice(mark)
      expect(rerun).to.include('uses guard').and.not.include('plain')
      expect(rerun).to.match(/prevented/)
      // Piped: no screen clearing, no banner.
      expect(watching.output()).to.not.include('\u001B[2J').and.not.include('Watching')
      const second = watching.output().length
      writeFileSync(join(dir, 'plain.yaml'), scenario('plain, edited'))
      await watching.waitFor(/plain, edited/, {from: second})
      expect(watching.output().slice(second)).to.not.include('uses guard')
    } finally {
      const end = await watching.stop('SIGINT')
      expect(end, watching.errors()).to.deep.equal({code: 0, signal: null})
    }
    expect(readdirSync(tmp).filter((name) => name.startsWith('roomsim-scenario-'))).to.deep.equal([])
  })

  it('log --follow prints entries as other commands add them, and ends on Ctrl-C with exit 0', async () => {
    const {runCli} = await import('../helpers/index.js')
    expect((await runCli(['room', 'create', 'first'], {cwd: dir})).code).to.equal(0)
    const following = startCli(['log', '--follow'], {cwd: dir})
    try {
      await following.waitFor(/room\.create +completed +#first/)
      expect((await runCli(['room', 'create', 'second', '--by', 'bob'], {cwd: dir})).code).to.equal(0)
      await following.waitFor(/room\.create +completed +#second +by bob/)
    } finally {
      expect((await following.stop('SIGINT')).code).to.equal(0)
    }
  })
})
