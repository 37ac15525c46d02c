/**
 * Reads scenario files (YAML, or JSON, which the YAML parser reads too) and
 * validates them. Every problem comes back as `file:line:column: what is
 * wrong`: syntax errors from the parser's offsets, schema errors by walking the
 * parsed node tree to the offending key or value.
 */
import {readFileSync} from 'node:fs'
import {basename, extname} from 'node:path'

import type {Document, LineCounter, Node, ParsedNode} from 'yaml'

import {firstLine} from '../errors.js'
import {MAX_ALIAS_COUNT, MAX_FLOW_DEPTH, tooDeepAt} from '../input/yaml-limits.js'
import {Checker, type Path, pathText} from './schema/checker.js'
import {scenario as validateScenario} from './schema/scenario.js'
import {type PlainStep, readPlainStep} from './plain-step.js'
import {splitSteps} from './step-split.js'
import type {FileProblem, Position, Scenario, Step} from './types.js'

/** How roomsim parses YAML (scenarios and config): errors as data, a key given twice refused. */
export const YAML_OPTIONS = {prettyErrors: false, uniqueKeys: true, logLevel: 'error'} as const

export interface ParsedFile {
  file: string
  path: string
  scenarios: Scenario[]
  problems: FileProblem[]
}

type Yaml = typeof import('yaml')

/** `file:line:column: message` (or `file: message` when there is no position). */
export const formatProblem = (problem: FileProblem): string =>
  problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}: ${problem.message}` : `${problem.file}: ${problem.message}`

/** Parses and validates one file. `file` is how reports name it; `path` is where it is. */
export async function parseScenarioFile(file: string, path: string): Promise<ParsedFile> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder; give scenario files or a glob such as DIR/**/*.yaml' : (error as Error).message
    return {file, path, scenarios: [], problems: [{file, line: 0, column: 0, message: reason}]}
  }
  return parseScenarioText(text, file, path)
}

export async function parseScenarioText(text: string, file: string, path: string): Promise<ParsedFile> {
  const yaml = await import('yaml')
  const lineCounter = new yaml.LineCounter()
  const deep = tooDeepAt(text)
  if (deep !== -1) {
    let line = 1
    for (let at = text.indexOf('\n'); at !== -1 && at < deep; at = text.indexOf('\n', at + 1)) line++
    const column = deep - text.lastIndexOf('\n', deep - 1)
    return {file, path, scenarios: [], problems: [{file, line, column, message: `brackets nest deeper than ${MAX_FLOW_DEPTH} levels; no scenario needs that many`}]}
  }
  const stem = basename(path, extname(path)).replace(/\.scenario$/, '')
  const byStep = parseStepByStep(yaml, text, file, path, stem)
  if (byStep) return byStep
  const documents = yaml.parseAllDocuments(text, {...YAML_OPTIONS, lineCounter})
  const position = (offset: number): Position => {
    const {line, col} = lineCounter.linePos(offset)
    return {line: Math.max(1, line), column: Math.max(1, col)}
  }
  const problems: FileProblem[] = []
  const problem = (offset: number, message: string) => problems.push({file, ...position(offset), message})
  const list = Array.isArray(documents) ? documents : [documents]
  const nonEmpty = list.filter((document) => document.contents !== null || document.errors.length > 0)
  if (nonEmpty.length === 0) {
    problem(0, 'the file holds no scenario (expected a mapping with "steps")')
    return {file, path, scenarios: [], problems}
  }

  const scenarios: Scenario[] = []
  let lines: string[] | undefined
  nonEmpty.forEach((document, index) => {
    if (document.errors.length > 0) {
      lines ??= text.split('\n')
      for (const error of document.errors.slice(0, MAX_SYNTAX_PROBLEMS)) problem(error.pos[0], yamlProblem(error.message) + syntaxHint(lines, position(error.pos[0]).line))
      return
    }
    const locate = locator(yaml, document as Document.Parsed, text, lineCounter)
    const check = new Checker((at) => locate.startsWith(at, '{{'))
    const defaultName = nonEmpty.length > 1 ? `${stem} #${index + 1}` : stem
    const context = {file, path, defaultName, line: (at: Path) => locate.position(at, 'value').line, keyLine: (at: Path) => locate.position(at, 'key').line}
    let value: unknown
    try {
      value = document.toJS({maxAliasCount: MAX_ALIAS_COUNT})
    } catch (error) {
      // "Excessive alias count" (an alias bomb) or an alias to nothing: the file is invalid, not roomsim.
      problem(0, `${yamlProblem((error as Error).message)}${/alias count/i.test((error as Error).message) ? ` (aliases may expand to at most ${MAX_ALIAS_COUNT} nodes)` : ''}`)
      return
    }
    const parsed = validateScenario(check, value, context)
    for (const issue of check.issues) problems.push({file, ...locate.position(issue.path, issue.at), message: `${pathPrefix(issue.path)}${issue.message}`})
    if (parsed) scenarios.push(parsed)
  })
  problems.sort((a, b) => a.line - b.line || a.column - b.column)
  return {file, path, scenarios: problems.length > 0 ? [] : scenarios, problems}
}

/**
 * A file of the plain shape splitSteps cuts, read one step at a time: each
 * step's document is parsed, validated and dropped before the next, so memory
 * stays flat in the number of steps. Undefined at the first doubt or problem:
 * the caller then reads the file whole, and every message comes from there.
 */
function parseStepByStep(yaml: Yaml, text: string, file: string, path: string, defaultName: string): ParsedFile | undefined {
  const split = splitSteps(text)
  if (!split) return undefined
  const headerLines = new yaml.LineCounter()
  const header = yaml.parseDocument(split.header, {...YAML_OPTIONS, lineCounter: headerLines})
  if (header.errors.length > 0) return undefined
  let value: unknown
  try {
    value = header.toJS({maxAliasCount: MAX_ALIAS_COUNT})
  } catch {
    return undefined
  }
  // `steps:` with its lines taken out reads as an empty value.
  if (typeof value !== 'object' || value === null || (value as Record<string, unknown>).steps !== null) return undefined
  const whole = locator(yaml, header as Document.Parsed, split.header, headerLines)
  /** The step being read, located in its own document: its paths start at the list that holds it alone. */
  let current: {index: number; locate: ReturnType<typeof locator>; line: number} | undefined
  const inStep = (where: Path): boolean => where[0] === 'steps' && where[1] === current?.index
  const stepPath = (where: Path): Path => [0, ...where.slice(2)]
  const check = new Checker((where) => (inStep(where) ? current!.locate.startsWith(stepPath(where), '{{') : whole.startsWith(where, '{{')))
  const lineOf = (where: Path, part: 'key' | 'value'): number =>
    inStep(where) ? current!.locate.position(stepPath(where), part).line + current!.line : split.fileLine(whole.position(where, part).line)
  let doubt = false
  const eachStep = (validate: (entry: unknown, where: Path) => Step | undefined): Step[] => {
    const steps: Step[] = []
    for (const [index, {start, end}] of split.steps.entries()) {
      const lines = split.lines.slice(start, end)
      const read = readPlainStep(lines) ?? readStep(yaml, lines.join('\n'))
      if (!read || read.value.length !== 1) {
        doubt = true
        return []
      }
      current = {index, locate: read.locate, line: start}
      const step = validate(read.value[0], ['steps', index])
      if (step === undefined || check.issues.length > 0) {
        doubt = true
        return []
      }
      steps.push(step)
    }
    current = undefined
    return steps
  }
  const scenario = validateScenario(check, value, {file, path, defaultName, line: (where) => lineOf(where, 'value'), keyLine: (where) => lineOf(where, 'key'), eachStep})
  return doubt || !scenario || check.issues.length > 0 ? undefined : {file, path, scenarios: [scenario], problems: []}
}

/** One step's lines read by YAML: its list and where its nodes are, or undefined for anything but a list. */
function readStep(yaml: Yaml, source: string): PlainStep | undefined {
  const lines = new yaml.LineCounter()
  const document = yaml.parseDocument(source, {...YAML_OPTIONS, lineCounter: lines})
  try {
    const value: unknown = document.errors.length > 0 ? undefined : document.toJS({maxAliasCount: MAX_ALIAS_COUNT})
    return Array.isArray(value) ? {value, locate: locator(yaml, document as Document.Parsed, source, lines)} : undefined
  } catch {
    return undefined
  }
}

const pathPrefix = (path: Path): string => (path.length > 0 ? `${pathText(path)}: ` : '')

/** A hint looks at this much of a line: enough for any hand-written line, and bounded on a 1 MB one. */
const HINT_LINE_LIMIT = 2000

/** Syntax errors reported per document; past this, the rest are follow-ups of the first ones. */
const MAX_SYNTAX_PROBLEMS = 20

/**
 * The usual cause of a YAML syntax error in a scenario, when the lines around
 * it show one: an unquoted ` #` (a comment to YAML) or `: ` inside a value.
 * Each test is one linear scan of a bounded slice (no backtracking patterns).
 */
function syntaxHint(lines: readonly string[], line: number): string {
  const around = lines.slice(Math.max(0, line - 2), line).map((source) => source.slice(0, HINT_LINE_LIMIT))
  if (around.some(commentInFlow)) return ' (a " #" starts a comment in YAML: quote values that contain one, e.g. reason: "/visitor #42/")'
  if (around.some(colonInPlainValue)) return ' (quote values that contain ": ", e.g. name: "step one: create")'
  return ''
}

/** A `{` or `[` followed later on the line by whitespace and `#`. */
function commentInFlow(source: string): boolean {
  const open = source.search(/[{[]/)
  return open !== -1 && /\s#/.test(source.slice(open))
}

/** `key: value: more` where the value is plain (not quoted, not a flow collection). */
function colonInPlainValue(source: string): boolean {
  const first = /:\s+/.exec(source)
  if (!first) return false
  const value = source.slice(first.index + first[0].length)
  if (value === '' || /^["'{[]/.test(value)) return false
  const quote = value.search(/["']/)
  const rest = quote === -1 ? value : value.slice(0, quote)
  return /:\s/.test(rest)
}

/** yaml's first line, without the position it repeats (ours comes first). */
export const yamlProblem = (message: string): string =>
  /call stack/i.test(message) ? 'nested too deeply to read (thousands of open brackets or indents?)' : firstLine(message).replace(/ at line \d+, column \d+:?$/, '')

/** Finds the node a path names, for positions; a missing key points at the mapping that lacks it. */
export function locator(yaml: Yaml, document: Document.Parsed, text: string, lineCounter: LineCounter) {
  const find = (path: Path, at: 'key' | 'value'): Node | null => {
    let current: Node | null = document.contents
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1
      if (yaml.isMap(current)) {
        const pair = current.items.find((item) => yaml.isScalar(item.key) && String(item.key.value) === String(segment))
        if (!pair) return current
        if (last && at === 'key') return pair.key as Node
        // `key:` with nothing after it: point at the key.
        if (pair.value === null) return pair.key as Node
        current = pair.value as Node
      } else if (yaml.isSeq(current) && typeof segment === 'number') {
        const item = current.items[segment]
        if (!yaml.isNode(item)) return current
        current = item
      } else {
        return current
      }
    }
    return current
  }
  const offset = (path: Path, at: 'key' | 'value'): number => (find(path, at) as ParsedNode | null)?.range?.[0] ?? 0
  return {
    position(path: Path, at: 'key' | 'value'): Position {
      const {line, col} = lineCounter.linePos(offset(path, at))
      return {line: Math.max(1, line), column: Math.max(1, col)}
    },
    startsWith(path: Path, prefix: string): boolean {
      return text.startsWith(prefix, offset(path, 'value'))
    },
  }
}
