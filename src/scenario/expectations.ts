/**
 * Checks a step's expectations against what happened. Each check that does not
 * hold becomes a Failure with the expectation's line, expected and actual, and
 * a diff when the values are structured.
 */
import {outcomeView} from '../domain/room-view.js'
import type {Effect, HookRecord, HostRoom, Message, Outcome} from '../domain/types.js'
import {isStructured, renderDiff} from './diff.js'
import {brief, containsText, matches, plain, projectActual, resolveExpected} from './match.js'
import type {Failure} from './report.js'
import type {ExpectationLines, HookExpectation, RoomExpectation, StepExpectation, StepStatus} from './types.js'

/** What a step came to, and the state after it that expectations look at. */
export interface StepActual {
  status: StepStatus
  outcome?: Outcome
  /** The outcome's error, or the input error of an `invalid` step. */
  error: {code: string; message: string; plugin?: string} | null
  /** The step's room: as stored after the step, else as the action last saw it (its members read only if an expectation names them). */
  room: HostRoom | undefined
  roomExists: boolean
  messages: Message[]
}

class Failures {
  readonly list: Failure[] = []

  constructor(
    private readonly lines: ExpectationLines,
    private readonly stepLine: number,
  ) {}

  /** A diff is shown when a structure was expected (`withDiff`); a wrong word, count or "some of" reads better as the message alone. */
  add(expectation: string, message: string, expected?: unknown, actual?: unknown, withDiff = isStructured(expected)): void {
    const line = this.lines[expectation.split(/[.[]/)[0]!] ?? this.stepLine
    this.list.push({
      expectation,
      line,
      message,
      ...(expected === undefined ? {} : {expected}),
      ...(actual === undefined ? {} : {actual}),
      ...(withDiff ? {diff: renderDiff(expected, actual)} : {}),
    })
  }

  /** Compares partially; on a mismatch, shows only the part of `actual` that was asked about. */
  compare(expectation: string, expected: unknown, actual: unknown): void {
    const value = plain(actual)
    if (matches(expected, value)) return
    const shown = projectActual(expected, value)
    this.add(expectation, `expected ${brief(expected)}, got ${brief(shown)}`, resolveExpected(expected, value), shown)
  }
}

const describeStatus = (actual: StepActual): string => {
  const {outcome} = actual
  if (actual.status === 'prevented' && outcome?.prevented) return `prevented by ${outcome.prevented.plugin} (${outcome.prevented.interface}): ${outcome.prevented.reason}`
  if (actual.error) return `${actual.status} (${actual.error.code}: ${actual.error.message})`
  return actual.status
}

/** The statuses a step may end in when `status` is not written. */
function defaultStatuses(expect: StepExpectation): StepStatus[] {
  if (expect.prevented !== undefined && expect.prevented !== null) return ['prevented']
  if (expect.error !== undefined && expect.error !== null) return ['failed', 'invalid', 'completed']
  return ['completed', 'noop']
}

export function checkStep(expect: StepExpectation, lines: ExpectationLines, stepLine: number, actual: StepActual): Failure[] {
  const failures = new Failures(lines, stepLine)
  const statuses = expect.status ?? defaultStatuses(expect)
  if (!statuses.includes(actual.status)) {
    failures.add('status', `expected ${statuses.join(' or ')}, got ${describeStatus(actual)}`, statuses.length === 1 ? statuses[0] : statuses, actual.status, false)
  } else if (expect.error === undefined && actual.error && (actual.status === 'completed' || actual.status === 'noop')) {
    failures.add('error', `expected no error, got ${actual.error.code}: ${actual.error.message}`, null, actual.error, false)
  }
  // An action error already names the plugin that broke it; only errors the policy let pass need their own failure.
  if (!actual.error) checkBrokenHooks(failures, expect, actual.outcome?.hooks ?? [])
  if (expect.prevented !== undefined) failures.compare('prevented', expect.prevented, actual.outcome?.prevented ?? null)
  if (expect.error !== undefined) failures.compare('error', expect.error, actual.error)
  checkRoom(failures, expect, actual)
  if (expect.hooks) checkHooks(failures, expect.hooks, actual.outcome?.hooks ?? [])
  if (expect.effects) checkEffects(failures, expect.effects, actual.outcome ? allEffects(actual.outcome) : [])
  if (expect.outcome !== undefined) failures.compare('outcome', expect.outcome, actual.outcome ? outcomeView(actual.outcome) : null)
  return failures.list
}

/** An `assert` step: the same room expectations, against the room as it is now. */
export function checkAssert(expect: RoomExpectation, lines: ExpectationLines, stepLine: number, state: Pick<StepActual, 'room' | 'roomExists' | 'messages'>): Failure[] {
  const failures = new Failures(lines, stepLine)
  if (!state.roomExists && expect.exists !== false) {
    failures.add(expect.exists === undefined ? 'room' : 'exists', 'expected the room to exist, but there is no such room', true, false, false)
    return failures.list
  }
  checkRoom(failures, expect, {...state, status: 'completed', error: null})
  return failures.list
}

/** A room field as the outcome prints it: userIds and usernames are the member list, read when named. */
function roomField(room: HostRoom, key: string): unknown {
  if (key === 'userIds') return room.members.ids()
  if (key === 'usernames') return room.members.usernames()
  return (room as unknown as Record<string, unknown>)[key]
}

function checkRoom(failures: Failures, expect: RoomExpectation, actual: StepActual): void {
  if (expect.exists !== undefined && expect.exists !== actual.roomExists) {
    failures.add('exists', `expected the room ${expect.exists ? 'to exist' : 'to be gone'}, but it ${actual.roomExists ? 'exists' : 'does not exist'}`, expect.exists, actual.roomExists)
  }
  const needsRoom = expect.members || expect.fields || expect.customFields
  if (needsRoom && !actual.room) {
    failures.add('room', 'expected a room, but the step has none', 'a room', null)
    return
  }
  const room = actual.room as HostRoom
  if (expect.members) {
    const {exactly, includes, excludes, count} = expect.members
    const members = room.members.usernames()
    if (exactly && JSON.stringify([...exactly].sort()) !== JSON.stringify([...members].sort())) {
      failures.add('members', `expected exactly ${brief(exactly)} (in any order), got ${brief(members)}`, [...exactly].sort(), [...members].sort())
    }
    const missing = (includes ?? []).filter((name) => !members.includes(name))
    if (missing.length > 0) failures.add('members.includes', `expected ${missing.join(', ')} among the members, got ${brief(members)}`, includes, members, false)
    const present = (excludes ?? []).filter((name) => members.includes(name))
    if (present.length > 0) failures.add('members.excludes', `expected ${present.join(', ')} not to be members, got ${brief(members)}`, excludes, members, false)
    if (count !== undefined && count !== members.length) failures.add('members.count', `expected ${count} member(s), got ${members.length}: ${brief(members)}`, count, members.length)
  }
  for (const [key, expected] of Object.entries(expect.fields ?? {})) failures.compare(`fields.${key}`, expected, roomField(room, key))
  for (const [key, expected] of Object.entries(expect.customFields ?? {})) failures.compare(`customFields.${key}`, expected, room.customFields?.[key])
  if (expect.messages) {
    const texts = actual.messages.map((message) => message.text)
    const {count, contains, excludes} = expect.messages
    if (count !== undefined && count !== texts.length) failures.add('messages.count', `expected ${count} message(s), got ${texts.length}`, count, texts)
    for (const pattern of contains ?? []) {
      if (!texts.some((text) => containsText(pattern, text))) failures.add('messages.contains', `expected a message containing ${brief(pattern)}, got ${texts.length === 0 ? 'no messages' : brief(texts)}`, [pattern], texts, false)
    }
    for (const pattern of excludes ?? []) {
      const found = texts.filter((text) => containsText(pattern, text))
      if (found.length > 0) failures.add('messages.excludes', `expected no message containing ${brief(pattern)}, got ${brief(found)}`, [], found, false)
    }
    const stored = actual.messages.map((message) => plain<Record<string, unknown> & {blocks?: unknown[]}>(message))
    const blocks = expect.messages.blocks
    if (blocks && !stored.some((message) => blocks.every((block) => (message.blocks ?? []).some((actualBlock) => matches(block, actualBlock))))) {
      const built = stored.filter((message) => message.blocks).map((message) => message.blocks)
      failures.add('messages.blocks', `expected a message with blocks like ${brief(blocks)}, got ${built.length === 0 ? 'no message with blocks' : brief(built)}`, blocks, built, false)
    }
    for (const partial of expect.messages.match ?? []) {
      if (!stored.some((message) => matches(partial, message))) {
        failures.add('messages.match', `expected a message like ${brief(partial)}, got ${stored.length === 0 ? 'no messages' : brief(stored.map((message) => projectActual(partial, message)))}`, [partial], stored.map((message) => projectActual(partial, message)), false)
      }
    }
  }
}

/**
 * A hook call that ended in an error or a timeout fails the step, even when
 * the error policy let the action go on: a test run should not pass over a
 * broken plugin. Expecting the plugin's hook results (or the error) says it is meant.
 */
function checkBrokenHooks(failures: Failures, expect: StepExpectation, hooks: HookRecord[]): void {
  if (expect.error !== undefined) return
  for (const hook of hooks) {
    if ((hook.result !== 'error' && hook.result !== 'timeout') || expect.hooks?.[hook.plugin] !== undefined) continue
    failures.add(`hooks.${hook.plugin}`, `${hook.plugin} ${hook.interface}.${hook.method}: ${hook.result}: ${hook.error ?? ''} (if that is expected, say so: hooks: {${hook.plugin}: ${hook.result}})`, undefined, hook, false)
  }
}

/** Results of a plugin's hook calls in this action, optionally only those of one interface or method. */
function resultsOf(hooks: HookRecord[], plugin: string, name?: string): string[] {
  return hooks.filter((hook) => hook.plugin === plugin && (name === undefined || hook.interface === name || hook.method === name)).map((hook) => hook.result)
}

function checkHooks(failures: Failures, expected: Record<string, HookExpectation>, hooks: HookRecord[]): void {
  const check = (key: string, want: string | string[], actual: string[], where: string) => {
    if (typeof want === 'string') {
      if (!actual.includes(want)) failures.add(key, `expected ${where} to include a hook call with result ${want}, got ${actual.length === 0 ? 'no hook calls' : actual.join(', ')}`, want, actual)
    } else if (JSON.stringify(want) !== JSON.stringify(actual)) {
      failures.add(key, `expected ${where} hook results ${want.length === 0 ? '(none)' : want.join(', ')}, got ${actual.length === 0 ? '(none)' : actual.join(', ')}`, want, actual, false)
    }
  }
  for (const [plugin, want] of Object.entries(expected)) {
    if (typeof want === 'string' || Array.isArray(want)) {
      check(`hooks.${plugin}`, want, resultsOf(hooks, plugin), plugin)
      continue
    }
    for (const [name, results] of Object.entries(want)) check(`hooks.${plugin}.${name}`, results, resultsOf(hooks, plugin, name), `${plugin} ${name}`)
  }
}

/** An action's effects, with those of the actions it started (nested), in order. */
export function allEffects(outcome: Outcome): Effect[] {
  return [...outcome.effects, ...outcome.nested.flatMap(allEffects)]
}

function checkEffects(failures: Failures, expected: NonNullable<StepExpectation['effects']>, effects: Effect[]): void {
  const actual = plain<Effect[]>(effects)
  for (const pattern of expected.includes ?? []) {
    if (!actual.some((effect) => matches(pattern, effect))) {
      // Each effect cut to the keys the pattern names, so the diff shows what differs.
      const shown = actual.map((effect) => projectActual(pattern, effect))
      failures.add('effects.includes', `expected an effect matching ${brief(pattern)}, got ${actual.length === 0 ? 'no effects' : `${actual.length} that do not match`}`, [resolveExpected(pattern, shown[0])], shown)
    }
  }
  for (const pattern of expected.excludes ?? []) {
    const found = actual.filter((effect) => matches(pattern, effect))
    if (found.length > 0) failures.add('effects.excludes', `expected no effect matching ${brief(pattern)}, got ${found.length}: ${brief(found)}`, [], found, false)
  }
}
