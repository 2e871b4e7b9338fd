/**
 * The `retry` option of the manager and of one request, and how the two
 * make the {@linkcode ResolvedRetryOptions} a request is sent with. As in
 * ky, the option is a number (the limit) or {@linkcode RetryOptions}; unlike
 * ky, retries are off unless asked for (Qt has none).
 *
 * - Neither given: not retried.
 * - Only the manager's: the manager's, its missing fields ky's defaults.
 * - The request's: its fields over the manager's (`backoff` field by field),
 *   so `{ limit: 5 }` on a call keeps the manager's `statusCodes`, and
 *   `retry: 0` turns retries off for that call.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { checkRetrySetting, requestRetryOptions } from "./retry_setting.ts";
 * const manager = checkRetrySetting({ limit: 3, statusCodes: [503] });
 * equal(requestRetryOptions(manager, undefined)?.limit, 3);
 * deepEqual(requestRetryOptions(manager, { limit: 5 })?.statusCodes, [ 503 ]);
 * equal(requestRetryOptions(undefined, undefined), undefined);
 * ```
 *
 * @module
 */

import { type ResolvedRetryOptions, resolveRetryOptions, type RetryOptions } from "../core/retry_policy.ts";

/**
 * The `retry` option: the number of retries (as `{ limit }`), or {@linkcode RetryOptions}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { RetrySetting } from "./retry_setting.ts";
 * const settings: RetrySetting[] = [2, { limit: 3, methods: ["GET", "POST"] }];
 * equal(settings.length, 2);
 * ```
 */
export type RetrySetting = number | RetryOptions;

function asOptions(setting: RetrySetting): RetryOptions {
  if (typeof setting === "number") return { limit: setting };
  if (typeof setting !== "object" || setting === null || Array.isArray(setting)) {
    const shown = typeof setting === "string"
      ? JSON.stringify(setting)
      : Array.isArray(setting)
      ? "an array"
      : String(setting);
    throw new TypeError(`Invalid retry options: ${shown} (expected a number or a RetryOptions object)`);
  }
  return setting;
}

/**
 * Checks a `retry` option as given and returns it as {@linkcode RetryOptions}
 * (`undefined` stays `undefined`).
 *
 * @throws {TypeError} If it has the wrong type or an unknown field, naming the option and value.
 * @throws {RangeError} If a number is out of range, naming the option and value.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { checkRetrySetting } from "./retry_setting.ts";
 * deepEqual(checkRetrySetting(2), { limit: 2 });
 * try {
 *   checkRetrySetting({ limit: 1.5 });
 * } catch (error) {
 *   equal((error as Error).message, "Invalid retry option limit: 1.5 (expected an integer >= 0)");
 * }
 * ```
 */
export function checkRetrySetting(setting: RetrySetting | undefined): RetryOptions | undefined {
  if (setting === undefined) return undefined;
  const options = asOptions(setting);
  resolveRetryOptions(options);
  return options;
}

/**
 * The options one request is retried with: `request`'s fields over
 * `manager`'s (see the module documentation); `undefined` when neither is
 * given or the limit is 0.
 *
 * @param manager The manager's option, as {@linkcode checkRetrySetting} returned it.
 * @param request The call's option, unchecked.
 * @throws {TypeError} If the call's option has the wrong type or an unknown field.
 * @throws {RangeError} If a number of the call's option is out of range.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { requestRetryOptions } from "./retry_setting.ts";
 * equal(requestRetryOptions({ limit: 3 }, 0), undefined);
 * deepEqual(requestRetryOptions({ backoff: { baseDelay: 100 } }, { backoff: { maxDelay: 500 } })?.backoff, { baseDelay: 100, maxDelay: 500 });
 * ```
 */
export function requestRetryOptions(
  manager: RetryOptions | undefined,
  request: RetrySetting | undefined,
): ResolvedRetryOptions | undefined {
  let merged = manager;
  if (request !== undefined) {
    const own = asOptions(request);
    merged = { ...manager, ...own };
    const backoff: unknown = own.backoff;
    if (
      manager?.backoff !== undefined && typeof backoff === "object" && backoff !== null &&
      !Array.isArray(backoff)
    ) {
      merged = { ...merged, backoff: { ...manager.backoff, ...own.backoff } };
    }
  }
  if (merged === undefined) return undefined;
  const resolved = resolveRetryOptions(merged);
  return resolved.limit === 0 ? undefined : resolved;
}
