/**
 * Reads one config file into a plain value, keeping where each key is so that
 * problems can be reported as `file:line:column`. YAML and JSON keep positions;
 * JavaScript and TypeScript modules are imported (through tsx, so `export
 * default` works in any folder, module or not) and have none.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {basename, extname} from 'node:path'
import {pathToFileURL} from 'node:url'

import {firstLine, messageOf} from '../errors.js'
import {MAX_ALIAS_COUNT, MAX_FLOW_DEPTH, tooDeepAt} from '../input/yaml-limits.js'
import {isObject, type Path} from '../scenario/schema/checker.js'
import {locator, YAML_OPTIONS, yamlProblem} from '../scenario/parse.js'
import type {Position} from '../scenario/types.js'

export interface ConfigText {
  /** The document, as plain data; undefined when the file holds nothing. */
  value: unknown
  /** Where a path is in the file; undefined for modules. */
  position?: (path: Path, at: 'key' | 'value') => Position
  /** Problems found before validation (syntax), with their positions. */
  problems: {message: string; position?: Position}[]
}

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'])

export const isModuleConfig = (path: string): boolean => MODULE_EXTENSIONS.has(extname(path))

export async function readConfigFile(path: string): Promise<ConfigText> {
  if (isModuleConfig(path)) return readModule(path)
  const source = readFileSync(path, 'utf8')
  const isJson = extname(path) === '.json' || basename(path) === '.roomsimrc' && /^\s*[{[]/.test(source)
  const base = basename(path) === 'package.json' ? ['roomsim'] : []
  if (isJson) {
    const problem = jsonProblem(source)
    if (problem) return {value: undefined, problems: [problem]}
    // Valid JSON without a repeated key needs no YAML parser (~15 ms of a cold start) unless a problem must be pointed at.
    if (!repeatsKey(source) && tooDeepAt(source) === -1) {
      let value: unknown = JSON.parse(source)
      for (const key of base) value = isObject(value) ? value[key] : undefined
      let located: NonNullable<ConfigText['position']> | undefined
      return {value, position: (at, where) => (located ??= locateJson(source, base))(at, where), problems: []}
    }
  }
  return readYaml(source, base)
}

/** Positions in a JSON text, from the YAML parser loaded only now (synchronously: JSON is YAML). */
function locateJson(source: string, base: Path): NonNullable<ConfigText['position']> {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml')
  const lineCounter = new yaml.LineCounter()
  const document = yaml.parseDocument(source, {...YAML_OPTIONS, lineCounter})
  const locate = locator(yaml, document as Parameters<typeof locator>[1], source, lineCounter)
  return (path, where) => locate.position([...base, ...path], where)
}

/** Whether a JSON text (known to parse) repeats a key within one object: YAML reports that, JSON.parse does not. */
function repeatsKey(source: string): boolean {
  const objects: (Set<string> | undefined)[] = []
  let keyNext = false
  for (let at = 0; at < source.length; at++) {
    const char = source[at]
    if (char === '"') {
      let end = at + 1
      while (source[end] !== '"') end += source[end] === '\\' ? 2 : 1
      const keys = objects.at(-1)
      if (keys && keyNext) {
        const key = JSON.parse(source.slice(at, end + 1)) as string
        if (keys.has(key)) return true
        keys.add(key)
        keyNext = false
      }
      at = end
    } else if (char === '{') {
      objects.push(new Set())
      keyNext = true
    } else if (char === '[') objects.push(undefined)
    else if (char === '}' || char === ']') objects.pop()
    else if (char === ',') keyNext = objects.at(-1) !== undefined
  }
  return false
}

/** JSON.parse's reason, with the position it names turned into line:column. */
function jsonProblem(source: string): ConfigText['problems'][number] | undefined {
  try {
    JSON.parse(source)
    return undefined
  } catch (error) {
    const message = (error as Error).message
    const offset = /at position (\d+)/.exec(message)?.[1]
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '')
    if (offset === undefined) return {message: `invalid JSON: ${reason}`}
    const before = source.slice(0, Number(offset)).split('\n')
    return {message: `invalid JSON: ${reason}`, position: {line: before.length, column: before.at(-1)!.length + 1}}
  }
}

async function readYaml(source: string, base: Path): Promise<ConfigText> {
  const yaml = await import('yaml')
  const lineCounter = new yaml.LineCounter()
  // The same bounds as scenario files: the parser recurses per bracket, and aliases can expand without end.
  const deep = tooDeepAt(source)
  if (deep !== -1) {
    const before = source.slice(0, deep).split('\n')
    return {value: undefined, problems: [{message: `brackets nest deeper than ${MAX_FLOW_DEPTH} levels`, position: {line: before.length, column: before.at(-1)!.length + 1}}]}
  }
  const document = yaml.parseDocument(source, {...YAML_OPTIONS, lineCounter})
  const at = (offset: number): Position => {
    const {line, col} = lineCounter.linePos(offset)
    return {line: Math.max(1, line), column: Math.max(1, col)}
  }
  if (document.errors.length > 0) {
    return {value: undefined, problems: document.errors.map((error) => ({message: yamlProblem(error.message) || error.code, position: at(error.pos[0])}))}
  }
  let whole: unknown
  try {
    whole = document.toJS({maxAliasCount: MAX_ALIAS_COUNT})
  } catch (error) {
    return {value: undefined, problems: [{message: `${firstLine(messageOf(error))} (aliases may expand to at most ${MAX_ALIAS_COUNT} nodes)`}]}
  }
  const locate = locator(yaml, document as Parameters<typeof locator>[1], source, lineCounter)
  let value = whole
  for (const key of base) value = isObject(value) ? value[key as string] : undefined
  return {value, position: (path, where) => locate.position([...base, ...path], where), problems: []}
}

async function readModule(path: string): Promise<ConfigText> {
  let module: Record<string, unknown>
  try {
    const extension = extname(path)
    // .mjs and .cjs say what they are; .js and TypeScript go through tsx, which reads ESM syntax whatever the package type.
    // An .mjs file is imported afresh each time (a watch re-reads an edited config): the query makes it a new module.
    if (extension === '.mjs') module = (await import(`${pathToFileURL(path).href}?read=${Date.now()}`)) as Record<string, unknown>
    else if (extension === '.cjs') module = (await import(pathToFileURL(path).href)) as Record<string, unknown>
    else {
      const {tsImport} = await import('tsx/esm/api')
      module = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>
    }
  } catch (error) {
    return {value: undefined, problems: [{message: `cannot load: ${firstLine(messageOf(error))}`}]}
  }
  try {
    return {value: plain(exportedConfig(module), []), problems: []}
  } catch (error) {
    return {value: undefined, problems: [{message: `reading the exported config threw: ${firstLine(messageOf(error))}`}]}
  }
}

/**
 * The config a module exports: its default export, unwrapped once more when a
 * CommonJS wrapper put the real default under `default` (TypeScript compiled in
 * a folder that is not "type": "module").
 */
function exportedConfig(module: Record<string, unknown>): unknown {
  let value: unknown = 'default' in module ? module.default : module
  if (isObject(value) && 'default' in value && Object.keys(value).every((key) => key === 'default' || key === '__esModule')) value = value.default
  return value
}

/**
 * A copy of the exported value as plain data, read once: getters run here (a
 * throwing one is a config problem, not a crash) and functions or cycles are refused.
 */
function plain(value: unknown, seen: unknown[]): unknown {
  if (typeof value === 'function') throw new Error('a function is not config')
  if (typeof value !== 'object' || value === null) return value
  if (seen.includes(value)) throw new Error('the config refers to itself')
  const next = [...seen, value]
  if (Array.isArray(value)) return value.map((item) => plain(item, next))
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) copy[key] = plain((value as Record<string, unknown>)[key], next)
  return copy
}
