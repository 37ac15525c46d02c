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
      // A character class is one atom: skip to its unescaped end.
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++
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

/** `{n}`, `{n,}` or `{n,m}` allowing more than one repetition (`{0,1}` and `{1}` do not). */
function repeatsMore(text: string): boolean {
  const match = /^\{(\d+)(,(\d*))?\}/.exec(text)
  if (!match) return false
  if (match[2] === undefined) return Number(match[1]) > 1
  return match[3] === '' || Number(match[3]) > 1
}

/**
 * `regex.test(text)` that gives up after REGEX_TIME_LIMIT_MS with a clear error
 * instead of hanging. `what` names the pattern's origin for the message.
 */
export function boundedTest(regex: RegExp, text: string, what: string): boolean {
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
