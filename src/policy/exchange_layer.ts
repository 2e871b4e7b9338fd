/**
 * {@linkcode ExchangeLayer}: the seam where the manager's policies (cookies,
 * authentication, cache, retries) meet one exchange. A layer wraps the next
 * {@linkcode Exchange} — in the end the transport's — and may change the
 * request on its way in (a Cookie field), watch or change the events on their
 * way out (store Set-Cookie), answer without the network (a cache hit), or
 * run the exchange again (a 401 answered with credentials, a retry), hiding
 * what a repeated attempt already reported so that the events keep the
 * Transport contract's order. Decisions stay pure in `src/core/`; a layer is
 * the thin part that applies one to an exchange.
 *
 * The manager composes its layers once and calls the result once per hop,
 * so redirects go through every layer hop by hop (cookies of a 3xx are
 * stored before it is followed, as in Qt).
 *
 * @example A layer that adds a field to every request
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "../core/http_headers.ts";
 * import { composeLayers, type ExchangeLayer } from "./exchange_layer.ts";
 * import { MockTransport } from "../../testing.ts";
 *
 * const stamp: ExchangeLayer = {
 *   name: "stamp",
 *   wrap: (next) => (request, signal) => {
 *     const headers = new HttpHeaders(request.headers);
 *     headers.append("x-stamp", "1");
 *     return next({ ...request, headers }, signal);
 *   },
 * };
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" })
 *   .reply((request) => ({ status: 200, body: `stamp ${request.headers.value("x-stamp")}` }));
 * const exchange = composeLayers([stamp], (request, signal) => mock.exchange(request, signal));
 * const events = exchange({
 *   method: "GET", url: new URL("http://example.test/"), headers: new HttpHeaders(), body: null,
 *   decompress: true, decompressedSafetyCheckThreshold: -1, answer: () => false, options: { http2Allowed: true },
 * }, new AbortController().signal);
 * let body = "";
 * for (let step = await events.next(); !step.done; step = await events.next()) {
 *   if (step.value.type === "data") body += new TextDecoder().decode(step.value.bytes);
 * }
 * equal(body, "stamp 1");
 * ```
 *
 * @module
 */

import type { ExchangeEvent, ExchangeRequest } from "../transport/transport.ts";

/** One exchange as a function: what `Transport.exchange` is, and what a layer wraps. */
export type Exchange = (
  request: ExchangeRequest,
  signal: AbortSignal,
) => AsyncIterator<ExchangeEvent, undefined>;

/** A manager policy over one exchange; see the module documentation. */
export interface ExchangeLayer {
  /** What the layer applies, for messages and tests (e.g. `"cookies"`). */
  readonly name: string;
  /**
   * Wraps the next exchange (an inner layer, or the transport).
   *
   * @param next What this layer calls to run the exchange.
   * @returns The exchange with this layer's policy applied.
   */
  wrap(next: Exchange): Exchange;
}

/**
 * Composes layers around the innermost exchange: the first layer is the
 * outermost (it sees the request first and the events last).
 *
 * @param layers Outermost first.
 * @param innermost Usually the transport's `exchange`.
 * @returns The composed exchange; `innermost` itself when there are no layers.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { composeLayers } from "./exchange_layer.ts";
 * const innermost = () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) });
 * equal(composeLayers([], innermost), innermost);
 * ```
 */
export function composeLayers(layers: readonly ExchangeLayer[], innermost: Exchange): Exchange {
  let exchange = innermost;
  for (let i = layers.length - 1; i >= 0; i--) exchange = layers[i].wrap(exchange);
  return exchange;
}
