/**
 * INotifier: notifications are ephemeral upstream (only the addressee sees
 * them), so roomsim stores nothing and lists each one among the action's effects.
 */
import type {NotificationEffect} from '../../domain/types.js'
import {describeValue, isObject, requireContext, type CallScope, type ServiceTable} from './scope.js'

function messageParts(method: string, message: unknown): {text: string; sender?: string; room?: Record<string, unknown>} {
  if (!isObject(message)) throw new TypeError(`${method}: expected a message (IMessage or a builder from getMessageBuilder()), got ${describeValue(message)}`)
  const sender = isObject(message.sender) && typeof message.sender.username === 'string' ? {sender: message.sender.username} : {}
  const room = isObject(message.room) ? {room: message.room} : {}
  return {text: typeof message.text === 'string' ? message.text : '', ...sender, ...room}
}

function notify(scope: CallScope, method: string, effect: Omit<NotificationEffect, 'kind' | 'plugin'>): void {
  const context = requireContext(scope, method)
  context.effects.push({kind: 'notification', plugin: scope.plugin, ...effect})
}

export const NOTIFIER_SERVICES = {
  'notifier.notifyRoom': (scope, room: unknown, message: unknown) => {
    const method = 'INotifier.notifyRoom'
    if (!isObject(room) || typeof room.id !== 'string') throw new TypeError(`${method}: expected a room, got ${describeValue(room)}`)
    const {text, sender} = messageParts(method, message)
    notify(scope, method, {to: 'room', room: String(room.slugifiedName ?? ''), roomId: room.id, ...(sender === undefined ? {} : {sender}), text})
  },
  'notifier.notifyUser': (scope, user: unknown, message: unknown) => {
    const method = 'INotifier.notifyUser'
    if (!isObject(user) || typeof user.username !== 'string') throw new TypeError(`${method}: expected a user, got ${describeValue(user)}`)
    const {text, sender, room} = messageParts(method, message)
    const where = room && typeof room.slugifiedName === 'string' ? {room: room.slugifiedName, ...(typeof room.id === 'string' ? {roomId: room.id} : {})} : {}
    notify(scope, method, {to: 'user', user: user.username, ...where, ...(sender === undefined ? {} : {sender}), text})
  },
} satisfies Partial<ServiceTable>
