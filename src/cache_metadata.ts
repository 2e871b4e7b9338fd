/**
 * What the `NetworkCache` stores of this package share about
 * {@linkcode CacheMetaData}: the argument checks of their methods, a copy
 * that nothing outside can change, and the bytes an entry's metadata counts
 * towards `cacheSize()`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { HttpHeaders } from "./core/http_headers.ts";
 * import { copyMetaData, metaDataSize } from "./cache_metadata.ts";
 * const metaData = {
 *   url: new URL("https://example.test/"), requestMethod: "GET", requestHeaders: new HttpHeaders(),
 *   status: 200, reasonPhrase: "OK", headers: new HttpHeaders({ etag: '"1"' }), requestTime: 0, responseTime: 0,
 * };
 * equal(metaDataSize(metaData), "https://example.test/".length + "OK".length + "etag".length + 3);
 * equal(copyMetaData(metaData).headers === metaData.headers, false);
 * ```
 *
 * @module
 */

import { HttpHeaders } from "./core/http_headers.ts";
import type { CacheMetaData } from "./network_cache.ts";

/** A deep copy of `metaData`: its URL and both header lists are new objects. */
export function copyMetaData(metaData: CacheMetaData): CacheMetaData {
  return {
    ...metaData,
    url: new URL(metaData.url.href),
    requestHeaders: new HttpHeaders(metaData.requestHeaders),
    headers: new HttpHeaders(metaData.headers),
  };
}

function fieldsSize(headers: HttpHeaders): number {
  let size = 0;
  for (const [name, value] of headers) size += name.length + value.length;
  return size;
}

/**
 * What an entry's metadata counts towards a store's size: its URL, reason
 * phrase and the fields of both header lists, one byte per UTF-16 code unit.
 */
export function metaDataSize(metaData: CacheMetaData): number {
  return metaData.url.href.length + metaData.reasonPhrase.length + fieldsSize(metaData.headers) +
    fieldsSize(metaData.requestHeaders);
}

/** Throws a TypeError saying what cannot be done (`what`) unless `metaData` has a URL and two HttpHeaders. */
export function checkMetaData(what: string, metaData: CacheMetaData): void {
  if (metaData === null || typeof metaData !== "object" || !(metaData.url instanceof URL)) {
    throw new TypeError(`Cannot ${what}: metaData must be an object with a URL url`);
  }
  if (!(metaData.headers instanceof HttpHeaders) || !(metaData.requestHeaders instanceof HttpHeaders)) {
    throw new TypeError(`Cannot ${what}: metaData.headers and metaData.requestHeaders must be HttpHeaders`);
  }
}

/** Throws a TypeError saying what cannot be done (`what`) unless `url` is a URL. */
export function checkCacheUrl(what: string, url: URL): void {
  if (!(url instanceof URL)) throw new TypeError(`Cannot ${what}: url must be a URL, got ${String(url)}`);
}
