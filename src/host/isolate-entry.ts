/**
 * The file an isolate process starts from: src/isolate/main.ts bundled into
 * one JavaScript module, so an isolate loads one file instead of a tree of
 * them (about 13 ms of CPU less per isolate). The build writes it to
 * dist/isolate/bundle.js (see bundleIsolate); run from the TypeScript sources
 * (bin/dev.js, tests), an isolate cannot start a compiler, so the host
 * bundles the sources once and reuses the file while they are unchanged.
 */
import {mkdirSync, readdirSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {createHash} from 'node:crypto'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {PACKAGE_ROOT} from '../package-root.js'

export interface IsolateEntry {
  file: string
  /** What the isolate must read to run roomsim's side of it. */
  reads: string[]
}

let known: Promise<IsolateEntry> | undefined

export function isolateEntry(): Promise<IsolateEntry> {
  known ??= locate()
  return known
}

async function locate(): Promise<IsolateEntry> {
  const here = fileURLToPath(import.meta.url)
  // Built (compiled or bundled): the build wrote the bundle, and it needs nothing beside it.
  if (!here.endsWith('.ts')) return {file: join(PACKAGE_ROOT, 'dist', BUILT_BUNDLE), reads: [join(PACKAGE_ROOT, 'dist', dirname(BUILT_BUNDLE))]}
  const sources = dirname(dirname(here))
  const hash = createHash('sha256')
  for (const folder of ['isolate', 'protocol', 'domain', 'engine']) {
    for (const name of readdirSync(join(sources, folder)).sort()) {
      if (name.endsWith('.ts')) hash.update(`${name}:${statSync(join(sources, folder, name)).mtimeMs}\n`)
    }
  }
  const folder = join(tmpdir(), 'roomsim-isolate')
  const file = join(folder, `main-${hash.digest('hex').slice(0, 16)}.mjs`)
  try {
    statSync(file)
    return {file, reads: [folder]}
  } catch {
    // not built yet
  }
  await bundleIsolate(sources, file)
  return {file, reads: [folder]}
}

/** Where the build puts the bundle, relative to dist/. */
const BUILT_BUNDLE = 'isolate/bundle.js'

/** Bundles `sources`/isolate/main.ts into `file` (written whole or not at all: isolates may be starting from it). */
export async function bundleIsolate(sources: string, file: string): Promise<void> {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({entryPoints: [join(sources, 'isolate', 'main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent'})
  mkdirSync(dirname(file), {recursive: true})
  writeFileSync(`${file}.${process.pid}.tmp`, result.outputFiles[0]!.text)
  renameSync(`${file}.${process.pid}.tmp`, file)
}

/** `npm run build`: node dist/host/isolate-entry.js SOURCES DIST */
if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleIsolate(process.argv[2]!, join(process.argv[3]!, BUILT_BUNDLE))
