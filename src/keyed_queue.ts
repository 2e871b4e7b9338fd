/**
 * {@linkcode KeyedQueue}: runs async operations one after another per key,
 * in the order they were asked for, and operations on every key after all
 * that came before them — for a store whose backend (the Web Cache API)
 * may finish concurrent calls in any order.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { KeyedQueue } from "./keyed_queue.ts";
 * const queue = new KeyedQueue();
 * const done: string[] = [];
 * const slow = queue.forKey("a", () => new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() => done.push("a1")));
 * const fast = queue.forKey("a", () => Promise.resolve(done.push("a2")));
 * const all = queue.forAll(() => Promise.resolve(done.push("all")));
 * await Promise.all([slow, fast, all]);
 * deepEqual(done, ["a1", "a2", "all"]);
 * ```
 *
 * @module
 */

const ignore = (): void => {};

/** Orders async operations per key; see the module documentation. */
export class KeyedQueue {
  /** Settles after the last operation that every later one waits for. */
  #barrier: Promise<void> = Promise.resolve();
  /** Per key: settles after the last operation asked for on that key. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `operation` after every operation asked for before on `key` and after the last `forAll` one. */
  forKey<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const result = (this.#tails.get(key) ?? this.#barrier).then(operation);
    const tail = result.then(ignore, ignore);
    this.#tails.set(key, tail);
    tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Runs `operation` after every operation asked for before, on any key; later ones wait for it. */
  forAll<T>(operation: () => Promise<T>): Promise<T> {
    const result = Promise.all([this.#barrier, ...this.#tails.values()]).then(operation);
    this.#tails.clear();
    this.#barrier = result.then(ignore, ignore);
    return result;
  }
}
