import {expect} from 'chai'
import {cpSync, mkdirSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import type BetterSqlite3 from 'better-sqlite3'

import {openDatabase} from '../../src/store/database.js'
import {LATEST_VERSION} from '../../src/store/migrations.js'
import {Store} from '../../src/store/store.js'
import {type CliResult, runCommand, tempDir} from '../helpers/cli.js'
import {seedRoom, writePlugin} from '../helpers/engine.js'
import {mapLimit, STACK_LINE, storeFingerprint} from '../helpers/files.js'

const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3

interface BadInput {
  what: string
  args: string[]
  /** What the one-line message must say (so the right check refused it). */
  says: RegExp
  /** How many lines the error takes (a config's problems are listed one per line); 1 or 2 unless given. */
  lines?: number
  /** Folder to run in, relative to the case folder. */
  cwd?: string
}

/** Store, foreign files and configs every case starts from (each case gets its own copy). */
function buildFixture(dir: string): void {
  const store = new Store(openDatabase(join(dir, '.roomsim', 'store.db'), {create: true})!)
  seedRoom(store, 'general', ['alice', 'bob'])
  seedRoom(store, 'secret', ['alice'], 'p')
  seedRoom(store, 'alice__bob', ['alice', 'bob'], 'd')
  store.close()

  writeFileSync(join(dir, 'notes.txt'), 'my notes, not a database\n')
  const other = new Sqlite(join(dir, 'other.db'))
  other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')")
  other.close()
  openDatabase(join(dir, 'future.db'), {create: true})!.close()
  const future = new Sqlite(join(dir, 'future.db'))
  future.pragma(`user_version = ${LATEST_VERSION + 1}`)
  future.pragma('journal_mode = DELETE')
  future.close()

  mkdirSync(join(dir, 'conf'))
  writePlugin(dir, {name: 'inert', source: 'export default { hello() {} }'})
  writePlugin(dir, {name: 'fine', source: 'export default { async executePreRoomUserJoined() {} }'})
  const conf = (name: string, content: unknown) => writeFileSync(join(dir, 'conf', name), typeof content === 'string' ? content : JSON.stringify(content))
  conf('unknown-key.json', {hooks: {onErorr: 'abort'}})
  conf('wrong-type.yaml', 'hooks:\n  timeoutMs:\n    pre: soon\n')
  conf('invalid.yaml', 'hooks: [unclosed\n  onError: :\n')
  conf('missing-plugin.json', {plugins: [{path: '../plugins/nope'}]})
  conf('no-interface.json', {plugins: [{path: '../plugins/inert'}]})
  conf('twice.json', {plugins: [{path: '../plugins/fine'}, {path: '../plugins/fine'}]})
  mkdirSync(join(dir, 'discovered'))
  writeFileSync(join(dir, 'discovered', 'roomsim.config.json'), JSON.stringify({colour: 'blue'}))
}

const BAD_INPUTS: BadInput[] = [
  // names
  {what: 'an empty room name', args: ['room', 'create', ''], says: /room name must not be empty/},
  {what: 'a 65-character room name', args: ['room', 'create', 'a'.repeat(65)], says: /65 characters; the limit is 64/},
  {what: 'a unicode room name', args: ['room', 'create', 'café'], says: /room name "café" does not match/},
  {what: 'a room name with a space', args: ['room', 'create', 'two words'], says: /does not match/},
  {what: 'a room name with a slash', args: ['room', 'create', 'a/b'], says: /does not match/},
  {what: 'a room name with a newline', args: ['room', 'create', 'line\nbreak'], says: /does not match/},
  {what: 'a taken room name', args: ['room', 'create', 'general'], says: /room "general" already exists/},
  {what: 'a bad --by username', args: ['room', 'create', 'x', '--by', 'bad user'], says: /user name "bad user"/},
  {what: 'an emoji --member', args: ['room', 'create', 'x', '--member', '😀'], says: /user name "😀"/},
  {what: 'a taken username', args: ['user', 'create', 'alice'], says: /user "alice" already exists/},
  {what: 'a bad username', args: ['user', 'create', 'bad name'], says: /user name "bad name"/},
  // flags and arguments
  {what: 'a bad --type', args: ['room', 'create', 'x', '--type', 'bogus'], says: /--type=bogus to be one of: channel, private, direct, livechat/},
  {what: '--type without a value', args: ['room', 'create', 'x', '--type'], says: /--type expects/},
  {what: '--custom-field without "="', args: ['room', 'create', 'x', '--custom-field', 'level'], says: /expected KEY=VALUE/},
  {what: '--custom-field with an empty key', args: ['room', 'create', 'x', '--custom-field', '=3'], says: /expected KEY=VALUE/},
  {what: 'duplicate --custom-field keys', args: ['room', 'create', 'x', '--custom-field', 'k=1', '--custom-field', 'k=2'], says: /"k" is given twice/},
  {what: 'a --custom-field key with "."', args: ['room', 'create', 'x', '--custom-field', 'a.b=1'], says: /must not contain "\."/},
  {what: 'a direct room with a NAME', args: ['room', 'create', 'dm', '--type', 'direct', '--by', 'alice', '--member', 'bob'], says: /direct room takes no NAME/},
  {what: 'a direct room with nobody else', args: ['room', 'create', '--type', 'direct', '--by', 'alice', '--member', 'alice'], says: /at least one --member other than its creator/},
  {what: 'a direct room that exists', args: ['room', 'create', '--type', 'direct', '--by', 'bob', '--member', 'alice'], says: /"alice__bob" already exists/},
  {what: 'a channel without a NAME', args: ['room', 'create'], says: /room NAME is required/},
  {what: 'an unknown flag', args: ['room', 'create', 'x', '--nope'], says: /Nonexistent flag: --nope/},
  {what: 'an extra argument', args: ['room', 'create', 'x', 'y'], says: /Unexpected argument/},
  {what: 'an unknown subcommand', args: ['room', 'frobnicate'], says: /unknown command "room frobnicate"/},
  {what: 'an unknown command', args: ['frobnicate', 'now'], says: /unknown command "frobnicate/},
  {what: 'a missing required flag', args: ['room', 'join', 'general'], says: /Missing required flag user/},
  {what: 'a missing argument', args: ['room', 'join', '--user', 'bob'], says: /Missing 1 required arg: room/},
  {what: 'a flag given twice', args: ['room', 'join', 'general', '--user', 'a', '--user', 'b'], says: /--user can only be specified once/},
  {what: '--limit 0', args: ['log', '--limit', '0'], says: /--limit: Expected an integer greater than or equal to 1/},
  {what: '--limit that is not a number', args: ['log', '--limit', 'abc'], says: /--limit: Expected an integer/},
  // rooms, users and membership
  {what: 'an unknown room', args: ['room', 'join', 'nowhere', '--user', 'carol'], says: /no room named or with id "nowhere"/},
  {what: 'a private room without inviter', args: ['room', 'join', 'secret', '--user', 'carol'], says: /secret is private: give --invited-by a member/},
  {what: '--invited-by a non-member', args: ['room', 'join', 'secret', '--user', 'carol', '--invited-by', 'bob'], says: /--invited-by bob: not a member of secret/},
  {what: '--invited-by an unknown user', args: ['room', 'join', 'general', '--user', 'carol', '--invited-by', 'ghost'], says: /--invited-by ghost: no such user/},
  {what: 'joining a direct room', args: ['room', 'join', 'alice__bob', '--user', 'carol'], says: /only channels and private rooms can be joined/},
  {what: 'leaving a room one is not in', args: ['room', 'leave', 'secret', '--user', 'bob'], says: /bob is not a member of secret/},
  {what: 'leaving as an unknown user', args: ['room', 'leave', 'general', '--user', 'ghost'], says: /ghost is not a member of general/},
  {what: '--removed-by a non-member', args: ['room', 'leave', 'secret', '--user', 'alice', '--removed-by', 'bob'], says: /--removed-by bob: not a member of secret/},
  {what: 'deleting an unknown room', args: ['room', 'delete', 'nowhere'], says: /no room named or with id "nowhere"/},
  {what: 'showing an unknown room', args: ['room', 'show', 'nowhere'], says: /no room named or with id "nowhere"/},
  // config
  {what: '--config to a missing file', args: ['room', 'list', '--config', 'missing.json'], says: /missing\.json: file not found/},
  {what: 'a config with an unknown key', args: ['room', 'create', 'x', '--config', 'conf/unknown-key.json'], says: /unknown-key\.json:1:11: hooks\.onErorr: unknown key "onErorr" \(did you mean "onError"\?\)/},
  {what: 'a config with a wrong type', args: ['room', 'create', 'x', '--config', 'conf/wrong-type.yaml'], says: /wrong-type\.yaml:3:10: hooks\.timeoutMs\.pre: expected a positive whole number/},
  {what: 'a config that is not YAML', args: ['room', 'create', 'x', '--config', 'conf/invalid.yaml'], says: /invalid\.yaml has 3 problems:\n  \S+invalid\.yaml:1:9: Implicit keys/, lines: 4},
  {what: 'a found config with an unknown key', args: ['room', 'create', 'x', '--store', '../.roomsim/store.db'], cwd: 'discovered', says: /roomsim\.config\.json:1:2: colour: unknown key/},
  {what: 'a plugin folder that does not exist', args: ['room', 'create', 'x', '--config', 'conf/missing-plugin.json'], says: /plugins\/nope is not a folder/},
  {what: 'a plugin that implements nothing', args: ['room', 'create', 'x', '--config', 'conf/no-interface.json'], says: /plugin inert implements no room event interface/},
  {what: 'a plugin listed twice', args: ['room', 'create', 'x', '--config', 'conf/twice.json'], says: /plugin fine is listed twice/},
  // stores
  {what: '--store at a text file', args: ['room', 'create', 'x', '--store', 'notes.txt'], says: /notes\.txt is not a roomsim store/},
  {what: '--store at another SQLite database (read)', args: ['room', 'list', '--store', 'other.db'], says: /other\.db is a SQLite database but not a roomsim store/},
  {what: '--store at another SQLite database (write)', args: ['room', 'create', 'x', '--store', 'other.db'], says: /other\.db is a SQLite database but not a roomsim store/},
  {what: '--store at a newer store', args: ['room', 'create', 'x', '--store', 'future.db'], says: /future\.db has schema version \d+, newer than this roomsim understands/},
  {what: '--store under a file', args: ['room', 'create', 'x', '--store', 'notes.txt/store.db'], says: /cannot create the store/},
]

/** Every file a case could damage. */
const GUARDED = ['.roomsim/store.db', 'notes.txt', 'other.db', 'future.db']

describe('CLI: bad input', function () {
  let root: string
  let cleanup: () => void
  const results = new Map<string, {plain: CliResult; before: string[]; after: string[]}>()

  before(async function () {
    // 50-odd CLI runs: generous room on a slow, shared machine (a guard, not a timing assertion).
    this.timeout(600_000)
    ;({dir: root, cleanup} = tempDir('roomsim-bad-'))
    const fixture = join(root, 'fixture')
    mkdirSync(fixture)
    buildFixture(fixture)
    // Independent cases, each on its own copy: run a few at a time.
    await mapLimit(BAD_INPUTS, 3, async (input, index) => {
      const dir = join(root, `case-${index}`)
      cpSync(fixture, dir, {recursive: true})
      const fingerprints = () => GUARDED.map((file) => storeFingerprint(join(dir, file)))
      const before = fingerprints()
      const plain = await runCommand(input.args, {cwd: join(dir, input.cwd ?? '.')})
      results.set(input.what, {plain, before, after: fingerprints()})
    })
  })
  after(() => cleanup())

  it(`has at least 25 cases, all different`, () => {
    expect(BAD_INPUTS.length).to.be.at.least(25)
    expect(new Set(BAD_INPUTS.map((input) => JSON.stringify([input.args, input.cwd]))).size).to.equal(BAD_INPUTS.length)
  })

  for (const input of BAD_INPUTS) {
    it(`${input.what}: exit 2, one short message, no stack trace, store untouched`, () => {
      const {plain, before, after} = results.get(input.what)!
      expect(plain.code, plain.stderr).to.equal(2)
      expect(plain.stdout).to.equal('')
      const lines = plain.stderr.split('\n').filter((line) => line.trim() !== '')
      if (input.lines) expect(lines.length, plain.stderr).to.equal(input.lines)
      else expect(lines.length, plain.stderr).to.be.within(1, 2)
      expect(lines[0]).to.match(/^Error: /)
      expect(plain.stderr).to.match(input.says)
      expect(plain.stderr).to.not.match(STACK_LINE)
      expect(after).to.deep.equal(before)
    })
  }

  it('with --json, prints the error as the only JSON document on stdout and nothing on stderr', async () => {
    const dir = join(root, 'json')
    cpSync(join(root, 'fixture'), dir, {recursive: true})
    const before = storeFingerprint(join(dir, '.roomsim', 'store.db'))
    const cases: [string[], string][] = [
      [['room', 'create', 'two words'], 'INVALID_NAME'],
      [['room', 'create', 'general'], 'NAME_TAKEN'],
      [['room', 'join', 'nowhere', '--user', 'x'], 'UNKNOWN_ROOM'],
      [['room', 'join', 'secret', '--user', 'x'], 'INVITER_REQUIRED'],
      [['room', 'leave', 'secret', '--user', 'bob'], 'NOT_A_MEMBER'],
      [['room', 'join', 'alice__bob', '--user', 'x'], 'JOIN_NOT_ALLOWED'],
      [['room', 'create', 'x', '--nope'], 'USAGE'],
      [['room', 'frobnicate'], 'USAGE'],
      [['room', 'create', 'x', '--config', 'conf/unknown-key.json'], 'BAD_CONFIG'],
      [['room', 'list', '--store', 'other.db'], 'BAD_STORE'],
      [['room', 'create', 'x', '--config', 'conf/no-interface.json'], 'BAD_PLUGIN'],
    ]
    const outputs = await mapLimit(cases, 3, ([args]) => runCommand([...args, '--json'], {cwd: dir}))
    for (const [index, [args, code]] of cases.entries()) {
      const result = outputs[index]!
      expect(result.code, args.join(' ')).to.equal(2)
      expect(result.stderr, args.join(' ')).to.equal('')
      const document = result.json()
      expect(Object.keys(document)).to.deep.equal(['error'])
      expect(document.error.code, args.join(' ')).to.equal(code)
      expect(document.error.message).to.be.a('string').and.not.include('\n')
    }
    expect(storeFingerprint(join(dir, '.roomsim', 'store.db'))).to.equal(before)
  })
})
