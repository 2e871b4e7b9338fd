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
 * const first = runs.add("a");
 * const second = runs.add("b");
 * first.settled = Promise.resolve();
 * second.settled = Promise.resolve();
 * runs.delete(first);
 * deepEqual(runs.owners(), ["b"]);
 * runs.delete(first); // a second delete is a no-op
 * equal(runs.size, 1);
 * ```
 *
 * @module
 */

/** One live run: its owner, the promise that settles when it ends, and its slot in the array. */
export interface LiveRun<T> {
  readonly owner: T;
  /** Settles when the run has ended; set right after {@linkcode LiveRuns.add}. */
  settled: Promise<void>;
  /** @internal The run's index in the array, -1 once deleted. */
  index: number;
}

/** Settled already: the promise of a run whose own is not set yet. */
const NOT_STARTED: Promise<void> = Promise.resolve();

/** The live runs of one owner of many (a manager's replies); see the module documentation. */
export class LiveRuns<T> {
  readonly #runs: LiveRun<T>[] = [];

  /** How many runs are live. */
  get size(): number {
    return this.#runs.length;
  }

  /**
   * Adds a run of `owner`; set its `settled` before anything awaits it.
   *
   * @param owner What the run belongs to (a reply).
   * @returns The run, to pass to {@linkcode LiveRuns.delete} when it ends.
   */
  add(owner: T): LiveRun<T> {
    const run: LiveRun<T> = { owner, settled: NOT_STARTED, index: this.#runs.length };
    this.#runs.push(run);
    return run;
  }

  /**
   * Removes `run` (the last run takes its slot); a run already removed is left alone.
   *
   * @param run What {@linkcode LiveRuns.add} returned.
   */
  delete(run: LiveRun<T>): void {
    const runs = this.#runs;
    const index = run.index;
    if (index < 0 || runs[index] !== run) return;
    const last = runs.pop()!;
    if (last !== run) {
      runs[index] = last;
      last.index = index;
    }
    run.index = -1;
  }

  /** The owners of the live runs, in no particular order (a copy). */
  owners(): T[] {
    return this.#runs.map((run) => run.owner);
  }

  /** The promises of the live runs (a copy). */
  settledPromises(): Promise<void>[] {
    return this.#runs.map((run) => run.settled);
  }
}
