/**
 * Qt's `QNetworkRequest::CacheLoadControl`: how a request uses the cache.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CacheLoadControl } from "@netreply/netreply";
 * equal(CacheLoadControl.PreferNetwork, 1);
 * ```
 *
 * @module
 */

/**
 * Qt's `QNetworkRequest::CacheLoadControl`: how a request uses the cache.
 *
 * @example Offline only: AlwaysCache
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Attribute, CacheLoadControl, MemoryCache, NetworkAccessManager, NetworkError, NetworkRequest } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * await using nam = new NetworkAccessManager({ transport: mock, cache: new MemoryCache() });
 * const request = new NetworkRequest("https://api.test/config", {
 *   attributes: { [Attribute.CacheLoadControlAttribute]: CacheLoadControl.AlwaysCache },
 * });
 * const reply = nam.get(request); // nothing cached yet, and AlwaysCache never asks the network
 * await reply.done;
 * equal(reply.error(), NetworkError.ContentNotFoundError);
 * equal(mock.calls.length, 0);
 * ```
 */
export const CacheLoadControl = {
  AlwaysNetwork: 0,
  PreferNetwork: 1,
  PreferCache: 2,
  AlwaysCache: 3,
} as const;

/** One of the {@linkcode CacheLoadControl} numbers. */
export type CacheLoadControl = typeof CacheLoadControl[keyof typeof CacheLoadControl];
