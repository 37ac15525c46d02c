import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'

import {ROOT, runCommand, tempDir} from '../helpers/cli.js'

describe('roomsim plugins new', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => void
  const cli = (...args: string[]) => runCommand(args, {cwd: dir})

  beforeEach(() => ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())

  it('works inside the new folder: its package.json manifest is not read as project config', async () => {
    expect((await cli('plugins', 'new', 'inside')).code).to.equal(0)
    const folder = join(dir, 'inside')
    const run = await runCommand(['scenario', 'run', 'scenario.yaml'], {cwd: folder})
    expect(run.code, run.stdout + run.stderr).to.equal(0)
    const list = await runCommand(['room', 'list', '--json'], {cwd: folder})
    expect(list.code, list.stderr).to.equal(0)
    expect(JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).roomsimPlugin).to.deep.equal({settings: {blockedWords: ['forbidden']}})
    expect(readFileSync(join(folder, 'README.md'), 'utf8')).to.not.include('npmjs')
  })

  it('works inside a plugin folder that still declares its defaults under the former "roomsim" key', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'old-style', type: 'module', main: 'index.js', roomsim: {settings: {banned: ['x']}}}))
    writeFileSync(join(dir, 'index.js'), 'export default { async executePostRoomCreate() {} }')
    const created = await cli('room', 'create', 'general', '--json')
    expect(created.code, created.stderr).to.equal(0)
  })

  it('scaffolds a TypeScript plugin that works unchanged with plugins link', async () => {
    const created = await cli('plugins', 'new', 'room-guard', '--json')
    expect(created.code, created.stderr).to.equal(0)
    expect(created.json().files).to.have.members(['package.json', 'tsconfig.json', '.gitignore', 'src/index.ts', 'scenario.yaml', 'README.md'])
    const source = readFileSync(join(dir, 'room-guard', 'src', 'index.ts'), 'utf8')
    expect(source).to.match(/^import type .* from '@rocket\.chat\/apps-engine\/definition\/rooms\/index\.js'$/m)
    expect(source).to.not.match(/^import (?!type)/m)

    const linked = await cli('plugins', 'link', './room-guard', '--json')
    expect(linked.code, linked.stderr).to.equal(0)
    expect(linked.json().interfaces).to.deep.equal(['IPreRoomCreatePrevent', 'IPostRoomCreate'])

    const general = await cli('room', 'create', 'general', '--json')
    expect(general.code, general.stderr).to.equal(0)
    expect(general.json().hooks.map((hook: {plugin: string; method: string; result: string}) => `${hook.plugin} ${hook.method} ${hook.result}`)).to.deep.equal([
      'room-guard executePreRoomCreatePrevent allowed',
      'room-guard executePostRoomCreate done',
    ])
    expect(general.json().effects).to.deep.include({kind: 'log', plugin: 'room-guard', level: 'info', message: '#general was created by admin'})

    const blocked = await cli('room', 'create', 'forbidden-talk')
    expect(blocked.code).to.equal(3)
    expect(blocked.stdout).to.match(/prevented room\.create forbidden-talk: room-guard/)

    const info = await cli('plugins', 'info', 'room-guard', '--json')
    expect(info.json().settings).to.deep.equal([{id: 'blockedWords', default: ['forbidden'], value: ['forbidden']}])
  })

  it('ships a scenario in the scenario format, pointing at the plugin itself', async () => {
    expect((await cli('plugins', 'new', 'room-guard')).code).to.equal(0)
    const scenario = parse(readFileSync(join(dir, 'room-guard', 'scenario.yaml'), 'utf8'))
    expect(scenario.plugins).to.deep.equal([{path: '.', settings: {blockedWords: ['forbidden']}}])
    expect(scenario.steps).to.deep.equal([
      {create: {room: 'general', by: 'alice'}, expect: 'completed'},
      {create: {room: 'forbidden-talk', by: 'alice'}, expect: {status: 'prevented', prevented: {plugin: 'room-guard'}}},
    ])
  })

  it('typechecks against the Apps-Engine definitions', async () => {
    expect((await cli('plugins', 'new', '@acme/room-guard')).code).to.equal(0)
    const folder = join(dir, 'room-guard')
    // What "npm install" in the new package would provide: the definitions (and typescript).
    symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'))
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder])
    // And the check is real: a handler with the wrong signature fails it.
    const source = join(folder, 'src', 'index.ts')
    writeFileSync(source, readFileSync(source, 'utf8').replace('Promise<boolean>', 'Promise<string>').replace('return blocked.some', "return '' + blocked.some"))
    expect(() => execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], {stdio: 'pipe'})).to.throw()
  })

  it('installs as a package too (TypeScript entry, no build)', async () => {
    expect((await cli('plugins', 'new', 'room-guard')).code).to.equal(0)
    const installed = await cli('plugins', 'install', './room-guard', '--json')
    expect(installed.code, installed.stderr).to.equal(0)
    expect(existsSync(join(dir, '.roomsim', 'plugins', 'node_modules', 'room-guard', 'src', 'index.ts'))).to.equal(true)
    expect((await cli('room', 'create', 'forbidden-room')).code).to.equal(3)
  })

  it('refuses a bad name or a folder that is not empty', async () => {
    const bad = await cli('plugins', 'new', 'Bad Name', '--json')
    expect(bad.code).to.equal(2)
    expect(bad.json().error.code).to.equal('INVALID_INPUT')
    writeFileSync(join(dir, 'keep.txt'), 'mine')
    const taken = await cli('plugins', 'new', 'x', '--dir', '.', '--json')
    expect(taken.code).to.equal(2)
    expect(taken.json().error.message).to.match(/not empty/)
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).to.equal('mine')
  })
})
