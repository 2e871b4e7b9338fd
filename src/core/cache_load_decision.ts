/**
 * What the manager does with a request that has a cache: go to the network,
 * serve the stored response, revalidate it, or fail — from the request's
 * {@linkcode CacheLoadControl} and what the cache holds (Qt's
 * `QNetworkRequest::CacheLoadControl` documentation, RFC 9111 §4); and what
 * to do with the answer to a revalidation (RFC 9111 §4.3.3).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { CacheLoadControl } from "@netreply/netreply";
 * import { decideCacheLoad } from "./cache_load_decision.ts";
 * deepEqual(decideCacheLoad({ control: CacheLoadControl.PreferNetwork, lookup: "stale" }), { kind: "revalidate" });
 * ```
 *
 * @module
 */

import { isEnumValue } from "./argument_checks.ts";
import type { CacheLookup } from "./cache_freshness.ts";
import { CacheLoadControl } from "./cache_load_control.ts";
import { NetworkError } from "./network_error.ts";

/** What the manager knows when a request may use the cache. */
export interface CacheLoadInput {
  /** The request's cache load control. */
  readonly control: CacheLoadControl;
  /** What the cache holds for the request (see `lookupStoredResponse`). */
  readonly lookup: CacheLookup;
  /**
   * Whether the stored response has `Cache-Control: must-revalidate`. Only
   * `AlwaysCache` looks at it: Qt's cache-only load refuses such an entry even
   * while it is fresh. Default `false`.
   */
  readonly mustRevalidate?: boolean;
}

/**
 * The outcome of {@linkcode decideCacheLoad}:
 * - `network`: an ordinary request, the cache not consulted (for
 *   `AlwaysNetwork` Qt adds `Cache-Control: no-cache` and `Pragma: no-cache`
 *   unless the user set `Cache-Control`);
 * - `serve`: answer from the stored response, without the network;
 * - `revalidate`: a conditional request (see `conditionalHeaders`);
 * - `fail`: finish with `code` without the network.
 */
export type CacheLoadDecision =
  | { readonly kind: "network" }
  | { readonly kind: "serve" }
  | { readonly kind: "revalidate" }
  | { readonly kind: "fail"; readonly code: NetworkError };

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

const lookups: ReadonlySet<string> = new Set(["miss", "fresh", "stale", "must-revalidate"]);

function checkLookup(what: string, lookup: unknown): void {
  if (typeof lookup !== "string" || !lookups.has(lookup)) {
    throw new TypeError(
      `Cannot ${what}: lookup ${describe(lookup)} is not "miss", "fresh", "stale" or "must-revalidate"`,
    );
  }
}

const NETWORK: CacheLoadDecision = { kind: "network" };
const SERVE: CacheLoadDecision = { kind: "serve" };
const REVALIDATE: CacheLoadDecision = { kind: "revalidate" };
const NOT_FOUND: CacheLoadDecision = { kind: "fail", code: NetworkError.ContentNotFoundError };

/**
 * Decides how a request uses the cache:
 *
 * | control         | miss    | fresh   | stale      | must-revalidate |
 * |-----------------|---------|---------|------------|-----------------|
 * | `AlwaysNetwork` | network | network | network    | network         |
 * | `PreferNetwork` | network | serve   | revalidate | revalidate      |
 * | `PreferCache`   | network | serve   | **serve**  | revalidate      |
 * | `AlwaysCache`   | fail    | serve   | serve      | fail            |
 *
 * `fail` is `ContentNotFoundError`, as Qt's cache-only load; an `AlwaysCache`
 * entry with `mustRevalidate` fails too, fresh or not. `PreferCache` serving a
 * stale entry is a deliberate fix of Qt, where `PreferCache` behaves as
 * `PreferNetwork`: it prefers the cache, and goes to the network on a miss or
 * when the response itself forbids serving it unvalidated.
 *
 * @param input The load control, the lookup result and whether the entry has `must-revalidate`.
 * @throws {RangeError} If `control` is not a {@linkcode CacheLoadControl}.
 * @throws {TypeError} If `lookup` is not a {@linkcode CacheLookup}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { CacheLoadControl } from "@netreply/netreply";
 * import { decideCacheLoad } from "./cache_load_decision.ts";
 * deepEqual(decideCacheLoad({ control: CacheLoadControl.PreferCache, lookup: "stale" }), { kind: "serve" });
 * deepEqual(decideCacheLoad({ control: CacheLoadControl.AlwaysCache, lookup: "miss" }), { kind: "fail", code: 203 });
 * ```
 */
export function decideCacheLoad(input: CacheLoadInput): CacheLoadDecision {
  const what = "decide a cache load";
  if (input === null || typeof input !== "object") {
    throw new TypeError(
      `Cannot ${what}: input must be an object, got ${input === null ? "null" : typeof input}`,
    );
  }
  const { control, lookup } = input;
  if (!isEnumValue(CacheLoadControl, control)) {
    throw new RangeError(`Cannot ${what}: control ${describe(control)} is not a CacheLoadControl (0-3)`);
  }
  checkLookup(what, lookup);
  switch (control) {
    case CacheLoadControl.AlwaysNetwork:
      return NETWORK;
    case CacheLoadControl.PreferNetwork:
      return lookup === "miss" ? NETWORK : lookup === "fresh" ? SERVE : REVALIDATE;
    case CacheLoadControl.PreferCache:
      return lookup === "miss" ? NETWORK : lookup === "must-revalidate" ? REVALIDATE : SERVE;
    case CacheLoadControl.AlwaysCache:
      return lookup === "fresh" || lookup === "stale"
        ? input.mustRevalidate === true ? NOT_FOUND : SERVE
        : NOT_FOUND;
  }
}

/**
 * What to do with the response to a revalidation:
 * - `update-stored`: a 304 — merge its fields into the entry (see
 *   `mergeNotModified`) and serve the stored response with its stored status;
 * - `serve-stored`: a 5xx while the entry may be served stale — serve it
 *   instead of the error (RFC 9111 §4.3.3 and §4.2.4; Qt does so unless the
 *   entry has `must-revalidate`; a `stale-if-error` limit, RFC 5861 §4, is
 *   the caller's `staleAllowed`);
 * - `use-response`: anything else replaces the entry for this request (RFC
 *   9111 §4.3.3): it is the reply, and stored if it is storable.
 */
export type RevalidationOutcome = "update-stored" | "serve-stored" | "use-response";

/**
 * Decides what a revalidation's response means (RFC 9111 §4.3.3). A 5xx is
 * replaced by the stored response unless the lookup was `"must-revalidate"`:
 * such an entry (`no-cache`, stale with `must-revalidate`, or a request
 * demanding validation) is never served unvalidated, RFC 9111 §4.2.4. With
 * nothing stored (`"miss"`, e.g. a 304 to the user's own `If-None-Match`),
 * the response is the reply.
 *
 * @param lookup What the cache held when the revalidation was sent.
 * @param status The revalidation response's status.
 * @param staleAllowed Whether the entry may still be served stale for an
 *   error (`false` once a `stale-if-error` window has passed); default `true`.
 * @throws {TypeError} If `lookup` is not a {@linkcode CacheLookup}.
 * @throws {RangeError} If `status` is not 100-599.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { decideRevalidationOutcome } from "./cache_load_decision.ts";
 * equal(decideRevalidationOutcome("stale", 304), "update-stored");
 * equal(decideRevalidationOutcome("stale", 503), "serve-stored");
 * equal(decideRevalidationOutcome("must-revalidate", 503), "use-response");
 * equal(decideRevalidationOutcome("stale", 200), "use-response");
 * equal(decideRevalidationOutcome("stale", 503, false), "use-response");
 * ```
 */
export function decideRevalidationOutcome(
  lookup: CacheLookup,
  status: number,
  staleAllowed = true,
): RevalidationOutcome {
  const what = "decide on a revalidation response";
  checkLookup(what, lookup);
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(`Cannot ${what}: status ${String(status)} is not an HTTP status (100-599)`);
  }
  if (lookup === "miss") return "use-response";
  if (status === 304) return "update-stored";
  if (typeof staleAllowed !== "boolean") {
    throw new TypeError(`Cannot ${what}: staleAllowed must be a boolean, got ${describe(staleAllowed)}`);
  }
  if (status >= 500 && lookup !== "must-revalidate" && staleAllowed) return "serve-stored";
  return "use-response";
}
