import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {ConfigError, loadConfig, resolveFromConfig} from '../../src/config/load.js'
import {DEFAULT_CONFIG, parseConfig, SchemaError} from '../../src/config/schema.js'
import {RoomsimError} from '../../src/errors.js'
import {tempDir} from '../helpers/cli.js'

function schemaError(value: unknown): SchemaError {
  try {
    parseConfig(value)
  } catch (error) {
    expect(error).to.be.instanceOf(SchemaError)
    return error as SchemaError
  }
  throw new Error('expected a schema error')
}

async function configError(options: Parameters<typeof loadConfig>[0]): Promise<RoomsimError> {
  try {
    await loadConfig(options)
  } catch (error) {
    expect(error).to.be.instanceOf(RoomsimError)
    expect((error as RoomsimError).code).to.equal('BAD_CONFIG')
    return error as RoomsimError
  }
  throw new Error('expected a config error')
}

describe('config schema', () => {
  it('fills in the defaults of SPEC §6', () => {
    expect(parseConfig(undefined)).to.deep.equal(DEFAULT_CONFIG)
    expect(parseConfig({})).to.deep.equal(DEFAULT_CONFIG)
    expect(DEFAULT_CONFIG).to.deep.include({names: {pattern: '^[0-9a-zA-Z-_.]+$', maxLength: 64}, hooks: {timeoutMs: {pre: 1000, post: 10_000}, onError: 'continue'}})
  })

  it('accepts a full config', () => {
    const config = parseConfig({
      store: 'state/db.sqlite',
      names: {pattern: '^[a-z]+$', maxLength: 20},
      hooks: {timeoutMs: {pre: 50, post: 60}, onError: 'abort'},
      plugins: [{path: './p', enabled: false, settings: {banned: ['spam']}}],
      http: {allow: ['example.com'], stubs: [{method: 'get', url: 'https://x/*', status: 201, data: {ok: true}}]},
    })
    expect(config.hooks).to.deep.equal({timeoutMs: {pre: 50, post: 60}, onError: 'abort'})
    expect(config.plugins).to.deep.equal([{path: './p', enabled: false, settings: {banned: ['spam']}}])
    expect(config.http.stubs[0]).to.deep.include({method: 'GET', status: 201})
  })

  it("accepts a plugin's sandbox loosening (plugins[].permissions)", () => {
    const permissions = {network: ['127.0.0.1'], read: ['../data'], write: ['./out'], env: ['TOKEN'], childProcesses: true, memoryMb: 1024, grant: ['networking']}
    expect(parseConfig({plugins: [{path: './p', permissions}]}).plugins[0]).to.deep.include({permissions})
  })

  const cases: [string, unknown, string][] = [
    ['an unknown top-level key', {colour: true}, 'colour'],
    ['an unknown nested key', {hooks: {retries: 3}}, 'hooks.retries'],
    ['a string timeout', {hooks: {timeoutMs: {pre: 'fast'}}}, 'hooks.timeoutMs.pre'],
    ['a negative timeout', {hooks: {timeoutMs: {post: -1}}}, 'hooks.timeoutMs.post'],
    ['a timeout longer than a Node timer can wait', {hooks: {timeoutMs: {pre: 2 ** 31}}}, 'hooks.timeoutMs.pre'],
    ['an unknown onError', {hooks: {onError: 'explode'}}, 'hooks.onError'],
    ['a bad name pattern', {names: {pattern: '['}}, 'names.pattern'],
    ['a fractional maxLength', {names: {maxLength: 1.5}}, 'names.maxLength'],
    ['plugins that are not a list', {plugins: {path: './p'}}, 'plugins'],
    ['a plugin with path and package', {plugins: [{path: './a', package: 'b'}]}, 'plugins[0]'],
    ['a plugin with neither', {plugins: [{path: './a'}, {enabled: true}]}, 'plugins[1]'],
    ['a non-boolean enabled', {plugins: [{path: './a', enabled: 'yes'}]}, 'plugins[0].enabled'],
    ['an unknown plugin key', {plugins: [{path: './a', priority: 1}]}, 'plugins[0].priority'],
    ['settings that are a list', {plugins: [{path: './a', settings: []}]}, 'plugins[0].settings'],
    ['an unknown sandbox permission', {plugins: [{path: './a', permissions: {root: true}}]}, 'plugins[0].permissions.root'],
    ['a network loosening that is not a list', {plugins: [{path: './a', permissions: {network: 'example.com'}}]}, 'plugins[0].permissions.network'],
    ['a memory limit of zero', {plugins: [{path: './a', permissions: {memoryMb: 0}}]}, 'plugins[0].permissions.memoryMb'],
    ['a stub with an unknown method', {http: {stubs: [{method: 'FETCH', url: 'x'}]}}, 'http.stubs[0].method'],
    ['a store that is a number', {store: 3}, 'store'],
    ['a config that is a list', [1, 2], ''],
  ]
  for (const [what, value, key] of cases) {
    it(`refuses ${what}, naming the key`, () => {
      const error = schemaError(value)
      expect(error.key).to.equal(key)
      if (key) expect(error.message.startsWith(`${key}: `), error.message).to.equal(true)
    })
  }
})

describe('config files', () => {
  let dir: string
  let cleanup: () => void
  beforeEach(() => ({dir, cleanup} = tempDir('roomsim-config-')))
  afterEach(() => cleanup())

  it('finds roomsim.config.json and roomsim.config.yaml, which cosmiconfig does not look for by default', async () => {
    writeFileSync(join(dir, 'roomsim.config.yaml'), 'hooks:\n  onError: abort\n')
    const config = await loadConfig({cwd: dir})
    expect(config.hooks.onError).to.equal('abort')
    expect(config.filepath).to.equal(join(dir, 'roomsim.config.yaml'))
  })

  it('searches upward from the working folder, and reads the "roomsim" key of package.json', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'app', roomsim: {names: {maxLength: 10}}}))
    mkdirSync(join(dir, 'deep', 'er'), {recursive: true})
    const config = await loadConfig({cwd: join(dir, 'deep', 'er')})
    expect(config.names.maxLength).to.equal(10)
  })

  it('reads exactly the --config file, and resolves paths in it against its folder', async () => {
    mkdirSync(join(dir, 'conf'))
    writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({hooks: {onError: 'abort'}}))
    writeFileSync(join(dir, 'conf', 'other.yml'), 'store: ../state/store.db\n')
    const config = await loadConfig({cwd: dir, explicitPath: 'conf/other.yml'})
    expect(config.hooks.onError).to.equal('continue')
    expect(resolveFromConfig(config, config.store!, '/elsewhere')).to.equal(join(dir, 'state', 'store.db'))
  })

  it('names the key and the file for an unknown key', async () => {
    const file = join(dir, '.roomsimrc.json')
    writeFileSync(file, JSON.stringify({hooks: {onErorr: 'abort'}}))
    const error = await configError({cwd: dir})
    expect(error.message).to.include(file).and.include('hooks.onErorr')
  })

  it('points at a problem in a JSON config by line and column, and refuses a key given twice as YAML does', async () => {
    const file = join(dir, 'roomsim.config.json')
    writeFileSync(file, '{\n  "hooks": {\n    "timeoutMs": {"pre": "soon"}\n  }\n}\n')
    expect((await configError({cwd: dir})).message).to.match(new RegExp(`^config ${file}:3:\\d+: hooks\\.timeoutMs\\.pre`))
    writeFileSync(file, '{"hooks": {"onError": "abort", "on\\u0045rror": "continue"}, "names": {"a": "\\"{"}}')
    expect((await configError({cwd: dir})).message).to.match(new RegExp(`^config ${file}:1:\\d+: .*unique`, 'i'))
    writeFileSync(file, '{"hooks": {"onError": "abort"}, "http": {"allow": ["a,{b"]}, "names": {}, "x": [{"onError": 1}]}')
    expect((await configError({cwd: dir})).message).to.not.match(/unique/i)
  })

  it('names the key and the file for a wrong type', async () => {
    const file = join(dir, 'settings.yaml')
    writeFileSync(file, 'hooks:\n  timeoutMs:\n    pre: soon\n')
    const error = await configError({cwd: dir, explicitPath: 'settings.yaml'})
    expect(error.message).to.include(file).and.include('hooks.timeoutMs.pre')
  })

  it('refuses invalid YAML with the parser\'s reason at file:line:column, every problem listed', async () => {
    const file = join(dir, 'roomsim.config.yaml')
    writeFileSync(file, 'hooks: [unclosed\n  onError: :\n')
    const error = await configError({cwd: dir})
    expect(error.message).to.include(file)
    for (const line of (error as ConfigError).problems) expect(line).to.match(new RegExp(`^${file}:\\d+:\\d+: \\S`))
    expect((error as ConfigError).problems.join('\n')).to.match(/flow sequence|Missing|Unexpected|closing/i)
  })

  it('reports every schema problem at once, with line:column and a "did you mean" for a misspelt key', async () => {
    const file = join(dir, 'roomsim.config.yaml')
    writeFileSync(file, 'hooks:\n  onErorr: abort\n  timeoutMs: {pre: soon}\nplugin: []\n')
    const error = (await configError({cwd: dir})) as ConfigError
    expect(error.problems).to.deep.equal([
      `${file}:2:3: hooks.onErorr: unknown key "onErorr" (did you mean "onError"?); allowed: timeoutMs, onError`,
      `${file}:3:20: hooks.timeoutMs.pre: expected a positive whole number, got "soon"`,
      `${file}:4:1: plugin: unknown key "plugin" (did you mean "plugins"?); allowed: store, names, hooks, plugins, http`,
    ])
    expect(error.message.split('\n')[0]).to.equal(`config ${file} has 3 problems:`)
  })

  it('gives JSON syntax errors their reason and line:column', async () => {
    const file = join(dir, 'roomsim.config.json')
    writeFileSync(file, '{\n  "hooks": {"onError": "abort",}\n}\n')
    const error = (await configError({cwd: dir})) as ConfigError
    expect(error.problems).to.have.length(1)
    expect(error.message).to.match(new RegExp(`^config ${file}:2:\\d+: invalid JSON: \\S+`))
  })

  it('loads a TypeScript config with export default in a folder that is not "type": "module", and an ESM .js one', async () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'cjs-project'}))
    writeFileSync(join(dir, 'roomsim.config.ts'), "const onError: 'abort' = 'abort'\nexport default {hooks: {onError}}\n")
    expect((await loadConfig({cwd: dir})).hooks.onError).to.equal('abort')
    writeFileSync(join(dir, 'esm.config.js'), "export default {names: {maxLength: 9}}\n")
    expect((await loadConfig({cwd: dir, explicitPath: 'esm.config.js'})).names.maxLength).to.equal(9)
  })

  it('turns a getter that throws in a JS config into a config error (exit 2), not a crash', async () => {
    writeFileSync(join(dir, 'roomsim.config.mjs'), "export default { get hooks() { throw new Error('nope') } }\n")
    expect((await configError({cwd: dir})).message).to.include('nope')
  })

  it('refuses a YAML alias bomb', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 8; i++) levels.push(`${'b'.repeat(i)}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`)
    writeFileSync(join(dir, 'roomsim.config.yaml'), `${levels.join('\n')}\n`)
    expect((await configError({cwd: dir})).message).to.match(/alias/i)
  })

  it('passes over a plugin\'s own package.json: its "roomsim" settings are the plugin\'s defaults, not project config', async () => {
    writeFileSync(join(dir, 'roomsim.config.yaml'), 'hooks:\n  onError: abort\n')
    const plugin = join(dir, 'my-plugin')
    mkdirSync(plugin)
    writeFileSync(join(plugin, 'package.json'), JSON.stringify({name: 'my-plugin', roomsim: {settings: {banned: ['x']}}}))
    const config = await loadConfig({cwd: plugin})
    expect(config.filepath).to.equal(join(dir, 'roomsim.config.yaml'))
    writeFileSync(join(plugin, 'package.json'), JSON.stringify({name: 'my-plugin', roomsimPlugin: {settings: {banned: ['x']}}}))
    expect((await loadConfig({cwd: plugin})).hooks.onError).to.equal('abort')
  })

  it('refuses a --config file that does not exist, and one that is a folder', async () => {
    expect((await configError({cwd: dir, explicitPath: 'missing.json'})).message).to.include(join(dir, 'missing.json')).and.include('not found')
    mkdirSync(join(dir, 'folder.json'))
    expect((await configError({cwd: dir, explicitPath: 'folder.json'})).message).to.include('folder')
  })
})
