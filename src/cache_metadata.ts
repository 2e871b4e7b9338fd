/**
 * What the `NetworkCache` stores of this package share about
 * {@linkcode CacheMetaData}: the argument checks of their methods, a copy
 * that nothing outside can change, the bytes an entry's metadata counts
 * towards `cacheSize()`, and the stream an entry's stored body is read from.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
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

/**
 * A stream of a copy of `body`, as a stored entry's `body()` gives it: one
 * chunk (none when `body` is empty), then closed. The chunk is a copy, so a
 * reader that changes it leaves the stored bytes as they are.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { bodyStream } from "./cache_metadata.ts";
 * const stored = new Uint8Array([1, 2, 3]);
 * const chunks = await Array.fromAsync(bodyStream(stored));
 * deepEqual(chunks, [new Uint8Array([1, 2, 3])]);
 * equal(chunks[0] === stored, false);
 * deepEqual(await Array.fromAsync(bodyStream(new Uint8Array(0))), []);
 * ```
 */
export function bodyStream(body: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (body.byteLength > 0) controller.enqueue(body.slice());
      controller.close();
    },
  });
}
