/**
 * IPersistence and IPersistenceRead over the store's plugin records. Every query
 * is scoped to the calling plugin: no plugin can read or change another's records.
 * Writes go through Engine.write, so those made in a pre stage stand or fall with
 * the action.
 */
import {newId} from '../../domain/ids.js'
import type {Association} from '../../domain/types.js'
import {describeValue, isObject, requireContext, requireString, type CallScope, type ServiceTable} from './scope.js'

const ASSOCIATION_HINT = 'new RocketChatAssociationRecord(RocketChatAssociationModel.ROOM, room.id)'

function checkData(method: string, data: unknown): object {
  if (typeof data !== 'object' || data === null) throw new TypeError(`${method}: data must be an object, got ${describeValue(data)}`)
  return data
}

function checkAssociation(method: string, value: unknown, where: string): Association {
  if (!isObject(value) || typeof value.model !== 'string' || value.model === '' || typeof value.id !== 'string') {
    throw new TypeError(`${method}: ${where} must be an association {model, id} like ${ASSOCIATION_HINT}, got ${describeValue(value)}`)
  }
  return {model: value.model, id: value.id}
}

function checkAssociations(method: string, value: unknown): Association[] {
  if (!Array.isArray(value) || value.length === 0) throw new TypeError(`${method}: expected a non-empty list of associations like [${ASSOCIATION_HINT}], got ${describeValue(value)}`)
  return value.map((entry, index) => checkAssociation(method, entry, `association ${index}`))
}

const describeAssociations = (associations: readonly Association[]): string => associations.map(({model, id}) => `${model}:${id}`).join(', ')

function upsertFlag(method: string, upsert: unknown): boolean {
  if (upsert === undefined || upsert === null) return false
  if (typeof upsert !== 'boolean') throw new TypeError(`${method}: upsert must be true or false, got ${describeValue(upsert)}`)
  return upsert
}

function create(scope: CallScope, method: string, data: unknown, associations: Association[]): Promise<string> {
  const context = requireContext(scope, method)
  checkData(method, data)
  return scope.engine.write(context, () => {
    const id = newId()
    scope.engine.store.insertRecord(scope.plugin, {id, data: data as object, associations})
    return id
  })
}

/** Replaces the data of the oldest record with exactly these associations (as upstream's updateOne does); creates one on upsert. */
function updateByAssociations(scope: CallScope, method: string, associations: Association[], data: unknown, upsert: unknown): Promise<string> {
  const context = requireContext(scope, method)
  checkData(method, data)
  const create = upsertFlag(method, upsert)
  const {store} = scope.engine
  return scope.engine.write(context, () => {
    const [existing] = store.recordsWithExactly(scope.plugin, associations)
    if (existing) {
      store.replaceRecordData(scope.plugin, existing.id, data as object)
      return existing.id
    }
    if (!create) throw new Error(`${method}: ${scope.plugin} has no record associated with exactly [${describeAssociations(associations)}] (pass upsert = true to create it)`)
    const id = newId()
    store.insertRecord(scope.plugin, {id, data: data as object, associations})
    return id
  })
}

function removeByAssociations(scope: CallScope, method: string, associations: Association[]): Promise<object[]> {
  const context = requireContext(scope, method)
  const {store} = scope.engine
  return scope.engine.write(context, () => {
    const records = store.recordsWithAll(scope.plugin, associations)
    for (const record of records) store.deleteRecord(scope.plugin, record.id)
    return records.map((record) => record.data)
  })
}

export const PERSISTENCE_SERVICES = {
  'persistence.create': (scope, data: unknown) => create(scope, 'IPersistence.create', data, []),
  'persistence.createWithAssociation': (scope, data: unknown, association: unknown) =>
    create(scope, 'IPersistence.createWithAssociation', data, [checkAssociation('IPersistence.createWithAssociation', association, 'association')]),
  'persistence.createWithAssociations': (scope, data: unknown, associations: unknown) =>
    create(scope, 'IPersistence.createWithAssociations', data, checkAssociations('IPersistence.createWithAssociations', associations)),

  'persistence.update': (scope, id: unknown, data: unknown, upsert: unknown) => {
    const method = 'IPersistence.update'
    const context = requireContext(scope, method)
    const key = requireString(id, method, 'id')
    checkData(method, data)
    const create = upsertFlag(method, upsert)
    const {store} = scope.engine
    return scope.engine.write(context, () => {
      if (store.replaceRecordData(scope.plugin, key, data as object)) return key
      if (!create) throw new Error(`${method}: ${scope.plugin} has no record "${key}" (pass upsert = true to create it)`)
      store.insertRecord(scope.plugin, {id: key, data: data as object, associations: []})
      return key
    })
  },
  'persistence.updateByAssociation': (scope, association: unknown, data: unknown, upsert: unknown) =>
    updateByAssociations(scope, 'IPersistence.updateByAssociation', [checkAssociation('IPersistence.updateByAssociation', association, 'association')], data, upsert),
  'persistence.updateByAssociations': (scope, associations: unknown, data: unknown, upsert: unknown) =>
    updateByAssociations(scope, 'IPersistence.updateByAssociations', checkAssociations('IPersistence.updateByAssociations', associations), data, upsert),

  // Upstream answers undefined when there was nothing to remove.
  'persistence.remove': (scope, id: unknown) => {
    const method = 'IPersistence.remove'
    const context = requireContext(scope, method)
    const key = requireString(id, method, 'id')
    const {store} = scope.engine
    return scope.engine.write(context, () => {
      const record = store.recordById(scope.plugin, key)
      if (record) store.deleteRecord(scope.plugin, key)
      return record?.data
    })
  },
  'persistence.removeByAssociation': (scope, association: unknown) =>
    removeByAssociations(scope, 'IPersistence.removeByAssociation', [checkAssociation('IPersistence.removeByAssociation', association, 'association')]),
  'persistence.removeByAssociations': (scope, associations: unknown) =>
    removeByAssociations(scope, 'IPersistence.removeByAssociations', checkAssociations('IPersistence.removeByAssociations', associations)),

  // IPersistenceRead: a missing record reads as undefined (upstream: "a falsey value").
  'persistence.read': ({engine, plugin}, id: unknown) => engine.store.recordById(plugin, requireString(id, 'IPersistenceRead.read', 'id'))?.data,
  'persistence.readByAssociation': ({engine, plugin}, association: unknown) =>
    engine.store.recordsWithAll(plugin, [checkAssociation('IPersistenceRead.readByAssociation', association, 'association')]).map((record) => record.data),
  'persistence.readByAssociations': ({engine, plugin}, associations: unknown) =>
    engine.store.recordsWithAll(plugin, checkAssociations('IPersistenceRead.readByAssociations', associations)).map((record) => record.data),
} satisfies Partial<ServiceTable>
