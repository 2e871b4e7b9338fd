/**
 * {@linkcode NetworkCache}: where a {@linkcode NetworkAccessManager} keeps
 * responses for reuse (RFC 9111, a private cache). Shaped after Qt's
 * `QAbstractNetworkCache` — `metaData()` and `data()` as one
 * {@linkcode NetworkCache.lookup}, `prepare()` and `insert()` as
 * {@linkcode NetworkCache.store}'s stream, `updateMetaData()`, `remove()`,
 * `clear()`, `cacheSize()` — and after undici's `CacheStore` (a body written
 * as it arrives, kept only when it is complete). Every method is async, so a
 * store over the Web Cache API or a database fits. `MemoryCache` implements it.
 *
 * One entry per URL, as in Qt: the key is the URL without its fragment and
 * credentials ({@linkcode cacheKey}); the manager passes keys, and a store
 * compares them by `href`.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MemoryCache } from "./memory_cache.ts";
 * import type { NetworkCache } from "./network_cache.ts";
 * const cache: NetworkCache = new MemoryCache({ maxSize: 1024 * 1024 });
 * await using nam = new NetworkAccessManager({ cache });
 * equal(nam.cache(), cache);
 * equal(await cache.cacheSize(), 0);
 * ```
 *
 * @module
 */

import type { HttpHeaders } from "./core/http_headers.ts";

/**
 * What a cache keeps about a stored response besides its body (Qt's
 * `QNetworkCacheMetaData`, with the times RFC 9111 §4.2.3 needs).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import type { CacheMetaData } from "./network_cache.ts";
 * const now = Date.now();
 * const metaData: CacheMetaData = {
 *   url: new URL("https://example.test/"),
 *   requestMethod: "GET",
 *   requestHeaders: new HttpHeaders(),
 *   status: 200,
 *   reasonPhrase: "OK",
 *   headers: new HttpHeaders({ "cache-control": "max-age=60" }),
 *   requestTime: now,
 *   responseTime: now,
 * };
 * equal(metaData.status, 200);
 * ```
 */
export interface CacheMetaData {
  /** The key: the request URL without fragment and credentials ({@linkcode cacheKey}). */
  readonly url: URL;
  /** The method of the request that got the response (`GET`). */
  readonly requestMethod: string;
  /** The request's fields that the response's `Vary` names (RFC 9111 §4.1); only those. */
  readonly requestHeaders: HttpHeaders;
  /** The response status. */
  readonly status: number;
  /** The response's reason phrase ("" on HTTP/2). */
  readonly reasonPhrase: string;
  /** The stored response fields (no hop-by-hop fields, no `Set-Cookie`), names lower-case. */
  readonly headers: HttpHeaders;
  /** When the request was sent, in ms since the epoch (`request_time`, RFC 9111 §4.2.3). */
  readonly requestTime: number;
  /** When the response head arrived, in ms since the epoch (`response_time`). */
  readonly responseTime: number;
}

/**
 * A stored response as {@linkcode NetworkCache.lookup} finds it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { MemoryCache } from "./memory_cache.ts";
 * import type { CacheEntry } from "./network_cache.ts";
 * const entry: CacheEntry | undefined = await new MemoryCache().lookup(new URL("https://example.test/"));
 * equal(entry, undefined);
 * ```
 */
export interface CacheEntry {
  /** The entry's metadata. */
  readonly metaData: CacheMetaData;
  /**
   * The stored body, as a new stream on each call (Qt's `data()`); always
   * the body of this metadata, even when the entry is replaced meanwhile.
   */
  body(): ReadableStream<Uint8Array>;
}

/**
 * An HTTP cache store; see the module documentation.
 *
 * @example A cache wrapper that counts hits
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { MemoryCache } from "./memory_cache.ts";
 * import type { CacheEntry, NetworkCache } from "./network_cache.ts";
 * let found = 0;
 * const inner = new MemoryCache();
 * const counting: NetworkCache = {
 *   lookup: async (url) => {
 *     const entry: CacheEntry | undefined = await inner.lookup(url);
 *     if (entry) found++;
 *     return entry;
 *   },
 *   store: (metaData) => inner.store(metaData),
 *   updateMetaData: (metaData) => inner.updateMetaData(metaData),
 *   remove: (url) => inner.remove(url),
 *   clear: () => inner.clear(),
 *   cacheSize: () => inner.cacheSize(),
 * };
 * equal(await counting.lookup(new URL("https://example.test/")), undefined);
 * equal(found, 0);
 * ```
 */
export interface NetworkCache {
  /**
   * The entry for `url` (a {@linkcode cacheKey}), or `undefined` (Qt's
   * `metaData()` and `data()` in one call, so that both describe one entry).
   */
  lookup(url: URL): Promise<CacheEntry | undefined>;
  /**
   * Starts storing a response (Qt's `prepare()`): the manager writes the body
   * into the stream as it arrives and closes it at the end (Qt's `insert()`),
   * which replaces the entry for `metaData.url`; an aborted stream (the
   * download failed or was cancelled) stores nothing. Resolves `undefined`
   * when the store declines the response (too big, for instance).
   */
  store(metaData: CacheMetaData): Promise<WritableStream<Uint8Array> | undefined>;
  /**
   * Replaces the metadata of the entry for `metaData.url`, keeping its body
   * (after a 304, RFC 9111 §4.3.4); resolves whether there was an entry.
   */
  updateMetaData(metaData: CacheMetaData): Promise<boolean>;
  /** Removes the entry for `url`, and drops a store of it in progress; resolves whether there was an entry. */
  remove(url: URL): Promise<boolean>;
  /** Removes every entry, and drops stores in progress. */
  clear(): Promise<void>;
  /** Bytes stored (Qt's `cacheSize()`), as the store counts them. */
  cacheSize(): Promise<number>;
}

/**
 * The key of a URL's entry: the URL without fragment, user name and
 * password, as Qt keys its cache.
 *
 * @param url A request URL.
 * @returns A new URL.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { cacheKey } from "./network_cache.ts";
 * equal(cacheKey(new URL("https://user:pw@example.test/a?b#c")).href, "https://example.test/a?b");
 * ```
 */
export function cacheKey(url: URL): URL {
  const key = new URL(url.href);
  key.hash = "";
  key.username = "";
  key.password = "";
  return key;
}
