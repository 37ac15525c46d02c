import {dirname, isAbsolute, resolve} from 'node:path'

import {firstLine, RoomsimError} from '../errors.js'
import {type LoadedFile, loadDataFile} from './load-file.js'
import {type Config, parseConfig, SchemaError} from './schema.js'

const NAME = 'roomsim'

/** cosmiconfig's defaults lack the roomsim.config.{json,yaml,yml} names, so the list is ours. */
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

/** TypeScript config files load through tsx, imported only when one is met. */
async function loadTypeScript(filepath: string): Promise<unknown> {
  const {tsImport} = await import('tsx/esm/api')
  const module = (await tsImport(filepath, import.meta.url)) as {default?: unknown}
  return module.default ?? module
}

/**
 * Finds and validates the config: exactly `explicitPath` when given, else the
 * nearest one searching upward from `cwd`. No config at all means the defaults.
 */
export async function loadConfig({explicitPath, cwd}: {explicitPath?: string; cwd: string}): Promise<Config> {
  const explorer = async () => {
    const {cosmiconfig} = await import('cosmiconfig')
    return cosmiconfig(NAME, {
      searchPlaces: SEARCH_PLACES,
      searchStrategy: 'global',
      stopDir: cwd === '/' ? '/' : undefined,
      loaders: {'.ts': loadTypeScript},
      cache: false,
    })
  }
  const where = explicitPath ? resolve(cwd, explicitPath) : undefined
  let result: LoadedFile | null | undefined
  try {
    result = where ? ((await loadDataFile(where)) ?? (await (await explorer()).load(where))) : await (await explorer()).search(cwd)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : firstLine((error as Error).message)
    throw new RoomsimError('BAD_CONFIG', `config ${where ?? cwd}: ${reason}`, {cause: error})
  }
  if (!result) return parseConfig(undefined)
  if (result.isEmpty && where) return {...parseConfig(undefined), filepath: result.filepath}
  try {
    return {...parseConfig(result.config), filepath: result.filepath}
  } catch (error) {
    if (error instanceof SchemaError) throw new RoomsimError('BAD_CONFIG', `config ${result.filepath}: ${error.message}`)
    throw error
  }
}

/** Paths inside a config file are relative to the folder that holds it. */
export function resolveFromConfig(config: Config, path: string, cwd: string): string {
  if (isAbsolute(path)) return path
  return resolve(config.filepath ? dirname(config.filepath) : cwd, path)
}

