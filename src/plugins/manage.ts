/** `plugins enable`, `disable` and `order`: changes to installed registrations, in the store. */
import {RoomsimError} from '../errors.js'
import type {Store} from '../store/store.js'
import type {Workspace} from '../workspace.js'
import {findPlugin, type PluginSummary, summarize} from './catalog.js'
import type {PluginEntryResolved} from './registry.js'

/**
 * Runs `change` in one transaction over the writable store. `check` runs first
 * on the store as it is (without creating one), so a bad name never creates a store.
 */
function withRegistrations<T>(workspace: Workspace, check: (plugins: PluginEntryResolved[]) => void, change: (store: Store) => T): T {
  check(workspace.plugins())
  const store = workspace.writeStore()
  try {
    return store.transaction(() => change(store))
  } finally {
    store.close()
  }
}

const configOwned = (workspace: Workspace, name: string, what: string): RoomsimError =>
  new RoomsimError('INVALID_INPUT', `plugin ${name} comes from the config file ${workspace.config.filepath}: ${what} there`)

/** Enables or disables an installed or linked plugin. A config `enabled: false` still wins over enable. */
export function setEnabled(workspace: Workspace, name: string, enabled: boolean): PluginSummary {
  const check = (plugins: PluginEntryResolved[]): void => {
    if (findPlugin(plugins, name).plugin.source === 'config') throw configOwned(workspace, name, `set "enabled: ${enabled}" on its entry`)
  }
  return withRegistrations(workspace, check, (store) => {
    check(workspace.plugins(store))
    store.setPluginEnabled(name, enabled)
    store.appendEvent({kind: enabled ? 'plugin.enable' : 'plugin.disable', status: 'completed', data: {name}})
    const after = findPlugin(workspace.plugins(store), name)
    return summarize(after.plugin, after.index)
  })
}

/**
 * Sets the run order of installed plugins: the named ones first, in the order
 * given, then the others in their current order. Plugins the config lists keep
 * the config's order (they always run first), so naming one is an error.
 */
export function orderPlugins(workspace: Workspace, names: readonly string[]): PluginSummary[] {
  const repeated = names.find((name, index) => names.indexOf(name) !== index)
  if (repeated) throw new RoomsimError('INVALID_INPUT', `plugin ${repeated} is named twice`)
  const check = (plugins: PluginEntryResolved[]): void => {
    for (const name of names) {
      if (findPlugin(plugins, name).plugin.inConfig) throw configOwned(workspace, name, 'its place in the run order is its place in the "plugins" list')
    }
  }
  return withRegistrations(workspace, check, (store) => {
    check(workspace.plugins(store))
    const installed = store.installedPlugins().map((plugin) => plugin.name)
    const order = [...names, ...installed.filter((name) => !names.includes(name))]
    for (const [index, name] of order.entries()) store.setPluginPosition(name, index + 1)
    store.appendEvent({kind: 'plugin.order', status: 'completed', data: {order}})
    return workspace.plugins(store).map(summarize)
  })
}
