/**
 * IModifyCreator.finish for a message: stores it in its room (sender: the one
 * set, else the plugin's app user) and lists it among the action's effects.
 */
import {newId} from '../../domain/ids.js'
import {MESSAGE_EXTRAS, type MessageEffect, type MessageExtras, type User} from '../../domain/types.js'
import type {Store} from '../../store/store.js'
import type {ActionContext} from '../../engine/action-context.js'
import {ensureAppUser} from '../app-user.js'
import {describeValue, isObject, requireContext, type CallScope, type ServiceTable} from './scope.js'

const METHOD = 'IModifyCreator.finish'

function senderOf(store: Store, context: ActionContext, sender: Record<string, unknown>): User {
  const user =
    (typeof sender.id === 'string' ? store.userById(sender.id) : undefined) ??
    (typeof sender.username === 'string' ? (store.userByName(sender.username) ?? context.users.pending(sender.username)) : undefined)
  if (!user) throw new Error(`${METHOD}: the message's sender ${describeValue(sender.username ?? sender.id)} is not a user (leave the sender unset to send as the plugin's app user)`)
  return user
}

/** What the builder set besides room, sender and text, as set; a field of the wrong type is the plugin's error, named. */
function extrasOf(message: Record<string, unknown>): MessageExtras {
  const extras: Record<string, unknown> = {}
  for (const key of MESSAGE_EXTRAS) {
    const value = message[key]
    if (value === undefined) continue
    const expected = EXTRA_TYPES[key]
    const actual = Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value
    if (actual !== expected) throw new TypeError(`${METHOD}: the message's ${key} must be a ${expected === 'list' ? 'list' : expected}, got ${describeValue(value)}`)
    extras[key] = value
  }
  return extras as MessageExtras
}

const EXTRA_TYPES: Record<(typeof MESSAGE_EXTRAS)[number], string> = {
  blocks: 'list',
  attachments: 'list',
  alias: 'string',
  emoji: 'string',
  avatarUrl: 'string',
  groupable: 'boolean',
  parseUrls: 'boolean',
  threadId: 'string',
  customFields: 'object',
}

function finishMessage(scope: CallScope, message: unknown): Promise<string> {
  const context = requireContext(scope, METHOD)
  if (!isObject(message)) throw new TypeError(`${METHOD}: expected a message, got ${describeValue(message)}`)
  const room = message.room
  if (!isObject(room) || typeof room.id !== 'string') throw new Error(`${METHOD}: the message has no room (call setRoom(room) on the builder)`)
  if (message.text !== undefined && typeof message.text !== 'string') throw new TypeError(`${METHOD}: the message text must be a string, got ${describeValue(message.text)}`)
  if (message.sender !== undefined && !isObject(message.sender)) throw new TypeError(`${METHOD}: the message sender must be a user, got ${describeValue(message.sender)}`)
  const {engine, plugin} = scope
  const {store} = engine
  return engine.write(context, () => {
    // The room's row only: sending into a room never reads its members.
    const target = store.hostRoomById(room.id as string)
    if (!target) throw new Error(`${METHOD}: no room with id "${String(room.id)}" (was it deleted?)`)
    const sender = message.sender ? senderOf(store, context, message.sender as Record<string, unknown>) : ensureAppUser(store, plugin, context)
    if (!store.userById(sender.id)) store.insertUser(sender)
    const text = (message.text as string | undefined) ?? ''
    const id = newId()
    const extras = extrasOf(message)
    store.insertMessage({id, roomId: target.id, sender, text, plugin, createdAt: new Date(), ...extras})
    const effect: MessageEffect = {kind: 'message', plugin, room: target.slugifiedName, roomId: target.id, sender: sender.username, text, id, ...extras}
    context.effects.push(effect)
    return id
  })
}

export const MESSAGE_SERVICES = {
  'creator.finishMessage': (scope, message: unknown) => finishMessage(scope, message),
} satisfies Partial<ServiceTable>
