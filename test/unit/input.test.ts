import {expect} from 'chai'

import {DEFAULT_CONFIG} from '../../src/config/schema.js'
import {checkName, directRoomName} from '../../src/domain/names.js'
import {RoomsimError} from '../../src/errors.js'
import {parseCustomFields} from '../../src/input/custom-fields.js'

const refusal = (fn: () => unknown): RoomsimError => {
  try {
    fn()
  } catch (error) {
    expect(error).to.be.instanceOf(RoomsimError)
    return error as RoomsimError
  }
  throw new Error('expected a refusal')
}

describe('names', () => {
  const rule = DEFAULT_CONFIG.names

  it('accepts Rocket.Chat default names of 1 to 64 characters', () => {
    for (const name of ['a', 'general', 'dev-ops_team.2024', 'A'.repeat(64), '0']) expect(checkName('room', name, rule)).to.equal(name)
  })

  for (const [what, name] of [
    ['empty', ''],
    ['65 characters', 'a'.repeat(65)],
    ['with a space', 'two words'],
    ['with a slash', 'a/b'],
    ['unicode', 'café'],
    ['an emoji', 'room🎉'],
    ['a hash', '#general'],
    ['a newline', 'a\nb'],
    ['not text', 42],
  ] as const) {
    it(`refuses a name that is ${what}`, () => {
      const error = refusal(() => checkName('user', name, rule))
      expect(error.code).to.equal('INVALID_NAME')
      expect(error.message).to.match(/^user name/)
      expect(error.message).to.not.include('\n')
    })
  }

  it('follows a configured pattern and length', () => {
    const strict = {pattern: '^[a-z]+$', maxLength: 5}
    expect(checkName('room', 'abcde', strict)).to.equal('abcde')
    expect(refusal(() => checkName('room', 'abcdef', strict)).message).to.include('limit is 5')
    expect(refusal(() => checkName('room', 'Abc', strict)).message).to.include('^[a-z]+$')
  })

  it('names a direct room after its members: sorted, unique, joined by "__"', () => {
    expect(directRoomName(['zoe', 'adam', 'mia'])).to.equal('adam__mia__zoe')
    expect(directRoomName(['bob', 'alice', 'bob'])).to.equal('alice__bob')
  })
})

describe('--custom-field parsing', () => {
  it('parses values as JSON when they parse, else keeps the text', () => {
    expect(
      parseCustomFields(['level=3', 'tags=["a","b"]', 'meta={"x":1}', 'on=true', 'topic=hello world', 'empty=', 'eq=a=b', 'quoted="3"', 'nothing=null']),
    ).to.deep.equal({level: 3, tags: ['a', 'b'], meta: {x: 1}, on: true, topic: 'hello world', empty: '', eq: 'a=b', quoted: '3', nothing: null})
  })

  it('takes keys that objects inherit ("toString", "__proto__") as plain field names', () => {
    const fields = parseCustomFields(['toString=1', '__proto__={"polluted":true}', 'constructor=x'])
    expect(Object.keys(fields)).to.deep.equal(['toString', '__proto__', 'constructor'])
    expect(JSON.parse(JSON.stringify(fields))).to.deep.equal(JSON.parse('{"toString":1,"__proto__":{"polluted":true},"constructor":"x"}'))
    expect(Object.getPrototypeOf(fields)).to.equal(Object.prototype)
  })

  for (const [what, pairs, text] of [
    ['no "="', ['level'], 'KEY=VALUE'],
    ['an empty key', ['=3'], 'KEY=VALUE'],
    ['a key with "."', ['a.b=1'], '"."'],
    ['the same key twice', ['k=1', 'k=2'], 'twice'],
  ] as const) {
    it(`refuses ${what}`, () => {
      const error = refusal(() => parseCustomFields(pairs))
      expect(error.code).to.equal('INVALID_INPUT')
      expect(error.message).to.include(text)
    })
  }
})
