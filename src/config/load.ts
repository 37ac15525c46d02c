import {existsSync, readFileSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, isAbsolute, join, resolve} from 'node:path'

import {RoomsimError} from '../errors.js'
import {Checker, isObject, pathText} from '../scenario/schema/checker.js'
import {type ConfigText, readConfigFile} from './read-file.js'
import {checkConfig, type Config, parseConfig} from './schema.js'

const NAME = 'roomsim'

/** Where a config is looked for in each folder, in this order (SPEC §6). */
export const SEARCH_PLACES = [
  'package.json',
  `.${NAME}rc`,
  `.${NAME}rc.json`,
  `.${NAME}rc.yaml`,
  `.${NAME}rc.yml`,
  `.${NAME}rc.js`,
  `.${NAME}rc.mjs`,
  `.${NAME}rc.cjs`,
  `${NAME}.config.json`,
  `${NAME}.config.yaml`,
  `${NAME}.config.yml`,
  `${NAME}.config.js`,
  `${NAME}.config.mjs`,
  `${NAME}.config.cjs`,
  `${NAME}.config.ts`,
]

/**
 * The keys of a plugin's own manifest: a package.json whose "roomsim" holds only
 * these describes a plugin (its defaults), not a project, and is passed over.
 */
const PLUGIN_MANIFEST_KEYS = ['settings', 'entry']

/** Whether a package.json names project config: a "roomsim" key that is not a plugin's manifest. */
function packageHasConfig(file: string): boolean {
  let pkg: unknown
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    // A broken package.json is npm's business, not a roomsim config.
    return false
  }
  if (!isObject(pkg) || pkg.roomsim === undefined) return false
  const own = pkg.roomsim
  return !(isObject(own) && Object.keys(own).length > 0 && Object.keys(own).every((key) => PLUGIN_MANIFEST_KEYS.includes(key)))
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The nearest config file searching upward from `cwd` (up to the home folder when inside it, else the root). */
export function findConfigFile(cwd: string): string | undefined {
  const home = homedir()
  let folder = resolve(cwd)
  for (;;) {
    for (const place of SEARCH_PLACES) {
      const file = join(folder, place)
      if (!isFile(file)) continue
      if (place === 'package.json' && !packageHasConfig(file)) continue
      return file
    }
    const parent = dirname(folder)
    if (parent === folder || folder === home) return undefined
    folder = parent
  }
}

/** Every problem of a config file, one per line, as `file:line:column: key: what is wrong`. */
function problemLines(file: string, read: ConfigText, check: Checker): string[] {
  const located = [
    ...read.problems,
    ...check.issues.map((issue) => {
      const key = pathText(issue.path)
      const position = read.position?.(issue.path, issue.at)
      return {message: `${key ? `${key}: ` : ''}${issue.message}`, ...(position ? {position} : {})}
    }),
  ]
  // In file order, as scenario files report theirs.
  located.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0))
  return located.map((problem) => (problem.position ? `${file}:${problem.position.line}:${problem.position.column}: ${problem.message}` : `${file}: ${problem.message}`))
}

/** A config error: the first problem is the message's first line, every problem is listed. */
export class ConfigError extends RoomsimError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super('BAD_CONFIG', problems.length === 1 ? `config ${problems[0]}` : `config ${file} has ${problems.length} problems:\n${problems.map((line) => `  ${line}`).join('\n')}`)
  }
}

/**
 * Finds and validates the config: exactly `explicitPath` when given, else the
 * nearest one searching upward from `cwd`. No config at all means the defaults.
 */
export async function loadConfig({explicitPath, cwd}: {explicitPath?: string; cwd: string}): Promise<Config> {
  const file = explicitPath ? resolve(cwd, explicitPath) : findConfigFile(cwd)
  if (!file) return parseConfig(undefined)
  if (!existsSync(file)) throw new RoomsimError('BAD_CONFIG', `config ${file}: file not found`)
  if (!isFile(file)) throw new RoomsimError('BAD_CONFIG', `config ${file}: is a folder, not a file`)
  let read: ConfigText
  try {
    read = await readConfigFile(file)
  } catch (error) {
    throw new RoomsimError('BAD_CONFIG', `config ${file}: ${(error as Error).message}`, {cause: error})
  }
  const check = new Checker()
  const config = read.problems.length > 0 ? undefined : checkConfig(check, read.value)
  if (!config) throw new ConfigError(file, problemLines(file, read, check))
  return {...config, filepath: file}
}

/** Paths inside a config file are relative to the folder that holds it. */
export function resolveFromConfig(config: Config, path: string, cwd: string): string {
  if (isAbsolute(path)) return path
  return resolve(config.filepath ? dirname(config.filepath) : cwd, path)
}
