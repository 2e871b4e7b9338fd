/**
 * The cache interface of API.md. `MemoryCache` and the manager's cache policy
 * (qt-behaviour.md §5.8) arrive with the cache issue; until then a manager
 * stores a cache given to it but does not consult it.
 *
 * @module
 */

/**
 * An HTTP cache store with async methods, so that a Web Cache API store fits.
 *
 * @example
 * ```ts
 * import type { NetworkCache } from "@netreply/netreply";
 * async function reset(cache: NetworkCache): Promise<void> {
 *   await cache.clear();
 * }
 * ```
 */
export interface NetworkCache {
  /** Removes the entry for `url`; resolves whether there was one. */
  remove(url: URL): Promise<boolean>;
  /** Removes every entry. */
  clear(): Promise<void>;
  /** Bytes stored. */
  cacheSize(): Promise<number>;
}
