import {expect} from 'chai'
import * as yaml from 'yaml'

import {locator, YAML_OPTIONS} from '../../src/scenario/parse.js'
import {readPlainStep} from '../../src/scenario/plain-step.js'
import type {Path} from '../../src/scenario/schema/checker.js'
import {int, pick, random, type Rng} from '../helpers/random.js'

/**
 * The plain-step reader must answer exactly what YAML answers — the value and
 * where every key and value starts — or not answer at all.
 */
function viaYaml(source: string) {
  const lines = new yaml.LineCounter()
  const document = yaml.parseDocument(source, {...YAML_OPTIONS, lineCounter: lines})
  if (document.errors.length > 0) return undefined
  return {value: document.toJS() as unknown, locate: locator(yaml, document as yaml.Document.Parsed, source, lines)}
}

/** Every path in a value, with a path past its end and a key it lacks. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const paths: Path[] = [path, [...path, 'missing'], [...path, 7]]
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...path, index])))
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key]))
  return paths
}

function expectSameAsYaml(source: string): boolean {
  const plain = readPlainStep(source.split('\n'))
  if (!plain) return false
  const reference = viaYaml(source)
  expect(reference, `YAML reads ${JSON.stringify(source)}`).to.not.equal(undefined)
  expect(plain.value, source).to.deep.equal(reference!.value)
  for (const path of pathsOf(reference!.value)) {
    for (const at of ['key', 'value'] as const) expect(plain.locate.position(path, at), `${JSON.stringify(path)} ${at} in ${source}`).to.deep.equal(reference!.locate.position(path, at))
    expect(plain.locate.startsWith(path, '{'), `${JSON.stringify(path)} in ${source}`).to.equal(reference!.locate.startsWith(path, '{'))
  }
  return true
}

describe('plain steps read without the YAML library', () => {
  it('reads the common shapes, as YAML does', () => {
    for (const source of [
      '  - join: {room: r1, user: u1}\n    expect: {members: {includes: [u1]}}',
      '  - create: {room: general, by: alice, customFields: {note: "a # b", n: 3, ok: true, gone: null}}\n    expect:\n      members: [alice]\n      status: completed\n',
      '- name: a step with words\n  leave:\n    room: r-1.x\n    user: bob@example\n\n  # a comment\n  expect: {members: {excludes: [bob]}, messages: []}\n',
      "  - join: {room: 'quoted', user: \"double\"}\n    expect: {hooks: {gatekeeper: allowed}, members: {count: 0}}",
    ]) {
      expect(expectSameAsYaml(source), source).to.equal(true)
    }
  })

  it('leaves to YAML what is outside the subset', () => {
    for (const source of [
      '  - join: {room: r1, user: ~}',
      '  - join: {room: 1.5, user: u}',
      '  - join: {room: a:b, user: u}',
      '  - join: {room: r1, user: u}  # trailing comment',
      '  - join: {room: "a\\"b", user: u}',
      "  - join: {room: 'it''s', user: u}",
      '  - join: {room: {{name}}, user: u}',
      '  - join: {room: r1, room: r2}',
      '  - join: {room: r1, user: u,}',
      '  - - nested list',
      '  - join: [a b]',
      '  - join:\n    - a',
      '  - join: {room: -1, user: u}',
      '  - join: {room: 0x10, user: u}',
      '  - join: {__proto__: x}',
      '  - join: !tag {room: r1}',
      '  - join: {room: r1}\r\n',
      '  - join: {room: r1}\n      user: u1',
    ]) {
      expect(readPlainStep(source.split('\n')), source).to.equal(undefined)
    }
  })

  it('agrees with YAML on seeded random steps, and reads most plain ones', () => {
    const rng = random(Number(process.env.ROOMSIM_FUZZ_SEED ?? 20_261_202))
    const words = ['r1', 'alice', 'bob@x', 'a.b', 'a-b', 'a/b', '_u', 'true', 'False', 'NULL', 'null', 'yes', '0', '7', '12', '007', '1.5', '-3', '~', '"q"', "'s'", '"a b"', 'a:b', 'a#b', '.inf', '@x', '"', '']
    const keys = ['room', 'user', 'by', 'expect', 'members', 'includes', 'name', 'true', '__proto__', 'a b', 'room']
    const scalar = (r: Rng) => pick(r, words)
    const flow = (r: Rng, depth: number): string => {
      if (depth > 2 || r() < 0.4) return scalar(r)
      const count = int(r, 4)
      const entries = Array.from({length: count}, () => (r() < 0.5 ? `${pick(r, keys)}: ${flow(r, depth + 1)}` : flow(r, depth + 1)))
      const separator = pick(r, [', ', ',', ' , ', ', '])
      return r() < 0.5 ? `{${entries.join(separator)}}` : `[${entries.join(separator)}]`
    }
    const step = (r: Rng): string => {
      const indent = ' '.repeat(int(r, 3) * 2)
      const lines = [`${indent}- ${pick(r, keys)}: ${flow(r, 0)}`]
      for (let more = int(r, 3); more > 0; more--) {
        const key = pick(r, keys)
        if (r() < 0.3) lines.push(`${indent}  ${key}:`, `${indent}    ${pick(r, keys)}: ${flow(r, 0)}`)
        else lines.push(`${indent}  ${key}: ${r() < 0.2 ? `${scalar(r)} ${scalar(r)}` : flow(r, 0)}${pick(r, ['', '', ' ', '  # c'])}`)
        if (r() < 0.1) lines.push(pick(r, ['', `${indent}  # note`, `${indent}    deeper: x`, `${indent}- next`]))
      }
      return lines.join('\n')
    }
    let answered = 0
    const total = 3000
    for (let index = 0; index < total; index++) if (expectSameAsYaml(step(rng))) answered++
    // The generator is built to give both: some steps the reader takes, the rest it leaves.
    expect(answered).to.be.within(total * 0.05, total * 0.95)
  })
})
