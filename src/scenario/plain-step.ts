/**
 * Reads one step of the plainest shape without the YAML library, which costs
 * more than running the step: block mappings of `key: value` lines whose
 * values are flow collections (`{room: r1, user: u1}`, `[alice]`), plain
 * words, integers or quoted text without escapes. It answers exactly what YAML
 * would (values and where each node starts) or undefined at the first thing
 * outside that subset — a comment after a value, a float, `~`, a tag, a block
 * list, an escape — and the step is then read by YAML as before, so every
 * message still comes from there.
 */
import type {Path} from './schema/checker.js'
import {BLANK_OR_COMMENT} from './step-split.js'
import type {Position} from './types.js'

type PlainNode =
  | {at: number; kind: 'scalar'; value: string | number | boolean | null}
  | {at: number; kind: 'map'; pairs: {key: string; keyAt: number; value: PlainNode}[]}
  | {at: number; kind: 'seq'; items: PlainNode[]}

export interface PlainStep {
  /** The step's list as YAML reads it: a list of one item. */
  value: unknown[]
  /** Where a path starts in the step's text, as parse.ts `locator` answers for a YAML document. */
  locate: {position(path: Path, at: 'key' | 'value'): Position; startsWith(path: Path, prefix: string): boolean}
}

/** Deeper nesting than a step needs is left to YAML and its limits. */
const MAX_DEPTH = 16
/** A plain word: starts with a letter or `_`, and holds nothing YAML treats specially (`:`, `#`, brackets, commas, quotes). */
const WORD = /[A-Za-z_][\w.\-/@]*/y
/** Words a block value may hold, single spaces between them. */
const WORDS = /[A-Za-z_][\w.\-/@]*(?: [\w.\-/@]+)*/y
const INTEGER = /(?:0|[1-9]\d{0,14})(?![\w.\-/@])/y
const KEY_LINE = /^( *)([A-Za-z_][\w.-]*):(?: +|$)/
/** YAML 1.2 core schema words that are not strings. */
const SPECIAL = new Map<string, boolean | null>(Object.entries({true: true, True: true, TRUE: true, false: false, False: false, FALSE: false, null: null, Null: null, NULL: null}))
/** Keys that are not plain strings to YAML, or not plain properties to JavaScript. */
const badKey = (key: string): boolean => SPECIAL.has(key) || key === '__proto__'

class Bail extends Error {}
// A declaration, so that TypeScript knows no code runs after a call.
function bail(): never {
  throw new Bail()
}

export function readPlainStep(lines: readonly string[]): PlainStep | undefined {
  const text = lines.join('\n')
  if (text.includes('\r') || text.includes('\t')) return undefined
  const starts = [0]
  for (const line of lines) starts.push(starts.at(-1)! + line.length + 1)
  try {
    const first = /^( *)- +/.exec(lines[0] ?? '') ?? bail()
    const item = blockMap(lines, starts, 0, first[0].length)
    if (!lines.slice(item.next).every((line) => BLANK_OR_COMMENT.test(line))) bail()
    const root: PlainNode = {at: first[1]!.length, kind: 'seq', items: [item.node]}
    return {value: toValue(root) as unknown[], locate: locatorOf(root, text, starts)}
  } catch (error) {
    if (error instanceof Bail) return undefined
    throw error
  }
}

/** A block mapping whose keys start at `column`, its first key on line `index` (after a `- ` on that line, or alone). */
function blockMap(lines: readonly string[], starts: number[], index: number, column: number): {node: PlainNode; next: number} {
  const pairs: {key: string; keyAt: number; value: PlainNode}[] = []
  const seen = new Set<string>()
  let next = index
  for (let lineIndex = index; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex]!
    if (BLANK_OR_COMMENT.test(line)) continue
    // The step's first line holds `- ` where the others hold spaces.
    const body = lineIndex === index ? ' '.repeat(column) + line.slice(column) : line
    const match = KEY_LINE.exec(body)
    if (!match) bail()
    const indent = match[1]!.length
    if (indent < column) break
    if (indent > column) bail()
    const key = match[2]!
    if (seen.has(key) || badKey(key)) bail()
    seen.add(key)
    const keyAt = starts[lineIndex]! + indent
    const rest = body.slice(match[0].length)
    if (rest === '') {
      // The value is a block mapping on the lines below, indented deeper.
      let below = lineIndex + 1
      while (below < lines.length && BLANK_OR_COMMENT.test(lines[below]!)) below++
      const deeper = below < lines.length ? /^ */.exec(lines[below]!)![0].length : 0
      if (deeper <= column) bail()
      const nested = blockMap(lines, starts, below, deeper)
      pairs.push({key, keyAt, value: nested.node})
      lineIndex = nested.next - 1
    } else {
      const at = starts[lineIndex]! + match[0].length
      const read = rest[0] === '{' || rest[0] === '[' ? flow(rest, 0, at, 0) : scalar(rest, 0, at, WORDS)
      if (rest.slice(read.end).trim() !== '') bail()
      pairs.push({key, keyAt, value: read.node})
    }
    next = lineIndex + 1
  }
  if (pairs.length === 0) bail()
  return {node: {at: pairs[0]!.keyAt, kind: 'map', pairs}, next}
}

/** A flow collection starting at `text[from]`; `base` is the offset of `text[0]` in the step. */
function flow(text: string, from: number, base: number, depth: number): {node: PlainNode; end: number} {
  if (depth > MAX_DEPTH) bail()
  const open = text[from]
  const close = open === '{' ? '}' : ']'
  let index = skipSpaces(text, from + 1)
  const pairs: {key: string; keyAt: number; value: PlainNode}[] = []
  const items: PlainNode[] = []
  const seen = new Set<string>()
  if (text[index] !== close) {
    for (;;) {
      if (open === '{') {
        WORD.lastIndex = index
        const key = WORD.exec(text)?.[0] ?? bail()
        if (seen.has(key) || badKey(key) || text.slice(index + key.length, index + key.length + 2) !== ': ') bail()
        seen.add(key)
        const value = flowValue(text, skipSpaces(text, index + key.length + 2), base, depth)
        pairs.push({key, keyAt: base + index, value: value.node})
        index = value.end
      } else {
        const value = flowValue(text, index, base, depth)
        items.push(value.node)
        index = value.end
      }
      index = skipSpaces(text, index)
      if (text[index] === close) break
      if (text[index] !== ',') bail()
      index = skipSpaces(text, index + 1)
      // A trailing comma, or an empty entry: left to YAML.
      if (text[index] === close || text[index] === ',') bail()
    }
  }
  const node: PlainNode = open === '{' ? {at: base + from, kind: 'map', pairs} : {at: base + from, kind: 'seq', items}
  return {node, end: index + 1}
}

function flowValue(text: string, index: number, base: number, depth: number): {node: PlainNode; end: number} {
  return text[index] === '{' || text[index] === '[' ? flow(text, index, base, depth + 1) : scalar(text, index, base, WORD)
}

function scalar(text: string, index: number, base: number, words: RegExp): {node: PlainNode; end: number} {
  const at = base + index
  const quote = text[index]
  if (quote === '"' || quote === "'") {
    const end = text.indexOf(quote, index + 1)
    if (end < 0) bail()
    const value = text.slice(index + 1, end)
    // Escapes, doubled quotes and anything YAML would fold stay with YAML.
    if ((quote === '"' && value.includes('\\')) || text[end + 1] === quote) bail()
    return {node: {at, kind: 'scalar', value}, end: end + 1}
  }
  INTEGER.lastIndex = index
  const integer = INTEGER.exec(text)?.[0]
  if (integer !== undefined) return {node: {at, kind: 'scalar', value: Number(integer)}, end: index + integer.length}
  words.lastIndex = index
  const word = words.exec(text)?.[0] ?? bail()
  const end = index + word.length
  // A word that runs on into a character outside the subset (`a:b`, `a#b`) is left to YAML.
  if (end < text.length && !/[\s,\]}]/.test(text[end]!)) bail()
  return {node: {at, kind: 'scalar', value: SPECIAL.has(word) ? SPECIAL.get(word)! : word}, end}
}

const skipSpaces = (text: string, index: number): number => {
  while (text[index] === ' ') index++
  return index
}

function toValue(node: PlainNode): unknown {
  if (node.kind === 'scalar') return node.value
  if (node.kind === 'seq') return node.items.map(toValue)
  return Object.fromEntries(node.pairs.map((pair) => [pair.key, toValue(pair.value)]))
}

/** The same answers as parse.ts `locator`: a path that goes nowhere points at the last node it reached. */
function locatorOf(root: PlainNode, text: string, starts: number[]): PlainStep['locate'] {
  const offset = (path: Path, at: 'key' | 'value'): number => {
    let current = root
    for (const [index, segment] of path.entries()) {
      if (current.kind === 'map') {
        const pair = current.pairs.find((each) => each.key === String(segment))
        if (!pair) return current.at
        if (index === path.length - 1 && at === 'key') return pair.keyAt
        current = pair.value
      } else if (current.kind === 'seq' && typeof segment === 'number' && current.items[segment]) {
        current = current.items[segment]!
      } else {
        return current.at
      }
    }
    return current.at
  }
  return {
    position(path, at) {
      const found = offset(path, at)
      let line = 0
      while (line + 1 < starts.length && starts[line + 1]! <= found) line++
      return {line: line + 1, column: found - starts[line]! + 1}
    },
    startsWith: (path, prefix) => text.startsWith(prefix, offset(path, 'value')),
  }
}
