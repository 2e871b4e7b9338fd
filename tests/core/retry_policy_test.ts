// resolveRetryOptions / parseRetryAfter / backoffDelay / retryDecision:
// retries as a pure decision (ky's defaults, RFC 9110 §9.2.2 idempotent
// methods, Retry-After per RFC 9110 §10.2.3, full-jitter backoff).

import assert from "node:assert/strict";
import fc from "fast-check";
import { NetworkError } from "../../src/core/network_error.ts";
import {
  backoffDelay,
  DEFAULT_RETRY_NETWORK_ERRORS,
  DEFAULT_RETRY_STATUS_CODES,
  parseRetryAfter,
  resolveRetryOptions,
  type RetryDecision,
  retryDecision,
  type RetryInput,
  type RetryOptions,
} from "../../src/core/retry_policy.ts";

const NOW = Date.UTC(2015, 9, 21, 7, 28, 0); // Wed, 21 Oct 2015 07:28:00 GMT
const HALF = () => 0.5;

// ----------------------------------------------------------------- options

Deno.test("resolveRetryOptions: the defaults", () => {
  assert.deepEqual(resolveRetryOptions(), {
    limit: 2,
    methods: undefined,
    statusCodes: [408, 413, 429, 500, 502, 503, 504],
    networkErrors: [1, 2, 3, 4, 7, 8, 101, 102, 103, 104],
    backoff: { baseDelay: 300, maxDelay: 30_000 },
    maxRetryAfter: Infinity,
  });
  assert.deepEqual(resolveRetryOptions({}), resolveRetryOptions());
  assert.equal(resolveRetryOptions().statusCodes, DEFAULT_RETRY_STATUS_CODES);
  assert.equal(resolveRetryOptions().networkErrors, DEFAULT_RETRY_NETWORK_ERRORS);
});

Deno.test("resolveRetryOptions: given values are kept, and the result is frozen", () => {
  const resolved = resolveRetryOptions({
    limit: 0,
    methods: ["POST", "get"],
    statusCodes: [],
    networkErrors: [NetworkError.SslHandshakeFailedError],
    backoff: { baseDelay: 0 },
    maxRetryAfter: 0,
  });
  assert.deepEqual(resolved, {
    limit: 0,
    methods: ["POST", "get"],
    statusCodes: [],
    networkErrors: [6],
    backoff: { baseDelay: 0, maxDelay: 30_000 },
    maxRetryAfter: 0,
  });
  assert.ok(
    Object.isFrozen(resolved) && Object.isFrozen(resolved.methods) && Object.isFrozen(resolved.backoff),
  );
  assert.ok(Object.isFrozen(DEFAULT_RETRY_STATUS_CODES) && Object.isFrozen(DEFAULT_RETRY_NETWORK_ERRORS));
});

Deno.test("resolveRetryOptions: the caller's arrays are copied", () => {
  const methods = ["GET"];
  const resolved = resolveRetryOptions({ methods });
  methods.push("POST");
  assert.deepEqual(resolved.methods, ["GET"]);
});

const badOptions: { options: unknown; error: "TypeError" | "RangeError"; message: string }[] = [
  { options: null, error: "TypeError", message: "Invalid retry options: null (expected an object)" },
  { options: 3, error: "TypeError", message: "Invalid retry options: 3 (expected an object)" },
  { options: [], error: "TypeError", message: "Invalid retry options: an array (expected an object)" },
  { options: { limt: 2 }, error: "TypeError", message: 'Unknown retry option "limt"' },
  { options: { backoff: { cap: 2 } }, error: "TypeError", message: 'Unknown retry option "backoff.cap"' },
  {
    options: { limit: "2" },
    error: "TypeError",
    message: 'Invalid retry option limit: "2" (expected an integer >= 0)',
  },
  {
    options: { limit: -1 },
    error: "RangeError",
    message: "Invalid retry option limit: -1 (expected an integer >= 0)",
  },
  {
    options: { limit: 1.5 },
    error: "RangeError",
    message: "Invalid retry option limit: 1.5 (expected an integer >= 0)",
  },
  {
    options: { limit: NaN },
    error: "RangeError",
    message: "Invalid retry option limit: NaN (expected an integer >= 0)",
  },
  {
    options: { limit: Infinity },
    error: "RangeError",
    message: "Invalid retry option limit: Infinity (expected an integer >= 0)",
  },
  {
    options: { methods: "GET" },
    error: "TypeError",
    message: 'Invalid retry option methods: "GET" (expected an array)',
  },
  {
    options: { methods: ["GET", 1] },
    error: "TypeError",
    message: "Invalid retry option methods[1]: 1 (expected a method name)",
  },
  {
    options: { methods: ["GET", "BAD METHOD"] },
    error: "TypeError",
    message: 'Invalid retry option methods[1]: "BAD METHOD" (expected an RFC 9110 method token)',
  },
  {
    options: { methods: [""] },
    error: "TypeError",
    message: 'Invalid retry option methods[0]: "" (expected an RFC 9110 method token)',
  },
  {
    options: { statusCodes: 503 },
    error: "TypeError",
    message: "Invalid retry option statusCodes: 503 (expected an array)",
  },
  {
    options: { statusCodes: [503, 600] },
    error: "RangeError",
    message: "Invalid retry option statusCodes[1]: 600 (expected an integer status from 100 to 599)",
  },
  {
    options: { statusCodes: [99] },
    error: "RangeError",
    message: "Invalid retry option statusCodes[0]: 99 (expected an integer status from 100 to 599)",
  },
  {
    options: { statusCodes: ["503"] },
    error: "TypeError",
    message: 'Invalid retry option statusCodes[0]: "503" (expected an integer status from 100 to 599)',
  },
  {
    options: { networkErrors: [1000] },
    error: "RangeError",
    message: "Invalid retry option networkErrors[0]: 1000 (expected a NetworkError code)",
  },
  {
    options: { networkErrors: ["TimeoutError"] },
    error: "TypeError",
    message: 'Invalid retry option networkErrors[0]: "TimeoutError" (expected a NetworkError code)',
  },
  {
    options: { networkErrors: [1, NetworkError.OperationCanceledError] },
    error: "RangeError",
    message: "Invalid retry option networkErrors[1]: 5 (OperationCanceledError is never retried)",
  },
  {
    options: { networkErrors: [NetworkError.NoError] },
    error: "RangeError",
    message: "Invalid retry option networkErrors[0]: 0 (NoError is never retried)",
  },
  {
    options: { backoff: null },
    error: "TypeError",
    message: "Invalid retry option backoff: null (expected an object)",
  },
  {
    options: { limit: null },
    error: "TypeError",
    message: "Invalid retry option limit: null (expected an integer >= 0)",
  },
  {
    options: { backoff: 5 },
    error: "TypeError",
    message: "Invalid retry option backoff: 5 (expected an object)",
  },
  {
    options: { backoff: { baseDelay: -1 } },
    error: "RangeError",
    message: "Invalid retry option backoff.baseDelay: -1 (expected a finite number >= 0)",
  },
  {
    options: { backoff: { maxDelay: Infinity } },
    error: "RangeError",
    message: "Invalid retry option backoff.maxDelay: Infinity (expected a finite number >= 0)",
  },
  {
    options: { backoff: { maxDelay: null } },
    error: "TypeError",
    message: "Invalid retry option backoff.maxDelay: null (expected a finite number >= 0)",
  },
  {
    options: { maxRetryAfter: -5 },
    error: "RangeError",
    message: "Invalid retry option maxRetryAfter: -5 (expected a number >= 0)",
  },
  {
    options: { maxRetryAfter: NaN },
    error: "RangeError",
    message: "Invalid retry option maxRetryAfter: NaN (expected a number >= 0)",
  },
  {
    options: { maxRetryAfter: {} },
    error: "TypeError",
    message: "Invalid retry option maxRetryAfter: an object (expected a number >= 0)",
  },
];

for (const { options, error, message } of badOptions) {
  Deno.test(`resolveRetryOptions(${JSON.stringify(options)}) throws ${error}`, () => {
    assert.throws(() => resolveRetryOptions(options as RetryOptions), { name: error, message });
  });
}

// ------------------------------------------------------------ Retry-After

const retryAfters: { value: string | null | undefined; expected: number | undefined; why: string }[] = [
  { value: "0", expected: 0, why: "delay-seconds zero" },
  { value: "120", expected: 120_000, why: "delay-seconds" },
  { value: "0120", expected: 120_000, why: "leading zeros" },
  { value: " 5\t", expected: 5_000, why: "OWS trimmed" },
  { value: "99999999999999999999", expected: 2 ** 31 * 1000, why: "clamped to 2^31 s" },
  { value: "Wed, 21 Oct 2015 07:28:30 GMT", expected: 30_000, why: "IMF-fixdate in the future" },
  { value: "Wednesday, 21-Oct-15 07:28:30 GMT", expected: 0, why: "RFC 850 reads 19yy, like Qt: past" },
  { value: "Wed Oct 21 07:29:00 2015", expected: 60_000, why: "asctime" },
  { value: "Wed, 21 Oct 2015 07:28:00 GMT", expected: 0, why: "now" },
  { value: "Wed, 21 Oct 2015 07:27:00 GMT", expected: 0, why: "past date: no wait" },
  { value: "", expected: undefined, why: "empty" },
  { value: "  ", expected: undefined, why: "blank" },
  { value: "-1", expected: undefined, why: "negative" },
  { value: "+1", expected: undefined, why: "signed" },
  { value: "1.5", expected: undefined, why: "fraction" },
  { value: "1e3", expected: undefined, why: "exponent" },
  { value: "12 s", expected: undefined, why: "unit" },
  { value: "2015-10-21T07:28:30Z", expected: undefined, why: "ISO 8601 is not an HTTP-date" },
  { value: "Wed, 21 Oct 2015 07:28:30 UTC", expected: undefined, why: "zone must be GMT" },
  { value: null, expected: undefined, why: "no field" },
  { value: undefined, expected: undefined, why: "no field" },
];

for (const { value, expected, why } of retryAfters) {
  Deno.test(`parseRetryAfter(${JSON.stringify(value)}) is ${expected} (${why})`, () => {
    assert.equal(parseRetryAfter(value, NOW), expected);
  });
}

Deno.test("parseRetryAfter: bad arguments throw", () => {
  assert.throws(() => parseRetryAfter(5 as unknown as string, NOW), {
    name: "TypeError",
    message: "Cannot parse Retry-After 5: expected a string",
  });
  assert.throws(() => parseRetryAfter("5", NaN), {
    name: "RangeError",
    message: "Cannot parse Retry-After: now must be a finite number of milliseconds, got NaN",
  });
});

Deno.test("parseRetryAfter: any delay-seconds n gives n × 1000 ms (property)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seconds) => {
      assert.equal(parseRetryAfter(String(seconds), NOW), seconds * 1000);
    }),
    { seed: 9110, numRuns: 100 },
  );
});

// ---------------------------------------------------------------- backoff

const backoffs: { retry: number; random: number; expected: number }[] = [
  { retry: 1, random: 0, expected: 0 },
  { retry: 1, random: 0.5, expected: 150 },
  { retry: 1, random: 0.999999, expected: 299 },
  { retry: 2, random: 0.5, expected: 300 },
  { retry: 3, random: 0.5, expected: 600 },
  { retry: 7, random: 0.5, expected: 9_600 },
  { retry: 8, random: 0.5, expected: 15_000 },
  { retry: 8, random: 0.999999, expected: 29_999 },
  { retry: 1000, random: 0.5, expected: 15_000 },
  { retry: 2000, random: 0.5, expected: 15_000 },
];

for (const { retry, random, expected } of backoffs) {
  Deno.test(`backoffDelay(${retry}, default, () => ${random}) is ${expected}`, () => {
    assert.equal(backoffDelay(retry, resolveRetryOptions().backoff, () => random), expected);
  });
}

Deno.test("backoffDelay: 0 <= delay <= maxDelay, whole ms, for any base, cap, retry and draw (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 1e9, noNaN: true }),
      fc.double({ min: 0, max: 1e9, noNaN: true }),
      fc.integer({ min: 1, max: 5000 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (baseDelay, maxDelay, retry, draw) => {
        const delay = backoffDelay(retry, { baseDelay, maxDelay }, () => draw);
        assert.ok(Number.isInteger(delay), `whole ms: ${delay}`);
        assert.ok(delay >= 0 && delay <= maxDelay, `${delay} within [0, ${maxDelay}]`);
        assert.ok(delay <= baseDelay * 2 ** Math.min(retry - 1, 1023), "never above the exponential ceiling");
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});

Deno.test("backoffDelay: a base of 0 waits 0 at any retry", () => {
  assert.equal(backoffDelay(5000, { baseDelay: 0, maxDelay: 1000 }, () => 0.9), 0);
});

Deno.test("backoffDelay: bad arguments throw", () => {
  const backoff = resolveRetryOptions().backoff;
  const cases: [() => unknown, string, string][] = [
    [
      () => backoffDelay(0, backoff, HALF),
      "RangeError",
      "Cannot compute a backoff delay: retry must be an integer >= 1, got 0",
    ],
    [
      () => backoffDelay(1.5, backoff, HALF),
      "RangeError",
      "Cannot compute a backoff delay: retry must be an integer >= 1, got 1.5",
    ],
    [
      () => backoffDelay(1, backoff, 0.5 as unknown as () => number),
      "TypeError",
      "Cannot compute a backoff delay: random must be a function, got 0.5",
    ],
    [
      () => backoffDelay(1, backoff, () => 1),
      "RangeError",
      "Cannot compute a backoff delay: random() returned 1, not a number in [0, 1)",
    ],
    [
      () => backoffDelay(1, backoff, () => -0.1),
      "RangeError",
      "Cannot compute a backoff delay: random() returned -0.1, not a number in [0, 1)",
    ],
    [
      () => backoffDelay(1, backoff, () => NaN),
      "RangeError",
      "Cannot compute a backoff delay: random() returned NaN, not a number in [0, 1)",
    ],
    [
      () => backoffDelay(1, backoff, () => "0.5" as unknown as number),
      "RangeError",
      'Cannot compute a backoff delay: random() returned "0.5", not a number in [0, 1)',
    ],
  ];
  for (const [call, name, message] of cases) assert.throws(call, { name, message });
});

// --------------------------------------------------------------- decision

/** A decision in one comparable line: `retry <ms>` or `<reason>: <message>`. */
function show(decision: RetryDecision): string {
  return decision.retry ? `retry ${decision.delayMs}` : `${decision.reason}: ${decision.message}`;
}

function decide(input: Partial<RetryInput>, options: RetryOptions = {}): string {
  const full = { attempt: 1, method: "GET", bodyReplayable: true, now: NOW, random: HALF, ...input };
  if (full.status === undefined && full.error === undefined) full.status = 503;
  return show(retryDecision(resolveRetryOptions(options), full));
}

const E = NetworkError;
const decisions: { why: string; input: Partial<RetryInput>; options?: RetryOptions; expected: string }[] = [
  // Statuses (default list).
  ...[408, 429, 500, 502, 503, 504].map((status) => ({
    why: `status ${status} is retried`,
    input: { status },
    expected: "retry 150",
  })),
  ...[400, 401, 403, 404, 409, 410, 422, 501, 505, 200, 304].map((status) => ({
    why: `status ${status} is not retried`,
    input: { status },
    expected: `status-not-retried: Not retrying: status ${status} is not a retried status`,
  })),
  // 413 only with Retry-After, as ky.
  {
    why: "413 without Retry-After",
    input: { status: 413 },
    expected: "retry-after-required: Not retrying: status 413 is retried only with a valid Retry-After",
  },
  {
    why: "413 with an unusable Retry-After",
    input: { status: 413, retryAfter: "soon" },
    expected: "retry-after-required: Not retrying: status 413 is retried only with a valid Retry-After",
  },
  { why: "413 with Retry-After", input: { status: 413, retryAfter: "3" }, expected: "retry 3000" },
  // Retry-After sets the wait, unjittered and not capped by the backoff.
  { why: "429 Retry-After seconds", input: { status: 429, retryAfter: "10" }, expected: "retry 10000" },
  {
    why: "503 Retry-After date",
    input: { status: 503, retryAfter: "Wed, 21 Oct 2015 07:28:30 GMT" },
    expected: "retry 30000",
  },
  {
    why: "Retry-After in the past",
    input: { retryAfter: "Wed, 21 Oct 2015 07:00:00 GMT" },
    expected: "retry 0",
  },
  { why: "Retry-After 0", input: { retryAfter: "0" }, expected: "retry 0" },
  {
    why: "Retry-After beyond the backoff cap",
    input: { retryAfter: "3600" },
    options: { backoff: { maxDelay: 1000 } },
    expected: "retry 3600000",
  },
  {
    why: "Retry-After honoured on 500 too (RFC 9110)",
    input: { status: 500, retryAfter: "1" },
    expected: "retry 1000",
  },
  { why: "invalid Retry-After falls back to backoff", input: { retryAfter: "-1" }, expected: "retry 150" },
  { why: "null Retry-After", input: { retryAfter: null }, expected: "retry 150" },
  // maxRetryAfter.
  {
    why: "Retry-After above maxRetryAfter",
    input: { retryAfter: "61" },
    options: { maxRetryAfter: 60_000 },
    expected:
      "retry-after-too-long: Not retrying: Retry-After asks for 61000 ms, more than maxRetryAfter 60000 ms",
  },
  {
    why: "Retry-After equal to maxRetryAfter",
    input: { retryAfter: "60" },
    options: { maxRetryAfter: 60_000 },
    expected: "retry 60000",
  },
  {
    why: "maxRetryAfter 0 allows only an immediate retry",
    input: { retryAfter: "1" },
    options: { maxRetryAfter: 0 },
    expected:
      "retry-after-too-long: Not retrying: Retry-After asks for 1000 ms, more than maxRetryAfter 0 ms",
  },
  // Network errors.
  ...DEFAULT_RETRY_NETWORK_ERRORS.map((error) => ({
    why: `error ${error} is retried`,
    input: { error },
    expected: "retry 150",
  })),
  {
    why: "SSL handshake failure",
    input: { error: E.SslHandshakeFailedError },
    expected: "error-not-retried: Not retrying: SslHandshakeFailedError (6) is not a retried network error",
  },
  {
    why: "cancel",
    input: { error: E.OperationCanceledError },
    expected: "error-not-retried: Not retrying: OperationCanceledError (5) is not a retried network error",
  },
  {
    why: "permission denied",
    input: { error: E.PermissionDeniedError },
    expected: "error-not-retried: Not retrying: PermissionDeniedError (98) is not a retried network error",
  },
  {
    why: "protocol failure",
    input: { error: E.ProtocolFailure },
    expected: "error-not-retried: Not retrying: ProtocolFailure (399) is not a retried network error",
  },
  {
    why: "a chosen error list",
    input: { error: E.UnknownNetworkError },
    options: { networkErrors: [E.UnknownNetworkError] },
    expected: "retry 150",
  },
  {
    why: "an empty error list",
    input: { error: E.TimeoutError },
    options: { networkErrors: [] },
    expected: "error-not-retried: Not retrying: TimeoutError (4) is not a retried network error",
  },
  // Methods.
  ...["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"].map((method) => ({
    why: `${method} is idempotent`,
    input: { method },
    expected: "retry 150",
  })),
  ...["POST", "PATCH", "CONNECT", "PROPFIND", "get"].map((method) => ({
    why: `${method} is not retried by default`,
    input: { method },
    expected: `method-not-retried: Not retrying: ${method} is not a retried method`,
  })),
  {
    why: "a chosen method list",
    input: { method: "POST" },
    options: { methods: ["POST"] },
    expected: "retry 150",
  },
  {
    why: "a chosen list replaces the default",
    input: { method: "GET" },
    options: { methods: ["POST"] },
    expected: "method-not-retried: Not retrying: GET is not a retried method",
  },
  // Body.
  {
    why: "a body that cannot be sent again",
    input: { method: "PUT", bodyReplayable: false },
    expected: "body-not-replayable: Not retrying: the request body cannot be sent again",
  },
  // Limit and the backoff growing with the attempt.
  { why: "attempt 2 of limit 2", input: { attempt: 2 }, expected: "retry 300" },
  {
    why: "attempt 3 of limit 2",
    input: { attempt: 3 },
    expected: "limit-reached: Not retrying: attempt 3 failed and the limit is 2 retries",
  },
  {
    why: "limit 1",
    input: { attempt: 2 },
    options: { limit: 1 },
    expected: "limit-reached: Not retrying: attempt 2 failed and the limit is 1 retry",
  },
  {
    why: "limit 0 turns retries off",
    input: { attempt: 1 },
    options: { limit: 0 },
    expected: "limit-reached: Not retrying: attempt 1 failed and the limit is 0 retries",
  },
  { why: "attempt 5 of limit 10", input: { attempt: 5 }, options: { limit: 10 }, expected: "retry 2400" },
  // Order of the checks: limit, method, body, outcome, Retry-After.
  {
    why: "the limit is checked first",
    input: { attempt: 3, method: "POST", bodyReplayable: false, status: 404 },
    expected: "limit-reached: Not retrying: attempt 3 failed and the limit is 2 retries",
  },
  {
    why: "then the method",
    input: { method: "POST", bodyReplayable: false, status: 404 },
    expected: "method-not-retried: Not retrying: POST is not a retried method",
  },
  {
    why: "then the body",
    input: { bodyReplayable: false, status: 404 },
    expected: "body-not-replayable: Not retrying: the request body cannot be sent again",
  },
  {
    why: "a status off the list ignores Retry-After",
    input: { status: 404, retryAfter: "1" },
    expected: "status-not-retried: Not retrying: status 404 is not a retried status",
  },
];

for (const { why, input, options, expected } of decisions) {
  Deno.test(`retryDecision: ${why} → ${expected}`, () => {
    assert.equal(decide(input, options), expected);
  });
}

Deno.test("retryDecision: a backoff wait stays within [0, maxDelay] for any attempt and draw (property)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempt, maxDelay, draw) => {
        const decision = retryDecision(resolveRetryOptions({ limit: 100, backoff: { maxDelay } }), {
          attempt,
          method: "GET",
          error: NetworkError.RemoteHostClosedError,
          bodyReplayable: true,
          now: NOW,
          random: () => draw,
        });
        assert.ok(decision.retry && decision.delayMs >= 0 && decision.delayMs <= maxDelay);
      },
    ),
    { seed: 7, numRuns: 200 },
  );
});

Deno.test("retryDecision: random is drawn only for a backoff wait", () => {
  let draws = 0;
  const random = () => (draws++, 0.25);
  const options = resolveRetryOptions();
  const base = { attempt: 1, method: "GET", bodyReplayable: true, now: NOW, random };
  retryDecision(options, { ...base, status: 503, retryAfter: "1" });
  retryDecision(options, { ...base, status: 404 });
  assert.equal(draws, 0);
  assert.deepEqual(retryDecision(options, { ...base, status: 503 }), { retry: true, delayMs: 75 });
  assert.equal(draws, 1);
});

const badInputs: { input: unknown; error: "TypeError" | "RangeError"; message: string }[] = [
  { input: null, error: "TypeError", message: "Cannot decide on a retry: input null is not an object" },
  {
    input: { attempt: "1" },
    error: "TypeError",
    message: 'Cannot decide on a retry: attempt "1" is not a number',
  },
  {
    input: { attempt: 0 },
    error: "RangeError",
    message: "Cannot decide on a retry: attempt 0 is not an integer >= 1",
  },
  {
    input: { attempt: 1.5 },
    error: "RangeError",
    message: "Cannot decide on a retry: attempt 1.5 is not an integer >= 1",
  },
  {
    input: { method: "G T" },
    error: "TypeError",
    message: 'Cannot decide on a retry: method "G T" is not an RFC 9110 method token',
  },
  {
    input: { method: undefined },
    error: "TypeError",
    message: "Cannot decide on a retry: method undefined is not an RFC 9110 method token",
  },
  {
    input: { status: undefined, error: undefined },
    error: "TypeError",
    message: "Cannot decide on a retry: give either status or error, got neither",
  },
  {
    input: { status: 503, error: NetworkError.TimeoutError },
    error: "TypeError",
    message: "Cannot decide on a retry: give either status or error, got both",
  },
  {
    input: { status: 600 },
    error: "RangeError",
    message: "Cannot decide on a retry: status 600 is not an integer from 100 to 599",
  },
  {
    input: { status: "503" },
    error: "RangeError",
    message: 'Cannot decide on a retry: status "503" is not an integer from 100 to 599',
  },
  {
    input: { status: undefined, error: 1234 },
    error: "RangeError",
    message: "Cannot decide on a retry: error 1234 is not a NetworkError code",
  },
  {
    input: { retryAfter: 5 },
    error: "TypeError",
    message: "Cannot decide on a retry: retryAfter 5 is not a string",
  },
  {
    input: { status: undefined, error: NetworkError.TimeoutError, retryAfter: "5" },
    error: "TypeError",
    message: "Cannot decide on a retry: retryAfter comes with a status",
  },
  {
    input: { bodyReplayable: "yes" },
    error: "TypeError",
    message: 'Cannot decide on a retry: bodyReplayable "yes" is not a boolean',
  },
  {
    input: { now: new Date(NOW) },
    error: "RangeError",
    message: "Cannot decide on a retry: now must be a finite number of milliseconds, got an object",
  },
  {
    input: { random: () => 1 },
    error: "RangeError",
    message: "Cannot compute a backoff delay: random() returned 1, not a number in [0, 1)",
  },
];

for (const { input, error, message } of badInputs) {
  Deno.test(`retryDecision: bad input ${JSON.stringify(input)} throws ${error}`, () => {
    const full = input === null ? null : {
      attempt: 1,
      method: "GET",
      status: 503,
      bodyReplayable: true,
      now: NOW,
      random: HALF,
      ...input as object,
    };
    assert.throws(() => retryDecision(resolveRetryOptions(), full as RetryInput), { name: error, message });
  });
}
