import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'

import {interfacesImplementedBy} from '../protocol/interfaces.js'

/** The entry as the host bundled it: always a JavaScript module (TypeScript was compiled on the host side). */
export async function importModule(entry: string, original: string): Promise<Record<string, unknown>> {
  // CommonJS code in the bundle calls require() for what stayed outside it (dependencies, the engine): give it one, rooted at the plugin.
  ;(globalThis as {require?: NodeJS.Require}).require ??= createRequire(original)
  return (await import(pathToFileURL(entry).href)) as Record<string, unknown>
}

const isClass = (value: unknown): value is new (...args: unknown[]) => object =>
  typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value))

/**
 * The handler object of a plugin module: its default export, or `plugin`, either
 * an object with handler methods or a class to instantiate (with no arguments,
 * or with the Apps-Engine App constructor arguments when it is an app).
 */
export function handlerOf(module: Record<string, unknown>, appArgs: unknown[] = []): object {
  let exported = module.default ?? module.plugin
  // A CommonJS module (or a TypeScript file compiled as one) imported from ESM nests its exports under `default`.
  if (isInteropWrapper(exported)) exported = exported.default ?? exported.plugin
  if (exported === undefined) throw new Error('the entry module has no default export and no export named "plugin"')
  if (isClass(exported)) return new exported(...appArgs)
  if (typeof exported === 'function') {
    const made = (exported as (...args: unknown[]) => unknown)(...appArgs)
    if ((typeof made === 'object' && made !== null) || typeof made === 'function') return made as object
    throw new Error(`the entry module exports a function that returned ${made === null ? 'null' : typeof made}, not a class or an object with handler methods`)
  }
  if (typeof exported === 'object' && exported !== null) return exported
  throw new Error(`the entry module exports ${typeof exported}, not a class or an object with handler methods`)
}

const isInteropWrapper = (value: unknown): value is {default?: unknown; plugin?: unknown} =>
  typeof value === 'object' && value !== null && ('default' in value || 'plugin' in value) && interfacesImplementedBy(value).length === 0
