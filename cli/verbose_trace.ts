/**
 * `-v`: every signal of a reply on its own line with the milliseconds since
 * the command started, the request line and headers the CLI set (`> `), and
 * each response head (`< `), on stderr. The shape, for scripts and tests:
 *
 * ```text
 * > GET http://127.0.0.1:8000/r/1
 * > accept: text/plain
 * * [     3 ms] requestSent
 * * [     4 ms] metaDataChanged
 * < HTTP 302 Found
 * < location: /final
 * * [     4 ms] redirected(http://127.0.0.1:8000/final)
 * ```
 *
 * @module
 */

import {
  Attribute,
  DownloadProgressEvent,
  ErrorOccurredEvent,
  type HttpHeaders,
  networkErrorName,
  type NetworkReply,
  RedirectedEvent,
  REPLY_EVENT_TYPES,
  RetryEvent,
  SslErrorKind,
  SslErrorsEvent,
  UploadProgressEvent,
} from "../mod.ts";
import type { TextSink } from "./text_sink.ts";

const sslErrorKindNames: ReadonlyMap<number, string> = new Map(
  Object.entries(SslErrorKind).map(([name, kind]) => [kind, name]),
);

/** A signal with its arguments, e.g. `downloadProgress(10, 20)`. */
function describe(type: string, event: Event): string {
  if (event instanceof DownloadProgressEvent) return `${type}(${event.bytesReceived}, ${event.bytesTotal})`;
  if (event instanceof UploadProgressEvent) return `${type}(${event.bytesSent}, ${event.bytesTotal})`;
  if (event instanceof ErrorOccurredEvent) return `${type}(${networkErrorName(event.code)})`;
  if (event instanceof RedirectedEvent) return `${type}(${event.url.href})`;
  if (event instanceof RetryEvent) {
    return `${type}(attempt ${event.attempt}, in ${event.delay} ms, ${
      event.status > 0 ? `status ${event.status}` : networkErrorName(event.code)
    })`;
  }
  if (event instanceof SslErrorsEvent) {
    return `${type}(${event.errors.map((e) => sslErrorKindNames.get(e.kind) ?? e.kind).join(", ")})`;
  }
  return type;
}

/**
 * The first line of a response head as the CLI prints it: `HTTP/1.1 200 OK`
 * on the socket transport, `HTTP 200 OK` where the version is not known (fetch).
 */
function statusLine(reply: NetworkReply): string {
  const http2 = reply.attribute(Attribute.Http2WasUsedAttribute);
  const version = http2 === true ? "HTTP/2" : http2 === false ? "HTTP/1.1" : "HTTP";
  return `${version} ${reply.status}${reply.statusText ? ` ${reply.statusText}` : ""}`;
}

/**
 * The response head as the CLI prints it, one line each: the status line
 * (`HTTP/1.1 200 OK` on the socket transport, `HTTP 200 OK` where the
 * version is not known, as on fetch), then the headers as `name: value`,
 * as they came.
 *
 * @param reply A reply whose head has arrived.
 * @returns The lines, without line breaks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkAccessManager } from "../mod.ts";
 * import { MockTransport } from "../testing.ts";
 * import { headLines } from "./verbose_trace.ts";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" }).reply(404, "gone", { headers: { "x-why": "moved" } });
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("http://example.test/");
 * await reply.done;
 * const lines = headLines(reply);
 * assert.match(lines[0], /^HTTP\S* 404/);
 * assert.ok(lines.includes("x-why: moved"));
 * ```
 */
export function headLines(reply: NetworkReply): string[] {
  return [statusLine(reply), ...reply.rawHeaderPairs().map(([name, value]) => `${name}: ${value}`)];
}

/**
 * Prints the request line and the headers the CLI set, as `> ` lines.
 *
 * @param sink Where to write (stderr).
 * @param method The method sent.
 * @param url The request URL.
 * @param headers The request's headers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpHeaders } from "../mod.ts";
 * import { traceRequest } from "./verbose_trace.ts";
 *
 * let text = "";
 * traceRequest({ isTerminal: false, write: (t) => text += t }, "GET", new URL("http://a.test/"),
 *   new HttpHeaders([["accept", "*" + "/*"]]));
 * assert.equal(text, "> GET http://a.test/\n> accept: *" + "/*\n");
 * ```
 */
export function traceRequest(sink: TextSink, method: string, url: URL, headers: HttpHeaders): void {
  sink.write(`> ${method} ${url.href}\n`);
  for (const [name, value] of headers) sink.write(`> ${name}: ${value}\n`);
}

/**
 * Prints every signal of `reply` with the milliseconds since `startedAt`,
 * and each response head after its `metaDataChanged`.
 *
 * @param reply The reply to follow (before it dispatches anything).
 * @param sink Where to write (stderr).
 * @param startedAt The `performance.now()` the timestamps count from.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkAccessManager } from "../mod.ts";
 * import { MockTransport } from "../testing.ts";
 * import { traceSignals } from "./verbose_trace.ts";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" }).reply(200, "hi");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("http://example.test/");
 * let text = "";
 * traceSignals(reply, { isTerminal: false, write: (t) => text += t }, performance.now());
 * await reply.done;
 * assert.match(text, /^\* \[ *\d+ ms\] finished$/m);
 * ```
 */
export function traceSignals(reply: NetworkReply, sink: TextSink, startedAt: number): void {
  for (const type of REPLY_EVENT_TYPES) {
    reply.addEventListener(type, (event: Event) => {
      const ms = Math.round(performance.now() - startedAt);
      sink.write(`* [${String(ms).padStart(6)} ms] ${describe(type, event)}\n`);
      if (type !== "metaDataChanged") return;
      for (const line of headLines(reply)) sink.write(`< ${line}\n`);
    });
  }
}
