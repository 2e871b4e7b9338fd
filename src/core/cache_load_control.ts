/**
 * Qt's `QNetworkRequest::CacheLoadControl`: how a request uses the cache.
 *
 * @example
 * ```ts
 * import { CacheLoadControl } from "@netreply/netreply";
 * console.log(CacheLoadControl.PreferNetwork);
 * ```
 *
 * @module
 */

/** Qt's `QNetworkRequest::CacheLoadControl`: how a request uses the cache. */
export const CacheLoadControl = {
  AlwaysNetwork: 0,
  PreferNetwork: 1,
  PreferCache: 2,
  AlwaysCache: 3,
} as const;

/** One of the {@linkcode CacheLoadControl} numbers. */
export type CacheLoadControl = typeof CacheLoadControl[keyof typeof CacheLoadControl];
