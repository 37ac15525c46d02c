/**
 * The host's check of every message an isolate sends. An isolate runs plugin
 * code, so its messages are input like any other: the shape is checked field by
 * field, data is walked with a bound on depth and size (no getters or
 * prototypes survive the wire, but depth and breadth would), and strings are
 * capped. A message that fails is reported as a reason; it never throws.
 */
import {isAccessorMethod} from './accessors.js'
import {INTERFACE_NAMES} from './interfaces.js'
import {type FromIsolate, type HandlerValue, LOG_LEVELS, type LoadReport, type LogLevel, type SerializedError} from './messages.js'

/** Longest log line kept; the rest is cut with a note of how long it was. */
export const MAX_LOG_LINE = 4000
const MAX_TEXT = 16_000
const MAX_DEPTH = 64
const MAX_NODES = 100_000

export type Checked = {ok: true; message: FromIsolate} | {ok: false; reason: string}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype
const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
const isText = (value: unknown, max = MAX_TEXT): value is string => typeof value === 'string' && value.length <= max

/** Plain data only (what JSON could carry, plus Date and undefined), bounded in depth and size. */
export function plainDataProblem(value: unknown): string | undefined {
  let nodes = 0
  const walk = (item: unknown, depth: number): string | undefined => {
    if (++nodes > MAX_NODES) return `more than ${MAX_NODES} values`
    if (item === null || item === undefined || typeof item === 'boolean') return undefined
    if (typeof item === 'number') return undefined
    if (typeof item === 'string') return item.length > 1_000_000 ? 'a string over 1,000,000 characters' : undefined
    if (item instanceof Date) return undefined
    if (typeof item !== 'object') return `a ${typeof item}`
    if (depth >= MAX_DEPTH) return `nesting deeper than ${MAX_DEPTH}`
    if (Array.isArray(item)) {
      for (const entry of item) {
        const problem = walk(entry, depth + 1)
        if (problem) return problem
      }
      return undefined
    }
    if (!isRecord(item)) return `a ${Object.prototype.toString.call(item).slice(8, -1)}`
    for (const key of Object.keys(item)) {
      if (key === '__proto__') return 'a "__proto__" key'
      const problem = walk(item[key], depth + 1)
      if (problem) return problem
    }
    return undefined
  }
  return walk(value, 0)
}

function errorProblem(error: unknown): string | undefined {
  if (!isRecord(error)) return 'an error that is not an object'
  if (!isText(error.name, 200) || !isText(error.className, 200) || !isText(error.message)) return 'an error without name, className and message'
  if (error.stack !== undefined && !isText(error.stack)) return 'an error whose stack is not text'
  return undefined
}

const clean = (error: Record<string, unknown>): SerializedError => ({
  name: error.name as string,
  className: error.className as string,
  message: error.message as string,
  ...(typeof error.stack === 'string' ? {stack: error.stack} : {}),
})

function valueProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'a result that is not an object'
  switch (value.kind) {
    case 'boolean':
      return typeof value.value === 'boolean' ? undefined : 'a boolean result without a boolean'
    case 'none':
      return undefined
    case 'other':
      return isText(value.description, 200) && typeof value.truthy === 'boolean' ? undefined : 'a malformed result'
    case 'extension':
      if (!isRecord(value.customFields) || !Array.isArray(value.members)) return 'a malformed room extension'
      return plainDataProblem(value.customFields) ?? plainDataProblem(value.members)
    case 'room':
      // Whether it is a usable room is the stage's judgement (judge.ts); here only that it is data.
      return plainDataProblem(value.room)
    default:
      return 'a result of no known kind'
  }
}

function reportProblem(report: unknown): string | undefined {
  if (!isRecord(report)) return 'a load report that is not an object'
  if (report.error !== undefined) return errorProblem(report.error)
  if (!Array.isArray(report.interfaces) || !report.interfaces.every((name) => (INTERFACE_NAMES as unknown[]).includes(name))) return 'unknown interfaces'
  if (!Array.isArray(report.checks) || !report.checks.every((name) => isText(name, 200))) return 'malformed checks'
  // A map of defaults, or the Apps-Engine list shape ([{id, packageValue}]): the host reads either (plugins/settings-shape.ts).
  if (!isRecord(report.declaredSettings) && !Array.isArray(report.declaredSettings)) return 'declared settings that are neither a map nor a list'
  if (report.app !== undefined && !isRecord(report.app)) return 'an app report that is not an object'
  return plainDataProblem(report.declaredSettings) ?? plainDataProblem(report.app)
}

const fail = (reason: string): Checked => ({ok: false, reason})

/** Checks one decoded message; the result is safe to use as its type says. */
export function checkFromIsolate(message: unknown): Checked {
  if (!isRecord(message)) return fail('sent a message that is not an object')
  const problem = (what: string, detail: string | undefined): Checked | undefined => (detail ? fail(`sent a malformed ${what} message: ${detail}`) : undefined)
  switch (message.type) {
    case 'importing':
      return {ok: true, message: {type: 'importing'}}
    case 'loaded': {
      const bad = problem('loaded', reportProblem(message.report))
      if (bad) return bad
      const report = message.report as LoadReport
      return {ok: true, message: {type: 'loaded', report: report.error ? {interfaces: [], checks: [], declaredSettings: {}, error: clean(report.error as unknown as Record<string, unknown>)} : report}}
    }
    case 'settled': {
      if (!isId(message.id)) return fail('sent a settled message without an id')
      if (message.ok === true) {
        const bad = problem('settled', valueProblem(message.value))
        return bad ?? {ok: true, message: {type: 'settled', id: message.id, ok: true, value: message.value as HandlerValue}}
      }
      if (message.ok === false) {
        const bad = problem('settled', errorProblem(message.error))
        return bad ?? {ok: true, message: {type: 'settled', id: message.id, ok: false, error: clean(message.error as Record<string, unknown>)}}
      }
      return fail('sent a settled message that is neither ok nor failed')
    }
    case 'call': {
      if (!isId(message.id) || !isId(message.actionId)) return fail('sent a call without ids')
      if (!isAccessorMethod(message.method)) return fail(`called an accessor method roomsim does not have: ${String(message.method).slice(0, 80)}`)
      if (!Array.isArray(message.args)) return fail('sent a call whose arguments are not a list')
      const bad = problem('call', plainDataProblem(message.args))
      return bad ?? {ok: true, message: {type: 'call', id: message.id, actionId: message.actionId, method: message.method, args: message.args as never}}
    }
    case 'log': {
      if (!isId(message.actionId) || !(LOG_LEVELS as unknown[]).includes(message.level) || typeof message.message !== 'string') return fail('sent a malformed log line')
      return {ok: true, message: {type: 'log', actionId: message.actionId, level: message.level as LogLevel, message: capLine(message.message)}}
    }
    default:
      return fail(`sent a message of unknown type ${JSON.stringify(String(message.type)).slice(0, 80)}`)
  }
}

/** One log line, cut to MAX_LOG_LINE characters. */
export const capLine = (line: string): string => (line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)}… (line cut: ${line.length} characters)` : line)
