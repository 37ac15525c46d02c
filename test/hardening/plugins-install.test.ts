import {expect} from 'chai'
import {cpSync, existsSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {runCli, tempDir} from '../helpers/cli.js'
import {prefixDependencies, WITNESS, writePlugin} from '../helpers/plugins.js'
import {hasProc, npmChildrenOf, start, until} from './helpers.js'

const PLUGIN = `export default class Second { async executePostRoomCreate(room) { this.getLogger().info('second saw ' + room.slugifiedName) } }`

describe('hardening: plugins install', function () {
  this.timeout(240_000)
  let dir: string
  let cleanup: () => void
  /** A package registry on loopback that never answers: npm waits on it until killed. */
  let server: Server
  let registry: string
  beforeEach(async () => {
    ;({dir, cleanup} = tempDir('roomsim-install-'))
    cpSync(WITNESS, join(dir, 'witness'), {recursive: true})
    writePlugin(join(dir, 'second'), 'second', PLUGIN)
    server = createServer(() => undefined)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterEach(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    cleanup()
  })

  it('installs several specs in one npm run, registered in the order given', async () => {
    const result = await runCli(['plugins', 'install', './witness', './second', '--json'], {cwd: dir})
    expect(result.code, result.stderr).to.equal(0)
    expect(result.json().map((plugin: {name: string; position: number}) => [plugin.name, plugin.position])).to.deep.equal([['witness', 1], ['second', 2]])
    expect(Object.keys(prefixDependencies(dir)!).sort()).to.deep.equal(['second', 'witness'])
  })

  it('one bad spec among several installs none', async () => {
    const result = await runCli(['plugins', 'install', './witness', './no-such-plugin'], {cwd: dir})
    expect(result.code).to.equal(2)
    expect(existsSync(join(dir, '.roomsim', 'plugins'))).to.equal(false)
  })

  it('SIGKILL during npm: npm dies too, and the next command rolls the half-done install back', async function () {
    if (!hasProc) this.skip()
    const installing = start(['plugins', 'install', 'some-plugin'], {cwd: dir, env: {npm_config_registry: registry}})
    const pid = installing.child.pid!
    await until(() => npmChildrenOf(pid).length > 0, 'npm to start')
    installing.child.kill('SIGKILL')
    await installing.ended
    await until(() => npmChildrenOf(pid).length === 0, 'npm to die with roomsim', 20_000)
    expect(existsSync(join(dir, '.roomsim', 'plugins.journal.json'))).to.equal(true)
    const uninstall = await runCli(['plugins', 'uninstall', 'some-plugin'], {cwd: dir})
    expect(uninstall.code).to.equal(2)
    expect(uninstall.stderr).to.match(/no installed or linked plugin named "some-plugin"/)
    expect(existsSync(join(dir, '.roomsim', 'plugins.journal.json'))).to.equal(false)
    expect(existsSync(join(dir, '.roomsim', 'plugins'))).to.equal(false)
  })

  it('a second install waits for the first instead of failing, then rolls back what the killed first one left', async function () {
    if (!hasProc) this.skip()
    const first = start(['plugins', 'install', 'some-plugin'], {cwd: dir, env: {npm_config_registry: registry}})
    await until(() => npmChildrenOf(first.child.pid!).length > 0, 'the first npm to start')
    const second = start(['plugins', 'install', './witness', '--json'], {cwd: dir})
    await until(() => /Waiting for roomsim process \d+ \(installing some-plugin\)/.test(second.output().stderr), 'the second install to wait')
    first.child.kill('SIGKILL')
    const {code} = await second.ended
    expect(code, second.output().stderr).to.equal(0)
    expect(JSON.parse(second.output().stdout)).to.include({name: 'witness', position: 1})
    expect(prefixDependencies(dir)).to.have.all.keys('witness')
  })

  it('with ROOMSIM_LOCK_WAIT, a second install gives up with exit 2 naming the holder', async function () {
    if (!hasProc) this.skip()
    const first = start(['plugins', 'install', 'some-plugin'], {cwd: dir, env: {npm_config_registry: registry}})
    try {
      await until(() => npmChildrenOf(first.child.pid!).length > 0, 'the first npm to start')
      const second = await runCli(['plugins', 'install', './witness'], {cwd: dir, env: {ROOMSIM_LOCK_WAIT: '1'}})
      expect(second.code).to.equal(2)
      expect(second.stderr).to.match(new RegExp(`roomsim process ${first.child.pid} \\(roomsim plugins install some-plugin\\), installing some-plugin, has been changing plugins`))
    } finally {
      first.child.kill('SIGTERM')
      await first.ended
    }
    // SIGTERM is passed on to npm, and the install is undone before roomsim exits.
    expect(existsSync(join(dir, '.roomsim', 'plugins.journal.json'))).to.equal(false)
    expect(existsSync(join(dir, '.roomsim', 'plugins'))).to.equal(false)
  })
})
