/**
 * Serializing an HTTP/1.1 request head (RFC 9112 §3 and §5) and the framing
 * pieces of a chunked body (RFC 9112 §7.1), refusing any value that could
 * inject a line into the head.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { hostFieldValue, requestTarget, serializeRequestHead } from "./request_head.ts";
 * const url = new URL("http://example.com:8080/a?b=1#frag");
 * const head = serializeRequestHead("GET", requestTarget(url, false), hostFieldValue(url), [], { kind: "none" });
 * equal(new TextDecoder().decode(head), "GET /a?b=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");
 * ```
 *
 * @module
 */

import { isHttpToken } from "../core/http_token.ts";
import { toByteString } from "../core/http_headers.ts";

/** How the request body is framed on the wire. */
export type BodyFraming =
  /** No body and no Content-Length (e.g. a POST without a body). */
  | { readonly kind: "none" }
  /** `Content-Length: length` (fixed bodies, also empty ones). */
  | { readonly kind: "length"; readonly length: number }
  /** `Transfer-Encoding: chunked` (only for streams). */
  | { readonly kind: "chunked" };

/**
 * The request target: origin-form `"/path?query"` (`"/"` for an empty path),
 * or absolute-form `"http://host:port/path?query"` for a forward proxy
 * (RFC 9112 §3.2). Never the fragment or the user info.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { requestTarget } from "./request_head.ts";
 * const url = new URL("http://user:pw@example.com/a%20b?q=1#top");
 * equal(requestTarget(url, false), "/a%20b?q=1");
 * equal(requestTarget(url, true), "http://example.com/a%20b?q=1");
 * ```
 */
export function requestTarget(url: URL, absoluteForm: boolean): string {
  const origin = (url.pathname === "" ? "/" : url.pathname) + url.search;
  return absoluteForm ? `${url.protocol}//${url.host}${origin}` : origin;
}

/**
 * The Host field value (RFC 9110 §7.2): the host, IPv6 literals in brackets,
 * with `":port"` only when it is not the scheme's default.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { hostFieldValue } from "./request_head.ts";
 * equal(hostFieldValue(new URL("https://example.com:443/")), "example.com");
 * equal(hostFieldValue(new URL("http://[::1]:8080/")), "[::1]:8080");
 * ```
 */
export function hostFieldValue(url: URL): string {
  // The URL parser already drops a port equal to the special scheme's default.
  return url.host;
}

/** Why `text` cannot go on the wire, or `undefined` if only allowed characters are in it. */
function forbiddenCharacter(text: string, allowSpaceAndTab: boolean): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c !== 0x7f) continue;
    if (allowSpaceAndTab && (c === 0x20 || c === 0x09)) continue;
    if (c === 0x0d || c === 0x0a) return "contains CR or LF";
    if (c === 0x00) return "contains NUL";
    if (c === 0x20) return "contains a space";
    return `contains control character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return undefined;
}

function refuse(what: string, text: string, why: string): never {
  throw new TypeError(`Cannot send ${what} ${JSON.stringify(text)}: ${why}`);
}

/** `text` if it is an RFC 9110 token; `what` and `part` name it in the error. */
function checkedToken(what: string, part: string, text: string): string {
  const bad = forbiddenCharacter(text, false);
  if (bad !== undefined) refuse(what, text, `${part} ${bad}`);
  if (!isHttpToken(text)) refuse(what, text, `${part} is not an RFC 9110 token`);
  return text;
}

function checkedValue(name: string, value: string): string {
  const bad = forbiddenCharacter(value, true);
  if (bad !== undefined) refuse("header", name, `value ${bad}`);
  return toByteString(value);
}

/** One byte per character: every character is already below U+0100 here. */
function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The request line and header section, ending with the blank line
 * (RFC 9112 §3 and §5). Host comes first unless `headers` has one (the
 * caller's wins); any Content-Length or Transfer-Encoding in `headers` is
 * dropped and the framing's own field is written instead. Names keep the
 * caller's case; values above U+00FF go as UTF-8, as Qt sends them.
 *
 * @param method An RFC 9110 token, e.g. `"GET"`.
 * @param target From {@linkcode requestTarget}.
 * @param host From {@linkcode hostFieldValue}.
 * @param headers The fields to send, in order.
 * @param framing How the body that follows is framed.
 * @throws {TypeError} If the method is not a token, if CR, LF or NUL (or another
 *   control character) is in the method, target, host, a name or a value, or a
 *   name is not an RFC 9110 token. The message names the value.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { serializeRequestHead } from "./request_head.ts";
 * const head = serializeRequestHead("POST", "/upload", "example.com", [
 *   ["Content-Type", "text/plain"],
 *   ["Content-Length", "999"],
 * ], { kind: "length", length: 5 });
 * equal(new TextDecoder().decode(head), "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
 * try {
 *   serializeRequestHead("GET", "/", "example.com", [["x-a", "1\r\nInjected: 1"]], { kind: "none" });
 * } catch (e) {
 *   equal((e as TypeError).message, 'Cannot send header "x-a": value contains CR or LF');
 * }
 * ```
 */
export function serializeRequestHead(
  method: string,
  target: string,
  host: string,
  headers: Iterable<readonly [string, string]>,
  framing: BodyFraming,
): Uint8Array {
  let fields = "";
  let hasHost = false;
  for (const [name, value] of headers) {
    checkedToken("header", "name", name);
    const wireValue = checkedValue(name, value);
    const lower = name.toLowerCase();
    // The framing is the transport's to decide: a stale or forged one would desync the connection.
    if (lower === "content-length" || lower === "transfer-encoding") continue;
    if (lower === "host") hasHost = true;
    fields += `${name}: ${wireValue}\r\n`;
  }
  const badTarget = forbiddenCharacter(target, false);
  if (badTarget !== undefined) refuse("request target", target, `target ${badTarget}`);
  if (target === "") refuse("request target", target, "target is empty");
  let head = `${checkedToken("method", "method", method)} ${target} HTTP/1.1\r\n`;
  if (!hasHost) {
    const badHost = forbiddenCharacter(host, false);
    if (badHost !== undefined) refuse("host", host, `host ${badHost}`);
    head += `Host: ${toByteString(host)}\r\n`;
  }
  head += fields;
  if (framing.kind === "length") head += `Content-Length: ${checkedLength(framing.length)}\r\n`;
  else if (framing.kind === "chunked") head += "Transfer-Encoding: chunked\r\n";
  return latin1Bytes(head + "\r\n");
}

function checkedLength(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`Cannot send body length ${length}: expected a non-negative integer`);
  }
  return length;
}

/**
 * `"<hex size>\r\n"`, the line before a chunk of `size` bytes (RFC 9112 §7.1).
 *
 * @throws {RangeError} If `size` is not a positive integer (size 0 is {@linkcode LAST_CHUNK}).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { chunkHeader } from "./request_head.ts";
 * equal(new TextDecoder().decode(chunkHeader(255)), "ff\r\n");
 * ```
 */
export function chunkHeader(size: number): Uint8Array {
  if (!Number.isSafeInteger(size) || size <= 0) {
    throw new RangeError(`Cannot send chunk of size ${size}: expected a positive integer`);
  }
  return latin1Bytes(`${size.toString(16)}\r\n`);
}

/**
 * `"\r\n"`, written after each chunk's data.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { CHUNK_TRAILER } from "./request_head.ts";
 * deepEqual(CHUNK_TRAILER, new Uint8Array([13, 10]));
 * ```
 */
export const CHUNK_TRAILER: Uint8Array = latin1Bytes("\r\n");

/**
 * `"0\r\n\r\n"`: the last chunk, with no trailer fields.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { LAST_CHUNK } from "./request_head.ts";
 * equal(new TextDecoder().decode(LAST_CHUNK), "0\r\n\r\n");
 * ```
 */
export const LAST_CHUNK: Uint8Array = latin1Bytes("0\r\n\r\n");
