/**
 * {@linkcode MockTransport}: a {@linkcode Transport} that answers from
 * registered interceptors instead of the network, for tests. Modelled on
 * undici's `MockAgent`: `intercept()`, `reply()`, `replyWithError()`,
 * `delay()`, `persist()`, `times()`, `assertNoPendingInterceptors()`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 *
 * const mock = new MockTransport();
 * mock.intercept({ method: "GET", url: "https://api.test/users" })
 *   .reply(200, '[{"id":1}]', { headers: { "content-type": "application/json" } });
 * await using nam = new NetworkAccessManager({ transport: mock });
 * deepEqual(await nam.get("https://api.test/users").json(), [{ id: 1 }]);
 * mock.assertNoPendingInterceptors();
 * ```
 *
 * @module
 */

import type { ExchangeEvent, ExchangeRequest, Transport } from "../transport/transport.ts";
import { type ExchangeHost, type MatchResult, MockExchange } from "./_mock_exchange.ts";
import {
  createInterceptor,
  type MockDispatch,
  type MockInterceptor,
  type MockInterceptorInfo,
} from "./mock_interceptor.ts";
import { compileMatcher, type MockCall, type MockInterceptOptions } from "./mock_matchers.ts";

/**
 * A {@linkcode Transport} for tests: requests are answered by interceptors
 * registered with {@linkcode MockTransport.intercept}, never by the network.
 *
 * - **Matching.** Interceptors are tried in registration order and the first
 *   whose criteria all hold answers (see {@linkcode MockInterceptOptions}).
 *   Each answers once unless `times(n)` or `persist()` says otherwise.
 * - **Unmatched requests** fail with `ConnectionRefusedError` — as if nothing
 *   listened at that address — and the message starts with
 *   `MockTransport: no interceptor matches <METHOD> <url>` followed by one
 *   line per interceptor saying why it did not match. They are recorded in
 *   {@linkcode MockTransport.calls} too.
 * - **Events.** A reply plays, one event per `next()`: the connection
 *   events asked for (`connecting`, `sslErrors`, `encrypted`), the upload
 *   progress of the request body (none without a body; one `(0, 0)` for an
 *   empty one; `(0, n)` then `(n, n)` for a fixed one; `(0, -1)`, the bytes
 *   read so far per stream chunk, then `(n, n)` for a stream), `requestSent`,
 *   the interceptor's `delay`, `responseHead`, one `data` event per chunk
 *   (`wireBytes` = its length; none for a HEAD request), then `end` — or an
 *   `error` wherever the interceptor puts one.
 * - **Time.** Delays use `setTimeout`, so `@sinonjs/fake-timers` drives
 *   them; a chunk's delay starts only when the consumer asks for that chunk,
 *   so a consumer that stops pulling holds the mock back. Aborting the signal
 *   or calling `return()` clears the pending timer and settles a pending
 *   `next()` with `done`.
 * - **Bodies.** A request body, a stream one included, is read to its end
 *   before matching. The mock never decodes: the bytes given are the bytes
 *   delivered, whatever `content-encoding` says.
 * - **close()** ends running exchanges with `RemoteHostClosedError`; later
 *   exchanges fail with `ConnectionRefusedError`.
 *
 * @example Replies, errors and delays
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError, NetworkRequest } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: /\/slow$/ }).reply(200, { chunks: ["a", { data: "b", delay: 5 }] }).times(2);
 * mock.intercept({ url: (u) => u.pathname === "/down" }).replyWithError(NetworkError.ConnectionRefusedError);
 * mock.intercept({ method: "POST", url: "https://api.test/echo", headers: { "content-type": /json/ } })
 *   .reply((call) => ({ status: 201, body: call.body }));
 *
 * await using nam = new NetworkAccessManager({ transport: mock });
 * equal(await nam.get("https://api.test/slow").text(), "ab");
 * const down = nam.get("https://api.test/down");
 * await down.done;
 * equal(down.error(), NetworkError.ConnectionRefusedError);
 * equal(down.errorString(), "Connection refused");
 * const json = new NetworkRequest("https://api.test/echo", { headers: { "content-type": "application/json" } });
 * const echo = nam.post(json, '{"x":1}');
 * equal(await echo.text(), '{"x":1}');
 * deepEqual(mock.calls.map((c) => `${c.method} ${c.url.pathname}`), ["GET /slow", "GET /down", "POST /echo"]);
 * equal(mock.pendingInterceptors().length, 1); // /slow can answer once more
 * ```
 *
 * @example Driving an exchange directly
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://api.test/" }).reply(204);
 * const events = mock.exchange({
 *   method: "GET",
 *   url: new URL("http://api.test/"),
 *   headers: new HttpHeaders(),
 *   body: null,
 *   decompress: true,
 *   decompressedSafetyCheckThreshold: -1,
 *   answer: () => false,
 *   options: { http2Allowed: true },
 * }, new AbortController().signal);
 * const types: string[] = [];
 * for (let r = await events.next(); !r.done; r = await events.next()) types.push(r.value.type);
 * deepEqual(types, ["requestSent", "responseHead", "end"]);
 * ```
 */
export class MockTransport implements Transport {
  /** `"mock"`. */
  readonly name: string = "mock";
  readonly #dispatches: MockDispatch[] = [];
  readonly #calls: MockCall[] = [];
  readonly #live = new Set<MockExchange>();
  readonly #host: ExchangeHost = { receive: (call, bodyText) => this.#receive(call, bodyText) };
  #closed = false;

  /**
   * Starts an interceptor matching `options` (all of them; omitted ones match
   * anything). It takes part in matching once `reply()` or `replyWithError()`
   * has been called on it.
   *
   * @throws {TypeError} If a criterion has the wrong type, the method is not an HTTP token or a URL string is not absolute.
   *
   * @example
   * ```ts
   * import { MockTransport } from "@netreply/netreply/testing";
   * const mock = new MockTransport();
   * mock.intercept({ method: "GET", url: "https://api.test/users" }).reply(200, "[]");
   * mock.intercept({ headers: { authorization: /^Bearer / } }).reply(200, "secret").persist();
   * mock.intercept().reply(404); // anything else, once
   * ```
   */
  intercept(options: MockInterceptOptions = {}): MockInterceptor {
    const matcher = compileMatcher(options);
    return createInterceptor(matcher, (make) => {
      const dispatch = make(this.#dispatches.length + 1);
      this.#dispatches.push(dispatch);
      return dispatch;
    });
  }

  /**
   * Every request that reached the mock, matched or not, in order (each
   * redirect hop or re-send is its own call). A request aborted before its
   * body was read to the end is not recorded.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { MockTransport } from "@netreply/netreply/testing";
   * const mock = new MockTransport();
   * equal(mock.calls.length, 0);
   * ```
   */
  get calls(): readonly MockCall[] {
    return [...this.#calls];
  }

  /**
   * Forgets the recorded {@linkcode MockTransport.calls}.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual } from "node:assert/strict";
   * import { MockTransport } from "@netreply/netreply/testing";
   * const mock = new MockTransport();
   * mock.clearCalls();
   * deepEqual(mock.calls, []);
   * ```
   */
  clearCalls(): void {
    this.#calls.length = 0;
  }

  /**
   * The interceptors still waiting for a request: those used fewer than
   * their `times`, and persistent ones never used.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual } from "node:assert/strict";
   * import { MockTransport } from "@netreply/netreply/testing";
   * const mock = new MockTransport();
   * mock.intercept({ url: "https://api.test/a" }).reply(200).times(2);
   * deepEqual(mock.pendingInterceptors(), [
   *   { description: "#1 * https://api.test/a", timesInvoked: 0, times: 2, persist: false },
   * ]);
   * ```
   */
  pendingInterceptors(): MockInterceptorInfo[] {
    return this.#dispatches.filter((d) => d.pending).map((d) => d.info());
  }

  /**
   * Throws if any interceptor is still pending (see
   * {@linkcode MockTransport.pendingInterceptors}), listing them.
   *
   * @throws {Error} `MockTransport: 1 interceptor is pending:` and one line per pending interceptor.
   *
   * @example
   * ```ts
   * import { throws } from "node:assert/strict";
   * import { MockTransport } from "@netreply/netreply/testing";
   * const mock = new MockTransport();
   * mock.intercept({ method: "GET", url: "https://api.test/users" }).reply(200);
   * throws(() => mock.assertNoPendingInterceptors(), {
   *   message: "MockTransport: 1 interceptor is pending:\n  #1 GET https://api.test/users (used 0 of 1 times)",
   * });
   * ```
   */
  assertNoPendingInterceptors(): void {
    const pending = this.#dispatches.filter((d) => d.pending);
    if (pending.length === 0) return;
    const head = pending.length === 1
      ? "1 interceptor is pending"
      : `${pending.length} interceptors are pending`;
    throw new Error(
      `MockTransport: ${head}:\n${pending.map((d) => `  ${d.description} (${d.usage})`).join("\n")}`,
    );
  }

  /**
   * Starts one exchange (the {@linkcode Transport} contract). Nothing
   * happens until the first `next()`; the request is then read, recorded and
   * matched.
   */
  exchange(request: ExchangeRequest, signal: AbortSignal): AsyncIterableIterator<ExchangeEvent, undefined> {
    const exchange = new MockExchange(
      request,
      signal,
      this.#host,
      this.#closed,
      (done) => this.#live.delete(done),
    );
    if (!this.#closed) this.#live.add(exchange);
    return exchange;
  }

  /**
   * Closes the transport: running exchanges end with `RemoteHostClosedError`
   * at their next step and new ones fail with `ConnectionRefusedError`.
   * Interceptors and history are kept. Idempotent.
   */
  close(): Promise<void> {
    this.#closed = true;
    for (const exchange of this.#live) exchange.closeByTransport();
    this.#live.clear();
    return Promise.resolve();
  }

  #receive(call: MockCall, bodyText: string): MatchResult {
    this.#calls.push(call);
    const reasons: string[] = [];
    for (const dispatch of this.#dispatches) {
      const why = dispatch.matcher.mismatch(call, bodyText);
      if (why === null && dispatch.usable) {
        dispatch.timesInvoked++;
        return { dispatch };
      }
      reasons.push(`  ${dispatch.description}: ${why ?? `matches but is used up (${dispatch.usage})`}`);
    }
    if (reasons.length === 0) reasons.push("  no interceptors are registered");
    return {
      message: `MockTransport: no interceptor matches ${call.method} ${call.url.href}\n${reasons.join("\n")}`,
    };
  }
}
