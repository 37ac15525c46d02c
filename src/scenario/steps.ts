/** What a step does, said as the CLI command that would do it; and `{{room:…}}` / `{{user:…}}` placeholders. */
import {ROOM_TYPES} from '../domain/names.js'
import {RoomsimError} from '../errors.js'
import type {Store} from '../store/store.js'
import type {Step} from './types.js'

const TYPE_WORDS = Object.fromEntries(Object.entries(ROOM_TYPES).map(([word, code]) => [code, word])) as Record<string, string>

/** Quotes a word for a POSIX shell when it needs it. */
const quote = (word: string): string => (/^[\w@%+=:,./{}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)

const flag = (name: string, value: unknown): string[] => (value === undefined || value === false ? [] : value === true ? [`--${name}`] : [`--${name}`, quote(String(value))])

/** The roomsim command line a step stands for (settings and assertions have none; they get a short description). */
export function commandLine(step: Step): string {
  switch (step.kind) {
    case 'create': {
      const {input} = step
      const type = input.type && input.type !== 'c' ? TYPE_WORDS[input.type] : undefined
      return [
        'room create',
        ...(input.name === undefined ? [] : [quote(input.name)]),
        ...flag('type', type),
        ...flag('by', input.by),
        ...(input.members ?? []).flatMap((member) => flag('member', member)),
        ...flag('read-only', input.readOnly),
        ...flag('default', input.isDefault),
        ...flag('description', input.description),
        ...Object.entries(input.customFields ?? {}).flatMap(([key, value]) => flag('custom-field', `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)),
      ].join(' ')
    }
    case 'delete':
      return ['room delete', quote(step.input.room), ...flag('by', step.input.by)].join(' ')
    case 'join':
      return ['room join', quote(step.input.room), ...flag('user', step.input.user), ...flag('invited-by', step.input.invitedBy)].join(' ')
    case 'leave':
      return ['room leave', quote(step.input.room), ...flag('user', step.input.user), ...flag('removed-by', step.input.removedBy)].join(' ')
    case 'user':
      return ['user create', quote(step.input.username), ...flag('name', step.input.name), ...(step.input.roles ?? []).flatMap((role) => flag('role', role))].join(' ')
    case 'settings':
      return `settings ${step.plugin} ${Object.entries(step.values).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}`
    case 'assert':
      return `assert ${step.room}`
  }
}

/** How reports name a step: its own name, else its command line. */
export const stepLabel = (step: Step): string => step.name ?? commandLine(step)

const PLACEHOLDER = /\{\{\s*(room|user)\s*:\s*([^{}\s]+)\s*\}\}/g

/** Replaces `{{room:NAME}}` by that room's id and `{{user:NAME}}` by that user's id, anywhere in a value. */
export function substitute<T>(value: T, store: Store): T {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value
    return value.replace(PLACEHOLDER, (_, kind: 'room' | 'user', name: string) => {
      const id = kind === 'room' ? store.roomIdByName(name) : store.userByName(name)?.id
      if (!id) throw new RoomsimError(kind === 'room' ? 'UNKNOWN_ROOM' : 'UNKNOWN_USER', `{{${kind}:${name}}}: no ${kind} named "${name}" (yet)`)
      return id
    }) as T
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, store)) as T
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, store)])) as T
  }
  return value
}
