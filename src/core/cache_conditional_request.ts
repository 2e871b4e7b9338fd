/**
 * A request's own validators checked against a stored response, so that a
 * cache can answer `304 Not Modified` itself (RFC 9111 §4.3.2): whether the
 * stored response satisfies the request's `If-None-Match` or, without one,
 * its `If-Modified-Since` (RFC 9110 §13.1.2, §13.1.3), and which of its fields
 * such a 304 carries (RFC 9110 §15.4.5). Pure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { storedNotModified } from "./cache_conditional_request.ts";
 * const stored = new HttpHeaders({ "ETag": '"v2"' });
 * assert.equal(storedNotModified(stored, new HttpHeaders({ "If-None-Match": '"v1", "v2"' })), true);
 * assert.equal(storedNotModified(stored, new HttpHeaders({ "If-None-Match": '"v3"' })), false);
 * ```
 *
 * @module
 */

import { parseHttpDate } from "./http_date.ts";
import { HttpHeaders } from "./http_headers.ts";
import { splitList } from "./known_header_values.ts";

// The request fields a cache evaluates for itself; any other precondition is the origin's to judge.
const cacheEvaluated = ["if-none-match", "if-modified-since"];
const originOnly = ["if-match", "if-unmodified-since", "if-range"];

/**
 * The fields that make a request conditional (RFC 9110 §13.1), lowercase:
 * the two a cache may evaluate itself, then the three it leaves to the origin.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { CONDITIONAL_REQUEST_FIELDS } from "./cache_conditional_request.ts";
 * deepEqual(CONDITIONAL_REQUEST_FIELDS, ["if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range"]);
 * ```
 */
export const CONDITIONAL_REQUEST_FIELDS: readonly string[] = [...cacheEvaluated, ...originOnly];

function checkHeaders(what: string, headers: unknown): void {
  if (!(headers instanceof HttpHeaders)) {
    const got = headers === null ? "null" : typeof headers;
    throw new TypeError(`Cannot ${what}: headers must be HttpHeaders, got ${got}`);
  }
}

/** An entity-tag without its weakness flag, for the weak comparison of RFC 9110 §8.8.3.2. */
function opaqueTag(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

/**
 * Whether the request's own preconditions, evaluated against a stored
 * response's validators, say "not modified":
 *
 * - `If-None-Match` (when present it decides): `*`, or a listed entity-tag
 *   that weakly matches the stored `ETag` (RFC 9110 §13.1.2; an `ETag` that
 *   is not a quoted entity-tag is compared as it is written);
 * - else `If-Modified-Since`: the stored `Last-Modified` is not later than it
 *   (RFC 9110 §13.1.3); an invalid date on either side is no match.
 *
 * `false` when the request has no such field, or also has one a cache must
 * leave to the origin (`If-Match`, `If-Unmodified-Since`, `If-Range`).
 *
 * @param storedHeaders The stored response's header fields.
 * @param requestHeaders The new request's header fields.
 * @throws {TypeError} If an argument is not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { storedNotModified } from "./cache_conditional_request.ts";
 * const stored = new HttpHeaders({ "Last-Modified": "Thu, 01 Jan 2026 00:00:00 GMT" });
 * const since = (date: string) => new HttpHeaders({ "If-Modified-Since": date });
 * assert.equal(storedNotModified(stored, since("Fri, 02 Jan 2026 00:00:00 GMT")), true);
 * assert.equal(storedNotModified(stored, since("Wed, 31 Dec 2025 00:00:00 GMT")), false);
 * ```
 */
export function storedNotModified(storedHeaders: HttpHeaders, requestHeaders: HttpHeaders): boolean {
  const what = "evaluate a conditional request against a stored response";
  checkHeaders(what, storedHeaders);
  checkHeaders(what, requestHeaders);
  if (originOnly.some((name) => requestHeaders.contains(name))) return false;
  const noneMatch = requestHeaders.combinedValue("if-none-match");
  if (noneMatch !== undefined) {
    const members = splitList(noneMatch).filter((member) => member !== "");
    if (members.includes("*")) return true;
    const etag = storedHeaders.value("etag")?.trim();
    return etag !== undefined && members.some((member) => opaqueTag(member) === opaqueTag(etag));
  }
  const since = requestHeaders.value("if-modified-since");
  const lastModified = storedHeaders.value("last-modified");
  if (since === undefined || lastModified === undefined) return false;
  const sinceTime = parseHttpDate(since)?.getTime();
  const modifiedTime = parseHttpDate(lastModified)?.getTime();
  return sinceTime !== undefined && modifiedTime !== undefined && modifiedTime <= sinceTime;
}

/**
 * Whether a request carries a precondition a cache may answer itself: only
 * `If-None-Match` and `If-Modified-Since`, none of the origin's.
 *
 * @param requestHeaders The request's header fields.
 * @throws {TypeError} If the argument is not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { cacheMayEvaluate } from "./cache_conditional_request.ts";
 * assert.equal(cacheMayEvaluate(new HttpHeaders({ "If-None-Match": '"a"' })), true);
 * assert.equal(cacheMayEvaluate(new HttpHeaders({ "If-None-Match": '"a"', "If-Match": '"b"' })), false);
 * ```
 */
export function cacheMayEvaluate(requestHeaders: HttpHeaders): boolean {
  checkHeaders("tell whether a cache may evaluate a request's preconditions", requestHeaders);
  return cacheEvaluated.some((name) => requestHeaders.contains(name)) &&
    !originOnly.some((name) => requestHeaders.contains(name));
}

// RFC 9110 §15.4.5: the fields a 304 carries that a 200 would have had.
const notModifiedFields = ["cache-control", "content-location", "date", "etag", "expires", "vary", "age"];

/**
 * The header fields of a `304 Not Modified` generated from a stored response
 * (RFC 9110 §15.4.5): its `Cache-Control`, `Content-Location`, `Date`, `ETag`,
 * `Expires`, `Vary` and `Age`, in their order; no content metadata.
 *
 * @param servedHeaders The stored response's fields as served (with `Age`).
 * @throws {TypeError} If the argument is not {@linkcode HttpHeaders}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { notModifiedHeaders } from "./cache_conditional_request.ts";
 * const served = new HttpHeaders({ "Content-Type": "text/plain", "ETag": '"a"', "Age": "4" });
 * assert.deepEqual(notModifiedHeaders(served).toListOfPairs(), [["etag", '"a"'], ["age", "4"]]);
 * ```
 */
export function notModifiedHeaders(servedHeaders: HttpHeaders): HttpHeaders {
  checkHeaders("select the fields of a 304", servedHeaders);
  return new HttpHeaders(servedHeaders.toListOfPairs().filter(([name]) => notModifiedFields.includes(name)));
}
