/**
 * How expected values compare with actual ones. A string written `/like this/i`
 * is a regular expression; every other value compares exactly, except that
 * objects match partially (only the keys written are compared).
 */

import {backtrackingProblem, boundedTest} from '../input/bounded-regex.js'

const REGEX = /^\/(.+)\/([dgimsuvy]*)$/s

export const isRegexText = (value: unknown): value is string => typeof value === 'string' && REGEX.test(value)

/** The regular expression a `/…/flags` string stands for (throws SyntaxError when it is not valid). */
export function toRegex(text: string): RegExp {
  const [, source, flags] = REGEX.exec(text)!
  // A global or sticky regex keeps state between tests; matching must not.
  return new RegExp(source!, flags!.replace(/[gy]/g, ''))
}

/** A regex problem in `text`, or undefined when it is fine (or not a regex at all). */
export function regexProblem(text: unknown): string | undefined {
  if (!isRegexText(text)) return undefined
  let regex: RegExp
  try {
    regex = toRegex(text)
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`
  }
  const slow = backtrackingProblem(regex.source)
  return slow === undefined ? undefined : `regular expression ${text}: ${slow}`
}

const testText = (expected: string, actual: string): boolean => boundedTest(toRegex(expected), actual, 'the expectation')

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Actual values are compared as they print in JSON: dates become ISO strings, undefined keys vanish. */
export function plain<T = unknown>(value: unknown): T {
  return value === undefined ? (undefined as T) : (JSON.parse(JSON.stringify(value)) as T)
}

/** Text matches a string exactly, or a /regex/ anywhere in it. */
export function matchText(expected: string, actual: unknown): boolean {
  if (isRegexText(expected)) return testText(expected, typeof actual === 'string' ? actual : JSON.stringify(actual) ?? '')
  return expected === actual
}

/** Text contains a substring, or a /regex/ matches somewhere in it. */
export function containsText(expected: unknown, actual: string): boolean {
  if (isRegexText(expected)) return testText(expected, actual)
  return actual.includes(String(expected))
}

/**
 * Partial deep match: objects compare the keys `expected` names (a key written
 * `null` must be absent or null), lists compare item by item and must have the
 * same length, `/regex/` strings search the actual value, the rest is equality.
 */
export function matches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string') return matchText(expected, actual)
  if (expected === null) return actual === null || actual === undefined
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, index) => matches(item, actual[index]))
  }
  if (isObject(expected)) {
    return isObject(actual) && Object.entries(expected).every(([key, value]) => matches(value, actual[key]))
  }
  return expected === actual
}

/**
 * The actual value cut to the shape of the expected one, for a readable diff:
 * keys nobody asked about are left out, and where a /regex/ matched, the
 * expected side shows the actual text so only real differences stand out.
 */
export function projectActual(expected: unknown, actual: unknown): unknown {
  if (isObject(expected) && isObject(actual)) {
    return Object.fromEntries(Object.keys(expected).map((key) => [key, projectActual(expected[key], actual[key])]))
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.map((item, index) => (index < expected.length ? projectActual(expected[index], item) : item))
  }
  return actual
}

export function resolveExpected(expected: unknown, actual: unknown): unknown {
  if (isRegexText(expected)) return matches(expected, actual) ? actual : expected
  if (isObject(expected)) {
    const source = isObject(actual) ? actual : {}
    return Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, resolveExpected(value, source[key])]))
  }
  if (Array.isArray(expected)) {
    const source = Array.isArray(actual) ? actual : []
    return expected.map((item, index) => resolveExpected(item, source[index]))
  }
  return expected
}

/** A short one-line form of a value, for messages. */
export function brief(value: unknown, limit = 80): string {
  const text = value === undefined ? 'nothing' : typeof value === 'string' && !isRegexText(value) ? JSON.stringify(value) : typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text
}
