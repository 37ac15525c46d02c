/**
 * Which files a run covers: arguments are files or globs (expanded here, so
 * quoted globs work the same in every shell and on CI), sorted, without
 * duplicates; `--shard i/n` then keeps every n-th file.
 */
import {readdirSync, statSync} from 'node:fs'
import {isAbsolute, relative, resolve, sep} from 'node:path'

import {RoomsimError} from '../errors.js'

export interface ScenarioFileRef {
  /** As reports show it: relative to the working folder, with `/`. */
  file: string
  path: string
}

const GLOB_CHARS = /[*?[{]/

/** One path segment of a glob as a regular expression. */
function segmentRegex(segment: string): RegExp {
  let source = ''
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!
    if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else if (char === '[') {
      const end = segment.indexOf(']', i + 1)
      if (end < 0) source += '\\['
      else {
        source += `[${segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else if (char === '{') {
      const end = segment.indexOf('}', i + 1)
      if (end < 0) source += '\\{'
      else {
        source += `(?:${segment.slice(i + 1, end).split(',').map((part) => part.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('|')})`
        i = end
      }
    } else source += char.replace(/[.+^$()|\\\]}]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

const entries = (folder: string) => {
  try {
    return readdirSync(folder, {withFileTypes: true})
  } catch {
    return []
  }
}

/** Files under `folder` that match the remaining glob segments. */
function walk(folder: string, segments: string[], found: string[]): void {
  if (segments.length === 0) return
  const [segment, ...rest] = segments as [string, ...string[]]
  if (segment === '**') {
    walk(folder, rest, found)
    for (const entry of entries(folder)) {
      // `**` does not descend into dependencies or hidden folders.
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(resolve(folder, entry.name), segments, found)
    }
    return
  }
  if (!GLOB_CHARS.test(segment)) {
    const next = resolve(folder, segment)
    if (rest.length === 0) {
      if (isFile(next)) found.push(next)
    } else walk(next, rest, found)
    return
  }
  const regex = segmentRegex(segment)
  for (const entry of entries(folder)) {
    if (!regex.test(entry.name) || (entry.name.startsWith('.') && !segment.startsWith('.'))) continue
    const next = resolve(folder, entry.name)
    if (rest.length === 0) {
      if (entry.isFile() || (entry.isSymbolicLink() && isFile(next))) found.push(next)
    } else if (entry.isDirectory() || entry.isSymbolicLink()) walk(next, rest, found)
  }
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The files a glob names (absolute paths); a plain path is returned as it is, existing or not. */
export function expandGlob(pattern: string, cwd: string): string[] {
  if (!GLOB_CHARS.test(pattern)) return [resolve(cwd, pattern)]
  const normalized = pattern.split(sep).join('/')
  const absolute = isAbsolute(normalized)
  const segments = normalized.split('/').filter((segment, index) => segment !== '' || index === 0)
  const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment))
  const base = resolve(absolute ? '/' : cwd, ...segments.slice(0, firstGlob).filter(Boolean))
  const found: string[] = []
  walk(base, segments.slice(firstGlob), found)
  return found
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
