/**
 * The event classes a {@linkcode NetworkReply} and a
 * {@linkcode NetworkAccessManager} dispatch. Event types are Qt's signal names.
 *
 * @example Listen for progress
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { DownloadProgressEvent } from "@netreply/netreply";
 * const event = new DownloadProgressEvent(10, 100);
 * deepEqual([event.type, event.bytesReceived, event.bytesTotal], ["downloadProgress", 10, 100]);
 * ```
 *
 * @module
 */

import type { Authenticator } from "./core/authenticator.ts";
import type { NetworkError } from "./core/network_error.ts";
import type { SslError } from "./core/ssl.ts";
import type { NetworkReply } from "./reply.ts";

/**
 * `downloadProgress`: body bytes received so far (decoded bytes when the body
 * is decoded) and the total (-1 when unknown).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { DownloadProgressEvent } from "@netreply/netreply";
 * equal(new DownloadProgressEvent(5, -1).bytesTotal, -1);
 * ```
 */
export class DownloadProgressEvent extends Event {
  /** Body bytes received so far. */
  readonly bytesReceived: number;
  /** Expected total, or -1 when unknown. */
  readonly bytesTotal: number;
  /** Creates the event. */
  constructor(bytesReceived: number, bytesTotal: number) {
    super("downloadProgress");
    this.bytesReceived = bytesReceived;
    this.bytesTotal = bytesTotal;
  }
}

/**
 * `uploadProgress`: request body bytes sent so far and the total (-1 when unknown).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { UploadProgressEvent } from "@netreply/netreply";
 * equal(new UploadProgressEvent(0, 3).bytesTotal, 3);
 * ```
 */
export class UploadProgressEvent extends Event {
  /** Request body bytes sent so far. */
  readonly bytesSent: number;
  /** Total body size, or -1 when unknown (a stream). */
  readonly bytesTotal: number;
  /** Creates the event. */
  constructor(bytesSent: number, bytesTotal: number) {
    super("uploadProgress");
    this.bytesSent = bytesSent;
    this.bytesTotal = bytesTotal;
  }
}

/**
 * `errorOccurred`: the reply failed with {@linkcode ErrorOccurredEvent.code}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { ErrorOccurredEvent, NetworkError } from "@netreply/netreply";
 * equal(new ErrorOccurredEvent(NetworkError.TimeoutError).code, 4);
 * ```
 */
export class ErrorOccurredEvent extends Event {
  /** The error code, as `reply.error()` returns it. */
  readonly code: NetworkError;
  /** Creates the event. */
  constructor(code: NetworkError) {
    super("errorOccurred");
    this.code = code;
  }
}

/**
 * `redirected`: a redirect to {@linkcode RedirectedEvent.url} is being
 * followed (or, under UserVerifiedRedirectPolicy, awaits `redirectAllowed()`).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { RedirectedEvent } from "@netreply/netreply";
 * equal(new RedirectedEvent(new URL("http://a.test/b")).url.href, "http://a.test/b");
 * ```
 */
export class RedirectedEvent extends Event {
  /** The resolved absolute target. */
  readonly url: URL;
  /** Creates the event. */
  constructor(url: URL) {
    super("redirected");
    this.url = url;
  }
}

/**
 * `retry`: the manager's `retry` option discarded an attempt (a retried
 * status, or a network error before any response) and sends the request
 * again after {@linkcode RetryEvent.delay} ms. The discarded attempt
 * dispatches nothing else: its response head and body are never shown.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { NetworkError } from "./core/network_error.ts";
 * import { RetryEvent } from "./events.ts";
 * const event = new RetryEvent(2, 1_000, 503, NetworkError.ServiceUnavailableError);
 * deepEqual([event.type, event.attempt, event.delay, event.status], ["retry", 2, 1000, 503]);
 * ```
 */
export class RetryEvent extends Event {
  /** The attempt about to start: 2 for the first retry (the first attempt is 1). */
  readonly attempt: number;
  /** The wait before it, in ms (`Retry-After`, or the backoff). */
  readonly delay: number;
  /** The discarded response's HTTP status, or 0 when the attempt failed without a response. */
  readonly status: number;
  /** The discarded attempt's network error, or the one its status maps to. */
  readonly code: NetworkError;
  /** Creates the event. */
  constructor(attempt: number, delay: number, status: number, code: NetworkError) {
    super("retry");
    this.attempt = attempt;
    this.delay = delay;
    this.status = status;
    this.code = code;
  }
}

/**
 * `sslErrors`: TLS verification found these errors. On the manager,
 * {@linkcode SslErrorsEvent.reply} says which reply.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { SslError, SslErrorKind, SslErrorsEvent } from "@netreply/netreply";
 * const event = new SslErrorsEvent([new SslError(SslErrorKind.CertificateExpired)]);
 * equal(event.errors[0].message, "The certificate has expired");
 * ```
 */
export class SslErrorsEvent extends Event {
  /** The verification errors. */
  readonly errors: readonly SslError[];
  /** The reply concerned (set on the manager's event). */
  readonly reply?: NetworkReply;
  /** Creates the event. */
  constructor(errors: readonly SslError[], reply?: NetworkReply) {
    super("sslErrors");
    this.errors = errors;
    this.reply = reply;
  }
}

/**
 * A manager event about one reply: `finished` and `encrypted`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { NetworkAccessManager, ReplyEvent } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/a" }).reply(200, "a");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const finished: string[] = [];
 * nam.addEventListener("finished", (event: ReplyEvent) => finished.push(event.reply.url().href));
 * await nam.get("https://api.test/a").done;
 * deepEqual(finished, ["https://api.test/a"]);
 * ```
 */
export class ReplyEvent extends Event {
  /** The reply concerned. */
  readonly reply: NetworkReply;
  /** Creates the event. */
  constructor(type: "finished" | "encrypted", reply: NetworkReply) {
    super(type);
    this.reply = reply;
  }
}

/**
 * The base of the two authentication events: an {@linkcode Authenticator} to
 * fill synchronously, or a promise to wait for.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Authenticator, AuthenticatorEvent } from "@netreply/netreply";
 * const event = new AuthenticatorEvent("authenticationRequired", new Authenticator({ realm: "api" }));
 * event.respondWith(Promise.resolve());
 * equal(event.pending !== undefined, true);
 * ```
 */
export class AuthenticatorEvent extends Event {
  /** Fill `user` and `password`. */
  readonly authenticator: Authenticator;
  #pending: Promise<void> | undefined;
  /** Creates the event. */
  constructor(type: "authenticationRequired" | "proxyAuthenticationRequired", authenticator: Authenticator) {
    super(type);
    this.authenticator = authenticator;
  }
  /** Makes the request wait for `promise` (the inactivity timer is paused meanwhile). */
  respondWith(promise: Promise<void>): void {
    this.#pending = promise;
  }
  /** The promise given to {@linkcode AuthenticatorEvent.respondWith}, if any. */
  get pending(): Promise<void> | undefined {
    return this.#pending;
  }
}

/**
 * The manager's `authenticationRequired` event, dispatched for a 401 that
 * offers Basic or Digest (docs/authentication.md): fill {@linkcode AuthenticatorEvent.authenticator}
 * synchronously, or call {@linkcode AuthenticatorEvent.respondWith}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { AuthenticationRequiredEvent, NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/private" }).reply((call) =>
 *   call.headers.contains("authorization")
 *     ? { status: 200, body: "secret things" }
 *     : { status: 401, headers: { "www-authenticate": 'Basic realm="vault"' } }
 * ).persist();
 * await using nam = new NetworkAccessManager({ transport: mock });
 * nam.addEventListener("authenticationRequired", (event: AuthenticationRequiredEvent) => {
 *   equal(event.reply.url().pathname, "/private");
 *   // Credentials may also come later: event.respondWith(promise).
 *   event.authenticator.user = "me";
 *   event.authenticator.password = "secret";
 * });
 * equal(await nam.get("https://api.test/private").text(), "secret things");
 * ```
 */
export class AuthenticationRequiredEvent extends AuthenticatorEvent {
  /** The reply that needs credentials. */
  readonly reply: NetworkReply;
  /** Creates the event. */
  constructor(reply: NetworkReply, authenticator: Authenticator) {
    super("authenticationRequired", authenticator);
    this.reply = reply;
  }
}

/**
 * The manager's `proxyAuthenticationRequired` event (dispatched once proxy
 * authentication lands with the socket transport).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Authenticator, NetworkAccessManager, ProxyAuthenticationRequiredEvent } from "@netreply/netreply";
 * await using nam = new NetworkAccessManager();
 * const asked: string[] = [];
 * nam.addEventListener("proxyAuthenticationRequired", (event: ProxyAuthenticationRequiredEvent) => {
 *   asked.push(event.proxy.host);
 *   event.authenticator.user = "proxy-user";
 *   event.authenticator.password = "secret";
 * });
 * const event = new ProxyAuthenticationRequiredEvent(new URL("http://proxy.test:3128"), new Authenticator());
 * nam.dispatchEvent(event);
 * equal(asked[0], "proxy.test:3128");
 * equal(event.authenticator.user, "proxy-user");
 * ```
 */
export class ProxyAuthenticationRequiredEvent extends AuthenticatorEvent {
  /** The proxy that asks. */
  readonly proxy: URL;
  /** Creates the event. */
  constructor(proxy: URL, authenticator: Authenticator) {
    super("proxyAuthenticationRequired", authenticator);
    this.proxy = proxy;
  }
}

/**
 * Every event type a {@linkcode NetworkReply} dispatches, in the order Qt
 * emits them within one hop (see docs/signals.md).
 *
 * @example Trace a reply
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, REPLY_EVENT_TYPES } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" }).reply(200, "hi");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("http://example.test/");
 * const trace: string[] = [];
 * for (const type of REPLY_EVENT_TYPES) reply.addEventListener(type, () => trace.push(type));
 * await reply.done;
 * equal(trace.at(-1), "finished");
 * ```
 */
export const REPLY_EVENT_TYPES: readonly (keyof NetworkReplyEventMap)[] = [
  "socketStartedConnecting",
  "sslErrors",
  "encrypted",
  "preSharedKeyAuthenticationRequired",
  "uploadProgress",
  "requestSent",
  "retry",
  "metaDataChanged",
  "redirected",
  "readyRead",
  "downloadProgress",
  "errorOccurred",
  "readChannelFinished",
  "finished",
];

/**
 * The events of a {@linkcode NetworkReply}, by type.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { NetworkAccessManager, type NetworkReplyEventMap } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/" }).reply(200, "hi");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("https://api.test/");
 * const seen: (keyof NetworkReplyEventMap)[] = [];
 * for (const type of ["metaDataChanged", "readyRead", "finished"] as const) {
 *   reply.addEventListener(type, () => seen.push(type));
 * }
 * await reply.done;
 * deepEqual(seen, ["metaDataChanged", "readyRead", "finished"]);
 * ```
 */
export interface NetworkReplyEventMap {
  /** A new connection is being opened for this request (socket transport). */
  socketStartedConnecting: Event;
  /** The whole request (head and body) was handed over. */
  requestSent: Event;
  /** The TLS handshake of a new connection completed (socket transport). */
  encrypted: Event;
  /** A response's status and headers are available (once per response, 3xx hops included). */
  metaDataChanged: Event;
  /** New body bytes can be read. */
  readyRead: Event;
  /** No more bytes will arrive; right before `finished`. */
  readChannelFinished: Event;
  /** The reply is over; dispatched exactly once. */
  finished: Event;
  /** A PSK cipher suite was negotiated (socket transport). */
  preSharedKeyAuthenticationRequired: Event;
  /** TLS verification errors. */
  sslErrors: SslErrorsEvent;
  /** A redirect is being followed. */
  redirected: RedirectedEvent;
  /** An attempt was discarded and the request is sent again after a delay (the `retry` option). */
  retry: RetryEvent;
  /** Body progress, at most every 100 ms plus the final (n, n). */
  downloadProgress: DownloadProgressEvent;
  /** Request body progress. */
  uploadProgress: UploadProgressEvent;
  /** The reply failed; `finished` follows. */
  errorOccurred: ErrorOccurredEvent;
}

/**
 * The events of a {@linkcode NetworkAccessManager}, by type.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, type NetworkAccessManagerEventMap } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/" }).reply(200);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * let finished: NetworkAccessManagerEventMap["finished"] | undefined;
 * nam.addEventListener("finished", (event) => finished = event);
 * const reply = nam.get("https://api.test/");
 * await reply.done;
 * equal(finished?.reply, reply);
 * ```
 */
export interface NetworkAccessManagerEventMap {
  /** A reply finished; dispatched before the reply's own `finished`. */
  finished: ReplyEvent;
  /** A reply's new connection completed its TLS handshake. */
  encrypted: ReplyEvent;
  /** TLS verification errors. */
  sslErrors: SslErrorsEvent;
  /** A server asks for credentials. */
  authenticationRequired: AuthenticationRequiredEvent;
  /** A proxy asks for credentials. */
  proxyAuthenticationRequired: ProxyAuthenticationRequiredEvent;
}
