/**
 * Apps-Engine permissions as the server applies them: an app that declares
 * `permissions` in app.json gets exactly those; one that declares none gets the
 * engine's default set (kept for apps older than permissions). Config
 * `plugins[].permissions.grant` adds to either, for local development.
 */
import {createRequire} from 'node:module'

import {ACCESSOR_PERMISSIONS, type AccessorMethod} from '../protocol/accessors.js'
import type {PluginSpec} from '../protocol/messages.js'

let defaults: string[] | undefined

/** The engine's own default list (AppPermissions.defaultPermissions), read from roomsim's copy of the engine. */
function defaultPermissions(): string[] {
  if (!defaults) {
    const require = createRequire(import.meta.url)
    const module = require('@rocket.chat/apps-engine/definition/metadata/AppPermissions.js') as {defaultPermissions: {name: string}[]}
    defaults = module.defaultPermissions.map((permission) => permission.name)
  }
  return defaults
}

export function grantedPermissions(spec: Pick<PluginSpec, 'appPermissions' | 'permissions'>): Set<string> {
  return new Set([...(spec.appPermissions ?? defaultPermissions()), ...(spec.permissions?.grant ?? [])])
}

/** Why the server would refuse this call, or undefined when the plugin holds the permission it needs. */
export function missingPermission(granted: ReadonlySet<string>, method: AccessorMethod): string | undefined {
  const needed = ACCESSOR_PERMISSIONS[method]
  if (needed === null || granted.has(needed)) return undefined
  return needed
}

export function permissionError(plugin: string, method: AccessorMethod, permission: string): Error {
  const error = new Error(
    `${method}: ${plugin} lacks the permission "${permission}" (the server refuses this call too): declare it in app.json "permissions", or grant it for local development in config plugins[].permissions.grant`,
  )
  error.name = 'PermissionDeniedError'
  return error
}
