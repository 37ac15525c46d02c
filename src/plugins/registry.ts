import {existsSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {basename, isAbsolute, join, relative, resolve} from 'node:path'

import {resolveFromConfig} from '../config/load.js'
import type {Config, PluginPermissions} from '../config/schema.js'
import {firstLine, RoomsimError} from '../errors.js'
import type {PluginSpec} from '../protocol/messages.js'
import {declaredSettings} from './settings-shape.js'

interface PluginManifest {
  entry?: string
  settings?: unknown
}

/** Where a plugin comes from: a config `path`, an installed package, or a linked folder. */
export type PluginSource = 'config' | 'package' | 'link'

/** A plugin as roomsim will run it: where it is, whether it runs, with which settings. */
export interface PluginEntryResolved extends PluginSpec {
  enabled: boolean
  version?: string
  source: PluginSource
  /** The config path, the npm spec it was installed from, or the linked folder. */
  spec: string
  /** Listed in the config file (by path or package): the config decides its place in the run order. */
  inConfig: boolean
  /** Values configured for this project (config `plugins[].settings`); defaults are not included. */
  settings: Record<string, unknown>
  /** Defaults from package.json ("roomsimPlugin": {"settings": …}, or the former "roomsim" key). */
  packageDefaults: Record<string, unknown>
  /** Why an installed plugin cannot be used (say, its linked folder is gone); such a plugin is reported, never run. */
  problem?: string
}

export type PluginFolder = Omit<PluginEntryResolved, 'enabled' | 'settings' | 'source' | 'spec' | 'inConfig'>

interface PackageJson {
  name?: string
  version?: string
  main?: string
  exports?: unknown
  /** The plugin's manifest: its entry and settings defaults. */
  roomsimPlugin?: PluginManifest
  /** The manifest's former key, still read (a project's config under "roomsim" is told apart by its keys). */
  roomsim?: PluginManifest
}

const ENTRY_CANDIDATES = ['index.js', 'index.mjs', 'index.ts', 'src/index.ts', 'dist/index.js']

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch (error) {
    throw new RoomsimError('BAD_PLUGIN', `${what}: cannot read ${file}: ${firstLine((error as Error).message)}`)
  }
}

function exportsEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports
  if (exports && typeof exports === 'object') {
    const root = (exports as Record<string, unknown>)['.'] ?? exports
    if (typeof root === 'string') return root
    if (root && typeof root === 'object') {
      const conditions = root as Record<string, unknown>
      for (const condition of ['import', 'node', 'default', 'require']) {
        const target = conditions[condition]
        if (typeof target === 'string') return target
      }
    }
  }
  return undefined
}

/**
 * Reads a plugin folder: its name (package name, else folder name), its entry
 * module and its declared settings. Anything missing is a BAD_PLUGIN error that
 * names the folder (`what` says where it was named, for the message).
 */
export function describePluginFolder(folder: string, what: string): PluginFolder {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new RoomsimError('BAD_PLUGIN', `plugin ${what}: ${folder} is not a folder`)
  }
  const pkgFile = join(folder, 'package.json')
  const pkg = existsSync(pkgFile) ? readJson<PackageJson>(pkgFile, `plugin ${what}`) : {}
  const appFile = join(folder, 'app.json')
  const app = existsSync(appFile) ? readJson<{id?: string; name?: string; nameSlug?: string; classFile?: string; permissions?: unknown}>(appFile, `plugin ${what}`) : undefined
  // An app is known by its slug, as upstream names its app user `<nameSlug>.bot` (an rc-apps project's package.json has no name).
  const name = app
    ? app.nameSlug !== undefined
      ? checkedName(undefined, app.nameSlug, basename(folder), what)
      : checkedName(pkg.name, slugOf(app.name), basename(folder), what)
    : checkedName(pkg.name, undefined, basename(folder), what)
  const manifest = pkg.roomsimPlugin ?? pkg.roomsim
  const relativeEntry = manifest?.entry ?? app?.classFile ?? exportsEntry(pkg.exports) ?? pkg.main ?? ENTRY_CANDIDATES.find((candidate) => existsSync(join(folder, candidate)))
  if (!relativeEntry) throw new RoomsimError('BAD_PLUGIN', `plugin ${name}: no entry module (set "main" in ${pkgFile}, or add index.js)`)
  const entry = resolve(folder, String(relativeEntry))
  if (!existsSync(entry)) throw new RoomsimError('BAD_PLUGIN', `plugin ${name}: entry module ${entry} does not exist`)
  // The entry must be the package's own file: a main or exports that leads outside it (../, a link elsewhere) is refused.
  const inside = relative(realpathSync(folder), realpathSync(entry))
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new RoomsimError('BAD_PLUGIN', `plugin ${name}: its entry ${JSON.stringify(String(relativeEntry))} resolves outside the package folder (${entry}); an entry must be a file inside ${folder}`)
  }
  return {
    name,
    entry,
    root: folder,
    isApp: app !== undefined,
    ...(app && Array.isArray(app.permissions) ? {appPermissions: declaredPermissions(app.permissions)} : {}),
    ...(typeof app?.id === 'string' ? {appId: app.id} : {}),
    ...(pkg.version === undefined ? {} : {version: pkg.version}),
    packageDefaults: declaredSettings(manifest?.settings, `plugin ${name}: package.json "roomsimPlugin".settings`),
  }
}

/** app.json `permissions`: `[{name: "room.read"}, …]` as upstream writes them (plain names are accepted too). */
const declaredPermissions = (list: unknown[]): string[] =>
  list.flatMap((entry) => (typeof entry === 'string' ? [entry] : typeof entry === 'object' && entry !== null && typeof (entry as {name?: unknown}).name === 'string' ? [(entry as {name: string}).name] : []))

/** Config `plugins[].permissions`, with its paths resolved against the config file. */
function sandboxLoosening(config: Config, entry: Config['plugins'][number], cwd: string): {permissions?: PluginPermissions} {
  const permissions = entry.permissions
  if (!permissions) return {}
  const paths = (list: string[] | undefined) => list?.map((path) => resolveFromConfig(config, path, cwd))
  return {
    permissions: {
      ...permissions,
      ...(permissions.read ? {read: paths(permissions.read)!} : {}),
      ...(permissions.write ? {write: paths(permissions.write)!} : {}),
    },
  }
}

/** npm's rules for a package name (URL-safe, at most 214 characters, an optional @scope/; capitals as older packages have them). */
const NPM_NAME = /^(?:@[a-zA-Z0-9-~][a-zA-Z0-9-._~]*\/)?[a-zA-Z0-9-~][a-zA-Z0-9-._~]*$/
/** An app's nameSlug: lower-case letters, digits and single dashes between them, as the server makes slugs. */
const NAME_SLUG = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/
/** An app without a nameSlug gets one from its name, as the server derives slugs. */
const slugOf = (name: unknown): string | undefined =>
  typeof name === 'string' ? name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') : undefined

/** A folder name used as a plugin name must be as plain. */
const FOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * The plugin's name, checked: it names the plugin's records, app user and
 * scratch folder and is printed on terminals, so an empty name, a path, a
 * newline or an escape sequence is refused (shown escaped, never interpreted).
 */
function checkedName(packageName: unknown, slug: unknown, folderName: string, what: string): string {
  const refuse = (name: unknown, rule: string) => {
    throw new RoomsimError('BAD_PLUGIN', `plugin ${what}: ${JSON.stringify(name)} is not a valid plugin name (${rule})`)
  }
  if (packageName !== undefined) {
    if (typeof packageName !== 'string' || packageName.length > 214 || !NPM_NAME.test(packageName)) refuse(packageName, 'package.json "name" must be an npm package name: no spaces, slashes (but one after a @scope) or control characters, at most 214 characters')
    return packageName as string
  }
  if (slug !== undefined) {
    if (typeof slug !== 'string' || slug.length > 214 || !NAME_SLUG.test(slug)) refuse(slug, 'app.json "nameSlug" must be lower-case letters and digits joined by dashes')
    return slug as string
  }
  if (!FOLDER_NAME.test(folderName) || folderName.length > 214) refuse(folderName, 'a folder name used as plugin name must be letters, digits, dots, dashes and underscores')
  return folderName
}

/** The run-order rule, as the help of the plugins commands states it. */
export const RUN_ORDER_HELP =
  'Run order: the plugins your config file lists come first, in list order (a "package: NAME" entry places an installed plugin there); then every other installed or linked plugin, in install order unless "roomsim plugins order" changed it. Disabled plugins keep their place but never run.'

/**
 * The run order (README "Plugins"): the plugins the config lists, in list
 * order — `path` entries and `package` entries alike — then every other
 * installed plugin, by its installed position (`roomsim plugins order`).
 * A `package: NAME` entry names an installed or linked plugin and gives it its
 * config place, settings and `enabled` (it runs only when enabled both there
 * and by `roomsim plugins enable`).
 */
export function runOrder(config: Config, cwd: string, installed: readonly PluginEntryResolved[]): PluginEntryResolved[] {
  const byName = new Map(installed.map((plugin) => [plugin.name, plugin]))
  const listed = config.plugins.map((entry, index): PluginEntryResolved => {
    if (entry.package !== undefined) {
      const plugin = byName.get(entry.package)
      if (!plugin) {
        throw new RoomsimError('BAD_CONFIG', `config ${config.filepath}: plugins[${index}].package: "${entry.package}" is not installed; run "roomsim plugins install ${entry.package}" (or "plugins link PATH") first`)
      }
      byName.delete(entry.package)
      return {...plugin, inConfig: true, enabled: entry.enabled && plugin.enabled, settings: {...entry.settings}, ...sandboxLoosening(config, entry, cwd)}
    }
    const folder = resolveFromConfig(config, entry.path!, cwd)
    const described = describePluginFolder(folder, `config ${entry.path}`)
    return {...described, source: 'config', spec: entry.path!, inConfig: true, enabled: entry.enabled, settings: {...entry.settings}, ...sandboxLoosening(config, entry, cwd)}
  })
  const plugins = [...listed, ...installed.filter((plugin) => byName.has(plugin.name))]
  const seen = new Set<string>()
  for (const plugin of plugins) {
    if (seen.has(plugin.name)) {
      throw new RoomsimError('BAD_CONFIG', `config ${config.filepath}: plugin ${plugin.name} is listed twice (an installed plugin is listed with "package: ${plugin.name}", not by path)`)
    }
    seen.add(plugin.name)
  }
  return plugins
}

