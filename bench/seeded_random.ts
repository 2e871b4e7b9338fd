/**
 * A small seeded PRNG (mulberry32) and a Fisher–Yates shuffle driven by it,
 * so that client order and generated data are the same on every run.
 *
 * @module
 */

/** A pseudo-random source: each call returns a float in [0, 1). */
export type Random = () => number;

/**
 * Creates a deterministic pseudo-random source (mulberry32).
 *
 * @param seed Any 32-bit integer; the same seed gives the same sequence.
 * @returns A function returning floats in [0, 1).
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A shuffled copy of `items` (Fisher–Yates).
 *
 * @param items The items to shuffle; not modified.
 * @param random The source of randomness.
 * @returns A new array with the same items in shuffled order.
 */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
