/**
 * A plugin's code as its isolate loads it: one JavaScript module compiled on
 * the host side by esbuild (TypeScript included: an isolate may not start the
 * compiler's process). Dependencies stay outside the bundle, imported by
 * absolute path, and `@rocket.chat/apps-engine` always means roomsim's copy, as
 * the server gives apps its own engine. The bundle is reused while none of its
 * inputs changed.
 */
import {readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {createRequire, isBuiltin} from 'node:module'
import {dirname, join, resolve, sep} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type {PluginSpec} from '../protocol/messages.js'
import type {Plugin as EsbuildPlugin} from 'esbuild'

export interface Bundle {
  file: string
  /** Folders the isolate must be able to read: the plugin, each dependency's package, the engine. */
  reads: string[]
}

interface Meta {
  entry: string
  inputs: Record<string, [number, number]>
  reads: string[]
}

/** `@rocket.chat/apps-engine` and its subpaths. */
export const ENGINE_SPECIFIER = /^@rocket\.chat\/apps-engine(?:\/.*)?$/

/** The file of roomsim's copy that `specifier` names, or undefined when roomsim's copy has none. */
export function ownEngineFile(specifier: string): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(specifier)
  } catch {
    return undefined
  }
}

const stamp = (file: string): [number, number] | undefined => {
  try {
    const stats = statSync(file)
    return [stats.mtimeMs, stats.size]
  } catch {
    return undefined
  }
}

function cached(metaFile: string, entry: string): Meta | undefined {
  try {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta
    if (meta.entry !== entry) return undefined
    for (const [file, [mtime, size]] of Object.entries(meta.inputs)) {
      const now = stamp(file)
      if (!now || now[0] !== mtime || now[1] !== size) return undefined
    }
    return meta
  } catch {
    return undefined
  }
}

/** The package folder a resolved file belongs to (`…/node_modules/@scope/name`), or its own folder. */
function packageFolderOf(file: string): string {
  const parts = file.split(sep)
  const at = parts.lastIndexOf('node_modules')
  if (at === -1) return dirname(file)
  const nameParts = parts[at + 1]?.startsWith('@') ? 2 : 1
  return parts.slice(0, at + 1 + nameParts).join(sep)
}

/** The up-to-date bundle of `spec` in `folder`, if there is one (a few stat calls, no compiling). */
export function existingBundle(spec: PluginSpec, folder: string): (Bundle & {inputs: Meta['inputs']}) | undefined {
  const known = cached(join(folder, 'meta.json'), spec.entry)
  return known && {file: join(folder, 'plugin.mjs'), reads: known.reads, inputs: known.inputs}
}

/** Bundles `spec`'s entry into `folder` unless an up-to-date bundle is there; answers where it is. */
export async function bundlePlugin(spec: PluginSpec, folder: string): Promise<Bundle> {
  const file = join(folder, 'plugin.mjs')
  const metaFile = join(folder, 'meta.json')
  const known = cached(metaFile, spec.entry)
  if (known) return {file, reads: known.reads}

  const esbuild = await import('esbuild')
  const reads = new Set<string>([spec.root])
  const externals: EsbuildPlugin = {
    name: 'roomsim-externals',
    setup(build) {
      build.onResolve({filter: /^[^./]/}, async (args) => {
        if (args.pluginData === 'inner' || isBuiltin(args.path)) return undefined
        if (args.path.startsWith('file:')) {
          const path = fileURLToPath(args.path)
          reads.add(packageFolderOf(path))
          return {path, external: true}
        }
        // The engine is roomsim's copy wherever that copy has the file; only a path it lacks is left to the plugin's own copy.
        const own = ENGINE_SPECIFIER.test(args.path) ? ownEngineFile(args.path) : undefined
        if (own) return {path: own, external: true}
        const found = await build.resolve(args.path, {resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner'})
        if (found.errors.length > 0) return {errors: found.errors}
        reads.add(packageFolderOf(found.path))
        return {path: found.path, external: true}
      })
    },
  }
  const result = await esbuild.build({
    entryPoints: [spec.entry],
    absWorkingDir: spec.root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Code that asks where it lives is told the plugin's own files, not the bundle's.
    define: {'import.meta.url': JSON.stringify(pathToFileURL(spec.entry).href), __dirname: JSON.stringify(dirname(spec.entry)), __filename: JSON.stringify(spec.entry)},
    plugins: [externals],
  }).catch((error: {errors?: {text: string; location?: {file: string; line: number} | null}[]; message: string}) => {
    const first = error.errors?.[0]
    if (!first) throw new Error(error.message)
    const text = `${first.text}${first.location ? ` (${first.location.file}:${first.location.line})` : ''}`
    // What esbuild cannot parse is what Node would refuse with a SyntaxError; an import it cannot find, a missing module.
    throw /^Could not resolve/.test(first.text) ? new Error(`Cannot find module: ${text}`) : new SyntaxError(text)
  })
  // An external's absolute path must stay a path the isolate can import: esbuild writes it as given.
  const code = result.outputFiles[0]!.text
  const inputs: Meta['inputs'] = {}
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(spec.root, input)
    const now = stamp(path)
    if (now) inputs[path] = now
  }
  // Written beside and renamed, so that two roomsim runs never read half a bundle.
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, code)
  renameSync(temporary, file)
  const meta: Meta = {entry: spec.entry, inputs, reads: [...reads]}
  writeFileSync(`${metaFile}.${process.pid}.tmp`, JSON.stringify(meta))
  renameSync(`${metaFile}.${process.pid}.tmp`, metaFile)
  return {file, reads: meta.reads}
}
