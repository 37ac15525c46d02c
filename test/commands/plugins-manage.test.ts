import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {EXAMPLE_PLUGINS, runCommand, tempDir} from '../helpers/cli.js'
import {BROKEN, FIXTURES, HOSTILE, inspectStore, prefixDependencies, WITNESS, writeConfig, writePlugin} from '../helpers/plugins.js'

interface Listing {
  name: string
  version: string | null
  source: string
  spec: string
  enabled: boolean
  position: number
  interfaces: string[]
  error: string | null
}

/** npm pack of a folder into `into`; returns the tarball's path. */
function pack(folder: string, into: string): string {
  const output = execFileSync('npm', ['pack', folder, '--pack-destination', into, '--ignore-scripts', '--json'], {cwd: into, encoding: 'utf8'})
  return join(into, (JSON.parse(output) as {filename: string}[])[0]!.filename)
}

const names = (listing: Listing[]): string[] => listing.map((plugin) => plugin.name)

describe('roomsim plugins', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => void
  const cli = (...args: string[]) => runCommand(args, {cwd: dir})
  const list = async (): Promise<Listing[]> => {
    const result = await cli('plugins', 'list', '--json')
    expect(result.code, result.stderr).to.equal(0)
    return result.json()
  }
  const hookPlugins = async (...args: string[]): Promise<string[]> => {
    const result = await cli(...args, '--json')
    expect(result.code, result.stderr).to.equal(0)
    return result.json().hooks.map((hook: {plugin: string; method: string}) => `${hook.plugin}.${hook.method}`)
  }

  beforeEach(() => ({dir, cleanup} = tempDir()))
  afterEach(() => cleanup())

  it('installs a folder, runs it, disables, enables, reorders and uninstalls it', async () => {
    const installed = await cli('plugins', 'install', join(EXAMPLE_PLUGINS, 'welcome'), '--json')
    expect(installed.code, installed.stderr).to.equal(0)
    expect(installed.json()).to.include({name: 'welcome', version: '1.0.0', source: 'package', enabled: true, position: 1, error: null})
    expect(installed.json().interfaces).to.deep.equal(['IPostRoomCreate', 'IPostRoomUserJoined'])
    // A copy under the state folder, one npm prefix for all plugins.
    expect(existsSync(join(dir, '.roomsim', 'plugins', 'node_modules', 'welcome', 'index.js'))).to.equal(true)
    expect(Object.keys(prefixDependencies(dir)!)).to.deep.equal(['welcome'])

    expect((await cli('plugins', 'link', WITNESS)).code).to.equal(0)
    expect(names(await list())).to.deep.equal(['welcome', 'witness'])
    expect(await hookPlugins('room', 'create', 'one')).to.deep.equal(['witness.executePreRoomCreatePrevent', 'welcome.executePostRoomCreate', 'witness.executePostRoomCreate'])

    const disabled = await cli('plugins', 'disable', 'welcome', '--json')
    expect(disabled.json()).to.include({name: 'welcome', enabled: false, position: 1})
    expect(await hookPlugins('room', 'create', 'two')).to.not.include('welcome.executePostRoomCreate')
    expect((await cli('plugins', 'enable', 'welcome')).code).to.equal(0)

    const ordered = await cli('plugins', 'order', 'witness', '--json')
    expect(ordered.code, ordered.stderr).to.equal(0)
    expect(ordered.json().map((plugin: Listing) => `${plugin.position}:${plugin.name}`)).to.deep.equal(['1:witness', '2:welcome'])
    expect(await hookPlugins('room', 'create', 'three')).to.deep.equal(['witness.executePreRoomCreatePrevent', 'witness.executePostRoomCreate', 'welcome.executePostRoomCreate'])

    const removed = await cli('plugins', 'uninstall', 'welcome', '--json')
    expect(removed.code, removed.stderr).to.equal(0)
    expect(removed.json()).to.deep.include({name: 'welcome', source: 'package'})
    expect(prefixDependencies(dir)).to.deep.equal({})
    expect(existsSync(join(dir, '.roomsim', 'plugins', 'node_modules', 'welcome'))).to.equal(false)
    expect(names(await list())).to.deep.equal(['witness'])
    // Unlinking leaves the folder alone.
    expect((await cli('plugins', 'uninstall', 'witness')).code).to.equal(0)
    expect(existsSync(join(WITNESS, 'index.js'))).to.equal(true)
    expect(await list()).to.deep.equal([])
    expect(inspectStore(dir).installed).to.deep.equal([])
  })

  it('installs a tarball made with npm pack, and reinstalls in place', async () => {
    const tarball = pack(join(EXAMPLE_PLUGINS, 'audit'), dir)
    expect((await cli('plugins', 'link', WITNESS)).code).to.equal(0)
    const installed = await cli('plugins', 'install', tarball, '--json')
    expect(installed.code, installed.stderr).to.equal(0)
    expect(installed.json()).to.include({name: 'audit', source: 'package', spec: tarball, position: 2})
    expect((await cli('plugins', 'order', 'audit')).code).to.equal(0)
    const again = await cli('plugins', 'install', tarball, '--json')
    expect(again.code, again.stderr).to.equal(0)
    expect(again.json()).to.include({name: 'audit', position: 1})
    expect(names(await list())).to.deep.equal(['audit', 'witness'])
  })

  it('links a folder in place: edits are seen on the next run, a broken edit is reported, not fatal', async () => {
    const folder = writePlugin(join(dir, 'dev-plugin'), 'dev-plugin', `export default {async executePostRoomCreate(room) { this.getLogger().info('first version') }}\n`)
    const linked = await cli('plugins', 'link', './dev-plugin', '--json')
    expect(linked.code, linked.stderr).to.equal(0)
    expect(linked.json()).to.include({name: 'dev-plugin', source: 'link', spec: folder})
    const messages = async (room: string): Promise<string[]> => {
      const result = await cli('room', 'create', room, '--json')
      expect(result.code, result.stderr).to.equal(0)
      return result.json().effects.map((effect: {message: string}) => effect.message)
    }
    expect(await messages('one')).to.deep.equal(['first version'])
    writeFileSync(join(folder, 'index.js'), `export default {async executePostRoomCreate(room) { this.getLogger().info('second version') }}\n`)
    expect(await messages('two')).to.deep.equal(['second version'])

    writeFileSync(join(folder, 'index.js'), 'export default {async executePostRoomCreate( {}}\n')
    const broken = await cli('room', 'create', 'three', '--json')
    expect(broken.code, broken.stderr).to.equal(0)
    expect(broken.json().status).to.equal('completed')
    expect(broken.json().hooks).to.have.length(1)
    expect(broken.json().hooks[0]).to.include({plugin: 'dev-plugin', interface: 'module', method: 'import', result: 'error'})
    expect(broken.json().hooks[0].error).to.match(/failed to load: SyntaxError/)
    const [listed] = await list()
    expect(listed!.error).to.match(/SyntaxError/)

    writeConfig(dir, {hooks: {onError: 'abort'}})
    const aborted = await cli('room', 'create', 'four', '--json')
    expect(aborted.code).to.equal(4)
    expect(aborted.json().error).to.include({code: 'PLUGIN_FAILED', plugin: 'dev-plugin'})

    // A linked folder that disappears can still be listed and unlinked.
    rmSync(folder, {recursive: true})
    const gone = await cli('room', 'create', 'five', '--json')
    expect(gone.code).to.equal(4)
    expect(gone.json().hooks[0].error).to.match(/is not a folder/)
    expect((await cli('plugins', 'uninstall', 'dev-plugin')).code).to.equal(0)
    expect(await list()).to.deep.equal([])
  })

  it('loads TypeScript plugins without a build step', async () => {
    expect((await cli('plugins', 'link', join(FIXTURES, 'plugins', 'typed'))).code).to.equal(0)
    expect((await cli('room', 'create', 'general')).code).to.equal(0)
    const joined = await cli('room', 'join', 'general', '--user', 'bob', '--json')
    expect(joined.code, joined.stderr).to.equal(0)
    expect(joined.json().hooks).to.deep.equal([{plugin: 'typed', interface: 'IPostRoomUserJoined', method: 'executePostRoomUserJoined', result: 'done', durationMs: joined.json().hooks[0].durationMs}])
    expect(joined.json().effects).to.deep.include({kind: 'log', plugin: 'typed', level: 'info', message: 'typed hello, bob'})
  })

  describe('refuses broken packages, exit 2, and changes nothing', () => {
    let before: {deps: Record<string, string> | undefined; listing: Listing[]}
    beforeEach(async () => {
      // One good plugin installed first, so that "nothing changed" is checked against a real prefix.
      expect((await cli('plugins', 'install', WITNESS)).code).to.equal(0)
      before = {deps: prefixDependencies(dir), listing: await list()}
    })
    const refused = async (spec: string, reason: RegExp, code = 'BAD_PLUGIN'): Promise<void> => {
      const result = await cli('plugins', 'install', spec, '--json')
      expect(result.code, result.stdout + result.stderr).to.equal(2)
      expect(result.json().error.code).to.equal(code)
      expect(result.json().error.message).to.match(reason)
      expect(prefixDependencies(dir)).to.deep.equal(before.deps)
      expect(readdirSync(join(dir, '.roomsim', 'plugins', 'node_modules')).filter((name) => !name.startsWith('.'))).to.deep.equal(['witness'])
      expect(await list()).to.deep.equal(before.listing)
      expect(existsSync(join(dir, '.roomsim', 'plugins.lock'))).to.equal(false)
    }

    it('no entry module', () => refused(join(BROKEN, 'no-entry'), /no entry module/))
    it('no entry module, as a tarball', () => refused(pack(join(BROKEN, 'no-entry'), dir), /no entry module/))
    it('a syntax error', () => refused(join(BROKEN, 'syntax-error'), /failed to load: SyntaxError/))
    it('no room interface', () => refused(join(BROKEN, 'no-interface'), /implements no room event interface/))
    it('throwing at import', () => refused(join(HOSTILE, 'throws-on-import'), /failed to load: broken at import time/))
    it('a missing path', () => refused('./no/such/plugin', /no such file or folder/, 'BAD_FILE'))
    it('a bad tarball', () => {
      writeFileSync(join(dir, 'bad.tgz'), 'this is not a tarball')
      return refused('./bad.tgz', /not a gzipped npm package tarball/, 'INSTALL_FAILED')
    })
    it('a gzip that is not a tar', () => {
      execFileSync('sh', ['-c', 'echo hello | gzip > not-tar.tgz'], {cwd: dir})
      return refused('./not-tar.tgz', /not an npm package tarball/, 'INSTALL_FAILED')
    })
    it('a folder npm cannot install (no package.json)', () => {
      mkdirSync(join(dir, 'bare'))
      writeFileSync(join(dir, 'bare', 'index.js'), 'export default {executePostRoomCreate() {}}\n')
      return refused('./bare', /npm install .* failed/, 'INSTALL_FAILED')
    })
  })

  it('refuses on first use without leaving a plugin folder behind', async () => {
    const result = await cli('plugins', 'install', join(BROKEN, 'no-interface'))
    expect(result.code).to.equal(2)
    expect(result.stderr).to.match(/^Error: plugin broken-no-interface implements no room event interface/m)
    expect(existsSync(join(dir, '.roomsim', 'plugins'))).to.equal(false)
    expect(existsSync(join(dir, '.roomsim', 'store.db'))).to.equal(false)
  })

  it('refuses broken links, unknown names, and config plugins where config decides', async () => {
    expect((await cli('plugins', 'link', './nowhere')).code).to.equal(2)
    expect((await cli('plugins', 'link', join(BROKEN, 'syntax-error'))).code).to.equal(2)
    for (const verb of ['uninstall', 'enable', 'disable', 'info', 'order']) {
      const result = await cli('plugins', verb, 'nobody', '--json')
      expect(result.code, verb).to.equal(2)
      expect(result.json().error.code, verb).to.equal('UNKNOWN_PLUGIN')
    }
    expect(existsSync(join(dir, '.roomsim'))).to.equal(false)

    writeConfig(dir, {plugins: [{path: WITNESS}]})
    for (const args of [['uninstall', 'witness'], ['disable', 'witness'], ['order', 'witness']]) {
      const result = await cli('plugins', ...args, '--json')
      expect(result.code, args.join(' ')).to.equal(2)
      expect(result.json().error.message, args.join(' ')).to.match(/config file/)
    }
    // An installed plugin with a config plugin's name would run twice: refused, nothing kept.
    const clash = await cli('plugins', 'install', WITNESS, '--json')
    expect(clash.code).to.equal(2)
    expect(clash.json().error.message).to.match(/listed twice/)
    expect(prefixDependencies(dir)).to.equal(undefined)
    expect((await cli('plugins', 'order', 'witness', 'witness')).code).to.equal(2)
  })

  it('combines config and installed plugins in one documented order; package: entries use installed plugins', async () => {
    for (const name of ['welcome', 'audit']) expect((await cli('plugins', 'install', join(EXAMPLE_PLUGINS, name))).code).to.equal(0)
    expect((await cli('plugins', 'link', join(EXAMPLE_PLUGINS, 'gatekeeper'))).code).to.equal(0)
    writeConfig(dir, {
      plugins: [
        {path: WITNESS},
        {package: 'gatekeeper', settings: {banned: ['eve']}},
      ],
    })
    const listing = await list()
    expect(listing.map((plugin) => `${plugin.position}:${plugin.name}:${plugin.source}`)).to.deep.equal(['1:witness:config', '2:gatekeeper:link', '3:welcome:package', '4:audit:package'])

    const info = await cli('plugins', 'info', 'gatekeeper', '--json')
    expect(info.code, info.stderr).to.equal(0)
    expect(info.json().settings).to.deep.equal([
      {id: 'banned', default: ['mallory'], value: ['eve']},
      {id: 'locked', default: ['announcements'], value: ['announcements']},
    ])
    expect(info.json().interfaces).to.deep.equal(['IPreRoomUserJoined', 'IPreRoomUserLeave'])

    expect((await cli('room', 'create', 'general')).code).to.equal(0)
    const vetoed = await cli('room', 'join', 'general', '--user', 'eve', '--json')
    expect(vetoed.code).to.equal(3)
    expect(vetoed.json().prevented).to.include({plugin: 'gatekeeper'})
    expect(await hookPlugins('room', 'join', 'general', '--user', 'mallory')).to.deep.equal([
      'gatekeeper.executePreRoomUserJoined',
      'welcome.executePostRoomUserJoined',
      'audit.executePostRoomUserJoined',
    ])
    // A config entry that names a plugin nobody installed is a config error.
    writeConfig(dir, {plugins: [{package: 'not-installed'}]})
    const bad = await cli('room', 'create', 'other', '--json')
    expect(bad.code).to.equal(2)
    expect(bad.json().error).to.include({code: 'BAD_CONFIG'})
    expect(bad.json().error.message).to.match(/plugins\[0\]\.package: "not-installed" is not installed/)
  })

  it('prints tables for people and exactly one JSON document with --json', async () => {
    expect((await cli('plugins', 'list')).stdout).to.match(/^No plugins\./)
    expect((await cli('plugins', 'link', WITNESS)).code).to.equal(0)
    const table = await cli('plugins', 'list')
    expect(table.stdout.split('\n')[0]).to.match(/^#\s+NAME\s+VERSION\s+ENABLED\s+INTERFACES\s+SOURCE/)
    expect(table.stdout).to.match(/1\s+witness\s+1\.0\.0\s+yes\s+IPreRoomCreatePrevent, IPostRoomCreate\s+link /)
    const info = await cli('plugins', 'info', 'witness')
    expect(info.stdout).to.match(/interfaces\s+IPreRoomCreatePrevent, IPostRoomCreate/)
    for (const args of [['list'], ['info', 'witness'], ['disable', 'witness'], ['enable', 'witness'], ['order', 'witness']]) {
      const result = await cli('plugins', ...args, '--json')
      expect(result.code, args.join(' ')).to.equal(0)
      expect(() => result.json(), args.join(' ')).to.not.throw()
    }
  })

  it('records plugin changes in the event log', async () => {
    expect((await cli('plugins', 'link', WITNESS)).code).to.equal(0)
    expect((await cli('plugins', 'disable', 'witness')).code).to.equal(0)
    const log = await cli('log', '--json')
    expect(log.json().map((entry: {kind: string}) => entry.kind)).to.deep.equal(['plugin.link', 'plugin.disable'])
  })
})
