/**
 * The `retry` option of the manager and of one call (src/policy/retry_setting.ts):
 * a number or RetryOptions, off unless given, the call's fields over the
 * manager's, and errors that name the option.
 */

import assert from "node:assert/strict";
import { checkRetrySetting, requestRetryOptions } from "../../src/policy/retry_setting.ts";

Deno.test("retry setting: off unless given; a number is the limit with ky's defaults", () => {
  assert.equal(requestRetryOptions(undefined, undefined), undefined);
  assert.equal(requestRetryOptions(checkRetrySetting(0), undefined), undefined);
  const options = requestRetryOptions(checkRetrySetting(3), undefined)!;
  assert.equal(options.limit, 3);
  assert.equal(options.methods, undefined); // the idempotent methods
  assert.deepEqual(options.statusCodes, [408, 413, 429, 500, 502, 503, 504]);
  assert.deepEqual(options.backoff, { baseDelay: 300, maxDelay: 30_000 });
  assert.equal(options.maxRetryAfter, Infinity);
  assert.equal(requestRetryOptions(undefined, {})?.limit, 2, "options without a limit: ky's 2");
});

Deno.test("retry setting: the call's fields over the manager's, backoff field by field; 0 turns it off", () => {
  const manager = checkRetrySetting({ limit: 1, statusCodes: [503], backoff: { baseDelay: 100 } });
  const merged = requestRetryOptions(manager, { limit: 4, backoff: { maxDelay: 800 } })!;
  assert.equal(merged.limit, 4);
  assert.deepEqual(merged.statusCodes, [503]);
  assert.deepEqual(merged.backoff, { baseDelay: 100, maxDelay: 800 });
  assert.equal(requestRetryOptions(manager, 0), undefined);
  assert.equal(requestRetryOptions(manager, 5)?.limit, 5);
  assert.equal(requestRetryOptions(manager, { methods: ["POST"] })?.methods?.[0], "POST");
});

Deno.test("retry setting: invalid settings throw errors that name the option and value", () => {
  const cases: [unknown, ErrorConstructor, string][] = [
    [-1, RangeError, "Invalid retry option limit: -1 (expected an integer >= 0)"],
    ["3", TypeError, 'Invalid retry options: "3" (expected a number or a RetryOptions object)'],
    [null, TypeError, "Invalid retry options: null (expected a number or a RetryOptions object)"],
    [[1], TypeError, "Invalid retry options: an array (expected a number or a RetryOptions object)"],
    [{ limt: 1 }, TypeError, 'Unknown retry option "limt"'],
    [{ backoff: 3 }, TypeError, "Invalid retry option backoff: 3 (expected an object)"],
  ];
  for (const [setting, type, message] of cases) {
    const check = (error: Error) => error instanceof type && error.message === message;
    assert.throws(() => checkRetrySetting(setting as number), check, message);
    assert.throws(() => requestRetryOptions({ limit: 1, backoff: {} }, setting as number), check, message);
  }
});
