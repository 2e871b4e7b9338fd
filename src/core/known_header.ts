/**
 * Qt's `QNetworkRequest::KnownHeaders`, with Qt's numbers.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { KnownHeader } from "@netreply/netreply";
 * equal(KnownHeader.ContentLengthHeader, 1);
 * ```
 *
 * @module
 */

/**
 * Headers with a parsed ("cooked") form.
 *
 * @example Cooked headers on a request
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { KnownHeader, NetworkRequest } from "@netreply/netreply";
 * const request = new NetworkRequest("https://api.test/upload");
 * request.setHeader(KnownHeader.ContentTypeHeader, "application/json");
 * request.setHeader(KnownHeader.ContentLengthHeader, 42);
 * equal(request.rawHeader("content-type"), "application/json");
 * equal(request.header(KnownHeader.ContentLengthHeader), 42);
 * ```
 */
export const KnownHeader = {
  ContentTypeHeader: 0,
  ContentLengthHeader: 1,
  LocationHeader: 2,
  LastModifiedHeader: 3,
  CookieHeader: 4,
  SetCookieHeader: 5,
  ContentDispositionHeader: 6,
  UserAgentHeader: 7,
  ServerHeader: 8,
  IfModifiedSinceHeader: 9,
  ETagHeader: 10,
  IfMatchHeader: 11,
  IfNoneMatchHeader: 12,
} as const;

/** One of the {@linkcode KnownHeader} numbers. */
export type KnownHeader = typeof KnownHeader[keyof typeof KnownHeader];
