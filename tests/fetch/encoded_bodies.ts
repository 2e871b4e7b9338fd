/**
 * Encoded response bodies for the decoding tests: compression helpers and raw
 * HTTP/1.1 responses framed by Content-Length (true or false), chunked
 * encoding or the connection's close.
 *
 * @example
 * ```ts
 * import { compress, framed } from "./encoded_bodies.ts";
 * const gzip = await compress(new TextEncoder().encode("hello"), "gzip");
 * const bytes = framed("HTTP/1.1 200 OK\r\nContent-Encoding: gzip", gzip, "chunked");
 * console.log(new TextDecoder().decode(bytes.subarray(0, 15))); // HTTP/1.1 200 OK
 * ```
 *
 * @module
 */

import { concatBytes } from "../../src/core/concat_bytes.ts";

const encoder = new TextEncoder();

/** Compresses `data` with `CompressionStream`. */
export async function compress(data: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream(format),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * How a raw response delimits its body: its exact Content-Length, chunked
 * encoding (one chunk, then the last chunk), the connection's close, or a
 * Content-Length that says `declared` whatever the body's size.
 */
export type Framing = "length" | "chunked" | "close" | { readonly declared: number };

/** A short name for a framing, for step names. */
export function framingName(framing: Framing): string {
  return typeof framing === "string" ? framing : `Content-Length ${framing.declared}`;
}

/**
 * A raw response: `head` (status line and fields, no framing fields), the
 * framing's field, then `body` framed that way. With "close" (and a false
 * Content-Length) the server must close the connection after writing it,
 * which {@linkcode startRawHttpServer} does for a fixed answer.
 */
export function framed(head: string, body: Uint8Array, framing: Framing): Uint8Array {
  if (framing === "chunked") {
    return concatBytes([
      encoder.encode(`${head}\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n`),
      body,
      encoder.encode("\r\n0\r\n\r\n"),
    ]);
  }
  const field = framing === "close"
    ? "Connection: close"
    : `Content-Length: ${framing === "length" ? body.length : framing.declared}`;
  return concatBytes([encoder.encode(`${head}\r\n${field}\r\n\r\n`), body]);
}

/** `size` bytes of pseudo-random lower-case letters: a body that compresses well below 40:1. */
export function textBytes(size: number): Uint8Array {
  const out = new Uint8Array(size);
  let state = 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = 97 + ((state >>> 0) % 26);
  }
  return out;
}
