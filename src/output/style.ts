import type {ChalkInstance} from 'chalk'

/**
 * Colour is on only for a terminal that is not TERM=dumb, and NO_COLOR /
 * FORCE_COLOR (which --no-color / --color set) decide over that.
 * chalk is imported only when something is printed for a human.
 */
export async function loadStyle(stream: NodeJS.WriteStream = process.stdout): Promise<ChalkInstance> {
  const level = colorLevel(stream)
  // Without colour chalk is not even imported: every style is the plain text.
  if (level === 0) return PLAIN
  const {Chalk} = await import('chalk')
  return new Chalk({level})
}

/** A style with no colour: callable at any depth (style.bold.red(text)), it joins its arguments as chalk does
 * (not a thenable, so it can be awaited). */
const PLAIN: ChalkInstance = new Proxy((...text: unknown[]) => text.join(' '), {get: (target, key) => (key === 'level' ? 0 : key === 'then' || typeof key === 'symbol' ? Reflect.get(target, key) : PLAIN)}) as unknown as ChalkInstance

export function colorLevel(stream: NodeJS.WriteStream, env = process.env): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0
  const force = env.FORCE_COLOR
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0
    return force === '2' ? 2 : force === '3' ? 3 : 1
  }
  return stream.isTTY && env.TERM !== 'dumb' ? 1 : 0
}
