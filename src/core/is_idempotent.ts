/**
 * {@linkcode isIdempotent}: which request methods RFC 9110 calls idempotent,
 * so that a request may be sent again after its connection dropped.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { isIdempotent } from "./is_idempotent.ts";
 * equal(isIdempotent("GET"), true);
 * equal(isIdempotent("POST"), false);
 * ```
 *
 * @module
 */

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]);

/**
 * Whether `method` is idempotent (RFC 9110 §9.2.2): GET, HEAD, PUT, DELETE,
 * OPTIONS and TRACE. Methods are case-sensitive (RFC 9110 §9.1), so `"get"`
 * is a different, unknown method and is not idempotent.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { isIdempotent } from "./is_idempotent.ts";
 * equal(isIdempotent("PUT"), true);
 * equal(isIdempotent("get"), false);
 * equal(isIdempotent("PATCH"), false);
 * ```
 */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method);
}
