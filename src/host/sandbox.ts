/**
 * What a plugin's isolate may touch, and the command line that makes Node
 * enforce it: the server's rules by default (reads of the plugin's own folder
 * and the engine package, writes in a scratch folder of its own, no child
 * processes, a reduced environment, a memory limit), loosened only by config
 * `plugins[].permissions`.
 */
import {createHash} from 'node:crypto'
import {mkdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir, userInfo} from 'node:os'
import {dirname, join, sep} from 'node:path'

import type {PluginPermissions} from '../config/schema.js'
import type {PluginSpec} from '../protocol/messages.js'

/** Resident memory an isolate may use by default (heap, Buffers and code together). */
export const DEFAULT_MEMORY_MB = 512

/**
 * The engine package and the packages it depends on (its BlockBuilder needs
 * `uuid`): everything an app may read of roomsim's installation.
 */
export function engineReadFolders(): string[] {
  const engine = enginePackageFolder()
  const require = createRequire(join(engine, 'package.json'))
  const manifest = require('./package.json') as {dependencies?: Record<string, string>}
  const folders = [engine]
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    try {
      folders.push(dirname(require.resolve(`${name}/package.json`)))
    } catch {
      // A dependency that exports no package.json: find its folder from its main file.
      try {
        const main = require.resolve(name)
        folders.push(main.slice(0, main.lastIndexOf(`node_modules${sep}${name}`) + `node_modules${sep}${name}`.length))
      } catch {
        // not installed: nothing to read
      }
    }
  }
  return folders
}

/** Environment variables an isolate gets, as the server passes only a few to an app's process. */
const PASSED_ENV = ['TZ', 'LANG', 'LC_ALL', 'NODE_ENV']

/** The Apps-Engine package every app may read, as the server lets apps read its engine. */
export const enginePackageFolder = (): string => dirname(createRequire(import.meta.url).resolve('@rocket.chat/apps-engine/package.json'))

let owner: string | undefined
const ownerName = (): string => {
  if (owner === undefined) {
    try {
      owner = String(userInfo().uid)
    } catch {
      owner = 'user'
    }
  }
  return owner
}

/** A plugin's own folder for roomsim's use: its compiled bundle and its scratch space, apart from every other plugin's. */
export function sandboxFolder(spec: Pick<PluginSpec, 'name' | 'root'>): {bundle: string; scratch: string} {
  const id = createHash('sha256').update(`${spec.name}\0${spec.root}`).digest('hex').slice(0, 16)
  const base = join(tmpdir(), `roomsim-${ownerName()}`, `${spec.name.replace(/[^0-9a-zA-Z._-]/g, '-').slice(0, 40)}-${id}`)
  const folders = {bundle: join(base, 'bundle'), scratch: join(base, 'scratch')}
  mkdirSync(folders.bundle, {recursive: true})
  mkdirSync(folders.scratch, {recursive: true})
  return folders
}

export interface IsolateLaunch {
  args: string[]
  env: Record<string, string>
  cwd: string
  memoryMb: number
}

/**
 * The node command line of one isolate. `reads` are the folders the bundle
 * needs (the plugin, its dependencies, the engine, roomsim's isolate code).
 */
export function isolateLaunch(entry: string, reads: readonly string[], scratch: string, permissions: PluginPermissions = {}): IsolateLaunch {
  const memoryMb = permissions.memoryMb ?? DEFAULT_MEMORY_MB
  const readable = [...new Set([...reads, scratch, ...(permissions.read ?? [])])]
  const writable = [...new Set([scratch, ...(permissions.write ?? [])])]
  const args = [
    '--experimental-permission',
    ...readable.map((path) => `--allow-fs-read=${path}`),
    ...writable.map((path) => `--allow-fs-write=${path}`),
    ...(permissions.childProcesses ? ['--allow-child-process'] : []),
    `--max-old-space-size=${Math.max(32, Math.floor(memoryMb * 0.75))}`,
    '--disable-warning=ExperimentalWarning',
    '--disable-proto=delete',
    entry,
  ]
  const env: Record<string, string> = {HOME: scratch, TMPDIR: scratch}
  for (const name of [...PASSED_ENV, ...(permissions.env ?? [])]) {
    const value = process.env[name]
    if (value !== undefined) env[name] = value
  }
  return {args, env, cwd: scratch, memoryMb}
}
