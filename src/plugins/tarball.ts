import {readFileSync} from 'node:fs'
import {gunzipSync} from 'node:zlib'

import {RoomsimError} from '../errors.js'

const BLOCK = 512

/**
 * The package.json inside an npm package tarball (`npm pack` output: a gzipped
 * tar whose files sit under one top folder, usually `package/`). Read before
 * npm runs, so the plugin's name is known and a file that is no tarball at all
 * is refused without touching anything.
 */
export function tarballManifest(file: string): {name?: string; version?: string} {
  let tar: Buffer
  try {
    tar = gunzipSync(readFileSync(file), {maxOutputLength: 512 * 1024 * 1024})
  } catch (error) {
    throw new RoomsimError('INSTALL_FAILED', `${file} is not a gzipped npm package tarball (${(error as Error).message})`)
  }
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK)
    if (header.every((byte) => byte === 0)) break
    const field = (start: number, length: number): string => header.toString('utf8', start, start + length).replace(/\0.*$/s, '')
    const prefix = field(345, 155)
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100)
    const size = Number.parseInt(field(124, 12).trim() || '0', 8)
    const type = field(156, 1)
    if (Number.isNaN(size)) break
    if ((type === '0' || type === '') && /^[^/]+\/package\.json$/.test(name)) {
      const body = tar.toString('utf8', offset + BLOCK, offset + BLOCK + size)
      try {
        return JSON.parse(body) as {name?: string; version?: string}
      } catch (error) {
        throw new RoomsimError('INSTALL_FAILED', `${file}: its package.json is not valid JSON (${(error as Error).message})`)
      }
    }
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK
  }
  throw new RoomsimError('INSTALL_FAILED', `${file} is not an npm package tarball (no package.json in it)`)
}
