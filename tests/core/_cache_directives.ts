/**
 * The Cache-Control directives that set a flag of {@linkcode CacheControl},
 * by name: shared by the parser's tests and its fuzz suite.
 *
 * @module
 */

import type { CacheControl } from "../../src/core/cache_control.ts";

/** Each flag directive's name and the CacheControl field it sets. */
export const FLAG_DIRECTIVES = {
  "no-cache": "noCache",
  "no-store": "noStore",
  "no-transform": "noTransform",
  "only-if-cached": "onlyIfCached",
  "must-revalidate": "mustRevalidate",
  "proxy-revalidate": "proxyRevalidate",
  "must-understand": "mustUnderstand",
  "private": "private",
  "public": "public",
  "immutable": "immutable",
} as const satisfies Record<string, keyof CacheControl>;
