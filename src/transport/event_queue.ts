/**
 * {@linkcode EventQueue}: a push/pull queue that bridges callbacks (upload
 * progress, a settling `fetch()`) into the pull-based `next()` of a transport.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { EventQueue } from "./event_queue.ts";
 * const queue = new EventQueue<string>();
 * queue.push("a");
 * equal(await queue.take(), "a");
 * ```
 *
 * @module
 */

/**
 * Items pushed by producers at any time, taken one at a time by a single
 * consumer. `take()` waits when the queue is empty.
 *
 * An optional `merge` coalesces a pushed item with the last queued one (e.g.
 * intermediate progress updates), so a consumer that falls behind sees the
 * latest state instead of a growing backlog.
 *
 * @example Coalescing progress
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { EventQueue } from "./event_queue.ts";
 * const queue = new EventQueue<number>((last, next) => Math.max(last, next));
 * queue.push(1);
 * queue.push(2);
 * equal(await queue.take(), 2);
 * ```
 */
export class EventQueue<T> {
  readonly #items: T[] = [];
  readonly #merge?: (last: T, next: T) => T | undefined;
  #waiter?: (item: T) => void;

  /**
   * Creates an empty queue.
   *
   * @param merge Returns the item that replaces the last queued item and the
   * pushed one, or `undefined` to queue both.
   */
  constructor(merge?: (last: T, next: T) => T | undefined) {
    this.#merge = merge;
  }

  /** Adds an item, handing it straight to a waiting `take()` if there is one. */
  push(item: T): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter(item);
      return;
    }
    const last = this.#items.length - 1;
    const merged = last >= 0 && this.#merge ? this.#merge(this.#items[last], item) : undefined;
    if (merged === undefined) this.#items.push(item);
    else this.#items[last] = merged;
  }

  /** The oldest item, waiting for one if the queue is empty. One taker at a time. */
  take(): Promise<T> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift() as T);
    if (this.#waiter) return Promise.reject(new Error("Cannot take from an EventQueue twice at once"));
    return new Promise((resolve) => this.#waiter = resolve);
  }
}
