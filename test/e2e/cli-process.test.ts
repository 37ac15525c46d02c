import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {mapLimit, ROOT, runCli, STACK_LINE, tempDir, writePluginsConfig} from '../helpers/index.js'

const ANSI = /\u001B\[\d+m/

/**
 * What only the real binary shows: oclif's own dispatch (help, version, unknown
 * commands), exit codes as a shell sees them, stdout that holds nothing but the
 * JSON document, and colour decided from the environment. Independent runs go
 * a few at a time.
 */
describe('the roomsim binary', function () {
  let dir: string
  let cleanup: () => void
  before(() => {
    ;({dir, cleanup} = tempDir())
    writePluginsConfig(dir, [{name: 'no-tests', source: 'export default { async executePreRoomCreatePrevent(room) { return room.slugifiedName.startsWith("test-") } }'}])
  })
  after(() => cleanup())

  it('exits 0, 2 and 3 as documented; --json stdout is exactly one document and stderr stays empty', async () => {
    const [made, prevented, unknown, json] = await mapLimit(
      [['room', 'create', 'general'], ['room', 'create', 'test-x'], ['room', 'join', 'nowhere', '--user', 'bob'], ['room', 'create', 'ops', '--json']],
      3,
      (args) => runCli(args, {cwd: dir}),
    )
    expect([made!.code, prevented!.code, unknown!.code, json!.code]).to.deep.equal([0, 3, 2, 0])
    expect(unknown!.stderr).to.match(/^Error: [^\n]+\n$/)
    expect(unknown!.stderr).to.not.match(STACK_LINE)
    expect(json!.stderr).to.equal('')
    expect(json!.json().status).to.equal('completed')
    expect(json!.stdout.trimEnd().split('\n').at(-1)).to.equal('}')
  })

  it('-h, --help, version, -v and commands, as other oclif CLIs have them', async () => {
    const [short, long, version, v, commands] = await mapLimit([['room', 'create', '-h'], ['room', 'create', '--help'], ['version'], ['-v'], ['commands', '--json']], 3, (args) => runCli(args, {cwd: dir}))
    expect(short!.code).to.equal(0)
    expect(short!.stdout).to.equal(long!.stdout)
    expect(short!.stdout).to.include('EXIT CODES').and.include('3  prevented by a plugin (PREVENTED)')
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}
    expect(version!.stdout).to.match(new RegExp(`^roomsim/${pkg.version.replaceAll('.', '\\.')} \\S+ node-v`))
    expect(v!.stdout).to.equal(version!.stdout)
    expect(commands!.json().map((entry: {command: string}) => entry.command)).to.include.members(['room create', 'scenario run', 'version', 'commands', 'init'])
  })

  it('lists only a command\'s own exit codes in its help', async () => {
    const [list, join_] = await mapLimit([['room', 'list', '--help'], ['room', 'join', '--help']], 2, (args) => runCli(args, {cwd: dir}))
    expect(list!.stdout).to.not.include('3  prevented')
    expect(list!.stdout).to.not.include('PLUGIN_FAILED')
    expect(join_!.stdout).to.include('JOIN_NOT_ALLOWED').and.include('INVITER_REQUIRED')
  })

  it('suggests the closest command and flag, exits 2, and says it as JSON with --json', async () => {
    const [command, topic, flag, json] = await mapLimit(
      [['room', 'craete', 'general'], ['rom'], ['room', 'create', 'x', '--bye', 'alice'], ['room', 'craete', '--json']],
      3,
      (args) => runCli(args, {cwd: dir}),
    )
    expect(command!.code).to.equal(2)
    expect(command!.stderr).to.equal('Error: unknown command "room craete"; did you mean "room create"? Run "roomsim commands" for the list.\n')
    expect(topic!.stderr).to.include('did you mean "room"?')
    expect(flag!.code).to.equal(2)
    expect(flag!.stderr).to.match(/^Error: Nonexistent flag: --bye \(did you mean --by\?\)\n$/)
    expect(json!.code).to.equal(2)
    expect(json!.json().error).to.deep.include({code: 'USAGE'})
    expect(json!.stderr).to.equal('')
  })

  it("starts without oclif's semver check, and leaves OCLIF_DISABLE_ENGINE_WARNING as it found it", async () => {
    // Says at exit whether semver was ever loaded, and what the variable is then.
    const hook = join(dir, 'report-start.cjs')
    writeFileSync(hook, `process.on('exit', () => process.stderr.write('\\n' + JSON.stringify({semver: Object.keys(require.cache).some((file) => /[\\\\/]semver[\\\\/]/.test(file)), variable: process.env.OCLIF_DISABLE_ENGINE_WARNING ?? null}) + '\\n'))`)
    const seen = (result: {stderr: string}) => JSON.parse(result.stderr.trim().split('\n').at(-1)!) as {semver: boolean; variable: string | null}
    const [plain, set] = await mapLimit([{}, {OCLIF_DISABLE_ENGINE_WARNING: 'yes'}], 2, (env) => runCli(['version'], {cwd: dir, env: {...env, NODE_OPTIONS: `--require ${hook}`}}))
    expect(seen(plain!)).to.deep.equal({semver: false, variable: null})
    expect(seen(set!)).to.deep.equal({semver: false, variable: 'yes'})
  })

  it('colours only when asked: FORCE_COLOR or --color; --no-color and NO_COLOR win', async () => {
    const [forced, flagged, refused, plain] = await mapLimit(
      [
        {env: {NO_COLOR: undefined, FORCE_COLOR: '1'}, extra: ['room', 'create', 'colour-a']},
        {env: {NO_COLOR: undefined}, extra: ['room', 'create', 'colour-b', '--color']},
        {env: {NO_COLOR: undefined, FORCE_COLOR: '1'}, extra: ['room', 'create', 'colour-c', '--no-color']},
        {env: {}, extra: ['room', 'create', 'colour-d']},
      ],
      2,
      ({env, extra}) => runCli(extra, {cwd: dir, env}),
    )
    expect(forced!.stdout).to.match(ANSI)
    expect(flagged!.stdout).to.match(ANSI)
    expect(refused!.stdout).to.not.match(ANSI)
    expect(plain!.stdout).to.not.match(ANSI)
  })

  it('keeps docs/commands.md what `oclif readme` generates from the commands (run `npm run docs` after changing one)', async () => {
    const {stdout} = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'oclif', 'bin', 'run.js'), 'readme', '--readme-path', 'docs/commands.md', '--no-source-links', '--dry-run'], {
      cwd: ROOT,
      env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'},
    })
    const generated = stdout.slice(stdout.indexOf('# Command reference'))
    expect(readFileSync(join(ROOT, 'docs', 'commands.md'), 'utf8').trimEnd()).to.equal(generated.trimEnd())
  })
})
