/**
 * The file an isolate process starts from. Built, it is dist/isolate/main.js
 * (the isolate may read roomsim's dist folder). Run from the TypeScript sources
 * (bin/dev.js, tests), an isolate cannot start a compiler, so the host bundles
 * src/isolate/main.ts once into a JavaScript file and reuses it while the
 * sources are unchanged.
 */
import {mkdirSync, readdirSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {createHash} from 'node:crypto'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

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
  if (!here.endsWith('.ts')) return {file: fileURLToPath(new URL('../isolate/main.js', import.meta.url)), reads: [dirname(dirname(here))]}
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
  const esbuild = await import('esbuild')
  const result = await esbuild.build({entryPoints: [join(sources, 'isolate', 'main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent'})
  mkdirSync(folder, {recursive: true})
  writeFileSync(`${file}.${process.pid}.tmp`, result.outputFiles[0]!.text)
  renameSync(`${file}.${process.pid}.tmp`, file)
  return {file, reads: [folder]}
}
