/**
 * {@linkcode LiveRuns}: the replies a manager is still running, each with
 * the promise of its run, kept in an array rather than a `Map` or `Set`.
 *
 * A manager adds one entry per request and removes it when the request
 * settles. A long-lived `Map` that gains and loses an entry on every request
 * keeps garbage alive through V8's minor collections until the next full
 * one: measured with sequential GETs, about 840 bytes per request survived
 * two minor collections (the replies of past requests, all of it freed by a
 * full collection), against 19 bytes without the `Map` (bench/README.md,
 * "Seventh pass"). Whatever survives a minor collection is copied, then
 * promoted, so that garbage made every scavenge slower and filled the old
 * generation. An array whose removed slots are emptied holds only the runs
 * that are live.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { LiveRuns } from "./live_runs.ts";
 *
 * const runs = new LiveRuns<string>();
 * const first = runs.add("a", () => Promise.resolve());
 * runs.add("b", () => Promise.resolve());
 * runs.delete(first);
 * deepEqual(runs.owners(), ["b"]);
 * runs.delete(first); // a second delete is a no-op
 * equal(runs.size, 1);
 * ```
 *
 * @module
 */

/** One live run: what it belongs to, and the promise that settles when it ends. */
export interface LiveRun<T> {
  readonly owner: T;
  readonly settled: Promise<void>;
}

/** A run with its slot in the array (-1 once deleted). */
interface Slot<T> {
  readonly owner: T;
  settled: Promise<void>;
  index: number;
}

/** Settled already: a slot's promise until its run has started. */
const NOT_STARTED: Promise<void> = Promise.resolve();

/** The live runs of one owner of many (a manager's replies); see the module documentation. */
export class LiveRuns<T> {
  readonly #slots: Slot<T>[] = [];

  /** How many runs are live. */
  get size(): number {
    return this.#slots.length;
  }

  /**
   * Adds a run of `owner` and starts it.
   *
   * @param owner What the run belongs to (a reply).
   * @param start Starts the run, given its handle (for {@linkcode LiveRuns.delete} when it ends); returns its promise.
   * @returns The run.
   * @throws What `start` throws; the run is not kept then.
   */
  add(owner: T, start: (run: LiveRun<T>) => Promise<void>): LiveRun<T> {
    const slot: Slot<T> = { owner, settled: NOT_STARTED, index: this.#slots.length };
    this.#slots.push(slot);
    try {
      slot.settled = start(slot);
    } catch (error) {
      this.delete(slot);
      throw error;
    }
    return slot;
  }

  /**
   * Removes `run` (the last run takes its slot); a run already removed, or another registry's, is left alone.
   *
   * @param run What {@linkcode LiveRuns.add} returned.
   */
  delete(run: LiveRun<T>): void {
    const slots = this.#slots;
    const slot = run as Slot<T>;
    const index = slot.index;
    if (index < 0 || slots[index] !== slot) return;
    const last = slots.pop()!;
    if (last !== slot) {
      slots[index] = last;
      last.index = index;
    }
    slot.index = -1;
  }

  /** The owners of the live runs, in no particular order (a copy). */
  owners(): T[] {
    return this.#slots.map((slot) => slot.owner);
  }

  /** The promises of the live runs (a copy). */
  settledPromises(): Promise<void>[] {
    return this.#slots.map((slot) => slot.settled);
  }
}
