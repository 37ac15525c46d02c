/**
 * A seeded, bounded fuzz test: command lines, scenario files and config files,
 * mutated from valid ones and mixed with hostile shapes (deep nesting, huge
 * lines, aliases, unicode, control characters, huge numbers). Most inputs run
 * in process through oclif (the same parsing, commands and error handling as
 * the binary); a sample is also spawned as the real binary.
 *
 * Each input must end within its bound with a documented exit code, print no
 * stack trace, and leave the store byte for byte as it was when it exits 2.
 * Replay a failure with the seed it prints:
 *   ROOMSIM_FUZZ_SEED=1234 npx mocha test/hardening/fuzz.test.ts
 * ROOMSIM_FUZZ_COUNT changes how many inputs of each kind run.
 */
import {expect} from 'chai'
import {copyFileSync, cpSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {Config, run} from '@oclif/core'

import {ROOT, runCli, tempDir} from '../helpers/cli.js'
import {STACK_LINE, storeFingerprint} from '../helpers/files.js'
import {int, pick, random, type Rng} from '../helpers/random.js'

const SEED = Number(process.env.ROOMSIM_FUZZ_SEED ?? 20_240_601)
const COUNT = Number(process.env.ROOMSIM_FUZZ_COUNT ?? 150)
/** Every nth input also runs as a spawned process. */
const SPAWN_EVERY = 20
/** No single input may take longer than this (a hang, not a benchmark: the machine is shared and slow). */
const BOUND_MS = 20_000

const HOSTILE_WORDS = [
  '',
  ' ',
  '-',
  '--',
  '--json',
  '--store',
  '=',
  'a'.repeat(100_000),
  'ü̈nïcödé-名前-😀',
  '\u0000\u0001\u001b[31m',
  'line\nbreak',
  '1e999',
  '-1',
  '9223372036854775807',
  'NaN',
  '../../etc/passwd',
  '{{room:nope}}',
  '/(a+)+b/',
  'k=1e999',
  'k=' + '['.repeat(5000),
  '__proto__=1',
  'constructor',
  '%s%n',
]

const COMMAND_LINES: string[][] = [
  ['room', 'create', 'general', '--by', 'alice', '--member', 'bob', '--custom-field', 'level=3'],
  ['room', 'create', 'secret', '--type', 'private', '--description', 'x', '--read-only'],
  ['room', 'join', 'lobby', '--user', 'carol'],
  ['room', 'leave', 'lobby', '--user', 'bob'],
  ['room', 'delete', 'lobby', '--by', 'alice'],
  ['room', 'show', 'lobby'],
  ['room', 'list'],
  ['user', 'create', 'dave', '--name', 'Dave', '--role', 'admin'],
  ['user', 'list'],
  ['log', '--room', 'lobby', '--limit', '5'],
  ['plugins', 'list'],
  ['plugins', 'info', 'nope'],
  ['plugins', 'enable', 'nope'],
  ['plugins', 'order', 'a', 'b'],
  ['store', 'info'],
  ['store', 'check'],
  ['help', 'room', 'create'],
  ['room'],
  ['nosuch', 'command'],
]

function mutateArgs(rng: Rng, args: string[]): string[] {
  const out = [...args]
  const times = 1 + int(rng, 3)
  for (let index = 0; index < times; index++) {
    const at = int(rng, out.length + 1)
    switch (int(rng, 5)) {
      case 0:
        out[Math.min(at, out.length - 1)] = pick(rng, HOSTILE_WORDS)
        break
      case 1:
        out.splice(at, 1)
        break
      case 2:
        out.splice(at, 0, pick(rng, ['--limit', '--offset', '--type', '--custom-field', '--member', '--by', '--nosuch', '--json', '--verbose']), pick(rng, HOSTILE_WORDS))
        break
      case 3:
        out.splice(at, 0, pick(rng, HOSTILE_WORDS))
        break
      default:
        out.push(...out.slice(0, 2))
    }
  }
  return out.slice(0, 16)
}

const VALID_SCENARIO = `name: fuzzed
seed:
  users: [alice, bob]
  rooms: [{name: lobby, by: alice, members: [bob]}]
steps:
  - create: {room: general, by: alice, customFields: {level: 3}}
    expect: completed
  - join: {room: general, user: bob}
    expect: {status: completed, members: [alice, bob]}
  - leave: {room: "{{room:general}}", user: bob}
  - assert: {room: general, members: [alice]}
  - delete: {room: general, by: alice}
    expect: {status: completed, messages: {contains: "/x?/"}}
`

const HOSTILE_FILES = [
  '['.repeat(20_000),
  '{'.repeat(5000) + '}'.repeat(5000),
  `name: x\nsteps:\n  - create: {room: ${'a'.repeat(1_000_000)}}\n`,
  'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nsteps: []\n',
  'steps: *nowhere\n',
  'name: \u0000\u0007\u001b\nsteps: []\n',
  `name: big\nsteps:\n  - create: {room: r, customFields: {n: 1e999, m: -.inf, o: .nan}}\n`,
  `name: re\nsteps:\n  - create: {room: r}\n    expect: {status: completed, room: {slugifiedName: "/(a+)+$/"}}\n`,
  'name: 名前 😀\nsteps:\n  - create: {room: "ü̈"}\n',
  '\t\tname: tabs\n',
  '--- \n--- \n...\n',
  `name: deep\nsteps:\n${'  '.repeat(2000)}- x\n`,
  `{"name": "json", "steps": [${'{"create": {"room": "r"}},'.repeat(2000)}]}`,
  'name: x\nsteps: [' + '{create: {room: a}},'.repeat(200) + ']\n',
]

function mutateText(rng: Rng, text: string): string {
  let out = text
  const times = 1 + int(rng, 4)
  for (let index = 0; index < times; index++) {
    const at = int(rng, out.length + 1)
    switch (int(rng, 6)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + int(rng, 20))
        break
      case 1:
        out = out.slice(0, at) + pick(rng, ['[', ']', '{', '}', ':', ' #', '&a ', '*a', '"', "'", '\n', '\t', '- ', '|', '>', '!!binary ', '%YAML 9\n']) + out.slice(at)
        break
      case 2:
        out = out.slice(0, at) + pick(rng, HOSTILE_WORDS).slice(0, 10_000) + out.slice(at)
        break
      case 3: {
        const lines = out.split('\n')
        const line = int(rng, lines.length)
        lines.splice(line, 0, lines[line] ?? '')
        out = lines.join('\n')
        break
      }
      case 4:
        out = out.replace(/\d+/, pick(rng, ['1e999', '-0', '99999999999999999999', '0x10', '.inf']))
        break
      default:
        out = out.replace(/(room|user|by|members): /, `$1: ${pick(rng, ['[', '{}', 'null', '~', '"{{room:x}}"', '/(a|a)*b/'])} `)
    }
  }
  return out
}

const VALID_CONFIGS: {file: string; text: string}[] = [
  {file: 'roomsim.config.yaml', text: 'names: {pattern: "^[a-z0-9-]+$", maxLength: 32}\nhooks: {timeoutMs: {pre: 500, post: 500}, onError: abort}\nhttp: {allow: [], stubs: [{method: GET, url: "https://api.example.com/*", status: 200, data: {}}]}\n'},
  {file: 'roomsim.config.json', text: JSON.stringify({names: {maxLength: 20}, hooks: {onError: 'continue'}, plugins: []})},
  {file: '.roomsimrc', text: 'hooks:\n  timeoutMs:\n    pre: 100\n'},
]

interface Result {
  code: number
  stdout: string
  stderr: string
}

/** oclif in this process: the binary's parsing, commands and error handling, without its start-up cost. */
async function runInProcess(config: Config, argv: string[], cwd: string): Promise<Result> {
  let stdout = ''
  let stderr = ''
  const writeOut = process.stdout.write
  const writeErr = process.stderr.write
  const exit = process.exit
  const home = process.cwd()
  const storeEnv = process.env.ROOMSIM_STORE
  delete process.env.ROOMSIM_STORE
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write
  // Hooks end the process for an unknown command: here that ends this run only.
  process.exit = ((code?: number) => {
    throw Object.assign(new Error('process.exit'), {oclif: {exit: code ?? 0}, fromExit: true})
  }) as typeof process.exit
  process.exitCode = undefined
  process.chdir(cwd)
  let code: number
  try {
    await run(argv, config)
    code = Number(process.exitCode ?? 0)
  } catch (error) {
    const exitCode = (error as {oclif?: {exit?: number}}).oclif?.exit
    if (exitCode === undefined) stderr += `UNCAUGHT ${(error as Error).stack}`
    code = exitCode ?? 1
  } finally {
    process.stdout.write = writeOut
    process.stderr.write = writeErr
    process.exit = exit
    process.exitCode = undefined
    process.chdir(home)
    if (storeEnv !== undefined) process.env.ROOMSIM_STORE = storeEnv
  }
  return {code, stdout, stderr}
}

describe('hardening: seeded fuzz of command lines, scenario files and config files', function () {
  this.timeout(600_000)
  let dir: string
  let cleanup: () => void
  let config: Config
  let baseStore: string
  const failures: string[] = []

  before(async () => {
    ;({dir, cleanup} = tempDir('roomsim-fuzz-'))
    config = await Config.load({root: ROOT})
    // A store with some state, copied fresh for every input that may write.
    const seedDir = join(dir, 'seed')
    mkdirSync(seedDir)
    for (const args of [['room', 'create', 'lobby', '--by', 'alice', '--member', 'bob'], ['user', 'create', 'carol']]) {
      const result = await runInProcess(config, args, seedDir)
      expect(result.code, result.stderr).to.equal(0)
    }
    baseStore = join(seedDir, '.roomsim', 'store.db')
  })
  after(() => cleanup())
  afterEach(function () {
    if (this.currentTest?.state === 'failed') process.stderr.write(`fuzz seed: ${SEED} (replay: ROOMSIM_FUZZ_SEED=${SEED} npx mocha test/hardening/fuzz.test.ts)\n`)
  })

  /** Runs one input and records what is wrong with its result. */
  async function check(label: string, argv: string[], cwd: string, allowed: readonly number[], store: string | undefined, spawnToo: boolean): Promise<void> {
    const before = store ? storeFingerprint(store) : undefined
    // The spawned twin runs on its own copy of the case, as the in-process run found it.
    const twin = `${cwd}-spawned`
    // A command line cannot carry a NUL byte: such inputs run in process only.
    const spawnable = spawnToo && !argv.some((arg) => arg.includes('\u0000'))
    if (spawnable) cpSync(cwd, twin, {recursive: true})
    const started = Date.now()
    // A fresh oclif Config per input: a long-lived one drifts after some runs (commands no longer found), which the binary never sees.
    const result = await runInProcess(await Config.load({root: ROOT}), argv, cwd)
    const took = Date.now() - started
    const problems: string[] = []
    if (!allowed.includes(result.code)) problems.push(`exit ${result.code} (allowed: ${allowed.join(', ')})`)
    // --verbose (or DEBUG) asks for the stack on purpose.
    const verbose = argv.includes('--verbose')
    if ((!verbose && (STACK_LINE.test(result.stderr) || STACK_LINE.test(result.stdout))) || result.stderr.includes('UNCAUGHT')) problems.push('a stack trace')
    if (took > BOUND_MS) problems.push(`took ${took} ms (bound ${BOUND_MS} ms)`)
    if (result.code === 2 && store && storeFingerprint(store) !== before) problems.push('the store changed although the input was refused')
    if (spawnable) {
      const spawned = await runCli(argv, {cwd: twin, limitMs: BOUND_MS * 2})
      if (spawned.killed) problems.push('the spawned binary did not end')
      else if (spawned.code !== result.code) problems.push(`the spawned binary exited ${spawned.code}, in process ${result.code}`)
      if (!verbose && STACK_LINE.test(spawned.stderr)) problems.push('a stack trace from the spawned binary')
    }
    if (problems.length > 0) failures.push(`${label}: ${problems.join('; ')}\n    argv: ${JSON.stringify(argv).slice(0, 300)}\n    stderr: ${result.stderr.slice(0, 300)}`)
  }

  const freshCase = (index: number): string => {
    const caseDir = join(dir, `case-${index}`)
    mkdirSync(join(caseDir, '.roomsim'), {recursive: true})
    copyFileSync(baseStore, join(caseDir, '.roomsim', 'store.db'))
    return caseDir
  }

  it(`${COUNT} command lines`, async () => {
    const rng = random(SEED)
    for (let index = 0; index < COUNT; index++) {
      const base = pick(rng, COMMAND_LINES)
      const argv = index % 5 === 0 ? base : mutateArgs(rng, base)
      const cwd = freshCase(index)
      await check(`command line #${index}`, argv, cwd, [0, 2, 3, 4], join(cwd, '.roomsim', 'store.db'), index % SPAWN_EVERY === 1)
    }
    expect(failures, `seed ${SEED}\n${failures.join('\n')}`).to.deep.equal([])
  })

  it(`${COUNT} scenario files`, async () => {
    const rng = random(SEED + 1)
    for (let index = 0; index < COUNT; index++) {
      const cwd = freshCase(10_000 + index)
      const text = index < HOSTILE_FILES.length ? HOSTILE_FILES[index]! : mutateText(rng, index % 4 === 0 ? pick(rng, HOSTILE_FILES) : VALID_SCENARIO)
      writeFileSync(join(cwd, 'fuzzed.yaml'), text)
      await check(`scenario #${index}`, ['scenario', 'run', 'fuzzed.yaml', ...(index % 3 === 0 ? ['--reporter', pick(rng, ['tap', 'json', 'junit'])] : [])], cwd, [0, 1, 2], undefined, index % SPAWN_EVERY === 2)
    }
    expect(failures, `seed ${SEED}\n${failures.join('\n')}`).to.deep.equal([])
  })

  it(`${COUNT} config files`, async () => {
    const rng = random(SEED + 2)
    for (let index = 0; index < COUNT; index++) {
      const cwd = freshCase(20_000 + index)
      const {file, text} = pick(rng, VALID_CONFIGS)
      const content = index < 4 ? pick(rng, HOSTILE_FILES) : mutateText(rng, text)
      writeFileSync(join(cwd, file), content)
      const argv = pick(rng, [['room', 'create', 'fuzz-room'], ['room', 'list'], ['room', 'join', 'lobby', '--user', 'carol'], ['log']])
      await check(`config #${index} (${file})`, argv, cwd, [0, 2, 3, 4], join(cwd, '.roomsim', 'store.db'), index % SPAWN_EVERY === 3)
    }
    expect(failures, `seed ${SEED}\n${failures.join('\n')}`).to.deep.equal([])
  })
})
