/**
 * Joining byte chunks into one array: a reply's body, a recorded request
 * body, a test server's collected bytes.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { concatBytes } from "./concat_bytes.ts";
 * const encoder = new TextEncoder();
 * const joined = concatBytes([encoder.encode("ab"), encoder.encode("cd")]);
 * equal(new TextDecoder().decode(joined), "abcd");
 * ```
 *
 * @module
 */

/** The chunks one after another in a new array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
