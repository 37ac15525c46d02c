import {existsSync, readFileSync, statSync} from 'node:fs'
import {basename, join, resolve} from 'node:path'

import {resolveFromConfig} from '../config/load.js'
import type {Config} from '../config/schema.js'
import {RoomsimError} from '../errors.js'
import type {PluginSpec} from './protocol.js'

/** A plugin as roomsim will run it: where it is, whether it runs, with which settings. */
export interface PluginEntryResolved extends PluginSpec {
  enabled: boolean
  version?: string
  source: string
  /** Defaults from package.json ("roomsim": {"settings": …}) overlaid with configured values. */
  settings: Record<string, unknown>
  packageDefaults: Record<string, unknown>
}

interface PackageJson {
  name?: string
  version?: string
  main?: string
  exports?: unknown
  roomsim?: {entry?: string; settings?: Record<string, unknown>}
}

const ENTRY_CANDIDATES = ['index.js', 'index.mjs', 'index.ts', 'src/index.ts', 'dist/index.js']

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch (error) {
    throw new RoomsimError('BAD_PLUGIN', `${what}: cannot read ${file}: ${(error as Error).message.split('\n')[0]}`)
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
 * names the folder.
 */
export function describePluginFolder(folder: string, source: string): Omit<PluginEntryResolved, 'enabled' | 'settings'> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new RoomsimError('BAD_PLUGIN', `plugin ${source}: ${folder} is not a folder`)
  }
  const pkgFile = join(folder, 'package.json')
  const pkg = existsSync(pkgFile) ? readJson<PackageJson>(pkgFile, `plugin ${source}`) : {}
  const appFile = join(folder, 'app.json')
  const app = existsSync(appFile) ? readJson<{name?: string; classFile?: string}>(appFile, `plugin ${source}`) : undefined
  const name = pkg.name ?? app?.name ?? basename(folder)
  const relativeEntry = pkg.roomsim?.entry ?? app?.classFile ?? exportsEntry(pkg.exports) ?? pkg.main ?? ENTRY_CANDIDATES.find((candidate) => existsSync(join(folder, candidate)))
  if (!relativeEntry) throw new RoomsimError('BAD_PLUGIN', `plugin ${name}: no entry module (set "main" in ${pkgFile}, or add index.js)`)
  const entry = resolve(folder, relativeEntry)
  if (!existsSync(entry)) throw new RoomsimError('BAD_PLUGIN', `plugin ${name}: entry module ${entry} does not exist`)
  return {
    name,
    entry,
    root: folder,
    isApp: app !== undefined,
    ...(pkg.version === undefined ? {} : {version: pkg.version}),
    source,
    packageDefaults: pkg.roomsim?.settings ?? {},
  }
}

/** The plugins named in config, in list order, resolved against the config file's folder. */
export function configuredPlugins(config: Config, cwd: string): PluginEntryResolved[] {
  return config.plugins.map((entry, index) => {
    if (entry.package !== undefined) {
      throw new RoomsimError('BAD_CONFIG', `config ${config.filepath}: plugins[${index}].package: install it with "roomsim plugins install ${entry.package}" and list it by path, or wait for package support`)
    }
    const folder = resolveFromConfig(config, entry.path!, cwd)
    const described = describePluginFolder(folder, `config ${entry.path}`)
    return {...described, enabled: entry.enabled, settings: {...described.packageDefaults, ...entry.settings}}
  })
}
