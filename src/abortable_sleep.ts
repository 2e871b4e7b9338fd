/**
 * An abortable sleep on setTimeout (so fake timers drive it): mock
 * exchanges' delays and the retry layer's waits.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { abortableSleep } from "./abortable_sleep.ts";
 * const controller = new AbortController();
 * const sleeping = abortableSleep(60_000, controller.signal);
 * controller.abort();
 * equal(await sleeping, false);
 * ```
 *
 * @module
 */

/**
 * Resolves true after `ms`, or false as soon as `signal` aborts; the timer is
 * cleared on abort so nothing outlives a cancelled exchange.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { abortableSleep } from "./abortable_sleep.ts";
 * equal(await abortableSleep(1, new AbortController().signal), true);
 * ```
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
