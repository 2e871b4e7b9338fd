/**
 * {@linkcode hstsLayer}: the HSTS policy (RFC 6797) over one exchange — the
 * part that needs the connection. It learns policies from the
 * `Strict-Transport-Security` fields of https responses whose connection had
 * no certificate errors (RFC 6797 §8.1: a connection whose `sslErrors` the
 * user ignored teaches nothing), and refuses to ignore certificate errors for
 * a known HSTS host (§8.4; Qt's `ignoreSslErrors()` has no effect there). The
 * http → https upgrade of each hop's URL (§8.3) is the manager's: it changes
 * `reply.url()`, so it happens before the hop reaches the layers.
 *
 * The layer sits innermost, next to the transport: every network response
 * (a retried or re-authenticated attempt too) teaches, a cache hit does not.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { HstsStore } from "../core/hsts_store.ts";
 * import { HttpHeaders } from "../core/http_headers.ts";
 * import { composeLayers } from "./exchange_layer.ts";
 * import { hstsLayer } from "./hsts_layer.ts";
 * import { MockTransport } from "../../testing.ts";
 *
 * const store = new HstsStore();
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://example.test/" })
 *   .reply(200, "ok", { headers: { "strict-transport-security": "max-age=60" } });
 * const exchange = composeLayers(
 *   [hstsLayer({ enabled: () => true, store, now: () => 0 })],
 *   (request, signal) => mock.exchange(request, signal),
 * );
 * const events = exchange({
 *   method: "GET", url: new URL("https://example.test/"), headers: new HttpHeaders(), body: null,
 *   decompress: true, decompressedSafetyCheckThreshold: -1, answer: () => false, options: { http2Allowed: true },
 * }, new AbortController().signal);
 * while (!(await events.next()).done);
 * deepEqual(store.policies(0).map((policy) => policy.host), ["example.test"]);
 * ```
 *
 * @module
 */

import type { HstsStore } from "../core/hsts_store.ts";
import type { ExchangeEvent, ExchangeRequest, UserQuestion } from "../transport/transport.ts";
import type { Exchange, ExchangeLayer } from "./exchange_layer.ts";
import { watchResponseHead } from "./response_head_watch.ts";

/**
 * What {@linkcode hstsLayer} reads: the manager's switch, its store and its
 * clock (milliseconds since the epoch).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HstsStore } from "../core/hsts_store.ts";
 * import type { HstsSettings } from "./hsts_layer.ts";
 * const settings: HstsSettings = { enabled: () => true, store: new HstsStore(), now: Date.now };
 * equal(settings.enabled(), true);
 * ```
 */
export interface HstsSettings {
  /** Whether HSTS is on (`nam.isStrictTransportSecurityEnabled()`), read per exchange. */
  readonly enabled: () => boolean;
  /** The known HSTS hosts. */
  readonly store: HstsStore;
  /** The current time in milliseconds since the epoch. */
  readonly now: () => number;
}

/**
 * Whether `url`'s host is a known HSTS host at `now` (RFC 6797 §8.2).
 *
 * @param store The known hosts.
 * @param url The URL whose host is looked up (any scheme; IP literals never match).
 * @param now Milliseconds since the epoch.
 * @returns True when a policy covers the host.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HstsStore } from "../core/hsts_store.ts";
 * import { isKnownHstsHost } from "./hsts_layer.ts";
 * const store = new HstsStore();
 * store.learn("example.test", "max-age=60", 0, { https: true, certificateErrors: false });
 * equal(isKnownHstsHost(store, new URL("https://example.test:8443/"), 0), true);
 * equal(isKnownHstsHost(store, new URL("https://127.0.0.1/"), 0), false);
 * ```
 */
export function isKnownHstsHost(store: HstsStore, url: URL, now: number): boolean {
  return url.hostname !== "" && store.policyFor(url.hostname, now) !== undefined;
}

/**
 * The HSTS layer over `settings`; see the module documentation. When HSTS
 * is off it passes every exchange through untouched.
 *
 * @param settings The manager's switch, store and clock.
 * @returns The layer.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HstsStore } from "../core/hsts_store.ts";
 * import { hstsLayer } from "./hsts_layer.ts";
 * const layer = hstsLayer({ enabled: () => false, store: new HstsStore(), now: Date.now });
 * equal(layer.name, "hsts");
 * ```
 */
export function hstsLayer(settings: HstsSettings): ExchangeLayer {
  return {
    name: "hsts",
    wrap: (next: Exchange): Exchange => (request, signal) =>
      settings.enabled() ? learning(settings, next, request, signal) : next(request, signal),
  };
}

/** Runs one exchange, refusing ignored TLS errors for known hosts and learning from its response head. */
function learning(
  settings: HstsSettings,
  next: Exchange,
  request: ExchangeRequest,
  signal: AbortSignal,
): AsyncIterator<ExchangeEvent, undefined> {
  const { store, now } = settings;
  const known = (): boolean => isKnownHstsHost(store, request.url, now());
  let certificateErrorsIgnored = false;
  const answer = (question: UserQuestion): boolean => {
    if (question.kind !== "sslErrors") return request.answer(question);
    // RFC 6797 §8.4: no way past a certificate error on a known HSTS host.
    if (known()) return false;
    const ignored = request.answer(question);
    if (ignored) certificateErrorsIgnored = true;
    return ignored;
  };
  const mayBeIgnored = request.sslErrorsMayBeIgnored;
  const sslErrorsMayBeIgnored = (): boolean => !known() && (mayBeIgnored?.() ?? true);
  const events = next({ ...request, answer, sslErrorsMayBeIgnored }, signal);
  if (request.url.protocol !== "https:") return events;
  return watchResponseHead(
    events,
    (head) =>
      store.learn(request.url.hostname, head.headers.values("strict-transport-security"), now(), {
        https: true,
        certificateErrors: certificateErrorsIgnored,
      }),
  );
}
