/**
 * Reading text out of HTTP/1.1 wire bytes: Latin-1 decoding (one character
 * per byte, as RFC 9110 §5.5 treats obs-text) and the byte classes of
 * RFC 9110 §5.6.2 (tchar) and §5.5 (field-vchar).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { latin1 } from "./wire_bytes.ts";
 * equal(latin1(new Uint8Array([0x48, 0x69, 0xe9]), 0, 3), "Hié");
 * ```
 *
 * @module
 */

/** Line feed, carriage return, space and horizontal tab. */
export const LF = 0x0a;
/** Carriage return. */
export const CR = 0x0d;
/** Space. */
export const SP = 0x20;
/** Horizontal tab. */
export const HTAB = 0x09;

function byteClass(test: (byte: number) => boolean): Uint8Array {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = test(b) ? 1 : 0;
  return table;
}

/**
 * 1 for the bytes of an RFC 9110 token (tchar), else 0.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { TOKEN_BYTE } from "./wire_bytes.ts";
 * equal(TOKEN_BYTE[0x61], 1);
 * equal(TOKEN_BYTE[0x20], 0);
 * ```
 */
export const TOKEN_BYTE: Uint8Array = byteClass((b) =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ||
  "!#$%&'*+-.^_`|~".includes(String.fromCharCode(b))
);

/**
 * 1 for the bytes allowed in a field value or a reason phrase (HTAB, SP,
 * VCHAR, obs-text), else 0.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { TEXT_BYTE } from "./wire_bytes.ts";
 * equal(TEXT_BYTE[0x09], 1);
 * equal(TEXT_BYTE[0x00], 0);
 * equal(TEXT_BYTE[0xff], 1);
 * ```
 */
export const TEXT_BYTE: Uint8Array = byteClass((b) => b === HTAB || (b >= SP && b !== 0x7f));

// String.fromCharCode.apply takes its arguments on the stack: bound each call.
const DECODE_PIECE = 8192;

/**
 * `bytes[start..end)` as a string of one character per byte.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { latin1 } from "./wire_bytes.ts";
 * equal(latin1(new TextEncoder().encode("Content-Type"), 0, 7), "Content");
 * ```
 */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let text = "";
    for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]);
    return text;
  }
  let text = "";
  for (let i = start; i < end; i += DECODE_PIECE) {
    text += String.fromCharCode.apply(
      null,
      bytes.subarray(i, Math.min(end, i + DECODE_PIECE)) as unknown as number[],
    );
  }
  return text;
}

const utf8 = new TextDecoder();
// deno-lint-ignore no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * `bytes[start..end)` as a string of one character per byte, like
 * {@linkcode latin1} but through the runtime's native decoder when the bytes
 * are all ASCII, as heads nearly always are (several times faster for a whole head).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { decodeText } from "./wire_bytes.ts";
 * equal(decodeText(new Uint8Array([0x4f, 0x4b, 0x80]), 0, 3).length, 3);
 * ```
 */
export function decodeText(bytes: Uint8Array, start: number, end: number): string {
  const text = utf8.decode(bytes.subarray(start, end));
  // Any byte above 0x7f decodes to a character above U+007F (itself part of a sequence, or U+FFFD).
  return NON_ASCII.test(text) ? latin1(bytes, start, end) : text;
}

/**
 * How to name a byte that is not allowed in text, for an error message.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { describeByte } from "./wire_bytes.ts";
 * equal(describeByte(0x00), "NUL");
 * ```
 */
export function describeByte(byte: number): string {
  if (byte === CR) return "a bare CR";
  if (byte === 0x00) return "NUL";
  return `control character 0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * `text` quoted for an error message, cut to its first 80 characters.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { quoted } from "./wire_bytes.ts";
 * equal(quoted("ICY 200 OK"), '"ICY 200 OK"');
 * ```
 */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
