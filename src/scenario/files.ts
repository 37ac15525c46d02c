/**
 * Which files a run covers: arguments are files or globs (expanded here, so
 * quoted globs work the same in every shell and on CI), sorted, without
 * duplicates; `--shard i/n` then keeps every n-th file.
 */
import {isAbsolute, relative, resolve, sep} from 'node:path'

import {globSync} from 'tinyglobby'

import {RoomsimError} from '../errors.js'

export interface ScenarioFileRef {
  /** As reports show it: relative to the working folder, with `/`. */
  file: string
  path: string
}

const GLOB_CHARS = /[*?[{]/

/**
 * The files a glob names (absolute paths), through tinyglobby (picomatch
 * semantics: `**`, `{a/b,c}`, `[ab]`, `?`); a plain path is returned as it
 * is, existing or not. Hidden files and folders match only when the pattern
 * names them, and `**` never descends into node_modules.
 */
export function expandGlob(pattern: string, cwd: string): string[] {
  if (!GLOB_CHARS.test(pattern)) return [resolve(cwd, pattern)]
  const normalized = pattern.split(sep).join('/')
  return globSync(normalized, {cwd, absolute: true, onlyFiles: true, dot: false, ignore: ['**/node_modules/**'], expandDirectories: false}).map((path) => resolve(path))
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Relative to the working folder when inside it, else absolute; always with `/`. */
export const displayPath = (path: string, cwd: string): string => {
  const rel = relative(cwd, path)
  return (rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel).split(sep).join('/')
}

/** Every file the arguments name, sorted by display path (plain code-point order, the same on every machine), each once. */
export function resolveScenarioFiles(args: string[], cwd: string): ScenarioFileRef[] {
  const paths = new Set<string>()
  for (const arg of args) {
    const matched = expandGlob(arg, cwd)
    if (matched.length === 0) throw new RoomsimError('BAD_FILE', `no files match ${arg}`)
    for (const path of matched) paths.add(path)
  }
  return [...paths].map((path) => ({file: displayPath(path, cwd), path})).sort((a, b) => byCodePoint(a.file, b.file))
}

export interface Shard {
  index: number
  count: number
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || index < 1 || index > count) {
    throw new RoomsimError('USAGE', `--shard ${text}: expected i/n with 1 <= i <= n, for example 1/4`)
  }
  return {index, count}
}

/** Shard i of n takes the files at sorted positions i-1, i-1+n, i-1+2n…: every file lands in exactly one shard. */
export const shardFiles = <T>(files: T[], shard: Shard): T[] => files.filter((_, position) => position % shard.count === shard.index - 1)
