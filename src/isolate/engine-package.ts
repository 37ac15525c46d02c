/**
 * The Apps-Engine package, provided as the chat server provides it. A server
 * never runs an app against the app's own copy of `@rocket.chat/apps-engine`:
 * its runtime answers every `require('@rocket.chat/apps-engine/…')` with its
 * own. roomsim does the same inside the plugin worker, for ES modules (a
 * module resolution hook) and CommonJS (which is how tsx loads a TypeScript app
 * that has no `"type": "module"`) alike, so an app made by `rc-apps create`
 * runs with no `node_modules` of its own.
 *
 * The rule: a specifier `@rocket.chat/apps-engine` or `@rocket.chat/apps-engine/…`
 * resolves to roomsim's copy whenever roomsim's copy has that file; only a path
 * roomsim's copy lacks (say, a newer engine's new definition) falls through to
 * the plugin's own copy, if it brings one. Every other import resolves as usual.
 */
import Module, {createRequire, register} from 'node:module'

/** `@rocket.chat/apps-engine` and its subpaths. */
export const ENGINE_SPECIFIER = /^@rocket\.chat\/apps-engine(?:\/.*)?$/

const ownRequire = createRequire(import.meta.url)

/** The file of roomsim's copy that `specifier` names, or undefined when roomsim's copy has none. */
export function ownEngineFile(specifier: string): string | undefined {
  try {
    return ownRequire.resolve(specifier)
  } catch {
    return undefined
  }
}

/** The version of the engine roomsim bundles (what an app's requiredApiVersion is checked against). */
export function bundledEngineVersion(): string {
  return (ownRequire('@rocket.chat/apps-engine/package.json') as {version: string}).version
}

/**
 * The ES module hook, as source: it runs in Node's module-hooks thread, where
 * nothing of roomsim is loaded, so it is a self-contained data: URL module.
 */
const ESM_HOOKS = `
import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'
const ENGINE = ${ENGINE_SPECIFIER.toString()}
let own
export function initialize(data) { own = createRequire(data.from) }
export async function resolve(specifier, context, next) {
  if (ENGINE.test(specifier)) {
    let file
    try { file = own.resolve(specifier) } catch {}
    if (file) return {url: pathToFileURL(file).href, shortCircuit: true}
  }
  return next(specifier, context)
}
`

let provided = false

/** Installs both resolvers in this thread (the plugin worker); idempotent. */
export function provideEnginePackage(): void {
  if (provided) return
  provided = true
  register(`data:text/javascript,${encodeURIComponent(ESM_HOOKS)}`, import.meta.url, {data: {from: import.meta.url}})
  const resolver = Module as unknown as {_resolveFilename: (request: string, ...rest: unknown[]) => string}
  const original = resolver._resolveFilename
  resolver._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    if (ENGINE_SPECIFIER.test(request)) {
      const file = ownEngineFile(request)
      if (file) return file
    }
    return original.call(this, request, ...rest)
  }
}
