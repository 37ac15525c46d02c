import {createRequire} from 'node:module'
import {basename, extname} from 'node:path'
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

type Constructor = new (...args: unknown[]) => object

/** A class with the App methods upstream requires (getID, getNameSlug…), however it was compiled. */
const isAppClass = (value: unknown): value is Constructor =>
  typeof value === 'function' && typeof (value as {prototype?: {getID?: unknown; getNameSlug?: unknown}}).prototype?.getID === 'function' &&
  typeof (value as {prototype: {getNameSlug?: unknown}}).prototype.getNameSlug === 'function'

/**
 * An app's class in its `classFile`, found as upstream finds it: the default
 * export when there is one, else the first exported value (upstream takes
 * `Object.values(exports)[0]`). An ES module's exports carry no order, so there
 * the exported class extending App wins, the one named after the class file
 * when there are several.
 */
export function appClassOf(module: Record<string, unknown>, classFile: string): Constructor {
  const commonJs = isCommonJsExports(module.default) ? (module.default as Record<string, unknown>) : undefined
  const exports = commonJs ?? module
  const byDefault = exports.default
  if (isClass(byDefault) || isAppClass(byDefault)) return byDefault as Constructor
  const values = Object.values(exports).filter((value) => value !== undefined)
  if (commonJs && (isClass(values[0]) || isAppClass(values[0]))) return values[0] as Constructor
  const classes = values.filter((value): value is Constructor => isClass(value) || isAppClass(value))
  const apps = classes.filter(isAppClass)
  const named = basename(classFile, extname(classFile))
  const found = apps.find((candidate) => candidate.name === named) ?? apps[0] ?? classes[0]
  if (!found) throw new Error(`the class file ${classFile} exports no class (an app exports its App subclass, e.g. "export class MyApp extends App")`)
  return found
}

/** A CommonJS module's `module.exports`, as an ES import nests it under `default` (an object, not a class). */
const isCommonJsExports = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value)
