/**
 * How a response's body is delimited and whether its connection can be
 * reused, from its status and fields (RFC 9112 §6.3 and §9.3).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { responseFraming } from "./response_framing.ts";
 * deepEqual(responseFraming("GET", 200, "1.1", ["content-length"], ["5"]), { body: "length", contentLength: 5, keepAlive: true });
 * ```
 *
 * @module
 */

import { trimOws } from "../core/trim_ows.ts";
import { quoted } from "./wire_bytes.ts";

/** The framing of one response body. */
export interface ResponseFraming {
  /** Where the body ends: nowhere (no body), after a length, at the last chunk or when the peer closes. */
  readonly body: "none" | "length" | "chunked" | "close";
  /** The body's length when `body` is `"length"`, else -1. */
  readonly contentLength: number;
  /** Whether the connection may carry another request once this response ended. */
  readonly keepAlive: boolean;
}

/** Lower-case list elements of all the values (RFC 9110 §5.6.1), parameters cut off, empties skipped. */
function listElements(values: readonly string[]): string[] {
  const elements: string[] = [];
  for (const value of values) {
    for (const part of value.split(",")) {
      const semicolon = part.indexOf(";");
      const element = (semicolon < 0 ? part : part.slice(0, semicolon)).trim().toLowerCase();
      if (element !== "") elements.push(element);
    }
  }
  return elements;
}

function isDecimal(text: string): boolean {
  if (text === "") return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** The one Content-Length the values agree on (RFC 9110 §8.6), or an error message. */
function agreedContentLength(values: readonly string[]): number | string {
  let agreed: string | undefined;
  for (const value of values) {
    for (const part of value.split(",")) {
      const text = trimOws(part);
      if (!isDecimal(text)) return `Invalid Content-Length ${quoted(value)}: not a decimal number`;
      const normal = text.replace(/^0+(?=.)/, "");
      if (agreed === undefined) agreed = normal;
      else if (agreed !== normal) {
        return `Conflicting Content-Length values ${quoted(agreed)} and ${quoted(normal)}`;
      }
    }
  }
  const length = Number(agreed);
  if (!Number.isSafeInteger(length)) return `Content-Length ${quoted(String(agreed))} is too large`;
  return length;
}

/**
 * The framing of a final response, or a message saying why it cannot be
 * framed (then a ProtocolFailure). `names` are lower-case, parallel to `values`.
 *
 * - HEAD responses, 1xx, 204, 304 and a 2xx answer to CONNECT have no body.
 * - Transfer-Encoding ending in chunked is chunked, and wins over a
 *   Content-Length (then the connection is not reused: RFC 9112 §6.3); one
 *   not ending in chunked is delimited by the close.
 * - Content-Length values (repeated or in a list) must all be the same decimal number.
 * - Neither: delimited by the close.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { responseFraming } from "./response_framing.ts";
 * deepEqual(responseFraming("GET", 200, "1.0", ["transfer-encoding"], ["gzip"]), { body: "close", contentLength: -1, keepAlive: false });
 * equal(responseFraming("GET", 200, "1.1", ["content-length", "content-length"], ["1", "2"]), 'Conflicting Content-Length values "1" and "2"');
 * ```
 */
export function responseFraming(
  method: string,
  status: number,
  version: "1.0" | "1.1",
  names: readonly string[],
  values: readonly string[],
): ResponseFraming | string {
  let transferEncoding: string[] | undefined;
  let contentLength: string[] | undefined;
  let connection: string[] | undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name === "transfer-encoding") (transferEncoding ??= []).push(values[i]);
    else if (name === "content-length") (contentLength ??= []).push(values[i]);
    else if (name === "connection") (connection ??= []).push(values[i]);
  }
  const options = connection === undefined ? [] : listElements(connection);
  let keepAlive = !options.includes("close") && (version === "1.1" || options.includes("keep-alive"));

  // A 2xx answer to CONNECT turns the connection into a tunnel right after the head (RFC 9112 §6.3).
  const tunnel = method === "CONNECT" && status >= 200 && status < 300;
  if (method === "HEAD" || tunnel || status < 200 || status === 204 || status === 304) {
    return { body: "none", contentLength: -1, keepAlive };
  }
  if (transferEncoding !== undefined) {
    const codings = listElements(transferEncoding);
    // A 1.0 message with Transfer-Encoding, or one that also has Content-Length, may have been
    // framed differently by an intermediary: read it, then drop the connection (RFC 9112 §6.1, §6.3).
    if (version === "1.0" || contentLength !== undefined) keepAlive = false;
    if (codings[codings.length - 1] === "chunked") return { body: "chunked", contentLength: -1, keepAlive };
    return { body: "close", contentLength: -1, keepAlive: false };
  }
  if (contentLength !== undefined) {
    const length = agreedContentLength(contentLength);
    if (typeof length === "string") return length;
    return { body: "length", contentLength: length, keepAlive };
  }
  return { body: "close", contentLength: -1, keepAlive: false };
}
