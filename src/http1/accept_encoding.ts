/**
 * The `Accept-Encoding` a transport sends for what it can decode.
 *
 * @example
 * ```ts
 * import { match } from "node:assert/strict";
 * import { acceptEncoding } from "./accept_encoding.ts";
 * // "zstd, br, gzip, deflate" where DecompressionStream has all four
 * match(acceptEncoding(() => false), /gzip, deflate$/);
 * ```
 *
 * @module
 */

import { canDecode } from "./content_decoding.ts";

/**
 * Content-codings netreply can decode here, in Qt's Accept-Encoding order
 * (zstd, br, gzip, deflate) joined with those the runtime decodes (a
 * transport that decodes nothing itself passes `() => false`).
 *
 * @param runtimeDecodes Whether the runtime decodes a (lower-case) coding itself.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { acceptEncoding } from "./accept_encoding.ts";
 * equal(acceptEncoding((coding) => coding === "gzip" || coding === "br"), "br, gzip, deflate");
 * ```
 */
export function acceptEncoding(runtimeDecodes: (coding: string) => boolean): string {
  return ["zstd", "br", "gzip", "deflate"]
    .filter((coding) => runtimeDecodes(coding) || canDecode(coding))
    .join(", ");
}
