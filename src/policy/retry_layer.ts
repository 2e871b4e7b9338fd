/**
 * {@linkcode retryLayer}: the manager's opt-in retries, the outermost policy
 * layer. It runs an exchange again, per hop, when {@linkcode retryDecision}
 * says so for the request's {@linkcode ExchangeRequest.retry} options:
 *
 * - after a response head with a retried status (503, 429, ...): that
 *   response is discarded — its head never passed on, its body cancelled —
 *   and `Retry-After` (RFC 9110 §10.2.3; seconds or an HTTP-date) sets the
 *   wait, up to `maxRetryAfter`, else the backoff;
 * - after a retried network error before any response head (connection
 *   refused, closed before an answer, ...); an error after the head is the
 *   reply's, as without retries.
 *
 * A fixed-size request body is sent again as it is; a stream is sent again
 * from the copy the manager keeps ({@linkcode ExchangeRequest.resendBody}),
 * only when that can replay it (read to its end, within
 * `STREAM_RESEND_BUFFER_LIMIT`); otherwise the attempt is not retried, and
 * a network error says why in its message.
 *
 * Before each wait the layer yields a `retry` event (the reply dispatches
 * `RetryEvent`), then waits inside the following `next()`; aborting the
 * signal ends the wait at once. The events the discarded attempt already
 * passed on stay reported and the next attempt leaves out what would repeat
 * them ({@linkcode AttemptEvents}), so the reply sees one coherent exchange:
 * `connecting requestSent retry metaDataChanged ...` for a 503 then a 200.
 *
 * @example A 503, then a 200
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "../core/http_headers.ts";
 * import { resolveRetryOptions } from "../core/retry_policy.ts";
 * import { composeLayers } from "./exchange_layer.ts";
 * import { retryLayer } from "./retry_layer.ts";
 * import { MockTransport } from "../../testing.ts";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" })
 *   .reply(503, "busy", { headers: { "retry-after": "0" } });
 * mock.intercept({ url: "http://example.test/" }).reply(200, "done");
 * const exchange = composeLayers([retryLayer()], (request, signal) => mock.exchange(request, signal));
 * const events = exchange({
 *   method: "GET", url: new URL("http://example.test/"), headers: new HttpHeaders(), body: null,
 *   decompress: true, decompressedSafetyCheckThreshold: -1, answer: () => false, options: { http2Allowed: true },
 *   retry: resolveRetryOptions({ limit: 2 }),
 * }, new AbortController().signal);
 * const seen: string[] = [];
 * for (let step = await events.next(); !step.done; step = await events.next()) seen.push(step.value.type);
 * equal(seen.join(" "), "requestSent retry responseHead data end");
 * ```
 *
 * @module
 */

import { abortableSleep } from "../abortable_sleep.ts";
import { type NetworkError, networkErrorForHttpStatus } from "../core/network_error.ts";
import { type ResolvedRetryOptions, retryDecision } from "../core/retry_policy.ts";
import { AttemptEvents } from "../transport/attempt_events.ts";
import {
  bodyToResend,
  type ExchangeBody,
  type ExchangeEvent,
  type ExchangeRequest,
} from "../transport/transport.ts";
import type { Exchange, ExchangeLayer } from "./exchange_layer.ts";

/** One failed attempt as the layer sees it: the event that ended it, as a retry reason. */
interface Failure {
  readonly status: number;
  readonly code: NetworkError;
  readonly retryAfter?: string;
}

/** The failure `event` reports when it may be retried, else `undefined` (it passes on as it is). */
function failureOf(event: ExchangeEvent, options: ResolvedRetryOptions): Failure | undefined {
  if (event.type === "error") {
    return options.networkErrors.includes(event.code) ? { status: 0, code: event.code } : undefined;
  }
  if (event.type !== "responseHead" || !options.statusCodes.includes(event.head.status)) return undefined;
  const { status, headers } = event.head;
  return { status, code: networkErrorForHttpStatus(status), retryAfter: headers.value("retry-after") };
}

/** What to do after `failure` of attempt number `attempt`: run again after a delay with a body, or not. */
function decide(
  options: ResolvedRetryOptions,
  request: ExchangeRequest,
  attempt: number,
  failure: Failure,
): { readonly delay: number; readonly body: ExchangeBody | null } | { readonly refusal?: string } {
  const decision = retryDecision(options, {
    attempt,
    method: request.method,
    ...(failure.status === 0
      ? { error: failure.code }
      : { status: failure.status, retryAfter: failure.retryAfter }),
    bodyReplayable: true, // asked below, only when everything else says retry
    now: Date.now(),
    random: Math.random,
  });
  if (!decision.retry) return {};
  const body = bodyToResend(request);
  if (body !== null && "refusal" in body) return { refusal: body.refusal };
  return { delay: decision.delayMs, body };
}

/** Whether an event of a later attempt may be passed on after what `seen` recorded. */
function admitted(event: ExchangeEvent, seen: AttemptEvents): boolean {
  // A repeated TLS question after encrypted/requestSent is not shown again; the transport still reads
  // the user's answer (request.answer) on the next pull, which the first question already settled.
  if (event.type === "ask" && event.question.kind === "sslErrors" && !seen.mayAskSslErrors) return false;
  return seen.admit(event);
}

async function* retrying(
  next: Exchange,
  request: ExchangeRequest,
  options: ResolvedRetryOptions,
  signal: AbortSignal,
): AsyncGenerator<ExchangeEvent, undefined> {
  const seen = new AttemptEvents();
  // A fixed-size body is sent again as it is; a stream from the manager's copy (ExchangeRequest.resendBody).
  let current = request;
  for (let attempt = 1;; attempt++) {
    const events = next(current, signal);
    try {
      let step = await events.next();
      let failure: Failure | undefined;
      for (; !step.done; step = await events.next()) {
        failure = signal.aborted ? undefined : failureOf(step.value, options);
        if (failure !== undefined) break;
        if (admitted(step.value, seen)) yield step.value;
      }
      if (step.done) return undefined;
      const event = step.value;
      const outcome = decide(options, request, attempt, failure!);
      if (!("delay" in outcome)) {
        if (event.type === "error") {
          const why = outcome.refusal === undefined ? "" : ` (not retried: ${outcome.refusal})`;
          yield { ...event, message: event.message + why };
          return undefined;
        }
        // The response is the reply's: its body and end pass on as they come.
        for (; !step.done; step = await events.next()) yield step.value;
        return undefined;
      }
      // Discarded: the response's body is cancelled before the wait, which frees the connection.
      await events.return?.();
      const { status, code } = failure!;
      yield { type: "retry", attempt: attempt + 1, delay: outcome.delay, status, code };
      if (!await abortableSleep(outcome.delay, signal)) return undefined;
      current = { ...request, body: outcome.body };
    } finally {
      await events.return?.();
    }
  }
}

/**
 * The retry layer; see the module documentation. A request without
 * {@linkcode ExchangeRequest.retry} options goes through untouched.
 *
 * @returns The layer, named `"retries"`.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { retryLayer } from "./retry_layer.ts";
 * equal(retryLayer().name, "retries");
 * ```
 */
export function retryLayer(): ExchangeLayer {
  return {
    name: "retries",
    wrap: (next: Exchange): Exchange => (request, signal) =>
      request.retry === undefined ? next(request, signal) : retrying(next, request, request.retry, signal),
  };
}
