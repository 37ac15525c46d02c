/**
 * Small validation combinators that collect every problem of a document with
 * its path (`steps[2].expect.members`), instead of stopping at the first; the
 * parser then turns paths into line:column.
 */
import {regexProblem} from '../match.js'

export type Path = (string | number)[]

export interface Issue {
  path: Path
  message: string
  /** Point at the key of the last path segment (unknown keys) rather than its value. */
  at: 'key' | 'value'
}

export type Raw = Record<string, unknown>

export const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value)

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return JSON.stringify(value)
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${String(value)}`
}

export const pathText = (path: Path): string =>
  path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment), '')

/** The closest allowed word, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

const PLACEHOLDER = /\{\{\s*(room|user)\s*:\s*([^{}\s]+)\s*\}\}/g

export class Checker {
  readonly issues: Issue[] = []

  /**
   * @param looksLikePlaceholder tells whether the source text at a path starts
   * with `{{`: unquoted, YAML reads `{{room:x}}` as a mapping, which deserves a hint.
   */
  constructor(private readonly looksLikePlaceholder: (path: Path) => boolean = () => false) {}

  fail(path: Path, message: string, at: Issue['at'] = 'value'): undefined {
    this.issues.push({path, message, at})
    return undefined
  }

  /** A mapping whose keys are all in `allowed` (each unknown key is reported, with a hint). */
  object(value: unknown, path: Path, allowed?: readonly string[]): Raw | undefined {
    if (!isObject(value)) return this.fail(path, `expected a mapping, got ${describe(value)}`)
    if (allowed) {
      for (const key of Object.keys(value)) {
        if (allowed.includes(key)) continue
        const hint = closest(key, allowed)
        this.fail([...path, key], `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${allowed.join(', ')}`, 'key')
      }
    }
    return value
  }

  string(value: unknown, path: Path): string | undefined {
    if (typeof value === 'string' && value !== '') return this.placeholders(value, path)
    // YAML reads `room: 2024` as a number; as a name it is the text.
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
    if (isObject(value) && this.looksLikePlaceholder(path)) {
      return this.fail(path, 'write {{room:NAME}} / {{user:NAME}} in quotes: unquoted, YAML reads {{…}} as a mapping')
    }
    return this.fail(path, `expected non-empty text, got ${describe(value)}`)
  }

  /** Placeholders must be `{{room:NAME}}` or `{{user:NAME}}`. */
  placeholders(value: string, path: Path): string | undefined {
    const rest = value.replace(PLACEHOLDER, '')
    if (/\{\{|\}\}/.test(rest)) return this.fail(path, `unknown placeholder in ${JSON.stringify(value)}: use {{room:NAME}} or {{user:NAME}}`)
    return value
  }

  boolean(value: unknown, path: Path): boolean | undefined {
    if (typeof value === 'boolean') return value
    return this.fail(path, `expected true or false, got ${describe(value)}`)
  }

  count(value: unknown, path: Path): number | undefined {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value
    return this.fail(path, `expected a whole number (0 or more), got ${describe(value)}`)
  }

  oneOf<T extends string>(value: unknown, path: Path, words: readonly T[]): T | undefined {
    if (typeof value === 'string' && (words as readonly string[]).includes(value)) return value as T
    const hint = typeof value === 'string' ? closest(value, words) : undefined
    return this.fail(path, `expected one of ${words.join(', ')}, got ${describe(value)}${hint ? ` (did you mean "${hint}"?)` : ''}`)
  }

  /** A list of items; a single item is accepted where `single` says so. */
  list<T>(value: unknown, path: Path, item: (value: unknown, path: Path) => T | undefined, {single = false} = {}): T[] | undefined {
    if (!Array.isArray(value)) {
      if (single && value !== undefined && value !== null) {
        const one = item(value, path)
        return one === undefined ? undefined : [one]
      }
      return this.fail(path, `expected a list, got ${describe(value)}`)
    }
    const items = value.map((entry, index) => item(entry, [...path, index]))
    return items.some((entry) => entry === undefined) ? undefined : (items as T[])
  }

  /** Any value to compare with: every /regex/ string inside must be a valid regular expression. */
  pattern(value: unknown, path: Path): unknown {
    if (value === undefined) return this.fail(path, 'expected a value')
    let ok = true
    const walk = (item: unknown, at: Path): void => {
      if (typeof item === 'string') {
        const problem = regexProblem(item)
        if (problem) ok = this.fail(at, problem) ?? false
        else if (this.placeholders(item, at) === undefined) ok = false
      } else if (Array.isArray(item)) item.forEach((entry, index) => walk(entry, [...at, index]))
      else if (isObject(item)) for (const [key, entry] of Object.entries(item)) walk(entry, [...at, key])
    }
    walk(value, path)
    return ok ? value : undefined
  }

  required(raw: Raw, key: string, path: Path): unknown {
    if (raw[key] === undefined || raw[key] === null) return this.fail(path, `missing "${key}"`)
    return raw[key]
  }
}

/** Config-style keys (`http.stubs[0].method`) as paths. */
export function keyToPath(key: string): Path {
  const path: Path = []
  for (const part of key.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part)
    if (!match) {
      path.push(part)
      continue
    }
    if (match[1]) path.push(match[1])
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]))
  }
  return path
}
