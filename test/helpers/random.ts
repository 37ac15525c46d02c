/** Seeded randomness for fuzz tests: the same sequence everywhere for one seed. */
export type Rng = () => number

/** mulberry32: small and fast. */
export function random(seed: number): Rng {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!
export const int = (rng: Rng, max: number): number => Math.floor(rng() * max)
