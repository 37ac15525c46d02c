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
import {Checker, type Path, pathText} from './schema/checker.js'
import {scenario as validateScenario} from './schema/scenario.js'
import type {FileProblem, Position, Scenario} from './types.js'

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
  const documents = yaml.parseAllDocuments(text, {lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error'})
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
  const stem = basename(path, extname(path)).replace(/\.scenario$/, '')
  nonEmpty.forEach((document, index) => {
    if (document.errors.length > 0) {
      for (const error of document.errors) problem(error.pos[0], yamlProblem(error.message) + syntaxHint(text, position(error.pos[0]).line))
      return
    }
    const locate = locator(yaml, document as Document.Parsed, text, lineCounter)
    const check = new Checker((at) => locate.startsWith(at, '{{'))
    const defaultName = nonEmpty.length > 1 ? `${stem} #${index + 1}` : stem
    const context = {file, path, defaultName, line: (at: Path) => locate.position(at, 'value').line, keyLine: (at: Path) => locate.position(at, 'key').line}
    const parsed = validateScenario(check, document.toJS({maxAliasCount: 1000}), context)
    for (const issue of check.issues) problems.push({file, ...locate.position(issue.path, issue.at), message: `${pathPrefix(issue.path)}${issue.message}`})
    if (parsed) scenarios.push(parsed)
  })
  problems.sort((a, b) => a.line - b.line || a.column - b.column)
  return {file, path, scenarios: problems.length > 0 ? [] : scenarios, problems}
}

const pathPrefix = (path: Path): string => (path.length > 0 ? `${pathText(path)}: ` : '')

/**
 * The usual cause of a YAML syntax error in a scenario, when the lines around
 * it show one: an unquoted ` #` (a comment to YAML) or `: ` inside a value.
 */
function syntaxHint(text: string, line: number): string {
  const lines = text.split('\n').slice(Math.max(0, line - 2), line)
  if (lines.some((source) => /[{[].*\s#/.test(source))) return ' (a " #" starts a comment in YAML: quote values that contain one, e.g. reason: "/visitor #42/")'
  if (lines.some((source) => /:\s+[^"'{[\s][^"']*:\s/.test(source))) return ' (quote values that contain ": ", e.g. name: "step one: create")'
  return ''
}

/** yaml's first line, without the position it repeats (ours comes first). */
export const yamlProblem = (message: string): string => firstLine(message).replace(/ at line \d+, column \d+:?$/, '')

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
