/**
 * Actions plugins start through IModify: creating a room, adding or removing
 * members, deleting a room. Each runs through its own full chain as a nested
 * action of the one the handler runs for (Engine.run with a parent).
 *
 * A nested action that a plugin prevents or breaks rejects the promise the
 * calling plugin awaits (as upstream does: a vetoed join there throws out of
 * the updater), with an error named ActionPreventedError or ActionFailedError
 * whose message carries the reason; its outcome is in the parent's `nested` either way.
 */
import type {ActionName, Outcome} from '../../domain/types.js'
import type {ActionContext} from '../../engine/action-context.js'
import type {ActionInputs} from '../../engine/actions/index.js'
import {RoomsimError} from '../../errors.js'
import {appUserName, ensureAppUser} from '../app-user.js'
import {describeValue, isObject, namedError, requireContext, requireString, type CallScope, type ServiceTable} from './scope.js'

const describeAction = (action: ActionName, input: Record<string, unknown>): string => {
  switch (action) {
    case 'room.create':
      return `room.create of ${String(input.name ?? 'a direct room')}`
    case 'room.delete':
      return `room.delete of ${String(input.room)}`
    case 'room.join':
      return `room.join of ${String(input.user)} to ${String(input.room)}`
    case 'room.leave':
      return `room.leave of ${String(input.user)} from ${String(input.room)}`
  }
}

/** The calling action, which must have committed: IModify is given to post handlers only, and a pre stage holds the store. */
function requireCommitted(scope: CallScope, method: string): ActionContext {
  const context = requireContext(scope, method)
  if (context.phase === 'pre') {
    throw new Error(`${method}: a handler can start actions only after its own action committed (IModify is given to post handlers); ${context.action} is still in its pre stages`)
  }
  return context
}

/** Runs a nested action; resolves with its outcome when it completed (or had nothing to do), rejects otherwise. */
async function runNested<A extends ActionName>(scope: CallScope, method: string, action: A, input: ActionInputs[A]): Promise<Outcome> {
  const context = requireCommitted(scope, method)
  const what = describeAction(action, input as Record<string, unknown>)
  let outcome: Outcome
  try {
    outcome = await scope.engine.run(action, input, context, scope.plugin)
  } catch (error) {
    // Invalid input (unknown room, not a member…): nothing ran, nothing to nest.
    if (error instanceof RoomsimError) throw namedError('ActionFailedError', `${method}: ${what}: ${error.message}`)
    throw error
  }
  if (outcome.status === 'prevented') {
    const {plugin, interface: iface, reason} = outcome.prevented!
    throw namedError('ActionPreventedError', `${method}: ${what} was prevented by ${plugin} (${iface}): ${reason}`)
  }
  if (outcome.status === 'failed') throw namedError('ActionFailedError', `${method}: ${what} failed: ${outcome.error?.message ?? 'unknown error'}`)
  return outcome
}

/** The plugin's app user must exist (with the role bot) before an action names it, or the action would make it a plain user. */
async function ensureOwnAppUser(scope: CallScope, usernames: readonly string[]): Promise<void> {
  const own = appUserName(scope.plugin)
  if (!usernames.includes(own) || scope.engine.store.userByName(own)) return
  const context = scope.context!
  await scope.engine.write(context, () => ensureAppUser(scope.engine.store, scope.plugin, context))
}

function usernameList(method: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && name !== '')) {
    throw new TypeError(`${method}: expected a list of usernames, got ${describeValue(value)}`)
  }
  return [...new Set(value as string[])]
}

/** IModifyCreator.finish for a room: the create chain, with the builder's room as input. Resolves with the new room's id. */
async function finishRoom(scope: CallScope, room: unknown): Promise<string> {
  const method = 'IModifyCreator.finish'
  requireCommitted(scope, method)
  if (!isObject(room)) throw new TypeError(`${method}: expected a room, got ${describeValue(room)}`)
  const creator = isObject(room.creator) && typeof room.creator.username === 'string' ? room.creator.username : undefined
  if (!creator) throw new Error(`${method}: the room has no creator (call setCreator(user) on the builder; read.getUserReader().getAppUser() is the plugin's own user)`)
  const type = room.type as ActionInputs['room.create']['type']
  const members = usernameList(method, room.usernames ?? []).filter((username) => username !== creator)
  await ensureOwnAppUser(scope, [creator, ...members])
  const text = (key: string) => (typeof room[key] === 'string' ? {[key]: room[key] as string} : {})
  const outcome = await runNested(scope, method, 'room.create', {
    ...(type === 'd' ? {} : {name: requireString(room.slugifiedName, method, 'the room name (setSlugifiedName)')}),
    ...(type === undefined ? {} : {type}),
    by: creator,
    members,
    readOnly: room.isReadOnly === true,
    isDefault: room.isDefault === true,
    ...text('description'),
    ...text('displayName'),
    customFields: isObject(room.customFields) ? room.customFields : {},
  })
  return outcome.room!.id
}

/**
 * IModifyUpdater.finish: one join chain per username, in order, stopping at the
 * first that is prevented or fails (upstream adds members one by one the same way).
 * The updater invites when it is a member of the room (a private room needs that).
 */
async function finishRoomUpdate(scope: CallScope, roomId: unknown, usernames: unknown, updater: unknown): Promise<void> {
  const method = 'IModifyUpdater.finish'
  requireCommitted(scope, method)
  const id = requireString(roomId, method, 'room id')
  const {store} = scope.engine
  if (!store.hasRoom(id)) throw new Error(`${method}: no room with id "${id}"`)
  const joining = usernameList(method, usernames)
  // A point query, however big the room.
  const updaterUser = isObject(updater) && typeof updater.username === 'string' ? store.userByName(updater.username) : undefined
  const inviter = updaterUser && store.isMember(id, updaterUser.id) ? {invitedBy: updaterUser.username} : {}
  await ensureOwnAppUser(scope, joining)
  for (const user of joining) await runNested(scope, method, 'room.join', {room: id, user, ...inviter})
}

export const ACTION_SERVICES = {
  'creator.finishRoom': (scope, room: unknown) => finishRoom(scope, room),
  'updater.finishRoom': (scope, roomId: unknown, usernames: unknown, updater: unknown) => finishRoomUpdate(scope, roomId, usernames, updater),
  // The plugin's app user deletes: it is who acts when a plugin does.
  'deleter.deleteRoom': async (scope, roomId: unknown) => {
    const method = 'IModifyDeleter.deleteRoom'
    const id = requireString(roomId, method, 'roomId')
    requireCommitted(scope, method)
    if (!scope.engine.store.hasRoom(id)) throw new Error(`${method}: no room with id "${id}"`)
    const by = appUserName(scope.plugin)
    await ensureOwnAppUser(scope, [by])
    await runNested(scope, method, 'room.delete', {room: id, by})
  },
  // One leave chain per username, without removedBy: upstream's removeUsersFromRoom names no remover either.
  'deleter.removeUsersFromRoom': async (scope, roomId: unknown, usernames: unknown) => {
    const method = 'IModifyDeleter.removeUsersFromRoom'
    const id = requireString(roomId, method, 'roomId')
    requireCommitted(scope, method)
    if (!scope.engine.store.hasRoom(id)) throw new Error(`${method}: no room with id "${id}"`)
    for (const user of usernameList(method, usernames)) await runNested(scope, method, 'room.leave', {room: id, user})
  },
} satisfies Partial<ServiceTable>
