/**
 * roomsim's own folder (the one with its package.json), whether this code runs
 * from src/ (tsx), from dist/ as compiled, or from a bundled chunk of dist/:
 * found by walking up, as a file's depth differs between the three.
 */
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

function findRoot(): string {
  const here = fileURLToPath(import.meta.url)
  for (let folder = dirname(here); ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'plugins'))) return folder
    if (dirname(folder) === folder) return dirname(dirname(here))
  }
}

export const PACKAGE_ROOT = findRoot()

/** The example plugins and the demo scenario that ship with roomsim. */
export const BUNDLED_PLUGINS = join(PACKAGE_ROOT, 'plugins')
