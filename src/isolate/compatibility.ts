/**
 * What roomsim can tell an app author before anything runs: the interfaces the
 * app implements that roomsim does not simulate (their handlers never fire
 * here), and a requiredApiVersion newer than the engine roomsim bundles.
 */
import {INTERFACE_NAMES} from '../protocol/interfaces.js'

export interface Compatibility {
  /** Interfaces the app declares (app.json `implements`) or has the methods of, that roomsim never calls. */
  unsimulated: string[]
  /** Things that may not work as on a server, one sentence each. */
  warnings: string[]
}

/** Interfaces whose handler methods are not `execute` + the name without its `I`. */
const METHODS_OF: Record<string, string[]> = {
  IUIKitInteractionHandler: ['executeBlockActionHandler', 'executeViewSubmitHandler', 'executeViewClosedHandler', 'executeActionButtonHandler'],
  IUIKitLivechatInteractionHandler: ['executeLivechatBlockActionHandler'],
  ILivechatRoomClosedHandler: ['executeLivechatRoomClosed'],
}

const methodsOf = (name: string): string[] => METHODS_OF[name] ?? [`execute${name.slice(1)}`]

/**
 * The unsimulated interfaces of `app`: every upstream interface (`known`, the
 * AppInterface enum of the bundled engine) it declares or has a method of, less
 * the room interfaces roomsim runs; plus any declared name roomsim does not know.
 */
export function unsimulatedInterfaces(app: object, declared: readonly unknown[], known: readonly string[]): string[] {
  const simulated = new Set<string>(INTERFACE_NAMES)
  const named = new Set(declared.filter((name): name is string => typeof name === 'string'))
  const found = known.filter((name) => named.has(name) || methodsOf(name).some((method) => typeof (app as Record<string, unknown>)[method] === 'function'))
  const unknown = [...named].filter((name) => !known.includes(name))
  return [...new Set([...found, ...unknown])].filter((name) => !simulated.has(name))
}

/** The lowest version a range like `^1.19.0`, `~1.44`, `>=1.30.0` or `1.66.0` accepts, as [major, minor, patch]. */
export function lowestVersion(range: string): [number, number, number] | undefined {
  const match = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range)
  if (!match) return undefined
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)]
}

const compare = (a: readonly number[], b: readonly number[]): number => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!

/** A warning when the app needs a newer engine than roomsim bundles, else undefined. */
export function apiVersionWarning(requiredApiVersion: unknown, bundled: string): string | undefined {
  if (typeof requiredApiVersion !== 'string') return undefined
  const needed = lowestVersion(requiredApiVersion)
  const have = lowestVersion(bundled)
  if (!needed || !have || compare(needed, have) <= 0) return undefined
  return `requiredApiVersion ${requiredApiVersion} is newer than the Apps-Engine roomsim bundles (${bundled}): definitions added since may be missing`
}

export function compatibilityOf(app: object, manifest: Record<string, unknown>, known: readonly string[], bundled: string): Compatibility {
  const declared = Array.isArray(manifest.implements) ? manifest.implements : []
  const unsimulated = unsimulatedInterfaces(app, declared, known)
  const warning = apiVersionWarning(manifest.requiredApiVersion, bundled)
  return {unsimulated, warnings: warning ? [warning] : []}
}
