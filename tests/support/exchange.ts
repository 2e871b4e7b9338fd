/**
 * Driving a {@linkcode Transport} directly in tests: an exchange request with
 * defaults, and helpers that pull every event and describe them compactly.
 *
 * @example
 * ```ts
 * import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
 * import { exchangeRequest, runExchange } from "./exchange.ts";
 * import { serveHttp } from "./servers.ts";
 * await using server = serveHttp(() => new Response("hi"));
 * const transport = new FetchTransport();
 * const { trace, body } = await runExchange(transport, exchangeRequest(server.url));
 * console.log(trace, new TextDecoder().decode(body)); // [ "requestSent", "responseHead(200)", "data", "end" ] hi
 * await transport.close();
 * ```
 *
 * @module
 */

import { HttpHeaders } from "../../src/core/http_headers.ts";
import type { ExchangeEvent, ExchangeRequest, Transport } from "../../src/transport/transport.ts";
import { concatBytes } from "../../src/core/concat_bytes.ts";

/** An exchange request for `url` (a GET with no body, decoding on, 10 MiB bomb threshold), with overrides. */
export function exchangeRequest(
  url: URL | string,
  overrides: Partial<ExchangeRequest> = {},
): ExchangeRequest {
  return {
    method: "GET",
    url: new URL(url),
    headers: new HttpHeaders(),
    body: null,
    decompress: true,
    decompressedSafetyCheckThreshold: 10 * 1024 * 1024,
    answer: () => false,
    options: { http2Allowed: true },
    ...overrides,
  };
}

/** One event as a short string: `uploadProgress(0,5)`, `responseHead(200)`, `error(2)`, `data`, ... */
export function describeEvent(event: ExchangeEvent): string {
  switch (event.type) {
    case "uploadProgress":
      return `uploadProgress(${event.bytesSent},${event.bytesTotal})`;
    case "responseHead":
      return `responseHead(${event.head.status})`;
    case "error":
      return `error(${event.code})`;
    case "ask":
      return event.question.kind === "sslErrors"
        ? `sslErrors(${event.question.errors.map((e) => e.kind).join(",")})`
        : `ask(${event.question.kind})`;
    default:
      return event.type;
  }
}

/** Everything an exchange produced. */
export interface ExchangeResult {
  readonly events: readonly ExchangeEvent[];
  /** {@linkcode describeEvent} of each event, consecutive `data` events collapsed into one. */
  readonly trace: readonly string[];
  /** The concatenated `data` bytes. */
  readonly body: Uint8Array;
  /** The `error` event, if the exchange failed. */
  readonly error?: Extract<ExchangeEvent, { type: "error" }>;
  /** The `responseHead` event's head, if one came. */
  readonly head?: Extract<ExchangeEvent, { type: "responseHead" }>["head"];
}

/** Pulls every event of an already started exchange. */
export async function collectEvents(
  iterator: AsyncIterator<ExchangeEvent, undefined>,
): Promise<ExchangeResult> {
  const events: ExchangeEvent[] = [];
  for (let step = await iterator.next(); !step.done; step = await iterator.next()) events.push(step.value);
  const trace: string[] = [];
  for (const event of events) {
    const text = describeEvent(event);
    if (text !== "data" || trace[trace.length - 1] !== "data") trace.push(text);
  }
  const body = concatBytes(events.flatMap((e) => e.type === "data" ? [e.bytes] : []));
  const error = events.find((e) => e.type === "error");
  const head = events.find((e) => e.type === "responseHead")?.head;
  return { events, trace, body, error, head };
}

/** Runs one exchange on `transport` to its end and collects it. */
export function runExchange(
  transport: Transport,
  request: ExchangeRequest,
  signal: AbortSignal = new AbortController().signal,
): Promise<ExchangeResult> {
  return collectEvents(transport.exchange(request, signal));
}
