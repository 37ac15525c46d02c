import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {runCommand, tempDir} from '../helpers/cli.js'
import {writePlugin} from '../helpers/engine.js'

/** Output and exit codes of room commands with plugins configured. */
describe('CLI: room commands with plugins', function () {
  let dir: string
  let cleanup: () => void
  const cli = (...args: string[]) => runCommand(args, {cwd: dir})

  before(() => {
    ;({dir, cleanup} = tempDir('roomsim-plugins-'))
    // Writes to stdout every way a plugin can, at load time and in handlers.
    writePlugin(dir, {
      name: 'noisy',
      source: `console.log('noisy is loading'); process.stdout.write('raw write at load\\n')
      export default {
        async executePreRoomUserJoined(context) {
          console.log('hello', context.joiningUser.username)
          console.info({structured: true})
          process.stdout.write('raw write in a handler\\n')
          console.error('to stderr')
        },
        async executePostRoomUserJoined() { console.warn('post join') },
      }`,
    })
    writePlugin(dir, {name: 'renamer', source: `export default { async executePreRoomCreateModify(room, builder) { return builder.setSlugifiedName('general').getRoom() } }`})
    writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({plugins: [{path: './plugins/noisy'}]}))
    writeFileSync(join(dir, 'renamer.json'), JSON.stringify({plugins: [{path: './plugins/renamer'}]}))
  })
  after(() => cleanup())

  it('--json prints exactly one JSON document on stdout, whatever plugins print; their output becomes log effects', async () => {
    expect((await cli('room', 'create', 'general')).code).to.equal(0)
    const result = await cli('room', 'join', 'general', '--user', 'bob', '--json')
    expect(result.code, result.stderr).to.equal(0)
    const outcome = result.json()
    expect(outcome.status).to.equal('completed')
    const messages = outcome.effects.filter((effect: {kind: string}) => effect.kind === 'log').map((effect: {message: string}) => effect.message)
    expect(messages).to.include.members(['hello bob', '{"structured":true}', 'to stderr', 'post join'])
    expect(messages.join('\n')).to.include('raw write in a handler')
    expect(result.stderr).to.equal('')
  })

  it('prints one line per hook call (plugin, stage, result, time, method) and then the outcome; plugin logs only with --verbose', async () => {
    const plain = await cli('room', 'join', 'general', '--user', 'carol')
    expect(plain.code, plain.stderr).to.equal(0)
    const lines = plain.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(3)
    expect(lines[0]).to.match(/^\s+noisy\s+veto\s+allowed\s+\d+\.\d ms\s+executePreRoomUserJoined$/)
    expect(lines[1]).to.match(/^\s+noisy\s+post\s+done\s+\d+\.\d ms\s+executePostRoomUserJoined$/)
    expect(lines[2]).to.equal('completed room.join general (c, 3 members: admin, bob, carol)')
    expect(plain.stdout).to.not.include('hello')

    const verbose = await cli('room', 'join', 'general', '--user', 'dave', '--verbose')
    expect(verbose.stdout).to.include('log noisy [log] hello dave').and.include('[warn] post join')
  })

  it('exits 4 when a modifier produces a taken name; the error names the plugin and nothing is created', async () => {
    const result = await cli('room', 'create', 'fresh', '--by', 'zed', '--config', 'renamer.json', '--json')
    expect(result.code).to.equal(4)
    const outcome = result.json()
    expect(outcome.status).to.equal('failed')
    expect(outcome.error).to.deep.include({code: 'PLUGIN_FAILED', plugin: 'renamer'})
    expect(outcome.error.message).to.include('renamer').and.include('"general"').and.include('taken')
    const human = await cli('room', 'create', 'fresh', '--config', 'renamer.json')
    expect(human.code).to.equal(4)
    expect(human.stdout).to.match(/^failed room\.create fresh: renamer IPreRoomCreateModify\.executePreRoomCreateModify: .*taken$/m)
    const rooms = (await cli('room', 'list', '--json')).json()
    expect(rooms.map((room: {slugifiedName: string}) => room.slugifiedName)).to.deep.equal(['general'])
    expect((await cli('user', 'list', '--json')).json().map((user: {username: string}) => user.username)).to.not.include('zed')
  })
})
