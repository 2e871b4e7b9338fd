/**
 * {@linkcode abortable}: waits for a runtime call that takes no signal, and
 * still lets a signal cancel the wait.
 *
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { abortable } from "./abortable.ts";
 * const controller = new AbortController();
 * controller.abort(new Error("stop"));
 * await rejects(abortable(Promise.resolve(1), controller.signal, () => {}), { message: "stop" });
 * ```
 *
 * @module
 */

/**
 * Resolves like `promise`, unless `signal` aborts first: then rejects with
 * the signal's reason, and hands the value (if it still arrives) to
 * `discard`, so a connection that opens too late is closed rather than leaked.
 *
 * @param promise The runtime's pending call.
 * @param signal The cancelling signal.
 * @param discard Frees a value that arrived after the abort.
 * @returns The value of `promise`.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { abortable } from "./abortable.ts";
 * equal(await abortable(Promise.resolve("open"), new AbortController().signal, () => {}), "open");
 * ```
 */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  discard: (late: T) => void,
): Promise<T> {
  if (signal.aborted) {
    promise.then(discard, () => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        if (aborted) discard(value);
        else resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        if (!aborted) reject(error);
      },
    );
  });
}
