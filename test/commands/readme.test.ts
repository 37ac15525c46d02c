import {expect} from 'chai'
import {cpSync, existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT, runCommand, tempDir} from '../helpers/index.js'

interface Example {
  /** Where it is in the README, for failure messages. */
  line: number
  args: string[]
  exit: number
  /** The folder it runs in, relative to the reader's working folder: a `cd` line lasts until the end of its block. */
  cwd: string
  /** The output the README shows for it, when it shows one. */
  output?: string
}

/** Splits a shell line into words as sh would (quotes, no expansion), dropping a trailing comment. */
export function shellWords(text: string): string[] {
  const words: string[] = []
  let word: string | undefined
  let quote: string | undefined
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!
    if (quote) {
      if (char === quote) quote = undefined
      else word += char
    } else if (char === '"' || char === "'") {
      quote = char
      word ??= ''
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else if (char === '#' && word === undefined) break
    else word = (word ?? '') + char
  }
  if (word !== undefined) words.push(word)
  return words
}

const exitOf = (line: string): number => Number(/\(exit (\d)\)/.exec(line)?.[1] ?? 0)

/**
 * Every roomsim command the README shows, in reading order: the lines of its
 * `sh` blocks, the Commands table's examples, and the `$ roomsim …` sample with
 * the output printed under it. Blocks fenced as `text` illustrate and are not run.
 */
export function readmeExamples(readme: string): Example[] {
  const examples: Example[] = []
  const lines = readme.split('\n')
  let fence: string | undefined
  let sample: Example | undefined
  let cwd = '.'
  lines.forEach((text, index) => {
    const line = index + 1
    const opening = /^```(\w*)/.exec(text)
    if (opening) {
      if (fence === undefined) fence = opening[1] ?? ''
      else {
        if (sample) examples.push({...sample, output: sample.output!.replace(/\n$/, '')})
        fence = undefined
        sample = undefined
        cwd = '.'
      }
      return
    }
    if (fence === 'sh' && text.startsWith('cd ')) cwd = join(cwd, shellWords(text)[1]!)
    else if (fence === 'sh' && text.startsWith('roomsim ')) examples.push({line, args: shellWords(text).slice(1), exit: exitOf(text), cwd})
    else if (fence === '' && text.startsWith('$ roomsim ')) sample = {line, args: shellWords(text.slice(2)).slice(1), exit: 0, output: '', cwd}
    else if (fence === '' && sample) sample.output += `${text}\n`
    else if (fence === undefined && text.startsWith('| `')) {
      for (const cell of text.split('|').slice(3)) {
        const command = /`(roomsim [^`]+)`/.exec(cell)?.[1]
        if (command) examples.push({line, args: shellWords(command).slice(1), exit: exitOf(cell), cwd: '.'})
      }
    }
  })
  return examples
}

/** Hook times differ from run to run. */
const withoutTimes = (text: string): string => text.replace(/ +\d+\.\d ms/g, ' N ms')

describe('the README, as a newcomer runs it', function () {
  this.timeout(300_000)
  const examples = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'))
  let dir: string
  let cleanup: () => void
  before(() => {
    ;({dir, cleanup} = tempDir('roomsim-readme-'))
  })
  after(() => cleanup())

  it('shows a good number of examples, starting with roomsim init --examples', () => {
    expect(examples.length).to.be.at.least(30)
    expect(examples[0]!.args).to.deep.equal(['init', '--examples'])
    expect(examples.some((example) => example.output !== undefined)).to.equal(true)
  })

  it('runs every example in order, as written, in an empty folder', async () => {
    for (const example of examples) {
      const cwd = join(dir, example.cwd)
      // "Running a Rocket.Chat App" starts in the reader's own app: an rc-apps project, with no node_modules.
      if (example.cwd === 'my-app' && !existsSync(cwd)) cpSync(join(ROOT, 'test', 'fixtures', 'apps', 'hello-world'), cwd, {recursive: true})
      const result = await runCommand(example.args, {cwd})
      const what = `README.md:${example.line}: roomsim ${example.args.join(' ')}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`
      expect(result.code, what).to.equal(example.exit)
      if (example.output !== undefined) expect(withoutTimes(result.stdout.trimEnd()), what).to.equal(withoutTimes(example.output))
    }
  })
})

describe('shellWords', () => {
  it('splits as sh does: quotes, comments', () => {
    expect(shellWords(`roomsim user create dave --name "Dave D" --role 'a b'   # comment (exit 3)`)).to.deep.equal(['roomsim', 'user', 'create', 'dave', '--name', 'Dave D', '--role', 'a b'])
    expect(shellWords(`roomsim scenario run "plugins/**/*.yaml" --x=a#b`)).to.deep.equal(['roomsim', 'scenario', 'run', 'plugins/**/*.yaml', '--x=a#b'])
  })
})
