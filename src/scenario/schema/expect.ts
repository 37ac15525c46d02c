/** The expectations a step (or an `assert`) may carry, validated. */
import type {HookResult} from '../../domain/types.js'
import type {
  EffectsExpectation,
  HookExpectation,
  MembersExpectation,
  MessagesExpectation,
  RoomExpectation,
  StepExpectation,
  StepStatus,
} from '../types.js'
import {type Checker, isObject, type Path, type Raw} from './checker.js'

export const STEP_STATUSES: readonly StepStatus[] = ['completed', 'prevented', 'failed', 'noop', 'invalid']
export const HOOK_RESULTS: readonly HookResult[] = ['allowed', 'prevented', 'skipped', 'applied', 'done', 'error', 'timeout']

/** Room fields a `fields` expectation may name (IRoom, as the outcome prints it). */
export const ROOM_FIELDS = [
  'id',
  'slugifiedName',
  'displayName',
  'type',
  'creator',
  'userIds',
  'usernames',
  'isDefault',
  'isReadOnly',
  'displaySystemMessages',
  'messageCount',
  'createdAt',
  'updatedAt',
  'description',
  'customFields',
  'parentRoom',
] as const

export const ROOM_EXPECTATIONS = ['exists', 'members', 'fields', 'customFields', 'messages'] as const
export const STEP_EXPECTATIONS = ['status', 'prevented', 'error', ...ROOM_EXPECTATIONS, 'hooks', 'effects', 'outcome'] as const

function members(check: Checker, value: unknown, path: Path): MembersExpectation | undefined {
  const names = (item: unknown, at: Path) => check.list(item, at, (entry, p) => check.string(entry, p), {single: true})
  if (Array.isArray(value)) {
    const exactly = names(value, path)
    return exactly && {exactly}
  }
  const raw = check.object(value, path, ['exactly', 'includes', 'excludes', 'count'])
  if (!raw) return undefined
  const result: MembersExpectation = {}
  for (const key of ['exactly', 'includes', 'excludes'] as const) {
    if (raw[key] !== undefined) {
      const list = names(raw[key], [...path, key])
      if (list) result[key] = list
    }
  }
  if (raw.count !== undefined) {
    const count = check.count(raw.count, [...path, 'count'])
    if (count !== undefined) result.count = count
  }
  if (Object.keys(raw).length === 0) check.fail(path, 'say what to expect: exactly, includes, excludes or count')
  return result
}

function messages(check: Checker, value: unknown, path: Path): MessagesExpectation | undefined {
  const raw = check.object(value, path, ['count', 'contains', 'excludes', 'blocks', 'match'])
  if (!raw) return undefined
  const result: MessagesExpectation = {}
  if (raw.blocks !== undefined) {
    const blocks = check.list(raw.blocks, [...path, 'blocks'], (entry, at) => check.pattern(check.object(entry, at), at) as Record<string, unknown> | undefined, {single: true})
    if (blocks) result.blocks = blocks
  }
  if (raw.match !== undefined) {
    const match = check.list(raw.match, [...path, 'match'], (entry, at) => check.pattern(check.object(entry, at), at) as Record<string, unknown> | undefined, {single: true})
    if (match) result.match = match
  }
  if (raw.count !== undefined) {
    const count = check.count(raw.count, [...path, 'count'])
    if (count !== undefined) result.count = count
  }
  for (const key of ['contains', 'excludes'] as const) {
    if (raw[key] === undefined) continue
    const list = check.list(raw[key], [...path, key], (entry, at) => (typeof entry === 'string' ? check.pattern(entry, at) : check.string(entry, at)), {single: true})
    if (list) result[key] = list
  }
  return result
}

function hookResults(check: Checker, value: unknown, path: Path): string | string[] | undefined {
  if (Array.isArray(value)) return check.list(value, path, (entry, at) => check.oneOf(entry, at, HOOK_RESULTS))
  return check.oneOf(value, path, HOOK_RESULTS)
}

function hooks(check: Checker, value: unknown, path: Path, plugins: readonly string[]): Record<string, HookExpectation> | undefined {
  const raw = check.object(value, path)
  if (!raw) return undefined
  const result: Record<string, HookExpectation> = {}
  for (const [plugin, expected] of Object.entries(raw)) {
    const at = [...path, plugin]
    if (!plugins.includes(plugin)) check.fail(at, `no plugin named "${plugin}" in this scenario (plugins: ${plugins.join(', ') || 'none'})`, 'key')
    if (isObject(expected)) {
      const perInterface: Record<string, string | string[]> = {}
      for (const [name, results] of Object.entries(expected)) {
        const parsed = hookResults(check, results, [...at, name])
        if (parsed !== undefined) perInterface[name] = parsed
      }
      result[plugin] = perInterface
      continue
    }
    const parsed = hookResults(check, expected, at)
    if (parsed !== undefined) result[plugin] = parsed
  }
  return result
}

function effects(check: Checker, value: unknown, path: Path): EffectsExpectation | undefined {
  const patterns = (list: unknown, at: Path) =>
    check.list(list, at, (entry, p) => {
      const object = check.object(entry, p)
      return object && (check.pattern(object, p) as Raw | undefined)
    })
  if (Array.isArray(value)) {
    const includes = patterns(value, path)
    return includes && {includes}
  }
  const raw = check.object(value, path, ['includes', 'excludes'])
  if (!raw) return undefined
  const result: EffectsExpectation = {}
  for (const key of ['includes', 'excludes'] as const) {
    if (raw[key] === undefined) continue
    const list = patterns(raw[key], [...path, key])
    if (list) result[key] = list
  }
  return result
}

/** A partial pattern over a mapping with known keys; a bare string stands for `shorthand`. */
function keyed(check: Checker, value: unknown, path: Path, keys: readonly string[], shorthand: string): Raw | null | undefined {
  if (value === null) return null
  if (typeof value === 'string') return check.pattern({[shorthand]: value}, path) as Raw | undefined
  const raw = check.object(value, path, keys)
  return raw && (check.pattern(raw, path) as Raw | undefined)
}

/** Expectations about a room, shared by steps and `assert`. */
export function roomExpectation(check: Checker, raw: Raw, path: Path): RoomExpectation {
  const result: RoomExpectation = {}
  if (raw.exists !== undefined) {
    const exists = check.boolean(raw.exists, [...path, 'exists'])
    if (exists !== undefined) result.exists = exists
  }
  if (raw.members !== undefined) {
    const parsed = members(check, raw.members, [...path, 'members'])
    if (parsed) result.members = parsed
  }
  if (raw.fields !== undefined) {
    const fields = check.object(raw.fields, [...path, 'fields'], ROOM_FIELDS)
    if (fields && check.pattern(fields, [...path, 'fields']) !== undefined) result.fields = fields
  }
  if (raw.customFields !== undefined) {
    const fields = check.object(raw.customFields, [...path, 'customFields'])
    if (fields && check.pattern(fields, [...path, 'customFields']) !== undefined) result.customFields = fields
  }
  if (raw.messages !== undefined) {
    const parsed = messages(check, raw.messages, [...path, 'messages'])
    if (parsed) result.messages = parsed
  }
  return result
}

/** `expect:` of a step: a status word, or a mapping of expectations. */
export function stepExpectation(check: Checker, value: unknown, path: Path, plugins: readonly string[]): StepExpectation {
  if (value === undefined) return {}
  if (typeof value === 'string' || Array.isArray(value)) {
    const status = check.list(value, path, (entry, at) => check.oneOf(entry, at, STEP_STATUSES), {single: true})
    return status ? {status} : {}
  }
  const raw = check.object(value, path, STEP_EXPECTATIONS)
  if (!raw) return {}
  const result: StepExpectation = roomExpectation(check, raw, path)
  if (raw.status !== undefined) {
    const status = check.list(raw.status, [...path, 'status'], (entry, at) => check.oneOf(entry, at, STEP_STATUSES), {single: true})
    if (status) result.status = status
  }
  if (raw.prevented !== undefined) {
    const prevented = keyed(check, raw.prevented, [...path, 'prevented'], ['plugin', 'interface', 'reason'], 'plugin')
    if (prevented !== undefined) result.prevented = prevented
  }
  if (raw.error !== undefined) {
    const error = keyed(check, raw.error, [...path, 'error'], ['code', 'message', 'plugin'], 'code')
    if (error !== undefined) result.error = error
  }
  if (raw.hooks !== undefined) {
    const parsed = hooks(check, raw.hooks, [...path, 'hooks'], plugins)
    if (parsed) result.hooks = parsed
  }
  if (raw.effects !== undefined) {
    const parsed = effects(check, raw.effects, [...path, 'effects'])
    if (parsed) result.effects = parsed
  }
  if (raw.outcome !== undefined) {
    const outcome = check.object(raw.outcome, [...path, 'outcome'])
    if (outcome && check.pattern(outcome, [...path, 'outcome']) !== undefined) result.outcome = outcome
  }
  return result
}
