/**
 * {@linkcode cacheLayer}: the manager's HTTP cache (RFC 9111, a private
 * cache) over one exchange, as Qt's `QNetworkReplyHttpImpl` applies its
 * `QAbstractNetworkCache`. Per request, with the request's
 * `CacheLoadControlAttribute` and `CacheSaveControlAttribute`:
 *
 * - a GET or HEAD without a body looks its URL up; `decideCacheLoad` says
 *   whether to serve the entry without the network (a `responseHead` with
 *   `fromCache`, the stored body as `data`, `end`: no `connecting`, no
 *   `requestSent`), revalidate it (validators from `conditionalHeaders`; a
 *   304 updates the entry with `mergeNotModified` and serves it, a 5xx serves
 *   it where it may be served stale, RFC 9111 §4.3.3, and within its
 *   `stale-if-error` window, RFC 5861 §4), go to the network, or
 *   fail (`AlwaysCache` and nothing usable: ContentNotFoundError, "Error
 *   opening <url>", as Qt's cache backend says);
 * - a request with its own `If-None-Match` or `If-Modified-Since` (and no
 *   precondition only the origin may judge) that a fresh stored 200
 *   satisfies is answered `304 Not Modified` from the cache (RFC 9111
 *   §4.3.2); otherwise it goes to the network as it is;
 * - `AlwaysNetwork` sends `Cache-Control: no-cache` and `Pragma: no-cache`
 *   unless the request has its own `Cache-Control` (Qt);
 * - a storable GET response (`storable`, RFC 9111 §3) is written into the
 *   cache as its body passes and kept only once the body is complete: a 206,
 *   an aborted or failed download stores nothing; an error reply (4xx, 5xx)
 *   is never stored and removes the URL's entry (Qt);
 * - a response served from the cache carries `Age`, its current age
 *   (RFC 9111 §5.1);
 * - an unsafe method's success removes the stored responses of its target,
 *   `Location` and `Content-Location` (RFC 9111 §4.4); a GET with a body
 *   bypasses the cache and removes the URL's entry (Qt);
 * - `Vary` is honoured: the request fields it names are stored with the
 *   response and must match (RFC 9111 §4.1).
 *
 * A failing cache store never fails a reply: it is treated as empty.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Attribute, MemoryCache, NetworkAccessManager, NetworkRequest } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" })
 *   .reply(200, "stored", { headers: { "cache-control": "max-age=60" } });
 * await using nam = new NetworkAccessManager({ transport: mock, cache: new MemoryCache() });
 * equal(await nam.get("http://example.test/").text(), "stored");
 * const again = nam.get("http://example.test/");
 * equal(await again.text(), "stored");
 * equal(again.attribute(Attribute.SourceIsFromCacheAttribute), true);
 * ```
 *
 * @module
 */

import { isEnumValue } from "../core/argument_checks.ts";
import { Attribute } from "../core/attribute.ts";
import {
  cacheMayEvaluate,
  CONDITIONAL_REQUEST_FIELDS,
  notModifiedHeaders,
  storedNotModified,
} from "../core/cache_conditional_request.ts";
import { parseCacheControl } from "../core/cache_control.ts";
import {
  type CacheLookup,
  conditionalHeaders,
  headersToStore,
  invalidatedUris,
  lookupStoredResponse,
  mergeNotModified,
  notModifiedSelects,
  servedHeaders,
  staleIfErrorAllows,
  storable,
  variedRequestFields,
} from "../core/cache_freshness.ts";
import { CacheLoadControl } from "../core/cache_load_control.ts";
import { decideCacheLoad, decideRevalidationOutcome } from "../core/cache_load_decision.ts";
import { HttpHeaders } from "../core/http_headers.ts";
import { isRedirectStatus } from "../core/redirect.ts";
import { NetworkError } from "../core/network_error.ts";
import { type CacheEntry, cacheKey, type CacheMetaData, type NetworkCache } from "../network_cache.ts";
import type { ExchangeEvent, ExchangeRequest, ResponseHead } from "../transport/transport.ts";
import type { Exchange, ExchangeLayer } from "./exchange_layer.ts";
import { watchResponseHead } from "./response_head_watch.ts";

type Events = AsyncGenerator<ExchangeEvent, undefined>;
type Writer = WritableStreamDefaultWriter<Uint8Array>;

/** What the cache layer reads from its manager, on every exchange. */
export interface CacheLayerHost {
  /** The cache in use now, or `null` for none (the layer then only passes events on). */
  cache(): NetworkCache | null;
  /** The current time in ms since the epoch (`Date.now`). */
  now(): number;
}

/** What `call` resolves, or `undefined` when it throws or rejects: a failing store is an empty one. */
async function quietly<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch {
    return undefined;
  }
}

/**
 * The events of a stored response at `now`: its head (`fromCache`, with `Age`, RFC 9111 §5.1), its body
 * unless `method` is HEAD, `end`.
 */
async function* served(entry: CacheEntry, metaData: CacheMetaData, method: string, now: number): Events {
  const headers = servedHeaders(metaData, now); // a new one, handed over: the reply keeps it
  yield {
    type: "responseHead",
    head: { status: metaData.status, reasonPhrase: metaData.reasonPhrase, headers, fromCache: true },
  };
  if (method !== "HEAD") {
    let reader: ReadableStreamDefaultReader<Uint8Array>;
    try {
      reader = entry.body().getReader();
    } catch (cause) {
      return yield unreadable(metaData.url, cause);
    }
    try {
      for (;;) {
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await reader.read();
        } catch (cause) {
          return yield unreadable(metaData.url, cause);
        }
        if (step.done) break;
        yield { type: "data", bytes: step.value, wireBytes: 0 };
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }
  yield { type: "end" };
}

/** A `304 Not Modified` generated from a stored response (`fromCache`), for the request's own validators. */
async function* notModified(metaData: CacheMetaData, now: number): Events {
  const headers = notModifiedHeaders(servedHeaders(metaData, now));
  yield {
    type: "responseHead",
    head: { status: 304, reasonPhrase: "Not Modified", headers, fromCache: true },
  };
  yield { type: "end" };
}

function unreadable(url: URL, cause: unknown): ExchangeEvent {
  return {
    type: "error",
    code: NetworkError.UnknownContentError,
    message: `Cannot read the cached body of ${url.href}: ${String(cause)}`,
    cause,
  };
}

/**
 * Whether the cache rules apply to a status: RFC 9110's 100-599. A transport
 * may pass on others (600-999): such a response is neither stored nor used to
 * revalidate or invalidate.
 */
function understood(head: ResponseHead): boolean {
  return head.status >= 100 && head.status <= 599;
}

/** Opens a store of `head` for the request, or `undefined` when it is not to be stored. */
async function startStore(
  cache: NetworkCache,
  key: URL,
  request: ExchangeRequest,
  head: ResponseHead,
  times: { readonly requestTime: number; readonly responseTime: number },
): Promise<Writer | undefined> {
  if (request.method !== "GET" || request.cacheSaveControl === false) return undefined;
  if (!understood(head) || !storable({ method: request.method, headers: request.headers }, head)) {
    return undefined;
  }
  const stream = await quietly(() =>
    cache.store({
      url: key,
      requestMethod: request.method,
      requestHeaders: variedRequestFields(request.headers, head.headers),
      status: head.status,
      reasonPhrase: head.reasonPhrase,
      headers: headersToStore(head.headers),
      ...times,
    })
  );
  return stream?.getWriter();
}

/**
 * Passes the network's events on, storing a storable response as its body
 * passes and committing it before `end` is passed on; `revalidating` holds
 * the entry a conditional request was sent for.
 */
async function* fromNetwork(
  cache: NetworkCache,
  key: URL,
  request: ExchangeRequest,
  events: AsyncIterator<ExchangeEvent, undefined>,
  signal: AbortSignal,
  now: () => number,
  revalidating?: { readonly entry: CacheEntry; readonly lookup: CacheLookup },
): Events {
  const requestTime = now();
  let writer: Writer | undefined;
  let storedRedirect = false;
  try {
    for (;;) {
      const step = await events.next();
      if (step.done) return;
      const event = step.value;
      if (event.type === "responseHead") {
        const head = event.head;
        const responseTime = now();
        if (revalidating !== undefined && understood(head)) {
          const stored = revalidating.entry.metaData;
          const staleAllowed = staleIfErrorAllows(stored, request, responseTime);
          const outcome = decideRevalidationOutcome(revalidating.lookup, head.status, staleAllowed);
          if (outcome === "serve-stored") {
            await events.return?.();
            return yield* served(revalidating.entry, stored, request.method, now());
          }
          if (outcome === "update-stored" && notModifiedSelects(stored.headers, head.headers)) {
            await events.return?.();
            const updated = {
              ...stored,
              headers: mergeNotModified(stored.headers, head.headers),
              requestTime,
              responseTime,
            };
            await quietly(() => cache.updateMetaData(updated));
            return yield* served(revalidating.entry, updated, request.method, now());
          }
        }
        if (request.method === "GET" && head.status >= 400) await quietly(() => cache.remove(key));
        writer = await startStore(cache, key, request, head, { requestTime, responseTime });
        storedRedirect = isRedirectStatus(head.status) && shortBody(head);
      } else if (writer !== undefined && (event.type === "data" || event.type === "end")) {
        writer = await feed(writer, event);
      }
      yield event;
    }
  } finally {
    // The hop loop never reads a followed redirect's body; a stored redirect needs it (Qt replays cached
    // redirects), so a short one is read to its end here.
    if (writer !== undefined && storedRedirect) writer = await readIntoStore(events, writer, signal);
    writer?.abort().catch(() => {});
    await events.return?.();
  }
}

/** Writes one body event into the store; resolves the writer while it stays open. */
async function feed(writer: Writer, event: ExchangeEvent): Promise<Writer | undefined> {
  try {
    if (event.type === "data") {
      await writer.write(event.bytes);
      return writer;
    }
    if (event.type === "end") {
      await writer.close();
      return undefined;
    }
  } catch {
    // a failing store keeps nothing
  }
  writer.abort().catch(() => {});
  return undefined;
}

/** Reads the rest of a body nobody else reads into the store; the writer if it is still open. */
async function readIntoStore(
  events: AsyncIterator<ExchangeEvent, undefined>,
  writer: Writer | undefined,
  signal: AbortSignal,
): Promise<Writer | undefined> {
  while (writer !== undefined && !signal.aborted) {
    const step = await events.next().catch(() => undefined);
    if (step === undefined || step.done) break;
    const event = step.value;
    if (event.type !== "data" && event.type !== "end") break;
    writer = await feed(writer, event);
  }
  return writer;
}

/** The most bytes of a redirect's body read only to store it. */
const REDIRECT_BODY_LIMIT = 64 * 1024;

function shortBody(head: ResponseHead): boolean {
  const length = Number(head.headers.value("content-length") ?? NaN);
  return Number.isInteger(length) && length >= 0 && length <= REDIRECT_BODY_LIMIT;
}

/** Removes the entries a request the cache does not answer invalidates with `head` (before the head is passed on). */
async function invalidate(cache: NetworkCache, request: ExchangeRequest, head: ResponseHead): Promise<void> {
  // A GET with a body bypasses the cache and drops the entry, as Qt does.
  const targets = request.method === "GET" || request.method === "HEAD"
    ? [request.url]
    : understood(head)
    ? invalidatedUris(request.url, request.method, head)
    : [];
  for (const target of targets) await quietly(() => cache.remove(cacheKey(target)));
}

/** The request's CacheLoadControl, `PreferNetwork` when it has none (or an invalid one). */
function loadControlOf(request: ExchangeRequest): CacheLoadControl {
  return isEnumValue(CacheLoadControl, request.cacheLoadControl)
    ? request.cacheLoadControl
    : CacheLoadControl.PreferNetwork;
}

/** Whether the cache may answer the request: a GET or HEAD without a body. */
function isLoadable(request: ExchangeRequest): boolean {
  return (request.method === "GET" || request.method === "HEAD") && request.body === null;
}

function withFields(headers: HttpHeaders, fields: readonly [string, string][]): HttpHeaders {
  const copy = new HttpHeaders(headers);
  for (const [name, value] of fields) copy.append(name, value);
  return copy;
}

/** One exchange through the cache; see the module documentation. */
async function* cachedExchange(
  cache: NetworkCache,
  next: Exchange,
  request: ExchangeRequest,
  signal: AbortSignal,
  now: () => number,
): Events {
  const key = cacheKey(request.url);
  const control = loadControlOf(request);
  // The layer passes other requests the cache cannot answer on (invalidate); with AlwaysCache they fail here.
  if (!isLoadable(request)) return yield notInCache(key);
  if (control === CacheLoadControl.AlwaysNetwork) {
    const headers = request.headers.contains("cache-control")
      ? request.headers
      : withFields(request.headers, [["cache-control", "no-cache"], ["pragma", "no-cache"]]);
    return yield* fromNetwork(cache, key, request, next({ ...request, headers }, signal), signal, now);
  }
  // A user's own precondition: the cache then neither adds its own nor answers for it.
  const ownConditions = CONDITIONAL_REQUEST_FIELDS.some((name) => request.headers.contains(name));
  if (ownConditions && control !== CacheLoadControl.AlwaysCache && !cacheMayEvaluate(request.headers)) {
    return yield* fromNetwork(cache, key, request, next(request, signal), signal, now);
  }
  const entry = await quietly(() => cache.lookup(key));
  const stored = entry?.metaData;
  let lookup: CacheLookup;
  try {
    lookup = lookupStoredResponse(stored, { method: request.method, headers: request.headers }, now());
  } catch {
    lookup = "miss"; // an entry the store mangled is no entry
  }
  if (ownConditions && control !== CacheLoadControl.AlwaysCache) {
    // RFC 9111 §4.3.2: a fresh stored 200 answers the request's own validators; anything else is the origin's.
    if (lookup === "fresh" && stored!.status === 200 && storedNotModified(stored!.headers, request.headers)) {
      return yield* notModified(stored!, now());
    }
    return yield* fromNetwork(cache, key, request, next(request, signal), signal, now);
  }
  const mustRevalidate = stored !== undefined &&
    parseCacheControl(stored.headers.values("cache-control")).mustRevalidate;
  const decision = decideCacheLoad({ control, lookup, mustRevalidate });
  switch (decision.kind) {
    case "serve":
      return yield* served(entry!, stored!, request.method, now());
    case "fail":
      return yield notInCache(key);
    case "network":
      return yield* fromNetwork(cache, key, request, next(request, signal), signal, now);
    case "revalidate": {
      const headers = withFields(request.headers, conditionalHeaders(stored!.headers));
      const events = next({ ...request, headers }, signal);
      return yield* fromNetwork(cache, key, request, events, signal, now, { entry: entry!, lookup });
    }
  }
}

/** Qt's cache backend refusing a cache-only load. */
function notInCache(key: URL): ExchangeEvent {
  return { type: "error", code: NetworkError.ContentNotFoundError, message: `Error opening ${key.href}` };
}

/**
 * The cache layer over `host`'s cache; see the module documentation. With
 * no cache it passes the exchange through untouched.
 *
 * @param host Where the layer reads the cache and the time.
 * @returns The layer.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { cacheLayer } from "./cache_layer.ts";
 * const layer = cacheLayer({ cache: () => null, now: Date.now });
 * equal(layer.name, "cache");
 * ```
 */
export function cacheLayer(host: CacheLayerHost): ExchangeLayer {
  return {
    name: "cache",
    wrap: (next) => (request, signal) => {
      const cache = host.cache();
      if (cache === null) return next(request, signal);
      if (!isLoadable(request) && loadControlOf(request) !== CacheLoadControl.AlwaysCache) {
        // Not answered from the cache: passed on, invalidating what its response makes stale.
        return watchResponseHead(next(request, signal), (head) => invalidate(cache, request, head));
      }
      return cachedExchange(cache, next, request, signal, () => host.now());
    },
  };
}

/** The cache settings of one request, as {@linkcode ExchangeRequest} carries them to the layer. */
export type CacheSettings = Pick<ExchangeRequest, "cacheLoadControl" | "cacheSaveControl">;

/** The cache settings of a request that sets no attribute: Qt's defaults, left out. */
const DEFAULT_CACHE_SETTINGS: CacheSettings = Object.freeze({});

/**
 * The cache settings of a request from its attributes: a
 * `CacheLoadControlAttribute` that is a {@linkcode CacheLoadControl}, and a
 * `CacheSaveControlAttribute` of `false` (Qt's defaults, `PreferNetwork` and
 * saving, are left out; other values are ignored).
 *
 * @param attributes The request's attributes by number.
 * @returns The settings to spread into the exchange request.
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { Attribute, CacheLoadControl } from "@netreply/netreply";
 * import { cacheSettings } from "./cache_layer.ts";
 * const attributes = new Map<number, unknown>([
 *   [Attribute.CacheLoadControlAttribute, CacheLoadControl.AlwaysCache],
 *   [Attribute.CacheSaveControlAttribute, false],
 * ]);
 * deepEqual(cacheSettings(attributes), { cacheLoadControl: 3, cacheSaveControl: false });
 * ```
 */
export function cacheSettings(attributes: ReadonlyMap<number, unknown>): CacheSettings {
  if (attributes.size === 0) return DEFAULT_CACHE_SETTINGS;
  const load = attributes.get(Attribute.CacheLoadControlAttribute);
  const save = attributes.get(Attribute.CacheSaveControlAttribute);
  return {
    ...(isEnumValue(CacheLoadControl, load) ? { cacheLoadControl: load } : {}),
    ...(save === false ? { cacheSaveControl: false } : {}),
  };
}
