import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = join(ROOT, 'bin', 'run.js')
export const EXAMPLE_PLUGINS = join(ROOT, 'plugins')
export const FIXTURES = join(ROOT, 'test', 'fixtures')
export const HOSTILE = join(FIXTURES, 'hostile')
export const BROKEN = join(FIXTURES, 'broken')
export const WITNESS = join(FIXTURES, 'plugins', 'witness')
