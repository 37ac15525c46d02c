/**
 * An explicit `--config FILE` in JSON or YAML is read straight from disk: the
 * search library (and its dependencies) loads only to search, or for JS/TS files.
 */
import {readFileSync} from 'node:fs'
import {basename, extname} from 'node:path'

export interface LoadedFile {
  filepath: string
  config: unknown
  isEmpty?: boolean
}

/** Undefined when the file is of a kind this does not read itself (JS, TS, package.json). */
export async function loadDataFile(filepath: string): Promise<LoadedFile | undefined> {
  const extension = extname(filepath)
  const isRc = extension === '' && basename(filepath).startsWith('.')
  if (basename(filepath) === 'package.json' || !['.json', '.yaml', '.yml'].includes(extension) && !isRc) return undefined
  // Errors keep their code (ENOENT, EISDIR) for the caller's one-line message.
  const text = readFileSync(filepath, 'utf8')
  if (text.trim() === '') return {filepath, config: undefined, isEmpty: true}
  if (extension === '.json') return {filepath, config: JSON.parse(text) as unknown}
  const {parse} = await import('yaml')
  return {filepath, config: parse(text) as unknown}
}
