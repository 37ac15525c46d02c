/**
 * `plugins install`, `link` and `uninstall`. A plugin is registered only after
 * it has been installed and checked (it loads in a worker and implements a
 * room interface); any failure before that puts the npm prefix back as it was
 * and registers nothing.
 */
import {existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {RoomsimError} from '../errors.js'
import type {Store} from '../store/store.js'
import type {Workspace} from '../workspace.js'
import {type PluginListing, summarize} from './catalog.js'
import {checkPlugin} from '../host/inspect.js'
import {packageFolder, prefixOf} from './installed.js'
import {ensurePrefix, prefixDependencies, type PrefixSnapshot, restorePrefix, runNpm, snapshotPrefix} from './npm-prefix.js'
import {hasInterruptedChange, type Journal, withPrefixLock, writeJournal} from './prefix-lock.js'
import type {LoadedPlugin} from '../protocol/messages.js'
import {describePluginFolder, type PluginFolder} from './registry.js'
import {tarballManifest} from './tarball.js'

/** What the user asked to install: a folder, a tarball, or anything else npm understands (registry, git…). */
type Target = {kind: 'folder' | 'tarball'; path: string} | {kind: 'registry'; spec: string}

const looksLikePath = (spec: string): boolean => /^(\.{1,2}([\\/]|$)|[\\/]|~[\\/]|file:)/.test(spec) || /\.(tgz|tar\.gz|tar)$/i.test(spec)

function targetOf(spec: string, cwd: string): Target {
  const path = resolve(cwd, spec.replace(/^file:/, ''))
  if (existsSync(path)) return {kind: statSync(path).isDirectory() ? 'folder' : 'tarball', path}
  if (looksLikePath(spec)) throw new RoomsimError('BAD_FILE', `plugins install ${spec}: no such file or folder (${path})`)
  return {kind: 'registry', spec}
}

/** The package name, when it can be known before npm runs. */
function expectedName(target: Target): string | undefined {
  if (target.kind === 'registry') return registryName(target.spec)
  if (target.kind === 'tarball') return tarballManifest(target.path).name
  const manifest = resolve(target.path, 'package.json')
  if (!existsSync(manifest)) return undefined
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name
  } catch (error) {
    throw new RoomsimError('INSTALL_FAILED', `${manifest} is not valid JSON (${(error as Error).message})`)
  }
}

function registryName(spec: string): string | undefined {
  // name, name@range, @scope/name, @scope/name@range; anything else (git, URLs, aliases) is learned from npm.
  return /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(@[^/]*)?$/i.exec(spec)?.[0].replace(/(?<=.)@[^/]*$/, '')
}

/** The dependency a registry install added or changed, when that is unambiguous. */
function changedDependency(before: Record<string, string>, after: Record<string, string>): string | undefined {
  const changed = Object.keys(after).filter((name) => before[name] !== after[name])
  return changed.length === 1 ? changed[0] : undefined
}

/** Install and link refuse a name already taken by the other kind of registration. */
function refuseTaken(store: Store | undefined, name: string, kind: 'package' | 'link', folder?: string): void {
  const existing = store?.installedPlugin(name)
  if (!existing) return
  if (existing.kind !== kind) {
    throw new RoomsimError('INVALID_INPUT', `plugin ${name} is already ${existing.kind === 'link' ? `linked from ${existing.spec}` : 'installed as a package'}; run "roomsim plugins uninstall ${name}" first`)
  }
  if (kind === 'link' && existing.spec !== folder) {
    throw new RoomsimError('INVALID_INPUT', `plugin ${name} is already linked from ${existing.spec}; run "roomsim plugins uninstall ${name}" first`)
  }
}

/** Registers checked plugins (all or none) and returns their listings; config conflicts (a name listed twice) undo it. */
function register(workspace: Workspace, plugins: readonly {described: PluginFolder; loaded: LoadedPlugin; registration: {kind: 'package' | 'link'; spec: string}}[], event: string): PluginListing[] {
  const store = workspace.writeStore()
  try {
    return store.transaction(() => {
      for (const {described, registration} of plugins) store.registerPlugin({name: described.name, ...registration})
      const all = workspace.plugins(store)
      return plugins.map(({described, loaded, registration}) => {
        const index = all.findIndex((plugin) => plugin.name === described.name)
        store.appendEvent({kind: event, status: 'completed', data: {name: described.name, version: described.version ?? null, ...registration}})
        return {...summarize(all[index]!, index), interfaces: loaded.interfaces, app: loaded.app ?? null, error: null}
      })
    })
  } finally {
    store.close()
  }
}

function readRegistration(workspace: Workspace, name: string | undefined, kind: 'package' | 'link', folder?: string): void {
  if (name === undefined) return
  const store = workspace.readStore()
  try {
    refuseTaken(store, name, kind, folder)
  } finally {
    store?.close()
  }
}

export interface InstallProgress {
  /** Another process holds the plugin lock: this one waits. */
  waiting?: (holder: Journal | undefined) => void
  /** A step of the install begins (npm, checking a plugin, registering). */
  step?: (text: string) => void
}

/** The prefix lock, rolling back whatever a killed install or uninstall left half-done. */
function withLock<T>(workspace: Workspace, work: () => Promise<T>, progress: InstallProgress = {}): Promise<T> {
  const prefix = prefixOf(workspace.stateFolder)
  return withPrefixLock(workspace.stateFolder, work, {
    rollback: async (journal) => {
      if (registeredSince(workspace, journal)) return
      progress.step?.(`rolling back an interrupted change (pid ${journal.pid}: ${journal.doing})`)
      await restorePrefix(prefix, journal.snapshot as PrefixSnapshot)
    },
    ...(progress.waiting ? {onWait: progress.waiting} : {}),
  })
}

/** Killed after its plugins were registered, a change is complete: only its journal was left. */
function registeredSince(workspace: Workspace, journal: Journal): boolean {
  if (!journal.registering || journal.registering.length === 0) return false
  const store = workspace.readStore()
  try {
    return journal.registering.every((name) => {
      const registration = store?.installedPlugin(name)
      return registration !== undefined && registration.installedAt.getTime() >= new Date(journal.startedAt).getTime()
    })
  } finally {
    store?.close()
  }
}

/**
 * `plugins install SPEC...`: npm installs them all in one run into the shared
 * prefix; each is checked, then all are registered together. Any failure puts
 * the prefix back as it was and registers none. A killed install is rolled
 * back by the next command that takes the prefix lock.
 */
export async function installPlugins(workspace: Workspace, specs: readonly string[], progress: InstallProgress = {}): Promise<PluginListing[]> {
  const targets = specs.map((spec) => ({spec, target: targetOf(spec, workspace.cwd)}))
  const expected = targets.map(({target}) => expectedName(target))
  for (const name of expected) readRegistration(workspace, name, 'package')
  const named = expected.filter((name): name is string => name !== undefined)
  const twice = named.find((name, index) => named.indexOf(name) !== index)
  if (twice) throw new RoomsimError('INVALID_INPUT', `plugins install: ${twice} is given twice`)
  const stateFolderExisted = existsSync(workspace.stateFolder)
  const prefix = prefixOf(workspace.stateFolder)
  return withLock(
    workspace,
    async () => {
      const snapshot = snapshotPrefix(prefix)
      const journal: Journal = {pid: process.pid, command: ['roomsim', ...process.argv.slice(2)].join(' '), startedAt: new Date().toISOString(), doing: `installing ${specs.join(' ')}`, snapshot}
      writeJournal(workspace.stateFolder, journal)
      const before = prefixDependencies(prefix)
      ensurePrefix(prefix)
      try {
        progress.step?.(`npm install ${specs.join(' ')}`)
        await runNpm(prefix, ['install', ...targets.map(({target}) => (target.kind === 'registry' ? target.spec : target.path))])
        const after = prefixDependencies(prefix)
        const checked = []
        for (const [index, {spec, target}] of targets.entries()) {
          const name = expected[index] ?? (targets.length === 1 ? changedDependency(before, after) : undefined)
          if (!name) throw new RoomsimError('INSTALL_FAILED', `cannot tell which package npm installed for "${spec}"; install it by name`)
          readRegistration(workspace, name, 'package')
          progress.step?.(`checking ${name}`)
          const described = {...describePluginFolder(packageFolder(prefix, name), name), name}
          const loaded = await checkPlugin(described)
          checked.push({described, loaded, registration: {kind: 'package' as const, spec: target.kind === 'registry' ? target.spec : target.path}})
        }
        writeJournal(workspace.stateFolder, {...journal, registering: checked.map(({described}) => described.name)})
        return register(workspace, checked, 'plugin.install')
      } catch (error) {
        progress.step?.('putting the plugin folder back as it was')
        await undo(prefix, snapshot, error)
        throw error
      }
    },
    progress,
  ).finally(() => {
    if (!stateFolderExisted) removeIfOnlyLock(workspace.stateFolder)
  })
}

/** `plugins install SPEC` with one spec. */
export async function installPlugin(workspace: Workspace, spec: string, progress: InstallProgress = {}): Promise<PluginListing> {
  const [listing] = await installPlugins(workspace, [spec], progress)
  return listing!
}

async function undo(prefix: string, snapshot: PrefixSnapshot, cause: unknown): Promise<void> {
  try {
    await restorePrefix(prefix, snapshot)
  } catch (restoreError) {
    const message = cause instanceof Error ? cause.message : String(cause)
    throw new RoomsimError('INSTALL_FAILED', `${message}; putting ${prefix} back also failed: ${(restoreError as Error).message}`)
  }
}

/** A state folder made only for a failed install goes again (the lock file with it: nobody else knew the folder). */
function removeIfOnlyLock(folder: string): void {
  if (!existsSync(folder)) return
  const left = readdirSync(folder).filter((name) => name !== 'plugins.lock')
  if (left.length > 0) return
  rmSync(join(folder, 'plugins.lock'), {force: true})
  removeIfEmpty(folder)
}

function removeIfEmpty(folder: string): void {
  if (existsSync(folder) && readdirSync(folder).length === 0) rmdirSync(folder)
}

/** `plugins link PATH`: registers a folder in place; its files are read again on every run. */
export async function linkPlugin(workspace: Workspace, path: string): Promise<PluginListing> {
  const folder = resolve(workspace.cwd, path)
  if (!existsSync(folder)) throw new RoomsimError('BAD_FILE', `plugins link ${path}: no such folder (${folder})`)
  const described = describePluginFolder(folder, path)
  readRegistration(workspace, described.name, 'link', folder)
  const loaded = await checkPlugin(described)
  return register(workspace, [{described, loaded, registration: {kind: 'link', spec: folder}}], 'plugin.link')[0]!
}

/** `plugins uninstall NAME`: npm removes an installed package (a linked folder is left alone); the registration goes. */
export async function uninstallPlugin(workspace: Workspace, name: string): Promise<{name: string; source: 'package' | 'link'; spec: string}> {
  // A change killed half-way is rolled back first: it may have left the very package asked about.
  if (hasInterruptedChange(workspace.stateFolder)) await withLock(workspace, async () => undefined)
  const store = workspace.readStore()
  const registration = store?.installedPlugin(name)
  store?.close()
  if (!registration) {
    const configured = workspace.plugins().find((plugin) => plugin.name === name)
    if (configured) throw new RoomsimError('INVALID_INPUT', `plugin ${name} comes from the config file ${workspace.config.filepath}; remove it there`)
    throw new RoomsimError('UNKNOWN_PLUGIN', `no installed or linked plugin named "${name}"`)
  }
  const listedAt = workspace.config.plugins.findIndex((entry) => entry.package === name)
  if (listedAt !== -1) {
    throw new RoomsimError('INVALID_INPUT', `plugin ${name} is listed in ${workspace.config.filepath} (plugins[${listedAt}].package); remove that entry first`)
  }
  if (registration.kind === 'package') {
    const prefix = prefixOf(workspace.stateFolder)
    await withLock(workspace, async () => {
      if (prefixDependencies(prefix)[name] === undefined) return
      writeJournal(workspace.stateFolder, {pid: process.pid, command: ['roomsim', ...process.argv.slice(2)].join(' '), startedAt: new Date().toISOString(), doing: `uninstalling ${name}`, snapshot: snapshotPrefix(prefix)})
      await runNpm(prefix, ['uninstall', name])
    })
  }
  const writer = workspace.writeStore()
  try {
    writer.transaction(() => {
      writer.unregisterPlugin(name)
      writer.appendEvent({kind: 'plugin.uninstall', status: 'completed', data: {name, kind: registration.kind, spec: registration.spec}})
    })
  } finally {
    writer.close()
  }
  return {name, source: registration.kind, spec: registration.spec}
}
