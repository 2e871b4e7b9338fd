/**
 * An abortable sleep on setTimeout (so fake timers drive it), for mock
 * exchanges.
 *
 * @module
 */

/**
 * Resolves true after `ms`, or false as soon as `signal` aborts; the timer is
 * cleared on abort so nothing outlives a cancelled exchange.
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
