import {expect} from 'chai'
import {cpSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT, runCommand, tempDir} from '../helpers/cli.js'

const GATE_APP = join(ROOT, 'test', 'fixtures', 'plugins', 'gate-app')

describe('Apps-Engine apps as plugins', () => {
  let dir: string
  let cleanup: () => void
  const cli = (...args: string[]) => runCommand([...args, '--json'], {cwd: dir})

  beforeEach(() => {
    ;({dir, cleanup} = tempDir())
    // The app imports @rocket.chat/apps-engine, as apps do, and has no node_modules: roomsim provides its copy.
    cpSync(GATE_APP, join(dir, 'gate-app'), {recursive: true})
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

  it('as a new user tries it: link an rc-apps project, create with --display-name, join, and read the messages back with room show', async () => {
    cpSync(join(ROOT, 'test', 'fixtures', 'apps', 'block-greeter'), join(dir, 'block-greeter'), {recursive: true})
    cpSync(join(ROOT, 'test', 'fixtures', 'apps', 'hello-world'), join(dir, 'hello-world'), {recursive: true})
    const linked = await runCommand(['plugins', 'link', '.'], {cwd: join(dir, 'hello-world')})
    expect(linked.code, linked.stderr).to.equal(0)
    expect(linked.stdout).to.match(/^linked hello-world from .*: IPreRoomUserJoined, IPostRoomUserJoined$/m)
    const inApp = (...args: string[]) => runCommand(args, {cwd: join(dir, 'hello-world')})
    expect((await inApp('plugins', 'link', '../block-greeter')).code).to.equal(0)
    const created = await inApp('room', 'create', 'general', '--by', 'alice', '--display-name', 'The General', '--json')
    expect(created.code, created.stderr).to.equal(0)
    expect(created.json().room.displayName).to.equal('The General')
    expect(created.json().effects[0]).to.deep.include({plugin: 'block-greeter', text: 'The General is open', alias: 'Greeter', groupable: false})
    const joined = await inApp('room', 'join', 'general', '--user', 'bob')
    expect(joined.code, joined.stderr).to.equal(0)
    expect(joined.stdout).to.include('hello-world.bot: Hello, bob! Welcome to The General.')
    const shown = await inApp('room', 'show', 'general')
    expect(shown.stdout).to.match(/^general "The General" {2}\(c, id /m)
    expect(shown.stdout).to.include('block-greeter.bot: The General is open [2 blocks, 1 attachment, alias Greeter, emoji :tada:, not groupable, urls not parsed, custom fields kind]')
    expect(shown.stdout).to.match(/^ {6}blocks: \[\{"type":"section"/m)
    const info = await inApp('plugins', 'info', 'block-greeter')
    expect(info.stdout).to.match(/^app {9}not simulated: nothing/m)
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
