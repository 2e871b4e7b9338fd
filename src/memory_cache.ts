/**
 * {@linkcode MemoryCache}: a {@linkcode NetworkCache} in memory, bounded in
 * size, evicting the least recently used entries first.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MemoryCache } from "./memory_cache.ts";
 * await using nam = new NetworkAccessManager({ cache: new MemoryCache({ maxSize: 10 * 1024 * 1024 }) });
 * equal(await nam.cache()?.cacheSize(), 0);
 * ```
 *
 * @module
 */

import { checkInteger } from "./core/argument_checks.ts";
import { bodyStream, checkCacheUrl, checkMetaData, copyMetaData, metaDataSize } from "./cache_metadata.ts";
import type { CacheEntry, CacheMetaData, NetworkCache } from "./network_cache.ts";
import { PendingStores } from "./pending_stores.ts";
import { checkOptionKeys } from "./core/option_keys.ts";

/**
 * Options for {@linkcode MemoryCache}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { MemoryCache } from "@netreply/netreply";
 * const cache = new MemoryCache({ maxSize: 1024 * 1024 }); // 1 MiB, least recently used first out
 * equal(cache.maximumCacheSize(), 1024 * 1024);
 * ```
 */
export interface MemoryCacheOptions {
  /** The most bytes kept (see {@linkcode MemoryCache.cacheSize}); default 50 MiB, Qt's disk cache default. */
  maxSize?: number;
}

/**
 * The default {@linkcode MemoryCacheOptions.maxSize}: 50 MiB, as Qt's `QNetworkDiskCache`.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { DEFAULT_MEMORY_CACHE_SIZE, MemoryCache } from "@netreply/netreply";
 * equal(new MemoryCache().maximumCacheSize(), DEFAULT_MEMORY_CACHE_SIZE);
 * equal(DEFAULT_MEMORY_CACHE_SIZE, 50 * 1024 * 1024);
 * ```
 */
export const DEFAULT_MEMORY_CACHE_SIZE = 50 * 1024 * 1024;

const MEMORY_CACHE_OPTION_KEYS: ReadonlySet<string> = new Set(["maxSize"]);

interface Stored {
  readonly metaData: CacheMetaData;
  readonly body: Uint8Array;
  readonly size: number;
}

/**
 * A size-bounded in-memory cache with least-recently-used eviction. A body is
 * kept only once it is complete (its stream closed); an entry bigger than
 * `maxSize` is not kept. The size of an entry is its body's bytes plus its
 * URL, reason phrase and header fields (UTF-16 code units, one per byte).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { MemoryCache } from "./memory_cache.ts";
 * const cache = new MemoryCache({ maxSize: 4096 });
 * const url = new URL("https://example.test/");
 * const stream = await cache.store({
 *   url, requestMethod: "GET", requestHeaders: new HttpHeaders(), status: 200, reasonPhrase: "OK",
 *   headers: new HttpHeaders(), requestTime: Date.now(), responseTime: Date.now(),
 * });
 * const writer = stream!.getWriter();
 * await writer.write(new TextEncoder().encode("hello"));
 * await writer.close();
 * const entry = await cache.lookup(url);
 * equal(await new Response(entry!.body()).text(), "hello");
 * ```
 */
export class MemoryCache implements NetworkCache {
  readonly #maxSize: number;
  /** In least-recently-used order: the first entry goes first. */
  readonly #entries = new Map<string, Stored>();
  readonly #pending = new PendingStores();
  #size = 0;

  /** Creates an empty cache; a RangeError names a `maxSize` that is not an integer >= 0. */
  constructor(options: MemoryCacheOptions = {}) {
    checkOptionKeys(options, MEMORY_CACHE_OPTION_KEYS, "new MemoryCache()");
    this.#maxSize = checkInteger("maxSize", options?.maxSize ?? DEFAULT_MEMORY_CACHE_SIZE, 0);
  }

  /** The most bytes kept. */
  maximumCacheSize(): number {
    return this.#maxSize;
  }

  /** The entry for `url`, which becomes the most recently used. */
  lookup(url: URL): Promise<CacheEntry | undefined> {
    checkCacheUrl("look up a cache entry", url);
    const stored = this.#entries.get(url.href);
    if (stored === undefined) return Promise.resolve(undefined);
    this.#entries.delete(url.href);
    this.#entries.set(url.href, stored);
    const body = stored.body;
    return Promise.resolve({
      metaData: copyMetaData(stored.metaData),
      body: () => bodyStream(body),
    });
  }

  /** A stream that keeps the response once closed; `undefined` when its metadata alone exceeds `maxSize`. */
  store(metaData: CacheMetaData): Promise<WritableStream<Uint8Array> | undefined> {
    checkMetaData("store a cache entry", metaData);
    const snapshot = copyMetaData(metaData);
    const key = snapshot.url.href;
    const size = metaDataSize(snapshot);
    if (size > this.#maxSize) return Promise.resolve(undefined);
    return Promise.resolve(
      this.#pending.collect(key, size, this.#maxSize, (body, total) => {
        this.#insert({ metaData: snapshot, body, size: total });
      }),
    );
  }

  /** Replaces the metadata of `metaData.url`'s entry, keeping its body; the entry becomes the most recently used. */
  updateMetaData(metaData: CacheMetaData): Promise<boolean> {
    checkMetaData("update a cache entry", metaData);
    const stored = this.#entries.get(metaData.url.href);
    if (stored === undefined) return Promise.resolve(false);
    const snapshot = copyMetaData(metaData);
    this.#insert({
      metaData: snapshot,
      body: stored.body,
      size: metaDataSize(snapshot) + stored.body.byteLength,
    });
    return Promise.resolve(true);
  }

  /** Removes `url`'s entry and drops stores of it in progress. */
  remove(url: URL): Promise<boolean> {
    checkCacheUrl("remove a cache entry", url);
    this.#pending.drop(url.href);
    return Promise.resolve(this.#delete(url.href));
  }

  /** Removes every entry and drops every store in progress. */
  clear(): Promise<void> {
    this.#pending.dropAll();
    this.#entries.clear();
    this.#size = 0;
    return Promise.resolve();
  }

  /** The bytes kept: bodies plus metadata, as the class documentation counts them. */
  cacheSize(): Promise<number> {
    return Promise.resolve(this.#size);
  }

  #delete(key: string): boolean {
    const stored = this.#entries.get(key);
    if (stored === undefined) return false;
    this.#entries.delete(key);
    this.#size -= stored.size;
    return true;
  }

  #insert(stored: Stored): void {
    const key = stored.metaData.url.href;
    this.#delete(key);
    if (stored.size > this.#maxSize) return;
    this.#entries.set(key, stored);
    this.#size += stored.size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#size <= this.#maxSize) break;
      this.#entries.delete(oldest);
      this.#size -= entry.size;
    }
  }
}
