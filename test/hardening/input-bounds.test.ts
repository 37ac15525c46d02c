import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {globMatch} from '../../src/input/glob-match.js'
import {loadConfig} from '../../src/config/load.js'
import {RoomsimError} from '../../src/errors.js'
import {atMostQuadratic, backtrackingProblem, boundedTest} from '../../src/input/bounded-regex.js'
import {parseCustomFields} from '../../src/input/custom-fields.js'
import {containsText, regexProblem} from '../../src/scenario/match.js'
import {parseScenarioText} from '../../src/scenario/parse.js'
import {tempDir} from '../helpers/cli.js'

/** A YAML alias bomb: 9^7 nodes from a few hundred bytes. */
const BOMB = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefg'.split('').map((name, index) => `${name}: &${name} [${Array.from({length: 9}, () => `*${'abcdefg'[index]}`).join(',')}]`), 'steps: []', ''].join('\n')

const refusal = async (work: () => Promise<unknown> | unknown): Promise<RoomsimError> => {
  try {
    await work()
  } catch (error) {
    expect(error).to.be.instanceOf(RoomsimError)
    return error as RoomsimError
  }
  throw new Error('expected a RoomsimError')
}

describe('hardening: input that used to hang or exit 1', function () {
  // A regression shows as a timeout here (minutes before the fix), not as a timed assertion.
  this.timeout(30_000)

  describe('scenario files', () => {
    const parse = (text: string) => parseScenarioText(text, 'hostile.yaml', '/nowhere/hostile.yaml')

    it('20,000 unclosed brackets: problems with positions, no hang, no stack overflow text', async () => {
      const {problems, scenarios} = await parse('['.repeat(20_000))
      expect(scenarios).to.deep.equal([])
      expect(problems.length).to.be.within(1, 20)
      expect(problems[0]!.message).to.not.match(/call stack/i)
    })

    it('a 1 MB one-line JSON scenario with one typo: one problem, quickly', async () => {
      const text = `{"name":"x","steps":[${'{"create":{"room":"r","by":"a"}},'.repeat(30_000)}{"create":{"room":"r",by:"a"}}]x`
      const {problems} = await parse(text)
      expect(problems.length).to.be.at.least(1)
      expect(problems[0]!.line).to.equal(1)
    })

    it('many ": " on one line (the colon hint scans linearly)', async () => {
      const {problems} = await parse(`name: ${'a: '.repeat(50_000)}\n  x: [`)
      expect(problems.length).to.be.at.least(1)
    })

    it('an alias bomb is a problem of the file, not a crash', async () => {
      const {problems} = await parse(BOMB)
      expect(problems.map((problem) => problem.message).join('\n')).to.match(/alias/i)
    })

    it('an unresolved alias is a problem of the file', async () => {
      const {problems} = await parse('name: x\nsteps: *nowhere\n')
      expect(problems[0]!.message).to.match(/Unresolved alias/)
    })
  })

  describe('user regular expressions', () => {
    it('refuses nested repetition when the file is read', () => {
      for (const pattern of ['/(a+)+b/', '/(\\w*)*$/', '/(a|b+){2,}/', '/((ab)*c)+/']) expect(regexProblem(pattern), pattern).to.match(/exponential time/)
      for (const pattern of ['/banned/', '/(ab)+/', '/a+b*/', '/[(a+)]+/', '/(a+)?/', '/(a*){1}/', '/\\(a+\\)+/']) expect(regexProblem(pattern), pattern).to.equal(undefined)
    })

    it('cuts off a slow search that slipped past the check, with a clear error', () => {
      expect(backtrackingProblem('(a|a)*b')).to.equal(undefined)
      const error = (() => {
        try {
          containsText('/(a|a)*b/', 'a'.repeat(40))
        } catch (caught) {
          return caught as RoomsimError
        }
        return undefined
      })()
      expect(error).to.be.instanceOf(RoomsimError)
      expect(error!.message).to.match(/did not finish within \d+ ms on a 40-character text; simplify the pattern/)
    })

    it('still matches as before', () => {
      expect(containsText('/ban+ed/i', 'You are BANNED here')).to.equal(true)
      expect(boundedTest(/^x$/, 'y', 'test')).to.equal(false)
    })

    it('searches without the vm only where a search is at most quadratic', () => {
      for (const source of ['^[0-9a-zA-Z-_.]+$', '^room-\\d{1,4}$', 'banned', '[(|)*+]x+', '^\\.$']) expect(atMostQuadratic(source), source).to.equal(true)
      for (const source of ['(a|a)*b', 'a|b', 'a+b+', 'a+?', 'x?y?', '(\\w)\\1+', '\\k<n>', 'a'.repeat(101)]) expect(atMostQuadratic(source), source).to.equal(false)
    })

    it('gives the same answers on both paths, and a g or y pattern answers the same each time', () => {
      const cases: [RegExp, string][] = [[/^[a-z]+$/, 'abc'], [/^[a-z]+$/, 'ab c'], [/x+/i, 'aXXb'], [/a/g, 'a'], [/a/y, 'a'], [/(a|b)+c/, 'ababc'], [/(a|b)+c/, 'abab']]
      for (const [regex, text] of cases) {
        const expected = new RegExp(regex.source, regex.flags).test(text)
        expect([boundedTest(regex, text, 'test'), boundedTest(regex, text, 'test')], `${regex} ${text}`).to.deep.equal([expected, expected])
      }
    })
  })

  describe('HTTP stub patterns match without backtracking', () => {
    it('matches like the old glob', () => {
      expect(globMatch('https://api.example.com/*', 'https://api.example.com/v1/x?y=1')).to.equal(true)
      expect(globMatch('https://*.example.com/a', 'https://api.example.com/a')).to.equal(true)
      expect(globMatch('https://*.example.com/a', 'https://api.example.com/b')).to.equal(false)
      expect(globMatch('*', '')).to.equal(true)
      expect(globMatch('a*b*c', 'aXbYc')).to.equal(true)
      expect(globMatch('a*b*c', 'aXbY')).to.equal(false)
    })

    it('a pattern of many stars against a long URL ends', () => {
      expect(globMatch(`${'a*'.repeat(30)}b`, 'a'.repeat(5000))).to.equal(false)
    })
  })

  describe('config files', () => {
    let dir: string
    let cleanup: () => void
    beforeEach(() => ({dir, cleanup} = tempDir('roomsim-hostile-config-')))
    afterEach(() => cleanup())

    it('a YAML alias bomb is BAD_CONFIG, in milliseconds', async () => {
      writeFileSync(join(dir, '.roomsimrc.yaml'), BOMB.replace('steps: []\n', ''))
      const error = await refusal(() => loadConfig({cwd: dir}))
      expect(error.code).to.equal('BAD_CONFIG')
      expect(error.message).to.include(join(dir, '.roomsimrc.yaml')).and.match(/alias count.*at most \d+ nodes/)
    })

    it('an unresolved alias, with line and column', async () => {
      writeFileSync(join(dir, 'roomsim.config.yml'), 'store: *x\n')
      const error = await refusal(() => loadConfig({cwd: dir}))
      expect(error.code).to.equal('BAD_CONFIG')
      expect(error.message).to.match(/Unresolved alias/)
    })

    it('a JS config whose getter throws is BAD_CONFIG naming the file', async () => {
      writeFileSync(join(dir, 'roomsim.config.mjs'), 'export default { get store() { throw new Error("boom") } }\n')
      const error = await refusal(() => loadConfig({cwd: dir}))
      expect(error.code).to.equal('BAD_CONFIG')
      expect(error.message).to.include('roomsim.config.mjs').and.include('threw: boom')
    })

    it('a names.pattern with nested repetition is refused', async () => {
      writeFileSync(join(dir, 'roomsim.config.json'), JSON.stringify({names: {pattern: '^(a+)+$'}}))
      const error = await refusal(() => loadConfig({cwd: dir}))
      expect(error.message).to.match(/names\.pattern.*exponential/)
    })
  })

  it('--custom-field k=1e999 is refused instead of stored as null', async () => {
    for (const pair of ['k=1e999', 'k=-1e999', 'k=[1,1e400]', 'k={"a":1e999}']) {
      const error = await refusal(() => parseCustomFields([pair]))
      expect(error.code).to.equal('INVALID_INPUT')
      expect(error.message).to.match(/too large for JSON/)
    }
    expect(parseCustomFields(['k="1e999"', 'n=1e300'])).to.deep.equal({k: '1e999', n: 1e300})
  })
})
