/**
 * {@linkcode WebCacheStore}: a {@linkcode NetworkCache} over the Web Cache
 * API (`caches.open(name)`, on Deno and Cloudflare Workers, where
 * `caches.default` fits too), so that cached responses outlive the process.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, WebCacheStore } from "@netreply/netreply";
 * const cache = await WebCacheStore.open("netreply-example-module");
 * await using nam = new NetworkAccessManager({ cache });
 * equal(nam.cache(), cache);
 * equal(await cache.cacheSize(), 0);
 * await caches.delete("netreply-example-module");
 * ```
 *
 * @module
 */

import { checkInteger } from "./core/argument_checks.ts";
import { HttpHeaders } from "./core/http_headers.ts";
import { bodyStream, checkCacheUrl, checkMetaData, copyMetaData, metaDataSize } from "./cache_metadata.ts";
import { KeyedQueue } from "./keyed_queue.ts";
import type { CacheEntry, CacheMetaData, NetworkCache } from "./network_cache.ts";
import { PendingStores } from "./pending_stores.ts";
import { checkOptionKeys } from "./core/option_keys.ts";

/**
 * The part of the Web Cache API's `Cache` that {@linkcode WebCacheStore}
 * uses: Deno's and Cloudflare Workers' `Cache` objects fit. `keys()` is
 * optional (on Workers it exists but throws): without a working one
 * `clear()` and `cacheSize()` reject.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { WebCache } from "@netreply/netreply";
 * const cache: WebCache = await caches.open("netreply-example-web-cache");
 * equal(await cache.match("https://example.test/"), undefined);
 * await caches.delete("netreply-example-web-cache");
 * ```
 */
export interface WebCache {
  /** The response stored for the request, or `undefined`. */
  match(request: string): Promise<Response | undefined>;
  /** Stores the response for the request, replacing what was there. */
  put(request: string, response: Response): Promise<void>;
  /** Removes the entry of the request; resolves whether there was one. */
  delete(request: string): Promise<boolean>;
  /** The requests of every entry. */
  keys?(): Promise<readonly Request[]>;
}

/**
 * Options of {@linkcode WebCacheStore}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, WebCacheStore } from "@netreply/netreply";
 * const cache = await WebCacheStore.open("netreply-doc-options", { maxEntrySize: 1024 * 1024 }); // bodies up to 1 MiB
 * await using nam = new NetworkAccessManager({ cache });
 * equal(nam.cache(), cache);
 * await caches.delete("netreply-doc-options");
 * ```
 */
export interface WebCacheStoreOptions {
  /**
   * The most bytes of one response body that are stored (a body is held in
   * memory until it is complete, then put into the cache at once); a longer
   * body is not stored. Default 50 MiB, Qt's disk cache size.
   */
  maxEntrySize?: number;
}

/** The response field that carries an entry's metadata (URI-encoded JSON of {@linkcode StoredRecord}). */
const METADATA_FIELD = "x-netreply-cache-metadata";
const FORMAT_VERSION = 1;
const DEFAULT_MAX_ENTRY_SIZE = 50 * 1024 * 1024;
const WEB_CACHE_STORE_OPTION_KEYS: ReadonlySet<string> = new Set(["maxEntrySize"]);

/**
 * How long the Web Cache may keep an entry: a year. Cloudflare's cache
 * honours the stored response's Cache-Control; freshness is netreply's own
 * business (the stored fields are in the metadata), so the carrier asks to
 * be kept.
 */
const CARRIER_CACHE_CONTROL = "max-age=31536000";

/** An entry's metadata as stored: plain JSON, header fields as pairs in order. */
interface StoredRecord {
  readonly version: typeof FORMAT_VERSION;
  readonly url: string;
  readonly requestMethod: string;
  readonly requestHeaders: [string, string][];
  readonly status: number;
  readonly reasonPhrase: string;
  readonly headers: [string, string][];
  readonly requestTime: number;
  readonly responseTime: number;
  readonly bodySize: number;
}

/** The Response that carries an entry into the Web Cache: the body as it is, the metadata in a field. */
function carrier(metaData: CacheMetaData, body: Uint8Array<ArrayBuffer>): Response {
  const record: StoredRecord = {
    version: FORMAT_VERSION,
    url: metaData.url.href,
    requestMethod: metaData.requestMethod,
    requestHeaders: metaData.requestHeaders.toListOfPairs(),
    status: metaData.status,
    reasonPhrase: metaData.reasonPhrase,
    headers: metaData.headers.toListOfPairs(),
    requestTime: metaData.requestTime,
    responseTime: metaData.responseTime,
    bodySize: body.byteLength,
  };
  // Only the carrier's own fields: no Vary (the manager matches varied fields itself), no Set-Cookie.
  return new Response(body, {
    headers: {
      [METADATA_FIELD]: encodeURIComponent(JSON.stringify(record)),
      "cache-control": CARRIER_CACHE_CONTROL,
    },
  });
}

function isPairs(value: unknown): value is [string, string][] {
  return Array.isArray(value) &&
    value.every((pair) =>
      Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string" && typeof pair[1] === "string"
    );
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * The metadata and body size a carrier holds for `key`, or `undefined` when
 * it is no entry of this store (no field, another format, another URL, a
 * value that does not parse): such an entry is treated as absent.
 */
function readCarrier(
  response: Response,
  key: string,
): { metaData: CacheMetaData; bodySize: number } | undefined {
  const field = response.headers.get(METADATA_FIELD);
  if (field === null) return undefined;
  try {
    const record = JSON.parse(decodeURIComponent(field)) as Partial<StoredRecord>;
    if (
      record.version !== FORMAT_VERSION || record.url !== key || typeof record.requestMethod !== "string" ||
      !isPairs(record.requestHeaders) || !Number.isInteger(record.status) ||
      typeof record.reasonPhrase !== "string" || !isPairs(record.headers) || !isTime(record.requestTime) ||
      !isTime(record.responseTime) || !Number.isInteger(record.bodySize)
    ) {
      return undefined;
    }
    return {
      metaData: {
        url: new URL(record.url),
        requestMethod: record.requestMethod,
        requestHeaders: HttpHeaders.fromListOfPairs(record.requestHeaders),
        status: record.status!,
        reasonPhrase: record.reasonPhrase,
        headers: HttpHeaders.fromListOfPairs(record.headers),
        requestTime: record.requestTime,
        responseTime: record.responseTime,
      },
      bodySize: record.bodySize!,
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether the Web Cache can key a URL as itself: an http or https URL (the
 * only requests it stores) without credentials (a Request refuses them) or
 * fragment (the Web Cache drops it) — as `cacheKey()` makes them.
 */
function storable(url: URL): boolean {
  return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" &&
    url.password === "" && url.hash === "";
}

/**
 * A {@linkcode NetworkCache} over a Web Cache API `Cache`. One entry per URL,
 * keyed by the URL the manager passes (`cacheKey()`; a GET request for it
 * in the Web Cache): the body is the stored Response's body, the metadata
 * (URL, method, varied request fields, status, reason phrase, every response
 * field in order with duplicates, request and response times) travels as
 * JSON in one field of it, so it round-trips exactly and the Web Cache's own
 * `Vary` matching never applies. Only http and https URLs without
 * credentials or fragment are stored (the keys `cacheKey()` makes).
 *
 * - A body is collected in memory while it arrives (up to
 *   {@linkcode WebCacheStoreOptions.maxEntrySize}) and put into the cache
 *   once its stream closes: an aborted or erroring stream stores nothing, and
 *   lookups meanwhile find the complete previous entry.
 * - `lookup()` reads the whole body, so the entry's `body()` streams stay
 *   valid whatever happens to the cache later; `updateMetaData()` writes the
 *   body again with the new metadata (the Web Cache cannot change a field
 *   alone).
 * - `cacheSize()` is computed by listing `cache.keys()` and reading each
 *   entry's metadata (no body), counted as `MemoryCache` counts: body bytes
 *   plus URL, reason phrase and header fields; `clear()` deletes every key.
 *   Both reject with a TypeError on Cloudflare Workers, whose `Cache`
 *   cannot list its entries.
 * - The operations of one store on one URL run in the order they were
 *   called, and `clear()` and `cacheSize()` after every operation called
 *   before them (the Web Cache may finish concurrent calls in any order).
 *   Give the store a cache of its own: `clear()` empties all of it, and
 *   entries that another writer put there are treated as absent.
 *
 * In Deno the cache lives in `DENO_DIR` (`location_data`), needs no
 * permission and persists across runs; `caches.delete(name)` removes it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders, WebCacheStore } from "@netreply/netreply";
 * const store = await WebCacheStore.open("netreply-example-store");
 * const url = new URL("https://example.test/");
 * const stream = await store.store({
 *   url, requestMethod: "GET", requestHeaders: new HttpHeaders(), status: 200, reasonPhrase: "OK",
 *   headers: new HttpHeaders([["etag", '"1"']]), requestTime: Date.now(), responseTime: Date.now(),
 * });
 * const writer = stream!.getWriter();
 * await writer.write(new TextEncoder().encode("hello"));
 * await writer.close();
 * const entry = await store.lookup(url);
 * equal(await new Response(entry!.body()).text(), "hello");
 * equal(entry!.metaData.headers.value("etag"), '"1"');
 * await caches.delete("netreply-example-store");
 * ```
 */
export class WebCacheStore implements NetworkCache {
  readonly #cache: WebCache;
  readonly #maxEntrySize: number;
  readonly #queue = new KeyedQueue();
  readonly #pending = new PendingStores();

  /**
   * A store over `cache` (from `caches.open()`, or `caches.default` on
   * Cloudflare Workers).
   *
   * @throws {TypeError} If `cache` has no `match`, `put` and `delete` methods.
   * @throws {RangeError} If `maxEntrySize` is not an integer >= 0.
   */
  constructor(cache: WebCache, options: WebCacheStoreOptions = {}) {
    if (
      typeof cache !== "object" || cache === null || typeof cache.match !== "function" ||
      typeof cache.put !== "function" || typeof cache.delete !== "function"
    ) {
      throw new TypeError(
        `Cannot create WebCacheStore: cache must be a Web Cache API Cache (from caches.open()), got ${
          cache === null ? "null" : typeof cache
        }`,
      );
    }
    this.#cache = cache;
    checkOptionKeys(options, WEB_CACHE_STORE_OPTION_KEYS, "new WebCacheStore()");
    this.#maxEntrySize = checkInteger("maxEntrySize", options?.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE, 0);
  }

  /**
   * A store over `caches.open(name)`.
   *
   * @throws {TypeError} (rejects) If `name` is not a non-empty string, or the runtime has no `caches` (Node, Bun).
   * @throws {RangeError} (rejects) If `maxEntrySize` is not an integer >= 0.
   *
   * @example
   * ```ts
   * import { rejects } from "node:assert/strict";
   * import { WebCacheStore } from "@netreply/netreply";
   * await rejects(WebCacheStore.open(""), {
   *   name: "TypeError",
   *   message: 'Cannot open WebCacheStore: name must be a non-empty string, got ""',
   * });
   * ```
   */
  static async open(name: string, options: WebCacheStoreOptions = {}): Promise<WebCacheStore> {
    if (typeof name !== "string" || name === "") {
      throw new TypeError(
        `Cannot open WebCacheStore: name must be a non-empty string, got ${
          JSON.stringify(name) ?? String(name)
        }`,
      );
    }
    const storage = (globalThis as { caches?: { open(name: string): Promise<WebCache> } }).caches;
    if (storage === undefined || typeof storage.open !== "function") {
      throw new TypeError(
        `Cannot open WebCacheStore "${name}": this runtime has no Web Cache API (globalThis.caches)`,
      );
    }
    checkOptionKeys(options, WEB_CACHE_STORE_OPTION_KEYS, "WebCacheStore.open()");
    checkInteger("maxEntrySize", options?.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE, 0);
    return new WebCacheStore(await storage.open(name), options);
  }

  /** The most bytes of one body that are stored. */
  maximumEntrySize(): number {
    return this.#maxEntrySize;
  }

  /** The entry for `url` with its whole body read, or `undefined`. */
  lookup(url: URL): Promise<CacheEntry | undefined> {
    checkCacheUrl("look up a cache entry", url);
    if (!storable(url)) return Promise.resolve(undefined);
    const key = url.href;
    return this.#queue.forKey(key, async () => {
      const found = await this.#read(key);
      if (found === undefined) return undefined;
      const { metaData, body } = found;
      return { metaData, body: () => bodyStream(body) };
    });
  }

  /**
   * A stream whose bytes are put into the cache, with `metaData`, once it
   * closes; `undefined` for a URL that is not http or https.
   */
  store(metaData: CacheMetaData): Promise<WritableStream<Uint8Array> | undefined> {
    checkMetaData("store a cache entry", metaData);
    if (!storable(metaData.url)) return Promise.resolve(undefined);
    const snapshot = copyMetaData(metaData);
    const key = snapshot.url.href;
    return Promise.resolve(
      this.#pending.collect(key, 0, this.#maxEntrySize, (body) =>
        // Queued at close: a remove() or clear() called after the close runs after the put.
        this.#queue.forKey(
          key,
          () => this.#cache.put(key, carrier(snapshot, body as Uint8Array<ArrayBuffer>)),
        )),
    );
  }

  /** Puts the entry of `metaData.url` again with `metaData` and the body it had. */
  updateMetaData(metaData: CacheMetaData): Promise<boolean> {
    checkMetaData("update a cache entry", metaData);
    if (!storable(metaData.url)) return Promise.resolve(false);
    const snapshot = copyMetaData(metaData);
    const key = snapshot.url.href;
    return this.#queue.forKey(key, async () => {
      const found = await this.#read(key);
      if (found === undefined) return false;
      await this.#cache.put(key, carrier(snapshot, found.body));
      return true;
    });
  }

  /** Deletes `url`'s entry and drops stores of it still being written. */
  remove(url: URL): Promise<boolean> {
    checkCacheUrl("remove a cache entry", url);
    if (!storable(url)) return Promise.resolve(false);
    this.#pending.drop(url.href);
    return this.#queue.forKey(url.href, () => this.#cache.delete(url.href));
  }

  /** Deletes every entry of the cache (listed with `keys()`) and drops every store still being written. */
  clear(): Promise<void> {
    this.#pending.dropAll();
    return this.#queue.forAll(async () => {
      for (const request of await this.#keys("clear")) await this.#cache.delete(request.url);
    });
  }

  /** The bytes stored, summed over the entries `keys()` lists: see the class documentation. */
  cacheSize(): Promise<number> {
    return this.#queue.forAll(async () => {
      let size = 0;
      for (const request of await this.#keys("compute the size of")) {
        const response = await this.#cache.match(request.url);
        if (response === undefined) continue;
        const stored = readCarrier(response, request.url);
        await response.body?.cancel();
        if (stored !== undefined) size += stored.bodySize + metaDataSize(stored.metaData);
      }
      return size;
    });
  }

  /**
   * The requests of every entry. Cloudflare Workers' `Cache` has a `keys()`
   * that throws (their cache cannot list entries); any failure becomes a
   * TypeError saying what could not be done.
   */
  async #keys(action: string): Promise<readonly Request[]> {
    const cannot = `Cannot ${action} WebCacheStore: this runtime's Cache cannot list its entries (keys()`;
    if (typeof this.#cache.keys !== "function") {
      throw new TypeError(`${cannot} is missing); remove entries by URL`);
    }
    try {
      return await this.#cache.keys();
    } catch (cause) {
      throw new TypeError(`${cannot} failed: ${String(cause)}); remove entries by URL`, { cause });
    }
  }

  /** The metadata and whole body of `key`'s entry, or `undefined` when there is none of this store's. */
  async #read(key: string): Promise<{ metaData: CacheMetaData; body: Uint8Array<ArrayBuffer> } | undefined> {
    const response = await this.#cache.match(key);
    if (response === undefined) return undefined;
    const stored = readCarrier(response, key);
    if (stored === undefined) {
      await response.body?.cancel();
      return undefined;
    }
    const body = new Uint8Array(await response.arrayBuffer());
    // A body of another length than the one put in is not this entry's.
    return body.byteLength === stored.bodySize ? { metaData: stored.metaData, body } : undefined;
  }
}
