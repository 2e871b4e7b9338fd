/**
 * Test support for the HTTP/1.1 connection: a loopback TCP connection as a
 * `ByteStream` (the Deno opener's), a request builder and an event collector.
 *
 * @module
 */

import { HttpHeaders } from "../../src/core/http_headers.ts";
import type { ByteStream } from "../../src/transport/sockets/socket_opener.ts";
import { denoByteStream } from "../../src/transport/sockets/deno_byte_stream.ts";
import type { Http1Connection, WireRequest } from "../../src/transport/socket/http1_connection.ts";
import type { ExchangeEvent } from "../../src/transport/transport.ts";
import { concatBytes } from "../../src/core/concat_bytes.ts";

/** A connected loopback socket as the Deno opener's ByteStream. */
export async function connectLoopback(port: number): Promise<ByteStream> {
  return denoByteStream(await Deno.connect({ hostname: "127.0.0.1", port }));
}

/** A GET for `/` on `port`, with `overrides`. */
export function wireRequest(port: number, overrides: Partial<WireRequest> = {}): WireRequest {
  return {
    method: "GET",
    target: "/",
    host: `127.0.0.1:${port}`,
    headers: new HttpHeaders(),
    body: null,
    decompress: false,
    decompressedSafetyCheckThreshold: -1,
    ...overrides,
  };
}

/** Every event of one exchange, in order. */
export async function collect(
  connection: Http1Connection,
  request: WireRequest,
  signal: AbortSignal = new AbortController().signal,
): Promise<ExchangeEvent[]> {
  const events: ExchangeEvent[] = [];
  const iterator = connection.exchange(request, signal);
  for (let step = await iterator.next(); !step.done; step = await iterator.next()) events.push(step.value);
  return events;
}

/** The event types, space-separated (data events merged into one "data*"). */
export function shape(events: readonly ExchangeEvent[]): string {
  const types: string[] = [];
  for (const event of events) {
    if (event.type === "data" && types.at(-1) === "data*") continue;
    types.push(event.type === "data" ? "data*" : event.type);
  }
  return types.join(" ");
}

/** The body bytes of the data events, joined, as text. */
export function bodyText(events: readonly ExchangeEvent[]): string {
  return new TextDecoder().decode(bodyBytes(events));
}

/** The body bytes of the data events, joined. */
export function bodyBytes(events: readonly ExchangeEvent[]): Uint8Array {
  return concatBytes(events.flatMap((event) => event.type === "data" ? [event.bytes] : []));
}

/** The `[sent, total]` pairs of the upload progress events. */
export function progressOf(events: readonly ExchangeEvent[]): [number, number][] {
  return events.flatMap((event) =>
    event.type === "uploadProgress" ? [[event.bytesSent, event.bytesTotal]] : []
  );
}

/** The last event, which must be an error: its code and message. */
export function failureOf(events: readonly ExchangeEvent[]): { code: number; message: string } | undefined {
  const last = events.at(-1);
  return last?.type === "error" ? { code: last.code, message: last.message } : undefined;
}
