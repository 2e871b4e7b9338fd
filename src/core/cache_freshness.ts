/**
 * The rules of RFC 9111 for one response in a private cache: whether it may
 * be stored, whether a stored one is fresh for a new request, how to validate
 * it and how a 304 updates it, and which requests invalidate it. Pure: every
 * time is passed in, in milliseconds since the epoch (as `Date.now()`).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { lookupStoredResponse } from "./cache_freshness.ts";
 * const sent = Date.UTC(2026, 0, 1);
 * const stored = {
 *   requestMethod: "GET",
 *   requestHeaders: new HttpHeaders(),
 *   status: 200,
 *   headers: new HttpHeaders({ "Cache-Control": "max-age=60" }),
 *   requestTime: sent,
 *   responseTime: sent,
 * };
 * const request = { method: "GET", headers: new HttpHeaders() };
 * equal(lookupStoredResponse(stored, request, sent + 30_000), "fresh");
 * equal(lookupStoredResponse(stored, request, sent + 90_000), "stale");
 * ```
 *
 * @module
 */

import { MAX_DELTA_SECONDS, parseCacheControl, parseDeltaSeconds } from "./cache_control.ts";
import { formatHttpDate, parseHttpDate } from "./http_date.ts";
import { HttpHeaders } from "./http_headers.ts";
import { isHttpToken } from "./http_token.ts";
import { trimOws } from "./trim_ows.ts";

/** The method and header fields of a request, as a cache sees them. */
export interface CacheRequest {
  readonly method: string;
  readonly headers: HttpHeaders;
}

/** The status and header fields of a response, as a cache sees them. */
export interface CacheResponse {
  readonly status: number;
  readonly headers: HttpHeaders;
}

/** A stored response with what RFC 9111 needs to reuse it. */
export interface StoredResponse extends CacheResponse {
  /** The method of the request that got it. */
  readonly requestMethod: string;
  /** The header fields of that request (for `Vary`, RFC 9111 §4.1). */
  readonly requestHeaders: HttpHeaders;
  /** When that request was sent (`request_time`, RFC 9111 §4.2.3), in ms since the epoch. */
  readonly requestTime: number;
  /** When the response head arrived (`response_time`, RFC 9111 §4.2.3), in ms since the epoch. */
  readonly responseTime: number;
}

/**
 * What a cache holds for a request:
 * - `"miss"`: nothing usable (no entry, another method, a `Vary` mismatch, a `Range` request);
 * - `"fresh"`: may be served without contacting the origin;
 * - `"stale"`: may be served only where stale content is acceptable (RFC 9111 §4.2.4);
 * - `"must-revalidate"`: must not be served without a successful validation
 *   (`no-cache`, or stale with `must-revalidate`, or the request asks for it).
 */
export type CacheLookup = "miss" | "fresh" | "stale" | "must-revalidate";

/** How long a response stays fresh, and where that came from (RFC 9111 §4.2.1). */
export interface FreshnessLifetime {
  /** Seconds, never negative. */
  readonly seconds: number;
  /** `max-age`, `Expires` minus `Date`, the heuristic of §4.2.2, or none (0 s). */
  readonly source: "max-age" | "expires" | "heuristic" | "none";
}

/**
 * The cap on a heuristic freshness lifetime: one day. RFC 9111 §4.2.2 leaves
 * the cap to the cache; a day is what it says caches typically stay under
 * before they would have to warn.
 */
export const MAX_HEURISTIC_FRESHNESS_SECONDS = 86_400;

/** The fraction of the time since `Last-Modified` used as heuristic lifetime (RFC 9111 §4.2.2). */
export const HEURISTIC_FRACTION = 0.1;

// RFC 9110 §15.1: the status codes that are heuristically cacheable.
const heuristicallyCacheable: ReadonlySet<number> = new Set([
  200,
  203,
  204,
  206,
  300,
  301,
  308,
  404,
  405,
  410,
  414,
  501,
]);

// Never stored: 206 (ranges are not combined here), 303 and 304, as Qt.
const neverStoredStatuses: ReadonlySet<number> = new Set([206, 303, 304]);

// The statuses whose caching rules this cache implements, for `must-understand`
// (RFC 9111 §5.2.2.3).
const understoodStatuses: ReadonlySet<number> = new Set([200, 203, 204, 300, 301, 302, 307, 308]);

// RFC 9110 §9.2.1.
const safeMethods: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

function checkHeaders(what: string, headers: unknown): void {
  if (!(headers instanceof HttpHeaders)) {
    throw new TypeError(`Cannot ${what}: headers must be HttpHeaders, got ${describe(headers)}`);
  }
}

function checkStatus(what: string, status: unknown): void {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(`Cannot ${what}: status ${describe(status)} is not an HTTP status (100-599)`);
  }
}

function checkMethod(what: string, method: unknown): void {
  if (typeof method !== "string" || !isHttpToken(method)) {
    throw new TypeError(`Cannot ${what}: method ${describe(method)} is not an RFC 9110 token`);
  }
}

function checkTime(what: string, name: string, time: unknown): void {
  if (typeof time !== "number" || !Number.isFinite(time)) {
    throw new RangeError(`Cannot ${what}: ${name} ${describe(time)} is not a finite number of ms`);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  return value === null ? "null" : typeof value;
}

function checkStored(what: string, stored: StoredResponse): void {
  if (stored === null || typeof stored !== "object") {
    throw new TypeError(`Cannot ${what}: the stored response must be an object, got ${describe(stored)}`);
  }
  checkStatus(what, stored.status);
  checkHeaders(what, stored.headers);
  checkHeaders(what, stored.requestHeaders);
  checkMethod(what, stored.requestMethod);
  checkTime(what, "requestTime", stored.requestTime);
  checkTime(what, "responseTime", stored.responseTime);
}

/**
 * An HTTP date read case-insensitively, as RFC 9111 §4.2 asks of a cache
 * (`THU, 18 AUG 2050 02:01:18 gmt`); the shapes stay those of RFC 9110 §5.6.7.
 * A two-digit RFC 850 year is placed near `reference`, as
 * {@linkcode parseHttpDate} does; without a reference it stays 19yy.
 */
function parseCacheDate(text: string, reference?: number): Date | undefined {
  const canonical = text.replace(
    /[A-Za-z]+/g,
    (word) => word.toLowerCase() === "gmt" ? "GMT" : word[0].toUpperCase() + word.slice(1).toLowerCase(),
  );
  return parseHttpDate(canonical, reference);
}

/**
 * The first line of a singleton date field (RFC 9111 §4.2.1: use the first
 * occurrence), in ms; `reference` as for {@linkcode parseCacheDate}.
 */
function firstDate(headers: HttpHeaders, name: string, reference?: number): number | undefined {
  const text = headers.value(name);
  return text === undefined ? undefined : parseCacheDate(text, reference)?.getTime();
}

/**
 * `date_value` (RFC 9111 §4.2.3): the `Date` field, or the time the response
 * arrived when it has none or an invalid one (RFC 9110 §6.6.1: a recipient
 * supplies the missing Date).
 */
function dateValue(headers: HttpHeaders, responseTime: number): number {
  return firstDate(headers, "date", responseTime) ?? responseTime;
}

/**
 * The freshness lifetime of a response in a private cache (RFC 9111 §4.2.1):
 *
 * 1. `max-age` (an invalid one is 0, see {@linkcode parseCacheControl});
 *    `s-maxage` is for shared caches and ignored;
 * 2. else `Expires` minus `Date` (an invalid `Expires`, e.g. `0`, is in the
 *    past: 0 s, RFC 9111 §5.3; a missing `Date` is `responseTime`; dates are
 *    read case-insensitively, RFC 9111 §4.2);
 * 3. else, for a heuristically cacheable status (RFC 9110 §15.1) or a
 *    response marked `public`, {@linkcode HEURISTIC_FRACTION} of the time from
 *    `Last-Modified` to `Date`, at most {@linkcode MAX_HEURISTIC_FRESHNESS_SECONDS}
 *    (RFC 9111 §4.2.2);
 * 4. else 0.
 *
 * @param response The response's status and header fields.
 * @param responseTime When the response arrived, in ms since the epoch.
 * @throws {RangeError} If the status is not 100-599 or the time is not finite.
 * @throws {TypeError} If the headers are not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { freshnessLifetime } from "./cache_freshness.ts";
 * const headers = new HttpHeaders({
 *   "Date": "Thu, 01 Jan 2026 00:00:00 GMT",
 *   "Last-Modified": "Fri, 26 Dec 2025 00:00:00 GMT",
 * });
 * deepEqual(freshnessLifetime({ status: 200, headers }, Date.now()), { seconds: 51840, source: "heuristic" });
 * headers.append("Expires", "Thu, 01 Jan 2026 01:00:00 GMT");
 * deepEqual(freshnessLifetime({ status: 200, headers }, Date.now()), { seconds: 3600, source: "expires" });
 * ```
 */
export function freshnessLifetime(response: CacheResponse, responseTime: number): FreshnessLifetime {
  const what = "compute a freshness lifetime";
  checkStatus(what, response.status);
  checkHeaders(what, response.headers);
  checkTime(what, "responseTime", responseTime);
  const headers = response.headers;
  const cc = parseCacheControl(headers.values("cache-control"));
  if (cc.maxAge !== undefined) return { seconds: cc.maxAge, source: "max-age" };
  const date = dateValue(headers, responseTime);
  const expiresText = headers.value("expires");
  if (expiresText !== undefined) {
    const expires = parseCacheDate(expiresText, responseTime)?.getTime();
    return { seconds: expires === undefined ? 0 : Math.max(0, (expires - date) / 1000), source: "expires" };
  }
  const lastModified = firstDate(headers, "last-modified", responseTime);
  if ((heuristicallyCacheable.has(response.status) || cc.public) && lastModified !== undefined) {
    const seconds = Math.max(0, (date - lastModified) / 1000) * HEURISTIC_FRACTION;
    return { seconds: Math.min(seconds, MAX_HEURISTIC_FRESHNESS_SECONDS), source: "heuristic" };
  }
  return { seconds: 0, source: "none" };
}

/**
 * `age_value` (RFC 9111 §5.1): the first member of the `Age` field, or 0
 * when it is not delta-seconds (the field is then ignored).
 */
function ageValue(headers: HttpHeaders): number {
  return parseDeltaSeconds(listMembers(headers, "age")[0]) ?? 0;
}

/**
 * The current age of a stored response in seconds (RFC 9111 §4.2.3):
 * `max(apparent_age, age_value + response_delay) + resident_time`.
 *
 * Times that run backwards (a response before its request, `now` before the
 * response) count as 0 s rather than a negative age.
 *
 * @param stored The stored response.
 * @param now The current time, in ms since the epoch.
 * @throws {RangeError} If a time is not finite or the status is not 100-599.
 * @throws {TypeError} If the stored response is not shaped as {@linkcode StoredResponse}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { currentAge } from "./cache_freshness.ts";
 * const arrived = Date.UTC(2026, 0, 1, 0, 0, 10);
 * const stored = {
 *   requestMethod: "GET",
 *   requestHeaders: new HttpHeaders(),
 *   status: 200,
 *   headers: new HttpHeaders({ "Date": "Thu, 01 Jan 2026 00:00:00 GMT", "Age": "5" }),
 *   requestTime: arrived - 2000,
 *   responseTime: arrived,
 * };
 * equal(currentAge(stored, arrived + 60_000), 70);
 * ```
 */
export function currentAge(stored: StoredResponse, now: number): number {
  const what = "compute the age of a stored response";
  checkStored(what, stored);
  checkTime(what, "now", now);
  const apparentAge = Math.max(0, stored.responseTime - dateValue(stored.headers, stored.responseTime)) /
    1000;
  const responseDelay = Math.max(0, stored.responseTime - stored.requestTime) / 1000;
  const correctedAgeValue = ageValue(stored.headers) + responseDelay;
  const correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
  const residentTime = Math.max(0, now - stored.responseTime) / 1000;
  return correctedInitialAge + residentTime;
}

/**
 * The header fields of a stored response as the cache serves it at `now`
 * (RFC 9111 §4): the stored fields with `Age` set to the response's current
 * age in whole seconds (RFC 9111 §5.1: a cache MUST generate `Age` when it
 * uses a stored response; any `Age` the origin sent is replaced, and still
 * counts in the age). A new {@linkcode HttpHeaders}; the stored one is left
 * as it is.
 *
 * @param stored The stored response.
 * @param now The current time, in ms since the epoch.
 * @throws {RangeError} If a time is not finite or the status is not 100-599.
 * @throws {TypeError} If the stored response is not shaped as {@linkcode StoredResponse}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { servedHeaders } from "./cache_freshness.ts";
 * const t = Date.UTC(2026, 0, 1);
 * const stored = {
 *   requestMethod: "GET",
 *   requestHeaders: new HttpHeaders(),
 *   status: 200,
 *   headers: new HttpHeaders({ "Cache-Control": "max-age=600", "Age": "30" }),
 *   requestTime: t,
 *   responseTime: t,
 * };
 * assert.deepEqual(servedHeaders(stored, t + 3_500).toListOfPairs(), [["cache-control", "max-age=600"], ["age", "33"]]);
 * ```
 */
export function servedHeaders(stored: StoredResponse, now: number): HttpHeaders {
  // RFC 9111 §1.2.2: an age too large for delta-seconds is sent as 2^31.
  const age = Math.min(Math.floor(currentAge(stored, now)), MAX_DELTA_SECONDS);
  const headers = new HttpHeaders(stored.headers);
  headers.replaceOrAppend("age", String(age));
  return headers;
}

/**
 * Whether a stored response is fresh at `now` (RFC 9111 §4.2: its freshness
 * lifetime is greater than its current age).
 *
 * @param stored The stored response.
 * @param now The current time, in ms since the epoch.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { isFresh } from "./cache_freshness.ts";
 * const t = Date.UTC(2026, 0, 1);
 * const stored = {
 *   requestMethod: "GET",
 *   requestHeaders: new HttpHeaders(),
 *   status: 200,
 *   headers: new HttpHeaders({ "Cache-Control": "max-age=10" }),
 *   requestTime: t,
 *   responseTime: t,
 * };
 * equal(isFresh(stored, t + 9_999), true);
 * equal(isFresh(stored, t + 10_000), false);
 * ```
 */
export function isFresh(stored: StoredResponse, now: number): boolean {
  const age = currentAge(stored, now);
  return freshnessLifetime(stored, stored.responseTime).seconds > age;
}

/**
 * What a stored response is worth for a new request (RFC 9111 §4):
 *
 * - `"miss"` without an entry; when the request method is not GET or HEAD or
 *   the stored one cannot answer it (a stored HEAD does not answer a GET); when
 *   the request has a `Range` field (Qt never reads the cache for one); when
 *   `Vary` does not match ({@linkcode varyMatches});
 * - `"must-revalidate"` for `no-cache` in the response (RFC 9111 §5.2.2.4) or
 *   the request (§5.2.1.4), for a request `max-age` exceeded by the age
 *   (§5.2.1.1), and for a stale response with `must-revalidate` (§5.2.2.2);
 * - `"fresh"` while fresh (and, with request `min-fresh`, fresh for that much
 *   longer, §5.2.1.3), or stale by no more than a request `max-stale`
 *   (§5.2.1.2);
 * - `"stale"` otherwise.
 *
 * `Pragma` is ignored: RFC 9111 §5.4 deprecates it.
 *
 * @param stored The entry for the request's URL, if any.
 * @param request The new request.
 * @param now The current time, in ms since the epoch.
 * @throws {TypeError} For a malformed request or stored response.
 * @throws {RangeError} For a time that is not finite or a status outside 100-599.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { lookupStoredResponse } from "./cache_freshness.ts";
 * const t = Date.UTC(2026, 0, 1);
 * const stored = {
 *   requestMethod: "GET",
 *   requestHeaders: new HttpHeaders(),
 *   status: 200,
 *   headers: new HttpHeaders({ "Cache-Control": "max-age=60, must-revalidate" }),
 *   requestTime: t,
 *   responseTime: t,
 * };
 * const get = { method: "GET", headers: new HttpHeaders() };
 * equal(lookupStoredResponse(undefined, get, t), "miss");
 * equal(lookupStoredResponse(stored, get, t + 1_000), "fresh");
 * equal(lookupStoredResponse(stored, get, t + 61_000), "must-revalidate");
 * ```
 */
export function lookupStoredResponse(
  stored: StoredResponse | undefined,
  request: CacheRequest,
  now: number,
): CacheLookup {
  const what = "look up a stored response";
  checkRequest(what, request);
  checkTime(what, "now", now);
  if (stored === undefined) return "miss";
  checkStored(what, stored);
  const servable = request.method === "GET"
    ? stored.requestMethod === "GET"
    : request.method === "HEAD" && (stored.requestMethod === "GET" || stored.requestMethod === "HEAD");
  if (!servable || request.headers.contains("range")) return "miss";
  if (!varyMatches(stored.requestHeaders, stored.headers, request.headers)) return "miss";
  const response = parseCacheControl(stored.headers.values("cache-control"));
  const asked = parseCacheControl(request.headers.values("cache-control"));
  if (response.noCache || asked.noCache) return "must-revalidate";
  const age = currentAge(stored, now);
  const lifetime = freshnessLifetime(stored, stored.responseTime).seconds;
  // A request's max-age (a reload) revalidates, except a fresh `immutable` response (RFC 8246 §2).
  if (asked.maxAge !== undefined && age > asked.maxAge && !(response.immutable && lifetime > age)) {
    return "must-revalidate";
  }
  if (lifetime > age) {
    // Fresh; with min-fresh, only if it stays fresh that much longer.
    return asked.minFresh === undefined || lifetime - age >= asked.minFresh ? "fresh" : "stale";
  }
  if (response.mustRevalidate) return "must-revalidate";
  if (asked.maxStale !== undefined && age - lifetime <= asked.maxStale) return "fresh";
  return "stale";
}

/**
 * Whether a stale stored response may stand in for an error (a 5xx) at `now`
 * as far as `stale-if-error` says (RFC 5861 §4): when the response or the
 * request carries the directive, only while the response has been stale for
 * no longer than its value (the larger of the two when both do); without it,
 * the directive sets no limit and the cache's own rule applies (Qt serves a
 * stale entry for a 5xx unless it must be revalidated).
 *
 * @param stored The stored response.
 * @param request The request being answered.
 * @param now The current time, in ms since the epoch.
 * @throws {TypeError} For a malformed request or stored response.
 * @throws {RangeError} For a time that is not finite or a status outside 100-599.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { staleIfErrorAllows } from "./cache_freshness.ts";
 * const t = Date.UTC(2026, 0, 1);
 * const stored = {
 *   requestMethod: "GET",
 *   requestHeaders: new HttpHeaders(),
 *   status: 200,
 *   headers: new HttpHeaders({ "Cache-Control": "max-age=0, stale-if-error=60" }),
 *   requestTime: t,
 *   responseTime: t,
 * };
 * const get = { method: "GET", headers: new HttpHeaders() };
 * assert.equal(staleIfErrorAllows(stored, get, t + 30_000), true);
 * assert.equal(staleIfErrorAllows(stored, get, t + 90_000), false);
 * ```
 */
export function staleIfErrorAllows(stored: StoredResponse, request: CacheRequest, now: number): boolean {
  const what = "decide on stale-if-error";
  checkRequest(what, request);
  checkStored(what, stored);
  checkTime(what, "now", now);
  const windows = [
    parseCacheControl(stored.headers.values("cache-control")).staleIfError,
    parseCacheControl(request.headers.values("cache-control")).staleIfError,
  ].filter((seconds) => seconds !== undefined);
  if (windows.length === 0) return true;
  const staleness = currentAge(stored, now) - freshnessLifetime(stored, stored.responseTime).seconds;
  return staleness <= Math.max(...windows);
}

function checkRequest(what: string, request: CacheRequest): void {
  if (request === null || typeof request !== "object") {
    throw new TypeError(`Cannot ${what}: the request must be an object, got ${describe(request)}`);
  }
  checkMethod(what, request.method);
  checkHeaders(what, request.headers);
}

/**
 * Whether a private cache may store a response (RFC 9111 §3):
 *
 * - the request method is GET or HEAD (case-sensitive, RFC 9110 §9.1);
 * - the status is final, and not 206 (partial content, not combined here),
 *   303 or 304 (Qt stores none of them), nor an error (4xx, 5xx: an error
 *   reply is never stored, as in Qt, though RFC 9111 §3 would allow some);
 * - with `must-understand`, the status is one whose caching rules this cache
 *   implements (200, 203, 204, 300, 301, 302, 307, 308), and then the
 *   response's `no-store` is ignored (RFC 9111 §5.2.2.3);
 * - otherwise neither request nor response has `no-store` (RFC 9111 §5.2.1.5,
 *   §5.2.2.5);
 * - the response has explicit freshness (`max-age`, `Expires`), `public` or
 *   `private`, or a heuristically cacheable status (RFC 9111 §3, §4.2.2).
 *
 * `Authorization` does not prevent storing: RFC 9111 §3.5 restricts shared
 * caches only, and this is a private one.
 *
 * @param request The request that got the response.
 * @param response The response.
 * @throws {TypeError} For a method that is not a token or headers that are not {@linkcode HttpHeaders}.
 * @throws {RangeError} For a status outside 100-599.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { storable } from "./cache_freshness.ts";
 * const get = { method: "GET", headers: new HttpHeaders() };
 * equal(storable(get, { status: 200, headers: new HttpHeaders() }), true);
 * equal(storable(get, { status: 200, headers: new HttpHeaders({ "Cache-Control": "no-store" }) }), false);
 * equal(storable(get, { status: 302, headers: new HttpHeaders() }), false);
 * equal(storable(get, { status: 302, headers: new HttpHeaders({ "Cache-Control": "max-age=60" }) }), true);
 * ```
 */
export function storable(request: CacheRequest, response: CacheResponse): boolean {
  const what = "decide whether to store a response";
  checkRequest(what, request);
  checkStatus(what, response?.status);
  checkHeaders(what, response.headers);
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const status = response.status;
  if (status < 200 || status >= 400 || neverStoredStatuses.has(status)) return false;
  if (parseCacheControl(request.headers.values("cache-control")).noStore) return false;
  const cc = parseCacheControl(response.headers.values("cache-control"));
  if (cc.mustUnderstand ? !understoodStatuses.has(status) : cc.noStore) return false;
  return cc.maxAge !== undefined || response.headers.contains("expires") || cc.public || cc.private ||
    heuristicallyCacheable.has(status);
}

/**
 * The members of a list field such as `Vary` or `Connection`, all lines in
 * order, trimmed and lower-cased; empty members are dropped (RFC 9110 §5.6.1).
 */
function listMembers(headers: HttpHeaders, field: string): string[] {
  const names: string[] = [];
  for (const line of headers.values(field)) {
    for (const element of line.split(",")) {
      const name = trimOws(element).toLowerCase();
      if (name !== "") names.push(name);
    }
  }
  return names;
}

/**
 * A field's lines combined (RFC 9110 §5.3) with whitespace normalised where
 * its syntax allows (RFC 9111 §4.1): outside quoted strings, OWS around `,`
 * and `;` is removed and other runs of SP/HTAB become one SP.
 */
function normalisedField(headers: HttpHeaders, name: string): string | undefined {
  const lines = headers.values(name);
  if (lines.length === 0) return undefined;
  const text = lines.join(",");
  let out = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      out += c;
      if (c === "\\" && i + 1 < text.length) out += text[++i];
      else if (c === '"') quoted = false;
    } else if (c === " " || c === "\t") {
      let j = i;
      while (text[j + 1] === " " || text[j + 1] === "\t") j++;
      const next = text[j + 1];
      const previous = out[out.length - 1];
      if (
        out !== "" && next !== undefined && next !== "," && next !== ";" && previous !== "," &&
        previous !== ";"
      ) {
        out += " ";
      }
      i = j;
    } else {
      if (c === '"') quoted = true;
      out += c;
    }
  }
  return out;
}

// Fields whose values carry no meaning in their case (RFC 9110 §12.5.3-§12.5.4, RFC 5646 §2.1.1).
const caseInsensitiveFields: ReadonlySet<string> = new Set([
  "accept-language",
  "accept-encoding",
  "accept-charset",
]);

/**
 * Whether a new request selects a stored response (RFC 9111 §4.1): every
 * field named by the stored response's `Vary` has, after combining its lines
 * and normalising whitespace, the same value in both requests, or is absent
 * from both. `Vary: *` never matches. Values are compared case-sensitively,
 * except those of `Accept-Language`, `Accept-Encoding` and `Accept-Charset`,
 * whose language tags, codings and charsets are case-insensitive (RFC 9110
 * §12.5; RFC 9111 §4.1 allows normalising case where it is not significant).
 *
 * @param storedRequestHeaders The header fields of the request that got the stored response.
 * @param storedResponseHeaders The stored response's header fields.
 * @param requestHeaders The new request's header fields.
 * @throws {TypeError} If an argument is not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { varyMatches } from "./cache_freshness.ts";
 * const response = new HttpHeaders({ "Vary": "Accept-Encoding" });
 * const stored = new HttpHeaders({ "Accept-Encoding": "gzip,br" });
 * equal(varyMatches(stored, response, new HttpHeaders([["accept-encoding", "gzip"], ["accept-encoding", " br"]])), true);
 * equal(varyMatches(stored, response, new HttpHeaders()), false);
 * equal(varyMatches(stored, new HttpHeaders({ "Vary": "*" }), stored), false);
 * ```
 */
export function varyMatches(
  storedRequestHeaders: HttpHeaders,
  storedResponseHeaders: HttpHeaders,
  requestHeaders: HttpHeaders,
): boolean {
  const what = "match Vary";
  checkHeaders(what, storedRequestHeaders);
  checkHeaders(what, storedResponseHeaders);
  checkHeaders(what, requestHeaders);
  const names = listMembers(storedResponseHeaders, "vary");
  if (names.includes("*")) return false;
  const comparable = (headers: HttpHeaders, name: string) => {
    const value = normalisedField(headers, name);
    return caseInsensitiveFields.has(name) ? value?.toLowerCase() : value;
  };
  return names.every((name) => comparable(storedRequestHeaders, name) === comparable(requestHeaders, name));
}

/**
 * The fields of a request that a cache keeps with a response for `Vary`
 * matching (RFC 9111 §4.1): those the response's `Vary` names, in the
 * request's order; nothing else (a stored `Authorization` or `Cookie` would
 * outlive its purpose).
 *
 * @param requestHeaders The header fields of the request that got the response.
 * @param responseHeaders The response's header fields.
 * @throws {TypeError} If an argument is not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { variedRequestFields } from "./cache_freshness.ts";
 * const request = new HttpHeaders({ "Accept-Language": "de", "Authorization": "Basic eDp5" });
 * deepEqual(variedRequestFields(request, new HttpHeaders({ "Vary": "accept-language" })).toListOfPairs(), [["accept-language", "de"]]);
 * ```
 */
export function variedRequestFields(requestHeaders: HttpHeaders, responseHeaders: HttpHeaders): HttpHeaders {
  const what = "select the varied request fields";
  checkHeaders(what, requestHeaders);
  checkHeaders(what, responseHeaders);
  const names = new Set(listMembers(responseHeaders, "vary"));
  return new HttpHeaders(requestHeaders.toListOfPairs().filter(([name]) => names.has(name.toLowerCase())));
}

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

/**
 * The validators for revalidating a stored response (RFC 9111 §4.3.1):
 * `If-None-Match` with its `ETag`, `If-Modified-Since` with its
 * `Last-Modified` (re-formatted as an IMF-fixdate, RFC 9110 §5.6.7). Qt sends
 * both when it has both. An `ETag` that is not an entity-tag or a
 * `Last-Modified` that is not an HTTP date is left out; without validators the
 * result is empty and the revalidation is an ordinary request.
 *
 * @param storedResponseHeaders The stored response's header fields.
 * @throws {TypeError} If the argument is not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { conditionalHeaders } from "./cache_freshness.ts";
 * const stored = new HttpHeaders({ "ETag": '"xyzzy"', "Last-Modified": "Sunday, 06-Nov-94 08:49:37 GMT" });
 * deepEqual(conditionalHeaders(stored), [["If-None-Match", '"xyzzy"'], ["If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"]]);
 * ```
 */
export function conditionalHeaders(storedResponseHeaders: HttpHeaders): [string, string][] {
  checkHeaders("build conditional headers", storedResponseHeaders);
  const out: [string, string][] = [];
  const etag = storedResponseHeaders.value("etag");
  if (etag !== undefined && ENTITY_TAG.test(etag)) out.push(["If-None-Match", etag]);
  const lastModified = storedResponseHeaders.value("last-modified");
  const date = lastModified === undefined ? undefined : parseCacheDate(lastModified);
  if (date !== undefined) out.push(["If-Modified-Since", formatHttpDate(date)]);
  return out;
}

// Never stored, never updated: hop-by-hop fields (RFC 9111 §3.1, RFC 9110
// §7.6.1), Qt's proxy credentials, and Set-Cookie (as Qt's cache: the cookie
// jar took it when the response arrived).
const unstoredFields: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "transfer-encoding",
  "upgrade",
  "trailer",
  "proxy-authenticate",
  "proxy-authorization",
  "set-cookie",
]);

// Kept from the stored response on update: Content-Length (RFC 9111 §3.2) and
// the fields that describe the stored bytes, which a 304 does not resend
// (§3.2 "fields that the stored response depends upon", as Qt keeps them).
const describesStoredBody: ReadonlySet<string> = new Set([
  "content-length",
  "content-encoding",
  "content-range",
]);

/** The field names a response's `Connection` lists (RFC 9110 §7.6.1). */
function connectionOptions(headers: HttpHeaders): Set<string> {
  return new Set(listMembers(headers, "connection"));
}

function isUnstored(name: string, options: Set<string>): boolean {
  return unstoredFields.has(name) || options.has(name);
}

/**
 * The header fields of a response that a cache keeps (RFC 9111 §3.1): all but
 * the hop-by-hop ones (`Connection` and the fields it lists, `Keep-Alive`,
 * `Proxy-Connection`, `TE`, `Transfer-Encoding`, `Upgrade`, `Trailer`),
 * `Proxy-Authenticate`, `Proxy-Authorization` and `Set-Cookie`, as Qt.
 *
 * @param responseHeaders The response's header fields.
 * @throws {TypeError} If the argument is not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { headersToStore } from "./cache_freshness.ts";
 * const received = new HttpHeaders({ "Connection": "close, X-Hop", "X-Hop": "1", "Set-Cookie": "a=b", "ETag": '"1"' });
 * deepEqual(headersToStore(received).toListOfPairs(), [["etag", '"1"']]);
 * ```
 */
export function headersToStore(responseHeaders: HttpHeaders): HttpHeaders {
  checkHeaders("select the header fields to store", responseHeaders);
  const options = connectionOptions(responseHeaders);
  return new HttpHeaders(responseHeaders.toListOfPairs().filter(([name]) => !isUnstored(name, options)));
}

/**
 * The stored header fields updated by a 304 (RFC 9111 §4.3.4, §3.2): each
 * field the 304 carries replaces every line of that field in the stored
 * response, in the position of its first line (new fields go last) — except
 * the fields {@linkcode headersToStore} never keeps, and `Content-Length`,
 * `Content-Encoding` and `Content-Range`, which describe the stored body and
 * stay as stored. The caller also resets the entry's request and response
 * times to those of the 304's exchange (RFC 9111 §4.3.4).
 *
 * @param storedResponseHeaders The stored response's header fields (unchanged).
 * @param notModifiedHeaders The 304's header fields.
 * @throws {TypeError} If an argument is not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { mergeNotModified } from "./cache_freshness.ts";
 * const stored = new HttpHeaders({ "Cache-Control": "max-age=1", "Content-Length": "8", "X-A": "1" });
 * const notModified = new HttpHeaders({ "Cache-Control": "max-age=3600", "Content-Length": "0", "X-B": "2" });
 * deepEqual(mergeNotModified(stored, notModified).toListOfPairs(), [["cache-control", "max-age=3600"], ["content-length", "8"], ["x-a", "1"], ["x-b", "2"]]);
 * ```
 */
export function mergeNotModified(
  storedResponseHeaders: HttpHeaders,
  notModifiedHeaders: HttpHeaders,
): HttpHeaders {
  const what = "merge a 304 into a stored response";
  checkHeaders(what, storedResponseHeaders);
  checkHeaders(what, notModifiedHeaders);
  const options = connectionOptions(notModifiedHeaders);
  const updates = new Map<string, string[]>();
  for (const [name, value] of notModifiedHeaders) {
    if (isUnstored(name, options) || describesStoredBody.has(name)) continue;
    const values = updates.get(name);
    if (values) values.push(value);
    else updates.set(name, [value]);
  }
  const merged: [string, string][] = [];
  const placed = new Set<string>();
  for (const [name, value] of storedResponseHeaders) {
    const replacement = updates.get(name);
    if (replacement === undefined) merged.push([name, value]);
    else if (!placed.has(name)) {
      placed.add(name);
      for (const v of replacement) merged.push([name, v]);
    }
  }
  for (const [name, values] of updates) {
    if (!placed.has(name)) { for (const v of values) merged.push([name, v]); }
  }
  return new HttpHeaders(merged);
}

/**
 * Whether a 304 may update a stored response (RFC 9111 §4.3.4): when the 304
 * has an `ETag`, the stored one must carry the same entity-tag (a strong 304
 * validator needs a strong stored one; a weak one compares weakly, RFC 9110
 * §8.8.3.2); else when it has `Last-Modified`, the stored one must name the
 * same time; a 304 without validators selects the (only) stored response.
 *
 * @param storedResponseHeaders The stored response's header fields.
 * @param notModifiedHeaders The 304's header fields.
 * @throws {TypeError} If an argument is not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { notModifiedSelects } from "./cache_freshness.ts";
 * const stored = new HttpHeaders({ "ETag": '"v1"' });
 * equal(notModifiedSelects(stored, new HttpHeaders({ "ETag": '"v1"' })), true);
 * equal(notModifiedSelects(stored, new HttpHeaders({ "ETag": '"v2"' })), false);
 * equal(notModifiedSelects(stored, new HttpHeaders()), true);
 * ```
 */
export function notModifiedSelects(
  storedResponseHeaders: HttpHeaders,
  notModifiedHeaders: HttpHeaders,
): boolean {
  const what = "match a 304 to a stored response";
  checkHeaders(what, storedResponseHeaders);
  checkHeaders(what, notModifiedHeaders);
  const newTag = notModifiedHeaders.value("etag");
  if (newTag !== undefined) {
    const storedTag = storedResponseHeaders.value("etag");
    if (storedTag === undefined) return false;
    if (newTag.startsWith("W/")) return newTag.slice(2) === storedTag.replace(/^W\//, "");
    return newTag === storedTag;
  }
  const newDate = firstDate(notModifiedHeaders, "last-modified");
  if (newDate !== undefined) return firstDate(storedResponseHeaders, "last-modified") === newDate;
  return true;
}

/**
 * Whether a response invalidates the stored response for its target URI
 * (RFC 9111 §4.4): a non-error status (2xx or 3xx) to a request whose method
 * is not safe (RFC 9110 §9.2.1: GET, HEAD, OPTIONS and TRACE are safe; methods
 * are case-sensitive, so `get` is an unknown, unsafe method).
 *
 * @param method The request method.
 * @param status The response status.
 * @throws {TypeError} If the method is not an RFC 9110 token.
 * @throws {RangeError} If the status is not 100-599.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { invalidates } from "./cache_freshness.ts";
 * equal(invalidates("POST", 201), true);
 * equal(invalidates("POST", 500), false);
 * equal(invalidates("GET", 200), false);
 * ```
 */
export function invalidates(method: string, status: number): boolean {
  const what = "decide on invalidation";
  checkMethod(what, method);
  checkStatus(what, status);
  return !safeMethods.has(method) && status >= 200 && status < 400;
}

/**
 * The URIs whose stored responses a response invalidates (RFC 9111 §4.4): the
 * target URI, and the URIs in `Location` and `Content-Location` (resolved
 * against it) when they have the same origin; none unless
 * {@linkcode invalidates} holds. Unparsable references are skipped.
 *
 * @param target The request's target URI.
 * @param method The request method.
 * @param response The response's status and header fields.
 * @throws {TypeError} If `target` is not a URL, or as {@linkcode invalidates}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { invalidatedUris } from "./cache_freshness.ts";
 * const headers = new HttpHeaders({ "Location": "/items/7", "Content-Location": "https://elsewhere.example/x" });
 * deepEqual(invalidatedUris(new URL("https://h.example/items"), "POST", { status: 201, headers }).map(String), ["https://h.example/items", "https://h.example/items/7"]);
 * ```
 */
export function invalidatedUris(target: URL, method: string, response: CacheResponse): URL[] {
  if (!(target instanceof URL)) {
    throw new TypeError(`Cannot list invalidated URIs: target must be a URL, got ${describe(target)}`);
  }
  checkHeaders("list invalidated URIs", response?.headers);
  if (!invalidates(method, response.status)) return [];
  const uris = [target];
  for (const name of ["location", "content-location"]) {
    const reference = response.headers.value(name);
    if (reference === undefined) continue;
    let uri: URL;
    try {
      uri = new URL(reference, target);
    } catch {
      continue;
    }
    if (uri.origin === target.origin && !uris.some((u) => u.href === uri.href)) uris.push(uri);
  }
  return uris;
}
