/**
 * The Apps-Engine package an app runs against: roomsim's own copy, as the
 * server provides its own. Imports of `@rocket.chat/apps-engine/…` are
 * resolved to it when the host bundles the app (host/bundle.ts); here the
 * isolate only learns where it is and which version it is, from the host.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

let folder: string | undefined

/** Set once from the load request: the folder of roomsim's copy of the engine. */
export function useEngineFolder(path: string): void {
  folder = path
}

/** A module of roomsim's engine copy, by its path in the package (`definition/uikit/blocks/BlockBuilder.js`). */
export function requireEngine<T>(subpath: string): T {
  if (!folder) throw new Error('the engine package folder is not known yet')
  return createRequire(join(folder, 'package.json'))(`./${subpath}`) as T
}

/** The version of the engine roomsim bundles (what an app's requiredApiVersion is checked against). */
export function bundledEngineVersion(): string {
  if (!folder) throw new Error('the engine package folder is not known yet')
  return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {version: string}).version
}
