/** Steps: one action (with the CLI's inputs), a settings change, or an assertion. */
import {ROOM_TYPES} from '../../domain/names.js'
import type {RoomTypeCode} from '../../domain/types.js'
import type {RoomCreateInput} from '../../engine/actions/index.js'
import type {ExpectationLines, Step, StepKind, UserInput} from '../types.js'
import {type Checker, closest, isObject, type Path, type Raw} from './checker.js'
import {roomExpectation, ROOM_EXPECTATIONS, stepExpectation} from './expect.js'

export const STEP_KINDS: readonly StepKind[] = ['create', 'delete', 'join', 'leave', 'user', 'settings', 'assert']
/** Steps that carry no `expect:` of their own. */
const NO_EXPECT: readonly StepKind[] = ['settings', 'assert']

const ROOM_TYPE_WORDS = [...Object.keys(ROOM_TYPES), ...Object.values(ROOM_TYPES)]

/** Fills in `target[key]` when the raw value is present and valid. */
function optional<T>(target: Record<string, unknown>, key: string, raw: Raw, rawKey: string, parse: (value: unknown) => T | undefined): void {
  if (raw[rawKey] === undefined) return
  const value = parse(raw[rawKey])
  if (value !== undefined) target[key] = value
}

export function roomCreateInput(check: Checker, value: unknown, path: Path): RoomCreateInput | undefined {
  const raw = check.object(value, path, ['room', 'name', 'type', 'by', 'members', 'readOnly', 'default', 'description', 'displayName', 'customFields'])
  if (!raw) return undefined
  if (raw.room !== undefined && raw.name !== undefined) check.fail([...path, 'name'], 'give "room" or "name", not both', 'key')
  const input: Record<string, unknown> = {}
  const at = (key: string): Path => [...path, key]
  optional(input, 'name', raw, raw.room === undefined ? 'name' : 'room', (name) => check.string(name, at(raw.room === undefined ? 'name' : 'room')))
  optional(input, 'type', raw, 'type', (type) => {
    const word = check.oneOf(type, at('type'), ROOM_TYPE_WORDS)
    return word && ((ROOM_TYPES as Record<string, RoomTypeCode>)[word] ?? (word as RoomTypeCode))
  })
  optional(input, 'by', raw, 'by', (by) => check.string(by, at('by')))
  optional(input, 'members', raw, 'members', (members) => check.list(members, at('members'), (member, p) => check.string(member, p), {single: true}))
  optional(input, 'readOnly', raw, 'readOnly', (flag) => check.boolean(flag, at('readOnly')))
  optional(input, 'isDefault', raw, 'default', (flag) => check.boolean(flag, at('default')))
  optional(input, 'description', raw, 'description', (text) => check.string(text, at('description')))
  optional(input, 'displayName', raw, 'displayName', (text) => check.string(text, at('displayName')))
  optional(input, 'customFields', raw, 'customFields', (fields) => {
    const object = check.object(fields, at('customFields'))
    if (!object) return undefined
    for (const key of Object.keys(object)) {
      if (key.includes('.')) check.fail([...at('customFields'), key], `custom field key "${key}" must not contain "."`, 'key')
    }
    return check.pattern(object, at('customFields'))
  })
  const type = input.type ?? 'c'
  if (type !== 'd' && input.name === undefined) check.fail(path, 'missing "room" (the room name; only a direct room has none)')
  if (type === 'd' && input.name !== undefined) check.fail(at(raw.room === undefined ? 'name' : 'room'), 'a direct room takes no name: it is named after its members')
  return input as RoomCreateInput
}

export function userInput(check: Checker, value: unknown, path: Path): UserInput | undefined {
  if (typeof value === 'string' || typeof value === 'number') {
    const username = check.string(value, path)
    return username === undefined ? undefined : {username}
  }
  const raw = check.object(value, path, ['username', 'name', 'roles'])
  if (!raw) return undefined
  const username = check.string(check.required(raw, 'username', path) ?? '', [...path, 'username'])
  const input: Record<string, unknown> = {username}
  optional(input, 'name', raw, 'name', (name) => check.string(name, [...path, 'name']))
  optional(input, 'roles', raw, 'roles', (roles) => check.list(roles, [...path, 'roles'], (role, p) => check.string(role, p), {single: true}))
  return username === undefined ? undefined : (input as unknown as UserInput)
}

/** An action on a room: named keys, some required. */
function roomAction(check: Checker, value: unknown, path: Path, required: readonly string[], optionals: readonly string[]): Record<string, string> | undefined {
  const raw = check.object(value, path, [...required, ...optionals])
  if (!raw) return undefined
  const input: Record<string, string> = {}
  for (const key of [...required, ...optionals]) {
    if (raw[key] === undefined) {
      if (required.includes(key)) check.fail(path, `missing "${key}"`)
      continue
    }
    const text = check.string(raw[key], [...path, key])
    if (text !== undefined) input[key] = text
  }
  return input
}

export interface StepContext {
  plugins: readonly string[]
  line(path: Path): number
  keyLine(path: Path): number
}

export function step(check: Checker, value: unknown, path: Path, index: number, context: StepContext): Step | undefined {
  const raw = check.object(value, path)
  if (!raw) return undefined
  const kinds = STEP_KINDS.filter((kind) => kind in raw)
  const others = Object.keys(raw).filter((key) => !(STEP_KINDS as readonly string[]).includes(key) && key !== 'name' && key !== 'expect')
  for (const key of others) {
    const hint = closest(key, [...STEP_KINDS, 'name', 'expect'])
    check.fail([...path, key], `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; a step is one of ${STEP_KINDS.join(', ')}, with an optional name and expect`, 'key')
  }
  if (kinds.length !== 1) {
    if (kinds.length === 0 && others.length === 0) check.fail(path, `a step needs one of ${STEP_KINDS.join(', ')}`)
    if (kinds.length > 1) check.fail([...path, kinds[1]!], `a step does one thing: found ${kinds.join(' and ')}`, 'key')
    return undefined
  }
  const kind = kinds[0]!
  const at: Path = [...path, kind]
  const base = {index, line: context.line(path), expect: {}, expectLines: {} as ExpectationLines, ...(raw.name === undefined ? {} : {name: check.string(raw.name, [...path, 'name'])!})}
  if (raw.expect !== undefined) {
    if (NO_EXPECT.includes(kind)) check.fail([...path, 'expect'], `a ${kind} step takes no expect${kind === 'assert' ? ': its expectations go inside assert' : ''}`, 'key')
    else {
      base.expect = stepExpectation(check, raw.expect, [...path, 'expect'], context.plugins)
      base.expectLines = expectationLines(raw.expect, [...path, 'expect'], context)
    }
  }
  // The step's own keys come before `...base`: on this V8, each object made by a spread followed by
  // keys the spread lacks gets a shape of its own (about 1 µs and 150 B more, a step).
  switch (kind) {
    case 'create': {
      const input = roomCreateInput(check, raw.create, at)
      return input && {kind, input, ...base}
    }
    case 'delete': {
      const input = roomAction(check, raw.delete, at, ['room'], ['by'])
      return input && {kind, input: input as {room: string; by?: string}, ...base}
    }
    case 'join': {
      const input = roomAction(check, raw.join, at, ['room', 'user'], ['invitedBy'])
      return input && {kind, input: input as {room: string; user: string; invitedBy?: string}, ...base}
    }
    case 'leave': {
      const input = roomAction(check, raw.leave, at, ['room', 'user'], ['removedBy'])
      return input && {kind, input: input as {room: string; user: string; removedBy?: string}, ...base}
    }
    case 'user': {
      const input = userInput(check, raw.user, at)
      return input && {kind, input, ...base}
    }
    case 'settings':
      return settingsStep(check, raw.settings, at, base, context)
    case 'assert':
      return assertStep(check, raw.assert, at, base, context)
  }
}

type StepBase = Omit<Extract<Step, {kind: 'assert'}>, 'kind' | 'room'>

function settingsStep(check: Checker, value: unknown, path: Path, base: StepBase, context: StepContext): Step | undefined {
  const raw = check.object(value, path, ['plugin', 'values'])
  if (!raw) return undefined
  const plugin = check.string(check.required(raw, 'plugin', path) ?? '', [...path, 'plugin'])
  if (plugin !== undefined && !context.plugins.includes(plugin)) {
    check.fail([...path, 'plugin'], `no plugin named "${plugin}" in this scenario (plugins: ${context.plugins.join(', ') || 'none'})`)
  }
  const values = raw.values === undefined ? check.fail(path, 'missing "values" (the settings to change)') : check.object(raw.values, [...path, 'values'])
  return plugin !== undefined && values ? {kind: 'settings', plugin, values, ...base} : undefined
}

function assertStep(check: Checker, value: unknown, path: Path, base: StepBase, context: StepContext): Step | undefined {
  const raw = check.object(value, path, ['room', ...ROOM_EXPECTATIONS])
  if (!raw) return undefined
  const room = check.string(check.required(raw, 'room', path) ?? '', [...path, 'room'])
  const expect = roomExpectation(check, raw, path)
  if (Object.keys(raw).length === 1) check.fail(path, `say what to assert about the room: ${ROOM_EXPECTATIONS.join(', ')}`)
  return room === undefined ? undefined : {kind: 'assert', room, ...base, expect, expectLines: expectationLines(raw, path, context)}
}

/** The line each expectation key is written on. */
function expectationLines(value: unknown, path: Path, context: StepContext): ExpectationLines {
  if (!isObject(value)) return {status: context.line(path)}
  return Object.fromEntries(Object.keys(value).map((key) => [key, context.keyLine([...path, key])]))
}
