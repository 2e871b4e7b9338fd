/**
 * {@linkcode managerLayers}: the manager's policy layers, outermost first,
 * each built over the manager's state. The order is the one the policies
 * need: retries around everything (a retried attempt goes through the cache,
 * authentication and cookies again), the cache outside authentication (a hit
 * never asks for credentials), cookies innermost (every attempt carries the
 * jar's current cookies and stores the cookies of every response).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { managerLayers } from "./manager_layers.ts";
 * import { NetworkAccessManager } from "../../mod.ts";
 * await using nam = new NetworkAccessManager();
 * equal(Array.isArray(managerLayers(nam)), true);
 * ```
 *
 * @module
 */

import type { NetworkAccessManager } from "../manager.ts";
import { authenticationLayer, serverCredentialsOf } from "./authentication_layer.ts";
import { cacheLayer } from "./cache_layer.ts";
import { cookieLayer } from "./cookie_layer.ts";
import type { ExchangeLayer } from "./exchange_layer.ts";
import { retryLayer } from "./retry_layer.ts";

/**
 * The layers of `manager`, outermost first.
 *
 * @param manager The manager whose state the layers read (jar, cache, credentials, options).
 * @returns The layers.
 */
export function managerLayers(manager: NetworkAccessManager): ExchangeLayer[] {
  return [
    retryLayer(),
    cacheLayer({ cache: () => manager.cache(), now: Date.now }),
    authenticationLayer(serverCredentialsOf(manager)),
    cookieLayer({ jar: () => manager.cookieJar(), now: Date.now }),
  ];
}
