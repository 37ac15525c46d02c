/**
 * Regular expressions written by users (scenario `/regex/` expectations, the
 * config's name pattern) run on text that users or plugins control. A
 * backtracking pattern such as `(a+)+b` can take exponential time, so such
 * patterns are refused when they are read, and every run is cut off after a
 * time bound (a V8 regex cannot be interrupted, except by a vm timeout).
 */
import type {Context, Script} from 'node:vm'
import {createRequire} from 'node:module'

import {RoomsimError} from '../errors.js'

/** How long one user regex may search one text. */
export const REGEX_TIME_LIMIT_MS = 1000

const require = createRequire(import.meta.url)
let sandbox: {context: Context; script: Script} | undefined

/**
 * Why a pattern is refused before it runs, or undefined: a quantified group
 * that itself contains a quantifier (`(a+)+`, `(\w*)*`, `(a|b+){2,}`) is the
 * shape of catastrophic backtracking. Linear scan over the pattern's source.
 */
export function backtrackingProblem(source: string): string | undefined {
  // For each open group: does it contain a quantifier?
  const groups: boolean[] = []
  let lastGroupHadQuantifier = false
  let afterGroup = false
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!
    if (char === '\\') {
      i++
      afterGroup = false
      continue
    }
    if (char === '[') {
      // A character class is one atom.
      i = classEnd(source, i)
      afterGroup = false
      continue
    }
    if (char === '(') {
      groups.push(false)
      afterGroup = false
      continue
    }
    if (char === ')') {
      lastGroupHadQuantifier = groups.pop() ?? false
      if (lastGroupHadQuantifier && groups.length > 0) groups[groups.length - 1] = true
      afterGroup = true
      continue
    }
    const quantifier = char === '*' || char === '+' || (char === '{' && repeatsMore(source.slice(i, i + 24)))
    if (quantifier) {
      if (afterGroup && lastGroupHadQuantifier) {
        return 'a repeated group that itself repeats (like (a+)+) can take exponential time; rewrite it without the nested repetition'
      }
      if (groups.length > 0) groups[groups.length - 1] = true
    }
    afterGroup = false
  }
  return undefined
}

/** Where the character class opened at `open` ends: its unescaped `]` (or the end of the pattern). */
function classEnd(source: string, open: number): number {
  let i = open + 1
  for (; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++
  return i
}

/** `{n}`, `{n,}` or `{n,m}` allowing more than one repetition (`{0,1}` and `{1}` do not). */
function repeatsMore(text: string): boolean {
  const match = /^\{(\d+)(,(\d*))?\}/.exec(text)
  if (!match) return false
  if (match[2] === undefined) return Number(match[1]) > 1
  return match[3] === '' || Number(match[3]) > 1
}

/** Texts up to this long are searched without the vm when the pattern is at most quadratic: at most a million steps. */
const QUICK_TEXT_LIMIT = 1000

/**
 * Whether a search can take no more than quadratic time: no group, no
 * alternation, no backreference and at most one quantifier outside character
 * classes (`^[a-z0-9._-]+$`, `^room-\d{1,4}$`). Each search then backtracks
 * over one repetition from each start, so the vm's watchdog thread, which
 * costs far more than such a search, is not needed.
 */
export function atMostQuadratic(source: string): boolean {
  // The bound is also linear in the pattern's length: keep that short too.
  if (source.length > 100) return false
  let quantifiers = 0
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!
    if (char === '\\') {
      const next = source[++i] ?? ''
      // \1 or \k<name> refers back to a group; none is allowed here, but say no rather than reason about it.
      if (/[1-9k]/.test(next)) return false
    } else if (char === '[') {
      i = classEnd(source, i)
    } else if (char === '(' || char === '|') {
      return false
    } else if (char === '*' || char === '+' || char === '?' || char === '{') {
      if (++quantifiers > 1) return false
    }
  }
  return true
}

/**
 * `regex.test(text)` that gives up after REGEX_TIME_LIMIT_MS with a clear error
 * instead of hanging. `what` names the pattern's origin for the message.
 */
export function boundedTest(regex: RegExp, text: string, what: string): boolean {
  if (text.length <= QUICK_TEXT_LIMIT && atMostQuadratic(regex.source)) {
    // A fresh copy for the stateful flags: test() with g or y moves lastIndex.
    return (regex.global || regex.sticky ? new RegExp(regex.source, regex.flags) : regex).test(text)
  }
  if (!sandbox) {
    const vm = require('node:vm') as typeof import('node:vm')
    sandbox = {context: vm.createContext({}), script: new vm.Script('new RegExp(source, flags).test(text)')}
  }
  Object.assign(sandbox.context, {source: regex.source, flags: regex.flags, text})
  try {
    return sandbox.script.runInContext(sandbox.context, {timeout: REGEX_TIME_LIMIT_MS}) as boolean
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new RoomsimError('INVALID_INPUT', `${what} /${regex.source}/ did not finish within ${REGEX_TIME_LIMIT_MS} ms on a ${text.length}-character text; simplify the pattern`)
    }
    throw error
  } finally {
    Object.assign(sandbox.context, {text: ''})
  }
}
