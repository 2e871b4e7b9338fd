/**
 * The `Transport` interface: one HTTP exchange in, an ordered stream of
 * exchange events out.
 *
 * A transport knows nothing about Qt's signals; the reply maps exchange events
 * to signals, and the manager runs one exchange per hop (redirects, re-sends).
 * Implementations: the fetch transport (`"fetch"`, the default), the socket
 * transport (arriving later) and {@linkcode MockTransport} in `./testing`.
 *
 * ## The contract
 * - `exchange()` never throws and does no I/O before the first `next()`.
 * - Events come in this order:
 *   `connecting`* `ask`* `encrypted`? `uploadProgress`* `requestSent`
 *   `responseHead` `data`* then exactly one of `end` / `error`, after which
 *   `next()` returns `{ done: true }`. An `error` may come at any point and is
 *   always last. `ask` may come anywhere before `responseHead`, except that an
 *   `sslErrors` question comes before `encrypted` and `requestSent`.
 * - Asking the user: the transport yields `{ type: "ask", question }` and
 *   waits; on its next `next()` it calls `request.answer(question)`, which
 *   says whether the user ignored every TLS error (`sslErrors`) or gave
 *   credentials (`proxyAuthentication`, `authentication`, filled into
 *   `question.authenticator`).
 *   The consumer answers everything it can before it pulls again.
 * - Pull-based backpressure: the consumer calls `next()` only after the
 *   previous call settled, and a transport must not read the response body
 *   further ahead than one chunk beyond what `next()` asked for. Not calling
 *   `next()` therefore holds the transport (and, where it can, the peer) back.
 * - Abort: when `signal` aborts, the transport releases every resource
 *   promptly and settles a pending `next()` (with `done` or an `error` event,
 *   which the consumer ignores). `return()` likewise releases everything; the
 *   consumer calls it when it stops early (a redirect's body is not wanted).
 * - `data.bytes` are the bytes the user reads (decoded where the transport
 *   decodes); `data.wireBytes` is how many bytes came over the wire for them,
 *   where the transport can see it.
 * - Running again: a policy layer (not a transport) that discards an attempt
 *   and runs the exchange again yields `{ type: "retry", ... }` — anywhere
 *   before `responseHead`, since a discarded response head is never passed
 *   on. What the discarded attempt reported stays reported; the next
 *   attempt's events continue the same order, leaving out what was already
 *   reported (`connecting` after `requestSent`, a second `encrypted` or
 *   `requestSent`, upload progress that goes backwards). The layer waits the
 *   announced delay inside the `next()` after the `retry` event.
 *
 * @example A transport that answers every request with "hi"
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders, NetworkAccessManager } from "@netreply/netreply";
 * import type { ExchangeEvent, Transport } from "@netreply/netreply/transport";
 *
 * const hello: Transport = {
 *   name: "hello",
 *   async *exchange(): AsyncGenerator<ExchangeEvent, undefined> {
 *     yield { type: "requestSent" };
 *     yield {
 *       type: "responseHead",
 *       head: { status: 200, reasonPhrase: "OK", headers: new HttpHeaders([["content-length", "2"]]) },
 *     };
 *     const bytes = new TextEncoder().encode("hi");
 *     yield { type: "data", bytes, wireBytes: bytes.length };
 *     yield { type: "end" };
 *     return undefined;
 *   },
 *   close: () => Promise.resolve(),
 * };
 * await using nam = new NetworkAccessManager({ transport: hello });
 * equal(await nam.get("http://example.test/").text(), "hi");
 * ```
 *
 * @module
 */

import type { Authenticator } from "../core/authenticator.ts";
import type { CacheLoadControl } from "../core/cache_load_control.ts";
import type { HttpHeaders } from "../core/http_headers.ts";
import type { LoadControl } from "../core/load_control.ts";
import type { NetworkError } from "../core/network_error.ts";
import type { ResolvedRetryOptions } from "../core/retry_policy.ts";
import type { SslConfiguration, SslError } from "../core/ssl.ts";

/**
 * A request body as a transport receives it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { type ExchangeBody, fixedBodySize } from "@netreply/netreply/transport";
 * const bytes: ExchangeBody = { kind: "bytes", bytes: new Uint8Array(3) };
 * const stream: ExchangeBody = { kind: "stream", stream: new Blob(["x"]).stream() };
 * equal(fixedBodySize(bytes), 3);
 * equal(fixedBodySize(stream), -1); // unknown until read
 * ```
 */
export type ExchangeBody =
  /** A body of known size: sent with Content-Length, never chunked. */
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  /**
   * A body of known size held by the runtime (a `Blob`; `Uint8Array` and
   * `ArrayBuffer` bodies are snapshotted into one): sent with Content-Length.
   */
  | { readonly kind: "blob"; readonly blob: Blob }
  /** A body of unknown size: streamed (chunked on HTTP/1.1). */
  | { readonly kind: "stream"; readonly stream: ReadableStream<Uint8Array> };

/**
 * The size of a body of known size, or -1 for a stream.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { fixedBodySize } from "@netreply/netreply/transport";
 * equal(fixedBodySize({ kind: "blob", blob: new Blob(["abc"]) }), 3);
 * ```
 */
export function fixedBodySize(body: ExchangeBody): number {
  if (body.kind === "bytes") return body.bytes.byteLength;
  return body.kind === "blob" ? body.blob.size : -1;
}

/**
 * What a transport asks the user in the middle of an exchange (an `ask`
 * event), answered through {@linkcode ExchangeRequest.answer} on the next
 * `next()`:
 * - `sslErrors`: TLS verification failed with these errors; the handshake
 *   waits. The answer is true when the user ignored every one of them
 *   (`reply.ignoreSslErrors()` in an `sslErrors` listener).
 * - `proxyAuthentication`: the proxy answered 407 (for a CONNECT tunnel, or
 *   a request sent through it); the user may fill `authenticator` in the
 *   manager's `proxyAuthenticationRequired` listener. The answer is true when
 *   credentials were given: the transport retries with them, else it fails
 *   with `ProxyAuthenticationRequiredError`.
 * - `authentication`: the server answered 401 with a challenge netreply can
 *   answer (Basic or Digest); asked by the manager's authentication layer,
 *   not by transports. The user may fill `authenticator` in the manager's
 *   `authenticationRequired` listener; the answer is true when credentials
 *   were given: the request is sent again with them, else the 401 goes
 *   through and the reply fails with `AuthenticationRequiredError`.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Authenticator } from "@netreply/netreply";
 * import type { UserQuestion } from "@netreply/netreply/transport";
 * const question: UserQuestion = {
 *   kind: "proxyAuthentication",
 *   proxy: new URL("http://proxy.test:3128"),
 *   authenticator: new Authenticator({ realm: "proxy", scheme: "Basic" }),
 * };
 * equal(question.kind, "proxyAuthentication");
 * ```
 */
export type UserQuestion =
  | { readonly kind: "sslErrors"; readonly errors: readonly SslError[] }
  | { readonly kind: "proxyAuthentication"; readonly proxy: URL; readonly authenticator: Authenticator }
  | { readonly kind: "authentication"; readonly authenticator: Authenticator };

/**
 * Per-exchange settings a transport acts on, built by the manager once per
 * request from its attributes (Qt's QNetworkRequest::Attribute).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { ExchangeOptions } from "@netreply/netreply/transport";
 * const options: ExchangeOptions = { http2Allowed: false, connectionCacheExpiry: 30 };
 * equal(options.http2Allowed, false);
 * ```
 */
export interface ExchangeOptions {
  /** Whether HTTP/2 may be used (Http2AllowedAttribute; default true). */
  readonly http2Allowed: boolean;
  /**
   * Seconds an idle pooled connection of this request is kept
   * (ConnectionCacheExpiryTimeoutSecondsAttribute); `undefined`: the
   * transport's default.
   */
  readonly connectionCacheExpiry?: number;
  /**
   * AuthenticationReuseAttribute: `Manual` makes the manager's authentication
   * layer use neither URL user info nor remembered credentials (every 401
   * asks); absent or `Automatic` (Qt's default): they are used. Transports ignore it.
   */
  readonly authenticationReuse?: LoadControl;
  /**
   * CookieLoadControlAttribute: `Manual` sends no cookie from the manager's
   * jar; absent or `Automatic` (Qt's default): the jar's cookies are sent.
   */
  readonly cookieLoadControl?: LoadControl;
  /**
   * CookieSaveControlAttribute: `Manual` stores no Set-Cookie of the
   * response in the manager's jar; absent or `Automatic` (Qt's default): they are stored.
   */
  readonly cookieSaveControl?: LoadControl;
}

/**
 * One HTTP exchange (one hop) as the manager hands it to a transport.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import type { ExchangeEvent, ExchangeRequest, Transport } from "@netreply/netreply/transport";
 * // What the manager hands a transport: here recorded, then answered with a network error.
 * const seen: ExchangeRequest[] = [];
 * const recording: Transport = {
 *   name: "recording",
 *   async *exchange(request): AsyncGenerator<ExchangeEvent, undefined> {
 *     seen.push(request);
 *     yield { type: "error", code: 1, message: "Connection refused" };
 *   },
 *   close: () => Promise.resolve(),
 * };
 * await using nam = new NetworkAccessManager({ transport: recording });
 * await nam.get("https://api.test/a", { headers: { accept: "text/plain" } }).done;
 * equal(seen[0].method, "GET");
 * equal(seen[0].url.href, "https://api.test/a");
 * equal(seen[0].headers.value("accept"), "text/plain");
 * ```
 */
export interface ExchangeRequest {
  /** The method as sent: a standard method or a custom verb, verbatim. */
  readonly method: string;
  /** The absolute http: or https: URL of this hop. */
  readonly url: URL;
  /**
   * Header fields to send, in order, names lower-case. The transport adds only
   * what its protocol needs, on its own copy: these are the manager's and must not change.
   */
  readonly headers: HttpHeaders;
  /** The body, or `null` for none. */
  readonly body: ExchangeBody | null;
  /**
   * The body to send again in a later attempt of this hop (an answer to a
   * 401 or 407, a retry), or why it cannot be: `null` when the hop has no
   * body. Filled by the manager from the one copy it keeps of the request's
   * body (a ReadableStream is kept as the transport reads it, up to
   * `STREAM_RESEND_BUFFER_LIMIT`, as for 307/308 redirects), so that the
   * policy layers do not keep their own; it may be called any number of
   * times. Absent (a layer driven without the manager): see
   * {@linkcode bodyToResend}. Transports ignore it.
   */
  readonly resendBody?: () => ExchangeBody | null | { readonly refusal: string };
  /** Whether the transport should decode Content-Encoding (false when the user set Accept-Encoding). */
  readonly decompress: boolean;
  /** Archive-bomb guard threshold in decoded bytes; -1 = off (Qt's QNetworkRequest::setDecompressedSafetyCheckThreshold). */
  readonly decompressedSafetyCheckThreshold: number;
  /** TLS settings of the request, if any. */
  readonly sslConfiguration?: SslConfiguration;
  /** Host name to verify the certificate against, instead of the URL's host. */
  readonly peerVerifyName?: string;
  /** `undefined`: the runtime's environment proxy handling; `null`: direct; a URL: that proxy. */
  readonly proxy?: URL | null;
  /**
   * Called on the `next()` after an `ask` event: the user's answer to the
   * question (see {@linkcode UserQuestion}). A transport that cannot act on
   * an answer (fetch cannot ignore TLS errors) does not ask.
   */
  readonly answer: (question: UserQuestion) => boolean;
  /**
   * Whether an `sslErrors` question could be answered "ignored": the user
   * called `ignoreSslErrors()` (with or without a list) or listens to
   * `sslErrors` on the reply or the manager. Read when a handshake fails; a
   * transport that needs extra work to build the full question (the socket
   * transport on Deno repeats the handshake through `node:tls` to read the
   * peer's certificates) may skip it when false and report the errors it
   * has. Absent: assume it could.
   */
  readonly sslErrorsMayBeIgnored?: () => boolean;
  /** Per-exchange settings from the request's attributes. */
  readonly options: ExchangeOptions;
  /**
   * How the manager's cache layer may answer this request
   * (CacheLoadControlAttribute); absent: `PreferNetwork`. Transports ignore it.
   */
  readonly cacheLoadControl?: CacheLoadControl;
  /**
   * Whether the cache layer may store the response (CacheSaveControlAttribute);
   * absent: true. Transports ignore it.
   */
  readonly cacheSaveControl?: boolean;
  /**
   * How this request is retried (the manager's `retry` option or the call's),
   * read by the manager's retry layer; absent: not retried. Transports ignore it.
   */
  readonly retry?: ResolvedRetryOptions;
}

/**
 * The body to send again for `request` in a later attempt of the same hop,
 * or why it cannot be: {@linkcode ExchangeRequest.resendBody} when the
 * manager filled it; otherwise a fixed-size body is sent again as it is,
 * `null` stays `null`, and a stream, which nothing kept, is refused.
 *
 * @param request The request of the attempt that is to be repeated.
 * @returns The body for the next attempt, `null` for none, or a refusal.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { bodyToResend } from "@netreply/netreply/transport";
 * const body = { kind: "bytes", bytes: new Uint8Array([1, 2]) } as const;
 * equal(bodyToResend({ body }) === body, true);
 * ```
 */
export function bodyToResend(
  request: Pick<ExchangeRequest, "body" | "resendBody">,
): ExchangeBody | null | { readonly refusal: string } {
  if (request.resendBody !== undefined) return request.resendBody();
  if (request.body?.kind === "stream") {
    return { refusal: "the ReadableStream body was not read to its end before the response" };
  }
  return request.body;
}

/**
 * The status line and header fields of a response.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import type { ResponseHead } from "@netreply/netreply/transport";
 * const head: ResponseHead = {
 *   status: 404,
 *   reasonPhrase: "Not Found",
 *   headers: new HttpHeaders([["content-type", "text/plain"]]),
 * };
 * equal(head.headers.value("content-type"), "text/plain");
 * ```
 */
export interface ResponseHead {
  /** The HTTP status code. */
  readonly status: number;
  /** The reason phrase ("" on HTTP/2). */
  readonly reasonPhrase: string;
  /**
   * Field lines in the order the transport sees them, duplicates kept, names
   * lower-case. Handed over with the event: the reply keeps them as they are.
   */
  readonly headers: HttpHeaders;
  /**
   * The field names as they came on the wire, original case, parallel to
   * `headers` (same length and order); absent where the transport cannot see
   * them (fetch gives lower-case names).
   */
  readonly originalNames?: readonly string[];
  /** The Content-Length removed because the body is delivered decoded (OriginalContentLengthAttribute). */
  readonly originalContentLength?: number;
  /** Whether HTTP/2 carried the exchange; `undefined` when the transport cannot tell. */
  readonly http2?: boolean;
  /**
   * True when a policy layer answers from the cache instead of the network
   * (SourceIsFromCacheAttribute); the response then comes without
   * `connecting` or `requestSent`. Transports leave it out.
   */
  readonly fromCache?: boolean;
}

/**
 * One step of an exchange. See the module documentation for the order.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import type { ExchangeEvent } from "@netreply/netreply/transport";
 * // A successful exchange, as a transport reports it.
 * const events: ExchangeEvent[] = [
 *   { type: "requestSent" },
 *   { type: "responseHead", head: { status: 200, reasonPhrase: "OK", headers: new HttpHeaders({ "content-length": "2" }) } },
 *   { type: "data", bytes: new TextEncoder().encode("hi"), wireBytes: 2 },
 *   { type: "end" },
 * ];
 * deepEqual(events.map((event) => event.type), ["requestSent", "responseHead", "data", "end"]);
 * ```
 */
export type ExchangeEvent =
  /** A new connection is being opened (none when a pooled one is reused). */
  | { readonly type: "connecting" }
  /** A question for the user; the exchange waits and reads the answer on the next `next()`. */
  | { readonly type: "ask"; readonly question: UserQuestion }
  /** The TLS handshake completed, before any request byte was sent. */
  | { readonly type: "encrypted"; readonly configuration: SslConfiguration }
  /** Request body progress. */
  | { readonly type: "uploadProgress"; readonly bytesSent: number; readonly bytesTotal: number }
  /** The whole request (head and body) was handed over. */
  | { readonly type: "requestSent" }
  /** The final (non-1xx) response head arrived. */
  | { readonly type: "responseHead"; readonly head: ResponseHead }
  /** Body bytes. */
  | { readonly type: "data"; readonly bytes: Uint8Array; readonly wireBytes: number }
  /** The body is complete; `trailers` are the trailer fields (RFC 9110 §6.5), names lower-case, if any. */
  | { readonly type: "end"; readonly trailers?: HttpHeaders }
  /**
   * A policy layer discarded the attempt so far and runs the exchange again
   * after `delay` ms (see the module documentation): `attempt` is the attempt
   * about to start (2 for the first retry); `status` the discarded response's
   * status, or 0 when the attempt failed without one; `code` the network
   * error of that failure, or the one `status` maps to.
   */
  | {
    readonly type: "retry";
    readonly attempt: number;
    readonly delay: number;
    readonly status: number;
    readonly code: NetworkError;
  }
  /** The exchange failed. `message` is the Qt-style error string. */
  | {
    readonly type: "error";
    readonly code: NetworkError;
    readonly message: string;
    readonly cause?: unknown;
  };

/**
 * The `error` member of {@linkcode ExchangeEvent}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkError } from "@netreply/netreply";
 * import { exchangeError, type ExchangeErrorEvent } from "@netreply/netreply/transport";
 * const event: ExchangeErrorEvent = exchangeError(NetworkError.ConnectionRefusedError, "Connection refused");
 * equal(event.type, "error");
 * equal(event.code, NetworkError.ConnectionRefusedError);
 * ```
 */
export type ExchangeErrorEvent = Extract<ExchangeEvent, { type: "error" }>;

/**
 * Builds an `error` exchange event (`cause` only when there is one).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkError } from "@netreply/netreply";
 * import { exchangeError } from "@netreply/netreply/transport";
 * const event = exchangeError(NetworkError.ConnectionRefusedError, "Connection refused");
 * equal(event.type, "error");
 * equal(event.code, 1);
 * ```
 */
export function exchangeError(code: NetworkError, message: string, cause?: unknown): ExchangeErrorEvent {
  return cause === undefined ? { type: "error", code, message } : { type: "error", code, message, cause };
}

/**
 * Carries one HTTP exchange at a time for a {@linkcode NetworkAccessManager}.
 * See the module documentation for the contract every implementation keeps.
 *
 * @example The smallest transport
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders, NetworkAccessManager, type Transport } from "@netreply/netreply";
 * import type { ExchangeEvent } from "@netreply/netreply/transport";
 * // A transport that answers every request with 204: what a custom transport implements.
 * const noContent: Transport = {
 *   name: "no-content",
 *   async *exchange(): AsyncGenerator<ExchangeEvent, undefined> {
 *     yield { type: "requestSent" };
 *     yield { type: "responseHead", head: { status: 204, reasonPhrase: "No Content", headers: new HttpHeaders() } };
 *     yield { type: "end" };
 *   },
 *   close: () => Promise.resolve(),
 * };
 * await using nam = new NetworkAccessManager({ transport: noContent });
 * const reply = nam.get("https://any.test/");
 * await reply.done;
 * equal(reply.status, 204);
 * ```
 */
export interface Transport {
  /** A short name for messages and traces, e.g. `"fetch"`. */
  readonly name: string;
  /** Starts one exchange; its events are pulled with `next()`. */
  exchange(request: ExchangeRequest, signal: AbortSignal): AsyncIterator<ExchangeEvent, undefined>;
  /** Optional: drops pooled idle connections (`nam.clearConnectionCache()`). */
  clearConnectionCache?(): void;
  /** Optional: opens a connection ahead of time (`nam.connectToHost()` / `connectToHostEncrypted()`). */
  connectToHost?(url: URL, sslConfiguration?: SslConfiguration): void;
  /** Frees pooled connections and clients. Called by `NetworkAccessManager.close()`. */
  close(): Promise<void>;
}
