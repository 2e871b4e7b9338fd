/**
 * {@linkcode cookieLayer}: the manager's cookie jar applied to one exchange
 * (RFC 6265bis §5.7, §5.8.3; Qt's QNetworkAccessManager::createRequest and
 * QNetworkReplyHttpImpl). On the way in it adds a `Cookie` field with the
 * jar's cookies for the hop's URL ({@linkcode CookieJar.cookieHeaderFor}),
 * unless the request carries a `Cookie` field of its own (the user's header
 * wins) or its `CookieLoadControlAttribute` is `Manual`. On the way out it
 * stores the `Set-Cookie` fields of the response head in the jar, parsed by
 * `parseSetCookieLines` and checked by {@linkcode CookieJar.setCookiesFromUrl},
 * before the head reaches the reply (so `metaDataChanged` listeners see the
 * cookies stored, as in Qt), unless `CookieSaveControlAttribute` is `Manual`.
 *
 * The manager calls the layer once per hop, so the cookies of a 3xx are
 * stored before it is followed and the next hop sends them. It sits
 * innermost: every attempt (a retry, an answered 401) carries the jar's
 * current cookies and stores the cookies of its own response.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { CookieJar } from "../cookie_jar.ts";
 * import { HttpHeaders } from "../core/http_headers.ts";
 * import { composeLayers } from "./exchange_layer.ts";
 * import { cookieLayer } from "./cookie_layer.ts";
 * import { MockTransport } from "../../testing.ts";
 *
 * const jar = new CookieJar();
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/login" }).reply(200, "", { headers: { "set-cookie": "id=42" } });
 * mock.intercept({ url: "http://example.test/me" })
 *   .reply((call) => ({ status: 200, body: call.headers.value("cookie") ?? "" }));
 * const exchange = composeLayers([cookieLayer({ jar: () => jar, now: Date.now })], (r, s) => mock.exchange(r, s));
 * const hop = (path: string) => exchange({
 *   method: "GET", url: new URL(path, "http://example.test/"), headers: new HttpHeaders(), body: null,
 *   decompress: true, decompressedSafetyCheckThreshold: -1, answer: () => false, options: { http2Allowed: true },
 * }, new AbortController().signal);
 * for (const events = hop("/login"); !(await events.next()).done;);
 * deepEqual(jar.allCookies().map((c) => `${c.name}=${c.value}`), [ "id=42" ]);
 * const events = hop("/me");
 * let body = "";
 * for (let step = await events.next(); !step.done; step = await events.next()) {
 *   if (step.value.type === "data") body += new TextDecoder().decode(step.value.bytes);
 * }
 * equal(body, "id=42");
 * ```
 *
 * @module
 */

import type { CookieJar } from "../cookie_jar.ts";
import { HttpHeaders } from "../core/http_headers.ts";
import { LoadControl } from "../core/load_control.ts";
import { parseSetCookieLines } from "../core/set_cookie.ts";
import type { ExchangeEvent, ExchangeRequest } from "../transport/transport.ts";
import type { Exchange, ExchangeLayer } from "./exchange_layer.ts";
import { watchResponseHead } from "./response_head_watch.ts";

/**
 * What {@linkcode cookieLayer} reads: the manager's jar (read per exchange,
 * so `setCookieJar()` takes effect on the next hop; `null` turns cookies off)
 * and its clock (milliseconds since the epoch), which judges expiry and
 * Max-Age.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CookieJar } from "../cookie_jar.ts";
 * import type { CookieSettings } from "./cookie_layer.ts";
 * const jar = new CookieJar();
 * const settings: CookieSettings = { jar: () => jar, now: Date.now };
 * equal(settings.jar(), jar);
 * ```
 */
export interface CookieSettings {
  /** The jar to use for this exchange, or `null` for none. */
  readonly jar: () => CookieJar | null;
  /** The current time in milliseconds since the epoch. */
  readonly now: () => number;
}

/**
 * `request` with the jar's `Cookie` field for its URL appended, or `request`
 * itself when it sets one of its own or the jar has no cookie for the URL.
 *
 * @param request The hop as the manager built it.
 * @param jar The jar to read.
 * @param now Milliseconds since the epoch.
 * @returns The request to send.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CookieJar } from "../cookie_jar.ts";
 * import { HttpHeaders } from "../core/http_headers.ts";
 * import { withJarCookies } from "./cookie_layer.ts";
 * const jar = new CookieJar();
 * jar.insertCookie({ name: "a", value: "1", domain: "h.test", path: "/", secure: false, httpOnly: false, sameSite: "Lax" });
 * const request = {
 *   method: "GET", url: new URL("http://h.test/"), headers: new HttpHeaders(), body: null,
 *   decompress: true, decompressedSafetyCheckThreshold: -1, answer: () => false, options: { http2Allowed: true },
 * };
 * equal(withJarCookies(request, jar, Date.now()).headers.value("cookie"), "a=1");
 * const own = { ...request, headers: new HttpHeaders({ cookie: "mine=1" }) };
 * equal(withJarCookies(own, jar, Date.now()).headers.value("cookie"), "mine=1");
 * ```
 */
export function withJarCookies(request: ExchangeRequest, jar: CookieJar, now: number): ExchangeRequest {
  if (request.headers.contains("cookie")) return request;
  const cookie = jar.cookieHeaderFor(request.url, now);
  if (cookie === undefined) return request;
  const headers = new HttpHeaders(request.headers);
  headers.append("cookie", cookie);
  return { ...request, headers };
}

/**
 * Stores the `Set-Cookie` fields of a response to `url` in `jar`; returns
 * whether any cookie was stored. Lines the parser ignores and cookies the
 * jar rejects are dropped silently, as in a browser and in Qt.
 *
 * @param headers The response's header fields.
 * @param url The URL the response came from.
 * @param jar The jar to store into.
 * @param now Milliseconds since the epoch.
 * @returns Whether the jar stored a cookie.
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { CookieJar } from "../cookie_jar.ts";
 * import { HttpHeaders } from "../core/http_headers.ts";
 * import { storeResponseCookies } from "./cookie_layer.ts";
 * const jar = new CookieJar();
 * const headers = new HttpHeaders([["set-cookie", "a=1"], ["set-cookie", "b=2; Domain=other.test"]]);
 * equal(storeResponseCookies(headers, new URL("http://h.test/"), jar, Date.now()), true);
 * deepEqual(jar.allCookies().map((c) => c.name), [ "a" ]);
 * ```
 */
export function storeResponseCookies(headers: HttpHeaders, url: URL, jar: CookieJar, now: number): boolean {
  const lines = headers.values("set-cookie");
  if (lines.length === 0) return false;
  const cookies = parseSetCookieLines(lines.join("\n"), url, now);
  return cookies.length > 0 && jar.setCookiesFromUrl(cookies, url, now);
}

/**
 * The cookie layer over `settings`; see the module documentation. Without a
 * jar, or with both controls `Manual`, it passes the exchange through untouched.
 *
 * @param settings The manager's jar and clock.
 * @returns The layer.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { cookieLayer } from "./cookie_layer.ts";
 * const layer = cookieLayer({ jar: () => null, now: Date.now });
 * equal(layer.name, "cookies");
 * ```
 */
export function cookieLayer(settings: CookieSettings): ExchangeLayer {
  return {
    name: "cookies",
    wrap: (next: Exchange): Exchange => (request, signal) => {
      const jar = settings.jar();
      const load = request.options.cookieLoadControl !== LoadControl.Manual;
      const save = request.options.cookieSaveControl !== LoadControl.Manual;
      if (jar === null || (!load && !save)) return next(request, signal);
      const events = next(load ? withJarCookies(request, jar, settings.now()) : request, signal);
      return save ? storing(events, request.url, jar, settings.now) : events;
    },
  };
}

/** `events`, storing the cookies of the response head as it passes. */
function storing(
  events: AsyncIterator<ExchangeEvent, undefined>,
  url: URL,
  jar: CookieJar,
  now: () => number,
): AsyncIterator<ExchangeEvent, undefined> {
  return watchResponseHead(events, (head) => storeResponseCookies(head.headers, url, jar, now()));
}
