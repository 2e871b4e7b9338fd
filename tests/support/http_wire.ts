/**
 * Reading HTTP/1.1 requests off a raw connection, for the raw test server and
 * the test forward proxy.
 *
 * @module
 */

import { concatBytes } from "../../src/core/concat_bytes.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_HEAD = 64 * 1024;

/** A request as the server received it. */
export interface RawRequest {
  readonly method: string;
  /** The request target as sent (origin-form, absolute-form or authority-form). */
  readonly target: string;
  readonly version: string;
  /** Header fields in wire order, names as sent. */
  readonly headers: readonly (readonly [string, string])[];
  /** The body bytes (de-chunked). */
  readonly body: Uint8Array;
  /** The head as received, CRLFs included. */
  readonly head: string;
  /** Which connection (0, 1, ...) carried it. */
  readonly connection: number;
}

/** The first value of a header (case-insensitive), or `undefined`. */
export function headerOf(request: RawRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  return request.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Buffered reads from a connection: up to a delimiter, or an exact byte count. */
export class RequestReader {
  #buffer = new Uint8Array(0);
  readonly #conn: Deno.Conn;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  async #fill(): Promise<boolean> {
    const chunk = new Uint8Array(16 * 1024);
    const n = await this.#conn.read(chunk);
    if (n === null) return false;
    const next = new Uint8Array(this.#buffer.length + n);
    next.set(this.#buffer);
    next.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = next;
    return true;
  }

  #take(n: number): Uint8Array {
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.slice(n);
    return out;
  }

  /** Bytes up to and including `delimiter`, or `null` at EOF. */
  async until(delimiter: string, limit: number): Promise<Uint8Array | null> {
    const needle = encoder.encode(delimiter);
    for (;;) {
      const at = indexOf(this.#buffer, needle);
      if (at >= 0) return this.#take(at + needle.length);
      if (this.#buffer.length > limit) {
        throw new Error(`HTTP reader: no ${JSON.stringify(delimiter)} in ${limit} bytes`);
      }
      if (!await this.#fill()) return null;
    }
  }

  /** Whatever was read past the last request, handed over (e.g. to a tunnel). */
  takeBuffered(): Uint8Array {
    return this.#take(this.#buffer.length);
  }

  /** Exactly `n` bytes, or `null` at EOF. */
  async exactly(n: number): Promise<Uint8Array | null> {
    while (this.#buffer.length < n) if (!await this.#fill()) return null;
    return this.#take(n);
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Reads one request (head and body), or `null` if the client closed first. */
export async function readRawRequest(reader: RequestReader, connection: number): Promise<RawRequest | null> {
  const headBytes = await reader.until("\r\n\r\n", MAX_HEAD);
  if (headBytes === null) return null;
  const head = decoder.decode(headBytes);
  const [requestLine, ...lines] = head.slice(0, -4).split("\r\n");
  const [method = "", target = "", version = ""] = requestLine.split(" ");
  const headers = lines.filter((l) => l !== "").map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const request = { method, target, version, headers, head, connection, body: new Uint8Array(0) };
  const chunked = headerOf(request, "transfer-encoding")?.toLowerCase().includes("chunked");
  if (chunked) {
    const parts: Uint8Array[] = [];
    for (;;) {
      const sizeLine = await reader.until("\r\n", MAX_HEAD);
      if (sizeLine === null) return null;
      const size = parseInt(decoder.decode(sizeLine).trim().split(";")[0], 16);
      if (!Number.isFinite(size) || size === 0) break;
      const data = await reader.exactly(size + 2);
      if (data === null) return null;
      parts.push(data.subarray(0, size));
    }
    // Trailers, up to the empty line.
    for (;;) {
      const line = await reader.until("\r\n", MAX_HEAD);
      if (line === null || line.length === 2) break;
    }
    return { ...request, body: concatBytes(parts) };
  }
  const length = Number(headerOf(request, "content-length") ?? 0);
  if (length > 0) {
    const body = await reader.exactly(length);
    if (body === null) return null;
    return { ...request, body };
  }
  return request;
}
