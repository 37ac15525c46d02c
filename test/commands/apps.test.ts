import {expect} from 'chai'
import {cpSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT, runCommand, tempDir} from '../helpers/cli.js'

const GATE_APP = join(ROOT, 'test', 'fixtures', 'plugins', 'gate-app')

describe('Apps-Engine apps as plugins', () => {
  let dir: string
  let cleanup: () => void
  const cli = (...args: string[]) => runCommand([...args, '--json'], {cwd: dir})

  beforeEach(() => {
    ;({dir, cleanup} = tempDir())
    cpSync(GATE_APP, join(dir, 'gate-app'), {recursive: true})
    // The app imports @rocket.chat/apps-engine, as apps do; here it resolves to roomsim's copy.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  })
  afterEach(() => cleanup())

  it('runs the lifecycle first: settings declared in extendConfiguration reach onEnable and the handlers', async () => {
    writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({plugins: [{path: './gate-app'}]}))
    expect((await cli('room', 'create', 'hall')).code).to.equal(0)
    const vetoed = await cli('room', 'join', 'hall', '--user', 'mallory')
    expect(vetoed.code, vetoed.stderr).to.equal(3)
    expect(vetoed.json().prevented).to.deep.equal({plugin: 'gate-app', interface: 'IPreRoomUserJoined', reason: 'mallory is blocked by Gate App (enabled with "mallory")'})
    const joined = await cli('room', 'join', 'hall', '--user', 'bob')
    expect(joined.code).to.equal(0)
    expect(joined.json().hooks.map((hook: {method: string; result: string}) => `${hook.method}:${hook.result}`)).to.deep.equal(['executePreRoomUserJoined:allowed', 'executePostRoomUserJoined:done'])
  })

  it('config settings override what the app provides, in onEnable too', async () => {
    writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({plugins: [{path: './gate-app', settings: {blocked: 'trudy'}}]}))
    await cli('room', 'create', 'hall')
    expect((await cli('room', 'join', 'hall', '--user', 'mallory')).code).to.equal(0)
    const vetoed = await cli('room', 'join', 'hall', '--user', 'trudy')
    expect(vetoed.json().prevented.reason).to.equal('trudy is blocked by Gate App (enabled with "trudy")')
  })

  it('an app whose onEnable returns false does not run, and the action says why', async () => {
    const source = join(dir, 'gate-app', 'GateApp.ts')
    writeFileSync(source, readFileSync(source, 'utf8').replace('return true', 'return false'))
    writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({plugins: [{path: './gate-app'}]}))
    await cli('room', 'create', 'hall')
    const result = await cli('room', 'join', 'hall', '--user', 'mallory')
    expect(result.code).to.equal(0)
    const [hook] = result.json().hooks
    expect(hook).to.include({plugin: 'gate-app', result: 'error'})
    expect(hook.error).to.match(/onEnable\(\) returned false/)
  })
})
