/**
 * Retries, as a pure decision: whether a failed attempt is tried again and
 * after how long. Qt has no retries of its own (only its internal re-send of
 * idempotent requests on a dropped connection); this follows what ky and
 * got users expect — idempotent methods only, a list of retried statuses
 * and network errors, `Retry-After` (RFC 9110 §10.2.3) honoured up to
 * a ceiling, otherwise exponential backoff with full jitter and a cap.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { resolveRetryOptions, retryDecision } from "./retry_policy.ts";
 * const options = resolveRetryOptions({ limit: 3 });
 * const decision = retryDecision(options, {
 *   attempt: 1,
 *   method: "GET",
 *   status: 503,
 *   retryAfter: "2",
 *   bodyReplayable: true,
 *   now: Date.now(),
 *   random: Math.random,
 * });
 * deepEqual(decision, { retry: true, delayMs: 2000 });
 * ```
 *
 * @module
 */

import { parseHttpDate } from "./http_date.ts";
import { isHttpToken } from "./http_token.ts";
import { isIdempotent } from "./is_idempotent.ts";
import { NetworkError, networkErrorName } from "./network_error.ts";
import { checkNow } from "./argument_checks.ts";
import { trimOws } from "./trim_ows.ts";

/**
 * The statuses retried by default, as ky retries them: 408 Request Timeout,
 * 413 Content Too Large (only with `Retry-After`), 429 Too Many Requests,
 * 500, 502, 503 and 504.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { DEFAULT_RETRY_STATUS_CODES } from "./retry_policy.ts";
 * equal(DEFAULT_RETRY_STATUS_CODES.includes(429), true);
 * ```
 */
export const DEFAULT_RETRY_STATUS_CODES: readonly number[] = Object.freeze([
  408,
  413,
  429,
  500,
  502,
  503,
  504,
]);

/**
 * The network errors retried by default: the connection-level failures
 * where the server most likely never acted on the request — refused,
 * closed by the peer, host not found, timed out, a temporary or session
 * network failure, and their proxy counterparts. TLS failures, cancels,
 * permission errors and content or protocol errors are not retried.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkError } from "./network_error.ts";
 * import { DEFAULT_RETRY_NETWORK_ERRORS } from "./retry_policy.ts";
 * equal(DEFAULT_RETRY_NETWORK_ERRORS.includes(NetworkError.ConnectionRefusedError), true);
 * equal(DEFAULT_RETRY_NETWORK_ERRORS.includes(NetworkError.SslHandshakeFailedError), false);
 * ```
 */
export const DEFAULT_RETRY_NETWORK_ERRORS: readonly NetworkError[] = Object.freeze([
  NetworkError.ConnectionRefusedError,
  NetworkError.RemoteHostClosedError,
  NetworkError.HostNotFoundError,
  NetworkError.TimeoutError,
  NetworkError.TemporaryNetworkFailureError,
  NetworkError.NetworkSessionFailedError,
  NetworkError.ProxyConnectionRefusedError,
  NetworkError.ProxyConnectionClosedError,
  NetworkError.ProxyNotFoundError,
  NetworkError.ProxyTimeoutError,
]);

/**
 * Exponential backoff with full jitter: before retry `n` the wait is a
 * random whole number of milliseconds in `[0, min(maxDelay, baseDelay × 2^(n−1))]`.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { RetryBackoff } from "./retry_policy.ts";
 * const backoff: RetryBackoff = { baseDelay: 100, maxDelay: 5_000 };
 * equal(backoff.maxDelay, 5000);
 * ```
 */
export interface RetryBackoff {
  /** The ceiling of the first wait, in ms. Default 300 (ky's first delay). */
  readonly baseDelay?: number;
  /** The cap on any wait, in ms; finite. Default 30 000. */
  readonly maxDelay?: number;
}

/**
 * How a manager retries; every field is optional.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkError } from "./network_error.ts";
 * import type { RetryOptions } from "./retry_policy.ts";
 * const options: RetryOptions = {
 *   limit: 5,
 *   methods: ["GET", "POST"],
 *   networkErrors: [NetworkError.ConnectionRefusedError],
 *   backoff: { baseDelay: 100, maxDelay: 2_000 },
 *   maxRetryAfter: 60_000,
 * };
 * equal(options.limit, 5);
 * ```
 */
export interface RetryOptions {
  /** How many times a request is retried after its first attempt; 0 turns retries off. Default 2. */
  readonly limit?: number;
  /**
   * The methods retried, case-sensitive (RFC 9110 §9.1). Default: the
   * idempotent ones of RFC 9110 §9.2.2 (GET, HEAD, PUT, DELETE, OPTIONS, TRACE).
   */
  readonly methods?: readonly string[];
  /** The response statuses retried. Default {@linkcode DEFAULT_RETRY_STATUS_CODES}. */
  readonly statusCodes?: readonly number[];
  /** The network errors retried. Default {@linkcode DEFAULT_RETRY_NETWORK_ERRORS}. */
  readonly networkErrors?: readonly NetworkError[];
  /** The wait when the server gives no `Retry-After`. */
  readonly backoff?: RetryBackoff;
  /** The longest `Retry-After` wait accepted, in ms; a longer one means no retry. Default Infinity. */
  readonly maxRetryAfter?: number;
}

/**
 * {@linkcode RetryOptions} checked and with every default filled in; made by
 * {@linkcode resolveRetryOptions}. `methods` stays `undefined` for "the RFC
 * 9110 idempotent methods".
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { resolveRetryOptions, type ResolvedRetryOptions } from "./retry_policy.ts";
 * const options: ResolvedRetryOptions = resolveRetryOptions();
 * equal(options.limit, 2);
 * deepEqual(options.backoff, { baseDelay: 300, maxDelay: 30000 });
 * ```
 */
export interface ResolvedRetryOptions {
  /** How many retries after the first attempt. */
  readonly limit: number;
  /** The methods retried; `undefined` means RFC 9110's idempotent methods. */
  readonly methods: readonly string[] | undefined;
  /** The statuses retried. */
  readonly statusCodes: readonly number[];
  /** The network errors retried. */
  readonly networkErrors: readonly NetworkError[];
  /** The backoff bounds, in ms. */
  readonly backoff: Required<RetryBackoff>;
  /** The longest accepted `Retry-After`, in ms. */
  readonly maxRetryAfter: number;
}

const OPTION_NAMES: ReadonlySet<string> = new Set([
  "limit",
  "methods",
  "statusCodes",
  "networkErrors",
  "backoff",
  "maxRetryAfter",
]);
const BACKOFF_NAMES: ReadonlySet<string> = new Set(["baseDelay", "maxDelay"]);
const NETWORK_ERROR_CODES: ReadonlySet<number> = new Set(Object.values(NetworkError));

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  if (typeof value === "function") return "a function";
  return String(value);
}

function invalid(name: string, value: unknown, expected: string): string {
  return `Invalid retry option ${name}: ${describe(value)} (expected ${expected})`;
}

function checkNumber(name: string, value: unknown, expected: string, ok: (n: number) => boolean): number {
  if (typeof value !== "number") throw new TypeError(invalid(name, value, expected));
  if (!ok(value)) throw new RangeError(invalid(name, value, expected));
  return value;
}

function checkList<T>(
  name: string,
  value: unknown,
  checkItem: (item: unknown, at: string) => T,
): readonly T[] {
  if (!Array.isArray(value)) throw new TypeError(invalid(name, value, "an array"));
  return Object.freeze(value.map((item, index) => checkItem(item, `${name}[${index}]`)));
}

function checkKeys(value: object, known: ReadonlySet<string>, prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) throw new TypeError(`Unknown retry option ${JSON.stringify(prefix + key)}`);
  }
}

// Only a missing option takes the default: null is a wrong value, and says so.
function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function isStatus(n: number): boolean {
  return Number.isInteger(n) && n >= 100 && n <= 599;
}

function checkNetworkError(item: unknown, at: string): NetworkError {
  const expected = "a NetworkError code";
  const code = checkNumber(at, item, expected, (n) => NETWORK_ERROR_CODES.has(n)) as NetworkError;
  if (code === NetworkError.NoError || code === NetworkError.OperationCanceledError) {
    throw new RangeError(`Invalid retry option ${at}: ${code} (${networkErrorName(code)} is never retried)`);
  }
  return code;
}

/**
 * Checks {@linkcode RetryOptions} and fills in the defaults. Unknown option
 * names (a typo such as `limt`) are rejected too.
 *
 * @throws {TypeError} If an option has the wrong type or an unknown name, naming the option and value.
 * @throws {RangeError} If a number is out of range, naming the option and value.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { resolveRetryOptions } from "./retry_policy.ts";
 * equal(resolveRetryOptions({ limit: 0 }).limit, 0);
 * try {
 *   resolveRetryOptions({ limit: -1 });
 * } catch (error) {
 *   equal((error as Error).message, "Invalid retry option limit: -1 (expected an integer >= 0)");
 * }
 * ```
 */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`Invalid retry options: ${describe(options)} (expected an object)`);
  }
  checkKeys(options, OPTION_NAMES, "");
  const backoff: RetryBackoff = orDefault(options.backoff, {});
  if (typeof backoff !== "object" || backoff === null || Array.isArray(backoff)) {
    throw new TypeError(invalid("backoff", backoff, "an object"));
  }
  checkKeys(backoff, BACKOFF_NAMES, "backoff.");
  const delay = "a finite number >= 0";
  const isDelay = (n: number) => Number.isFinite(n) && n >= 0;
  return Object.freeze({
    limit: checkNumber(
      "limit",
      orDefault(options.limit, 2),
      "an integer >= 0",
      (n) => Number.isInteger(n) && n >= 0,
    ),
    methods: options.methods === undefined ? undefined : checkList("methods", options.methods, (item, at) => {
      if (typeof item !== "string") throw new TypeError(invalid(at, item, "a method name"));
      if (!isHttpToken(item)) throw new TypeError(invalid(at, item, "an RFC 9110 method token"));
      return item;
    }),
    statusCodes: options.statusCodes === undefined
      ? DEFAULT_RETRY_STATUS_CODES
      : checkList("statusCodes", options.statusCodes, (item, at) =>
        checkNumber(at, item, "an integer status from 100 to 599", isStatus)),
    networkErrors: options.networkErrors === undefined
      ? DEFAULT_RETRY_NETWORK_ERRORS
      : checkList("networkErrors", options.networkErrors, checkNetworkError),
    backoff: Object.freeze({
      baseDelay: checkNumber("backoff.baseDelay", orDefault(backoff.baseDelay, 300), delay, isDelay),
      maxDelay: checkNumber("backoff.maxDelay", orDefault(backoff.maxDelay, 30_000), delay, isDelay),
    }),
    maxRetryAfter: checkNumber(
      "maxRetryAfter",
      orDefault(options.maxRetryAfter, Infinity),
      "a number >= 0",
      (n) => !Number.isNaN(n) && n >= 0,
    ),
  });
}

/** The longest `Retry-After` in seconds kept (2^31, RFC 9111 §1.2.2's ceiling for delta-seconds). */
const MAX_RETRY_AFTER_SECONDS = 2 ** 31;
const DELAY_SECONDS = /^[0-9]+$/;

/**
 * The wait a `Retry-After` field value asks for, in ms (RFC 9110 §10.2.3):
 * delay-seconds (`120`) or an HTTP-date, which counts from `now` and is 0
 * when past. Surrounding whitespace is ignored. Anything else — a negative
 * or fractional number, an unknown date shape, an empty value, no value —
 * is `undefined`: the field is ignored, and the caller falls back to its
 * own backoff. Seconds above 2^31 are read as 2^31 (RFC 9111 §1.2.2).
 *
 * @throws {TypeError} If `value` is neither a string, null nor undefined.
 * @throws {RangeError} If `now` is not a finite number.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseRetryAfter } from "./retry_policy.ts";
 * const now = Date.UTC(2015, 9, 21, 7, 28, 0);
 * equal(parseRetryAfter("120", now), 120000);
 * equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now), 30000);
 * equal(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), 0);
 * equal(parseRetryAfter("-1", now), undefined);
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value !== null && value !== undefined && typeof value !== "string") {
    throw new TypeError(`Cannot parse Retry-After ${describe(value)}: expected a string`);
  }
  checkNow(now, "parse Retry-After");
  if (value === null || value === undefined) return undefined;
  const text = trimOws(value);
  if (DELAY_SECONDS.test(text)) return Math.min(Number(text), MAX_RETRY_AFTER_SECONDS) * 1000;
  const date = parseHttpDate(text);
  return date === undefined ? undefined : Math.max(0, date.getTime() - now);
}

/**
 * The wait before retry number `retry` (1 for the first retry), by
 * exponential backoff with full jitter: `floor(random() × min(maxDelay,
 * baseDelay × 2^(retry−1)))`, so always a whole number of ms in
 * `[0, maxDelay]`. `random` returns a number in `[0, 1)`, like `Math.random`.
 *
 * @throws {RangeError} If `retry` is not an integer >= 1, or `random` returns a number outside `[0, 1)`.
 * @throws {TypeError} If `random` is not a function.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { backoffDelay } from "./retry_policy.ts";
 * const backoff = { baseDelay: 300, maxDelay: 30_000 };
 * equal(backoffDelay(1, backoff, () => 0.5), 150);
 * equal(backoffDelay(3, backoff, () => 0.5), 600);
 * equal(backoffDelay(20, backoff, () => 0.5), 15000);
 * ```
 */
export function backoffDelay(retry: number, backoff: Required<RetryBackoff>, random: () => number): number {
  if (!Number.isInteger(retry) || retry < 1) {
    throw new RangeError(
      `Cannot compute a backoff delay: retry must be an integer >= 1, got ${describe(retry)}`,
    );
  }
  const fraction = drawRandom(random);
  // The exponent stops at 1023 so that a base of 0 never meets an infinite factor.
  const ceiling = Math.min(backoff.maxDelay, backoff.baseDelay * 2 ** Math.min(retry - 1, 1023));
  return Math.floor(fraction * ceiling);
}

function drawRandom(random: () => number): number {
  if (typeof random !== "function") {
    throw new TypeError(`Cannot compute a backoff delay: random must be a function, got ${describe(random)}`);
  }
  const fraction = random();
  if (typeof fraction !== "number" || !(fraction >= 0 && fraction < 1)) {
    throw new RangeError(
      `Cannot compute a backoff delay: random() returned ${describe(fraction)}, not a number in [0, 1)`,
    );
  }
  return fraction;
}

/**
 * One failed attempt, as {@linkcode retryDecision} sees it. Exactly one of
 * `status` (a response arrived) and `error` (the exchange failed without
 * one) is given.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkError } from "./network_error.ts";
 * import type { RetryInput } from "./retry_policy.ts";
 * const input: RetryInput = {
 *   attempt: 1,
 *   method: "GET",
 *   error: NetworkError.ConnectionRefusedError,
 *   bodyReplayable: true,
 *   now: 0,
 *   random: () => 0.5,
 * };
 * equal(input.attempt, 1);
 * ```
 */
export interface RetryInput {
  /** Which attempt failed: 1 for the first try, 2 for the first retry, … */
  readonly attempt: number;
  /** The request method, as sent. */
  readonly method: string;
  /** The response status, when a response arrived. */
  readonly status?: number;
  /** The network error, when no response arrived. */
  readonly error?: NetworkError;
  /** The response's `Retry-After` field value, if any. */
  readonly retryAfter?: string | null;
  /** Whether the request body (if any) can be sent again. */
  readonly bodyReplayable: boolean;
  /** The current time, ms since the epoch (for an HTTP-date `Retry-After`). */
  readonly now: number;
  /** A source of numbers in [0, 1), like `Math.random`, for the jitter. */
  readonly random: () => number;
}

/**
 * Why {@linkcode retryDecision} said no, as a stable code.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { RetryRefusal } from "./retry_policy.ts";
 * const reason: RetryRefusal = "limit-reached";
 * equal(reason, "limit-reached");
 * ```
 */
export type RetryRefusal =
  | "limit-reached"
  | "method-not-retried"
  | "body-not-replayable"
  | "status-not-retried"
  | "error-not-retried"
  | "retry-after-required"
  | "retry-after-too-long";

/**
 * What to do after a failed attempt: retry after `delayMs`, or stop, with a
 * stable `reason` code and a `message` that says why in one sentence.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { RetryDecision } from "./retry_policy.ts";
 * const decision: RetryDecision = { retry: true, delayMs: 150 };
 * equal(decision.retry, true);
 * ```
 */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: RetryRefusal; readonly message: string };

function refuse(reason: RetryRefusal, why: string): RetryDecision {
  return { retry: false, reason, message: `Not retrying: ${why}` };
}

function checkInput(input: RetryInput): void {
  const fail = (what: string, value: unknown, expected: string) =>
    `Cannot decide on a retry: ${what} ${describe(value)} is not ${expected}`;
  if (typeof input !== "object" || input === null) {
    throw new TypeError(fail("input", input, "an object"));
  }
  const { attempt, method, status, error, retryAfter, bodyReplayable } = input;
  if (typeof attempt !== "number") throw new TypeError(fail("attempt", attempt, "a number"));
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(fail("attempt", attempt, "an integer >= 1"));
  }
  if (typeof method !== "string" || !isHttpToken(method)) {
    throw new TypeError(fail("method", method, "an RFC 9110 method token"));
  }
  if ((status === undefined) === (error === undefined)) {
    throw new TypeError(
      `Cannot decide on a retry: give either status or error, got ${
        status === undefined ? "neither" : "both"
      }`,
    );
  }
  if (status !== undefined && (typeof status !== "number" || !isStatus(status))) {
    throw new RangeError(fail("status", status, "an integer from 100 to 599"));
  }
  if (error !== undefined && !NETWORK_ERROR_CODES.has(error)) {
    throw new RangeError(fail("error", error, "a NetworkError code"));
  }
  if (retryAfter !== undefined && retryAfter !== null) {
    if (typeof retryAfter !== "string") throw new TypeError(fail("retryAfter", retryAfter, "a string"));
    if (status === undefined) throw new TypeError("Cannot decide on a retry: retryAfter comes with a status");
  }
  if (typeof bodyReplayable !== "boolean") {
    throw new TypeError(fail("bodyReplayable", bodyReplayable, "a boolean"));
  }
  checkNow(input.now, "decide on a retry");
}

/**
 * Whether to retry after a failed attempt, and after how long. The checks,
 * in order:
 *
 * 1. the limit: attempt `n` may be retried while `n <= limit`;
 * 2. the method is one of `methods` (default: RFC 9110 §9.2.2 idempotent);
 * 3. the body can be sent again;
 * 4. a status is in `statusCodes`, or an error in `networkErrors`;
 * 5. a valid `Retry-After` (see {@linkcode parseRetryAfter}) sets the wait,
 *    unjittered; above `maxRetryAfter` it means no retry. 413 is retried only
 *    with one, as ky does. Unlike ky, it is honoured on every retried status,
 *    as RFC 9110 §10.2.3 does not limit it to 413, 429 and 503;
 * 6. otherwise the wait is {@linkcode backoffDelay} for retry number `attempt`.
 *
 * @throws {TypeError} If the input has a wrong type, or not exactly one of `status` and `error`.
 * @throws {RangeError} If a number in the input is out of range (`attempt`, `status`, `error`, `now`, `random()`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { NetworkError } from "./network_error.ts";
 * import { resolveRetryOptions, retryDecision } from "./retry_policy.ts";
 * const options = resolveRetryOptions();
 * const base = { attempt: 1, method: "GET", bodyReplayable: true, now: 0, random: () => 0.5 };
 * deepEqual(retryDecision(options, { ...base, error: NetworkError.ConnectionRefusedError }), {
 *   retry: true,
 *   delayMs: 150,
 * });
 * deepEqual(retryDecision(options, { ...base, method: "POST", status: 503 }), {
 *   retry: false,
 *   reason: "method-not-retried",
 *   message: "Not retrying: POST is not a retried method",
 * });
 * deepEqual(retryDecision(options, { ...base, status: 413 }), {
 *   retry: false,
 *   reason: "retry-after-required",
 *   message: "Not retrying: status 413 is retried only with a valid Retry-After",
 * });
 * ```
 */
export function retryDecision(options: ResolvedRetryOptions, input: RetryInput): RetryDecision {
  checkInput(input);
  const { attempt, method, status, error, bodyReplayable } = input;
  if (attempt > options.limit) {
    const retries = options.limit === 1 ? "1 retry" : `${options.limit} retries`;
    return refuse("limit-reached", `attempt ${attempt} failed and the limit is ${retries}`);
  }
  const methodRetried = options.methods === undefined
    ? isIdempotent(method)
    : options.methods.includes(method);
  if (!methodRetried) return refuse("method-not-retried", `${method} is not a retried method`);
  if (!bodyReplayable) return refuse("body-not-replayable", "the request body cannot be sent again");
  if (error !== undefined) {
    if (!options.networkErrors.includes(error)) {
      return refuse(
        "error-not-retried",
        `${networkErrorName(error)} (${error}) is not a retried network error`,
      );
    }
    return { retry: true, delayMs: backoffDelay(attempt, options.backoff, input.random) };
  }
  if (!options.statusCodes.includes(status!)) {
    return refuse("status-not-retried", `status ${status} is not a retried status`);
  }
  const retryAfter = parseRetryAfter(input.retryAfter, input.now);
  if (retryAfter === undefined) {
    if (status === 413) {
      return refuse("retry-after-required", "status 413 is retried only with a valid Retry-After");
    }
    return { retry: true, delayMs: backoffDelay(attempt, options.backoff, input.random) };
  }
  if (retryAfter > options.maxRetryAfter) {
    return refuse(
      "retry-after-too-long",
      `Retry-After asks for ${retryAfter} ms, more than maxRetryAfter ${options.maxRetryAfter} ms`,
    );
  }
  return { retry: true, delayMs: retryAfter };
}
