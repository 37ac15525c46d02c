import {join} from 'node:path'

import {RoomsimError} from '../errors.js'
import type {InstalledPlugin} from '../store/store.js'
import {describePluginFolder, type PluginEntryResolved} from './registry.js'

/** All installed plugins share one npm prefix under the state folder (the folder that holds the store). */
export const prefixOf = (stateFolder: string): string => join(stateFolder, 'plugins')

/** Where npm puts an installed package (scoped names included). */
export const packageFolder = (prefix: string, name: string): string => join(prefix, 'node_modules', ...name.split('/'))

/** The folder a registration points at: the linked folder, or the package inside the prefix. */
export const folderOf = (plugin: InstalledPlugin, stateFolder: string): string =>
  plugin.kind === 'link' ? plugin.spec : packageFolder(prefixOf(stateFolder), plugin.name)

/**
 * Installed and linked plugins as roomsim runs them, in installed order. A
 * registration whose folder can no longer be used (a linked folder that was
 * moved, an entry file deleted) is kept with its `problem`, so that it can be
 * listed, disabled or uninstalled, and is reported when it would have run.
 */
export function installedEntries(rows: readonly InstalledPlugin[], stateFolder: string): PluginEntryResolved[] {
  return rows.map((row) => {
    const folder = folderOf(row, stateFolder)
    const base = {source: row.kind, spec: row.spec, inConfig: false, enabled: row.enabled} as const
    try {
      const described = describePluginFolder(folder, row.name)
      // The registered name wins: a linked package.json renamed since would otherwise run under a name nothing knows.
      return {...described, ...base, name: row.name, settings: {}}
    } catch (error) {
      if (!(error instanceof RoomsimError)) throw error
      return {name: row.name, entry: '', root: folder, isApp: false, ...base, settings: {}, packageDefaults: {}, problem: error.message}
    }
  })
}
