import type {ChalkInstance} from 'chalk'

import type {Effect, HookRecord, HookResult, MessageExtras, HostRoom, Outcome} from '../domain/types.js'
import {LOAD_HOOK} from '../engine/load-failures.js'
import {CHAINS} from '../engine/stages.js'
import {printable} from './printable.js'

/** The stage kind of an interface, from the chain table (for the "stage" column); a plugin that failed to load shows "load". */
const STAGE_OF: Record<string, string> = {
  ...Object.fromEntries(Object.values(CHAINS).flatMap((stages) => stages.map((stage) => [stage.interface, stage.kind]))),
  [LOAD_HOOK.interface]: 'load',
}

const RESULT_COLOR: Record<HookResult, keyof Pick<ChalkInstance, 'green' | 'red' | 'yellow' | 'gray' | 'cyan'>> = {
  allowed: 'green',
  applied: 'cyan',
  done: 'green',
  skipped: 'gray',
  prevented: 'yellow',
  error: 'red',
  timeout: 'red',
}

const STATUS_COLOR: Record<Outcome['status'], 'green' | 'yellow' | 'red' | 'gray'> = {
  completed: 'green',
  noop: 'gray',
  prevented: 'yellow',
  failed: 'red',
}

/** How many names a human line lists before it says how many more there are. */
export const NAMES_SHOWN = 20

/**
 * "a, b, c" or, for a long list, "a, b, … and 99980 more": a line stays a line
 * however big the room. `total` is the list's length when `names` holds only its first ones.
 */
export function listSome(names: readonly string[], shown = NAMES_SHOWN, total = names.length): string {
  if (total <= shown) return names.join(', ')
  return `${names.slice(0, shown).join(', ')}, … and ${total - shown} more`
}

/** One line for a room: its members counted and the first NAMES_SHOWN named, without reading the rest of them. */
export function describeRoom(room: HostRoom): string {
  const count = room.members.count()
  const names = listSome(room.members.firstUsernames(NAMES_SHOWN), NAMES_SHOWN, count)
  return `${printable(room.slugifiedName)} (${room.type}, ${count} member${count === 1 ? '' : 's'}: ${printable(names) || 'none'})`
}

function hookLine(hook: HookRecord, style: ChalkInstance, width: number): string {
  const result = style[RESULT_COLOR[hook.result]](hook.result.padEnd(9))
  const extra = printable(hook.error ?? (hook.detail === undefined ? '' : JSON.stringify(hook.detail)))
  return `${printable(hook.plugin).padEnd(width)}  ${(STAGE_OF[hook.interface] ?? '').padEnd(7)}  ${result}  ${style.dim(`${hook.durationMs.toFixed(1).padStart(7)} ms`)}  ${style.dim(printable(hook.method))}${extra ? `  ${hook.result === 'error' || hook.result === 'timeout' ? style.red(extra) : extra}` : ''}`
}

/** The human form of an outcome: one line per hook call, then the result; nested actions indented. */
export function formatOutcome(outcome: Outcome, style: ChalkInstance, {verbose = false, indent = ''} = {}): string {
  const lines: string[] = []
  const width = Math.max(8, ...outcome.hooks.map((hook) => printable(hook.plugin).length))
  for (const hook of outcome.hooks) lines.push(indent + '  ' + hookLine(hook, style, width))
  for (const effect of outcome.effects) {
    if (effect.kind === 'log' && !verbose) continue
    lines.push(`${indent}  ${style.magenta(effect.kind)} ${style.dim(printable(effect.plugin))} ${describeEffect(effect)}`)
  }
  for (const nested of outcome.nested) lines.push(formatOutcome(nested, style, {verbose, indent: indent + '    '}))
  lines.push(indent + summaryLine(outcome, style))
  return lines.join('\n')
}

/** One effect in a line: what was said where, which request went where and how it was answered. */
function describeEffect(effect: Effect): string {
  const text = printable
  switch (effect.kind) {
    case 'log':
      return `[${text(effect.level)}] ${text(effect.message)}`
    case 'message':
      return `#${text(effect.room)} ${text(effect.sender)}: ${text(effect.text)}${describeMessageExtras(effect as MessageExtras)}`
    case 'notification':
      return `${effect.to === 'user' ? `@${text(effect.user)}` : `#${text(effect.room)}`}: ${text(effect.text)}`
    case 'http': {
      const answer = effect.stubbed ? `${text(effect.status)} (stub)` : effect.refused ? 'refused (no stub matches)' : effect.error ? `failed: ${text(effect.error)}` : text(effect.status)
      return `${text(effect.method)} ${text(effect.url)} → ${answer}`
    }
  }
}

function summaryLine(outcome: Outcome, style: ChalkInstance): string {
  const status = style.bold[STATUS_COLOR[outcome.status]](outcome.status)
  const room = outcome.room ? describeRoom(outcome.room) : ''
  // A nested action refused before it ran (too deep) has no room.
  const name = outcome.room ? ` ${printable(outcome.room.slugifiedName)}` : ''
  const prevented = outcome.prevented
  switch (outcome.status) {
    case 'prevented':
      return `${status} ${outcome.action}${name}: ${printable(prevented!.plugin)} (${prevented!.interface}): ${printable(prevented!.reason)}`
    case 'failed':
      return `${status} ${outcome.action}${name}: ${printable(outcome.error?.message)}`
    default:
      return `${status} ${outcome.action} ${room}${outcome.error ? `\n${style.red('post-stage error')}: ${printable(outcome.error.message)}` : ''}`
  }
}

/** The fields an app set on a message besides its text, in a few words (" [2 blocks, alias Bot, not groupable]"), or nothing. */
export function describeMessageExtras(message: MessageExtras): string {
  const count = (list: unknown[] | undefined, one: string) => (list === undefined ? [] : [`${list.length} ${one}${list.length === 1 ? '' : 's'}`])
  const parts = [
    ...count(message.blocks, 'block'),
    ...count(message.attachments, 'attachment'),
    ...(message.alias === undefined ? [] : [`alias ${message.alias}`]),
    ...(message.emoji === undefined ? [] : [`emoji ${message.emoji}`]),
    ...(message.avatarUrl === undefined ? [] : [`avatar ${message.avatarUrl}`]),
    ...(message.groupable === false ? ['not groupable'] : []),
    ...(message.parseUrls === false ? ['urls not parsed'] : []),
    ...(message.threadId === undefined ? [] : [`in thread ${message.threadId}`]),
    ...(message.customFields === undefined ? [] : [`custom fields ${Object.keys(message.customFields).join(', ')}`]),
  ]
  return parts.length === 0 ? '' : ` [${parts.join(', ')}]`
}
