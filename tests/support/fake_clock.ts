/**
 * Fake timers for a test body: installed before it runs and uninstalled
 * afterwards whatever happens, so a failing test cannot leave the fake clock
 * behind for the tests after it.
 *
 * @example
 * ```ts
 * import { withFakeClock } from "./fake_clock.ts";
 * await withFakeClock(async (clock) => {
 *   let fired = false;
 *   setTimeout(() => fired = true, 1_000);
 *   await clock.tickAsync(1_000);
 *   console.log(fired); // true
 * });
 * ```
 *
 * @module
 */

import FakeTimers from "@sinonjs/fake-timers";

/** The clock that drives the fake timers: `tickAsync()`, `countTimers()`, ... */
export type FakeClock = ReturnType<typeof FakeTimers.install>;

/** Runs `body` with fake timers installed and uninstalls them when it settles. */
export async function withFakeClock<T>(body: (clock: FakeClock) => Promise<T>): Promise<T> {
  const clock = FakeTimers.install();
  try {
    return await body(clock);
  } finally {
    clock.uninstall();
  }
}
