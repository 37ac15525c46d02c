/**
 * IModifyCreator.finish for a message: stores it in its room (sender: the one
 * set, else the plugin's app user) and lists it among the action's effects.
 */
import {newId} from '../../domain/ids.js'
import type {MessageEffect, User} from '../../domain/types.js'
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
    const target = store.roomById(room.id as string)
    if (!target) throw new Error(`${METHOD}: no room with id "${String(room.id)}" (was it deleted?)`)
    const sender = message.sender ? senderOf(store, context, message.sender as Record<string, unknown>) : ensureAppUser(store, plugin, context)
    if (!store.userById(sender.id)) store.insertUser(sender)
    const text = (message.text as string | undefined) ?? ''
    const id = newId()
    store.insertMessage({id, roomId: target.id, sender, text, plugin, createdAt: new Date()})
    const effect: MessageEffect = {kind: 'message', plugin, room: target.slugifiedName, roomId: target.id, sender: sender.username, text, id}
    context.effects.push(effect)
    return id
  })
}

export const MESSAGE_SERVICES = {
  'creator.finishMessage': (scope, message: unknown) => finishMessage(scope, message),
} satisfies Partial<ServiceTable>
