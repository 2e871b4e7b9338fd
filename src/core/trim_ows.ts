/**
 * Trimming of optional whitespace (RFC 9110 §5.6.3 OWS; RFC 6265bis WSP):
 * the spaces and horizontal tabs around a field value or list element.
 *
 * @module
 */

const SP = 0x20;
const HTAB = 0x09;

function isOws(code: number): boolean {
  return code === SP || code === HTAB;
}

/**
 * `text` without leading and trailing spaces and horizontal tabs (nothing
 * else is whitespace here). One pass from each end: a peer's long run of
 * spaces costs linear time, where the regular expression
 * `/^[ \t]+|[ \t]+$/g` takes quadratic time on spaces that are not at the end.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { trimOws } from "./trim_ows.ts";
 * equal(trimOws(" \t a b \t"), "a b");
 * equal(trimOws("\n x \n"), "\n x \n");
 * ```
 */
export function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
