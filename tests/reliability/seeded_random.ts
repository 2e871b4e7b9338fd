/**
 * A small seeded PRNG (mulberry32) for the reliability tests: the same seed
 * gives the same sequence on every run, so a failing race can be replayed.
 *
 * @example
 * ```ts
 * import { SeededRandom } from "./seeded_random.ts";
 * const a = new SeededRandom(42), b = new SeededRandom(42);
 * console.assert(a.integer(1000) === b.integer(1000));
 * ```
 *
 * @module
 */

/** A deterministic source of random numbers. */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`Seed must be an integer, got ${seed}`);
    this.#state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, below). */
  integer(below: number): number {
    return Math.floor(this.next() * below);
  }

  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.integer(items.length)];
  }
}
