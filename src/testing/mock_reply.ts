/**
 * What a {@linkcode MockTransport} interceptor answers with: the public shapes
 * of a mocked response ({@linkcode MockBody}, {@linkcode MockChunk},
 * {@linkcode MockReplyOptions}, ...) and their validation into the
 * {@linkcode PlannedResponse} an exchange plays back.
 *
 * @example
 * ```ts
 * import { NetworkError } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://api.test/feed" }).reply(200, {
 *   chunks: ["first", { data: "second", delay: 10 }, { error: NetworkError.RemoteHostClosedError }],
 * }, { headers: { "content-type": "text/plain" } });
 * ```
 *
 * @module
 */

import { HttpHeaders } from "../core/http_headers.ts";
import type { NetworkError } from "../core/network_error.ts";
import { defaultErrorString } from "../core/network_error_messages.ts";
import type { SslConfiguration, SslError } from "../core/ssl.ts";
import type { ResponseHead } from "../transport/transport.ts";
import type { MockCall } from "./mock_matchers.ts";
import { reasonPhrase as standardReasonPhrase } from "./_reason_phrase.ts";

/**
 * One piece of a chunked mock body, delivered as one `data` event:
 * - a string (sent as UTF-8) or bytes;
 * - `{ data, delay }`: the same, produced `delay` ms after the consumer asked for it;
 * - `{ error, message?, delay? }`: the exchange fails here with that code
 *   (after the chunks before it); must be the last chunk. The message defaults
 *   to Qt's text for the code, e.g. `"Connection closed"`.
 *
 * @example A body cut short
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError } from "@netreply/netreply";
 * import { type MockChunk, MockTransport } from "@netreply/netreply/testing";
 * const chunks: MockChunk[] = ["first ", { data: "second", delay: 1 }, { error: NetworkError.RemoteHostClosedError }];
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/cut" }).reply(200, { chunks });
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("https://api.test/cut");
 * let received = "";
 * reply.addEventListener("readyRead", () => received += new TextDecoder().decode(reply.readAll()));
 * await reply.done;
 * equal(received, "first second");
 * equal(reply.error(), NetworkError.RemoteHostClosedError);
 * ```
 */
export type MockChunk =
  | string
  | Uint8Array
  | { readonly data: string | Uint8Array; readonly delay?: number }
  | { readonly error: NetworkError; readonly message?: string; readonly delay?: number };

/**
 * A mock response body. A string or bytes is a fixed-size body, sent with a
 * `content-length` header (unless the reply's headers name one) as one `data`
 * event; `{ chunks }` is a body of unknown size, one `data` event per chunk.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { type MockBody, MockTransport } from "@netreply/netreply/testing";
 * const fixed: MockBody = "twelve bytes";
 * const streamed: MockBody = { chunks: ["one ", "two"] };
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/fixed" }).reply(200, fixed);
 * mock.intercept({ url: "https://api.test/streamed" }).reply(200, streamed);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("https://api.test/fixed");
 * equal(await reply.text(), "twelve bytes");
 * equal(reply.rawHeader("content-length"), "12");
 * equal(await nam.get("https://api.test/streamed").text(), "one two");
 * ```
 */
export type MockBody = string | Uint8Array | { readonly chunks: readonly MockChunk[] };

/**
 * Connection events an interceptor plays before the request is sent, in
 * this order: `connecting`, `sslErrors`, `encrypted`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/" }).reply(200, "", { connecting: true, encrypted: { protocol: "TLSv1.3" } });
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("https://api.test/");
 * const seen: string[] = [];
 * reply.addEventListener("socketStartedConnecting", () => seen.push("connecting"));
 * reply.addEventListener("encrypted", () => seen.push("encrypted"));
 * await reply.done;
 * deepEqual(seen, ["connecting", "encrypted"]);
 * ```
 */
export interface MockConnectionOptions {
  /** Emit a `connecting` event (a new connection is opened). Default `false`. */
  readonly connecting?: boolean;
  /**
   * TLS errors to report. After the consumer has taken the `sslErrors` event
   * the mock asks the request whether they are ignored; if not, the exchange
   * fails with `SslHandshakeFailedError` ("SSL handshake failed"), else
   * `encrypted` follows (with {@linkcode MockConnectionOptions.encrypted}, or `{}`).
   */
  readonly sslErrors?: readonly SslError[];
  /** Emit an `encrypted` event carrying this configuration. */
  readonly encrypted?: SslConfiguration;
  /**
   * Play a proxy's 407 before anything else is sent: an `ask` event with a
   * `proxyAuthentication` question (the manager's `proxyAuthenticationRequired`).
   * When the user gives no credentials the exchange fails with
   * `ProxyAuthenticationRequiredError` ("Proxy requires authentication"); else
   * it goes on as scripted.
   */
  readonly proxyAuthentication?: MockProxyAuthentication;
}

/**
 * A scripted proxy 407: which proxy asks, and its challenge.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://api.test/" }).reply(200, "through the proxy", {
 *   proxyAuthentication: { proxy: "http://proxy.test:3128", realm: "corp" },
 * });
 * await using nam = new NetworkAccessManager({ transport: mock });
 * nam.addEventListener("proxyAuthenticationRequired", ({ authenticator }) => {
 *   equal(authenticator.realm, "corp");
 *   authenticator.user = "me";
 *   authenticator.password = "secret";
 * });
 * equal(await nam.get("http://api.test/").text(), "through the proxy");
 * ```
 */
export interface MockProxyAuthentication {
  /** The proxy that asks, e.g. `"http://proxy.test:3128"`. */
  readonly proxy: string | URL;
  /** The challenge's realm. Default `""`. */
  readonly realm?: string;
  /** The challenge's scheme. Default `"Basic"`. */
  readonly scheme?: string;
}

/**
 * Options of a reply: its head and the connection events before it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/" }).reply(200, "{}", {
 *   headers: { "content-type": "application/json" },
 *   reasonPhrase: "Fine",
 * });
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("https://api.test/");
 * await reply.done;
 * equal(reply.rawHeader("content-type"), "application/json");
 * equal(reply.statusText, "Fine");
 * ```
 */
export interface MockReplyOptions extends MockConnectionOptions {
  /** Response header fields, in order; `content-length` is added for a fixed body unless given. */
  readonly headers?: HeadersInit | HttpHeaders;
  /** Default: the standard phrase for the status (`"OK"`, `"Not Found"`, `""` if none; `""` with `http2`). */
  readonly reasonPhrase?: string;
  /** Report the exchange as HTTP/2 (`Http2WasUsedAttribute`). Default `false`. */
  readonly http2?: boolean;
  /** Trailer fields sent after the body (`reply.trailers()`). Default: none. */
  readonly trailers?: HeadersInit | HttpHeaders;
}

/**
 * What a {@linkcode MockReplyCallback} returns; its fields override the reply's options.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { type MockReplyResult, MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/created" }).reply((): MockReplyResult => ({
 *   status: 201,
 *   body: "made",
 *   headers: { location: "/items/1" },
 * }));
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("https://api.test/created");
 * equal(await reply.text(), "made");
 * equal(reply.rawHeader("location"), "/items/1");
 * ```
 */
export interface MockReplyResult {
  /** The final status, 200 to 999. */
  readonly status: number;
  /** The body; `null` or absent for none. */
  readonly body?: MockBody | null;
  /** Response header fields; replaces the reply's `options.headers` when given. */
  readonly headers?: HeadersInit | HttpHeaders;
  /** Replaces the reply's `options.reasonPhrase` when given. */
  readonly reasonPhrase?: string;
  /** Replaces the reply's `options.http2` when given. */
  readonly http2?: boolean;
  /** Replaces the reply's `options.trailers` when given. */
  readonly trailers?: HeadersInit | HttpHeaders;
}

/**
 * Computes a reply from the request, after the request has been sent (and
 * after the interceptor's `delay`). If it throws or rejects, the exchange
 * fails with `UnknownNetworkError` and a message naming the request.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { type MockReplyCallback, MockTransport } from "@netreply/netreply/testing";
 * const echo: MockReplyCallback = async (call) => {
 *   await new Promise((resolve) => setTimeout(resolve, 1));
 *   return { status: 200, body: `${call.method} ${call.url.pathname}` };
 * };
 * const mock = new MockTransport();
 * mock.intercept({}).reply(echo).persist();
 * await using nam = new NetworkAccessManager({ transport: mock });
 * equal(await nam.get("https://api.test/x").text(), "GET /x");
 * ```
 */
export type MockReplyCallback = (call: MockCall) => MockReplyResult | Promise<MockReplyResult>;

/**
 * Options of {@linkcode MockInterceptor.replyWithError}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * // The server took the request, then closed without answering.
 * mock.intercept({ method: "POST" }).replyWithError(NetworkError.RemoteHostClosedError, undefined, { afterRequestSent: true });
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.post("https://api.test/", "data");
 * const seen: string[] = [];
 * reply.addEventListener("requestSent", () => seen.push("requestSent"));
 * reply.addEventListener("errorOccurred", () => seen.push("errorOccurred"));
 * await reply.done;
 * deepEqual(seen, ["requestSent", "errorOccurred"]);
 * equal(reply.error(), NetworkError.RemoteHostClosedError);
 * ```
 */
export interface MockErrorOptions extends MockConnectionOptions {
  /**
   * Fail after the request was sent (upload progress and `requestSent` come
   * first), e.g. a server that closes instead of answering. Default `false`:
   * fail before anything is sent, e.g. a refused connection.
   */
  readonly afterRequestSent?: boolean;
}

/** A validated chunk of a response body. */
export type PlannedChunk =
  | { readonly kind: "data"; readonly bytes: Uint8Array; readonly delay: number }
  | { readonly kind: "error"; readonly code: NetworkError; readonly message: string; readonly delay: number };

/** A validated response: the head and the body chunks, ready to be played back by one exchange. */
export interface PlannedResponse {
  readonly head: ResponseHead;
  readonly chunks: readonly PlannedChunk[];
  readonly trailers?: HttpHeaders;
}

const encoder = new TextEncoder();

/**
 * Checks a delay in milliseconds.
 *
 * @throws {RangeError} If `ms` is not a finite number >= 0.
 */
export function checkDelay(ms: unknown, what = "delay"): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(
      `Cannot set ${what} to ${String(ms)}: expected a finite number of milliseconds >= 0`,
    );
  }
  return ms;
}

function checkErrorCode(code: unknown): NetworkError {
  if (typeof code !== "number" || !Number.isInteger(code) || code <= 0) {
    throw new TypeError(
      `Cannot reply with error ${String(code)}: expected a NetworkError code other than NoError`,
    );
  }
  return code as NetworkError;
}

/**
 * A validated error chunk, defaulting the message to Qt's text for the code.
 *
 * @throws {TypeError} If `code` is not a NetworkError number other than `NoError`, or `message` is not a string.
 */
export function plannedError(code: unknown, message: unknown, delay: unknown): PlannedChunk {
  const checked = checkErrorCode(code);
  if (message !== undefined && typeof message !== "string") {
    throw new TypeError(
      `Cannot reply with error ${checked}: message must be a string, got ${typeof message}`,
    );
  }
  return {
    kind: "error",
    code: checked,
    message: message ?? defaultErrorString(checked),
    delay: checkDelay(delay ?? 0, "the error's delay"),
  };
}

function toBytes(data: unknown, where: string): Uint8Array {
  if (typeof data === "string") return encoder.encode(data);
  // A copy, so that changing the caller's array later does not change the reply.
  if (data instanceof Uint8Array) return data.slice();
  throw new TypeError(`Cannot use ${where}: expected a string or Uint8Array, got ${typeof data}`);
}

function planChunks(chunks: readonly MockChunk[]): PlannedChunk[] {
  if (!Array.isArray(chunks)) {
    throw new TypeError(`Cannot use body chunks: expected an array, got ${typeof chunks}`);
  }
  return chunks.map((chunk: MockChunk, i): PlannedChunk => {
    const where = `body chunk ${i}`;
    if (typeof chunk === "string" || chunk instanceof Uint8Array) {
      return { kind: "data", bytes: toBytes(chunk, where), delay: 0 };
    }
    if (typeof chunk === "object" && chunk !== null && "error" in chunk) {
      if (i !== chunks.length - 1) {
        throw new TypeError(
          `Cannot use ${where}: an error chunk must be the last chunk, but ${
            chunks.length - 1 - i
          } follow it`,
        );
      }
      return plannedError(chunk.error, chunk.message, chunk.delay);
    }
    if (typeof chunk === "object" && chunk !== null && "data" in chunk) {
      return {
        kind: "data",
        bytes: toBytes(chunk.data, where),
        delay: checkDelay(chunk.delay ?? 0, `the delay of ${where}`),
      };
    }
    throw new TypeError(`Cannot use ${where}: expected a string, Uint8Array, { data } or { error }`);
  });
}

/** The reply's head fields, before a body is attached. */
export interface ReplyHeadInit {
  readonly headers?: HeadersInit | HttpHeaders;
  readonly reasonPhrase?: string;
  readonly http2?: boolean;
  readonly trailers?: HeadersInit | HttpHeaders;
}

/**
 * The names as the user spelled them, parallel to `headers` made from
 * `init`: pairs and records keep their case; `Headers` and `HttpHeaders`
 * already hold lower-case names.
 */
function spelledNames(init: HeadersInit | HttpHeaders | undefined, headers: HttpHeaders): string[] {
  const names = headers.toListOfPairs().map(([name]) => name);
  if (init === undefined || init === null || init instanceof HttpHeaders || init instanceof Headers) {
    return names;
  }
  const given = Array.isArray(init) ? init.map((pair) => String(pair[0])) : Object.keys(init);
  return given.length === names.length ? given : names;
}

/**
 * Validates a reply and plans its head and chunks.
 *
 * @throws {RangeError} If `status` is not an integer from 200 to 999, or a delay is invalid.
 * @throws {TypeError} If the body, a chunk, a header or the reason phrase is invalid.
 */
export function planResponse(status: unknown, body: unknown, init: ReplyHeadInit): PlannedResponse {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 999) {
    throw new RangeError(`Cannot reply with status ${String(status)}: expected an integer from 200 to 999`);
  }
  const headers = new HttpHeaders(init.headers);
  const originalNames = spelledNames(init.headers, headers);
  const trailers = init.trailers === undefined ? undefined : new HttpHeaders(init.trailers);
  const http2 = init.http2 ?? false;
  if (typeof http2 !== "boolean") {
    throw new TypeError(`Cannot reply: http2 must be a boolean, got ${typeof http2}`);
  }
  const phrase = init.reasonPhrase ?? (http2 ? "" : standardReasonPhrase(status));
  if (typeof phrase !== "string" || /[\r\n\0]/.test(phrase)) {
    throw new TypeError(
      `Cannot reply with reason phrase ${JSON.stringify(phrase)}: expected one line of text`,
    );
  }
  let chunks: PlannedChunk[];
  if (body === undefined || body === null) {
    // An empty body still has a length, as a server would send it; 204 and
    // 304 have no body at all.
    if (status !== 204 && status !== 304 && !headers.contains("content-length")) {
      headers.append("content-length", "0");
    }
    chunks = [];
  } else if (typeof body === "string" || body instanceof Uint8Array) {
    const bytes = toBytes(body, "the body");
    if (!headers.contains("content-length")) headers.append("content-length", String(bytes.length));
    chunks = bytes.length === 0 ? [] : [{ kind: "data", bytes, delay: 0 }];
  } else if (typeof body === "object" && "chunks" in body) {
    chunks = planChunks((body as { chunks: readonly MockChunk[] }).chunks);
  } else {
    throw new TypeError(
      `Cannot reply with a body of type ${typeof body}: expected a string, Uint8Array or { chunks }`,
    );
  }
  // Fields added above (content-length) come after the given ones, spelled lower-case.
  for (const [name] of headers.toListOfPairs().slice(originalNames.length)) originalNames.push(name);
  const head: ResponseHead = { status, reasonPhrase: phrase, headers, originalNames, http2 };
  return trailers === undefined ? { head, chunks } : { head, chunks, trailers };
}

/** Validated connection events. */
export interface PlannedConnection {
  readonly connecting: boolean;
  readonly proxyAuthentication?: { readonly proxy: URL; readonly realm: string; readonly scheme: string };
  readonly sslErrors: readonly SslError[];
  readonly encrypted?: SslConfiguration;
}

/**
 * Validates {@linkcode MockConnectionOptions}.
 *
 * @throws {TypeError} If `sslErrors` is not an array, or `proxyAuthentication.proxy` is not a URL.
 */
export function planConnection(options: MockConnectionOptions): PlannedConnection {
  const sslErrors = options.sslErrors ?? [];
  if (!Array.isArray(sslErrors)) {
    throw new TypeError(`Cannot reply: sslErrors must be an array of SslError, got ${typeof sslErrors}`);
  }
  const planned = {
    connecting: options.connecting === true,
    sslErrors: [...sslErrors],
    encrypted: options.encrypted,
  };
  const asked = options.proxyAuthentication;
  if (asked === undefined) return planned;
  if (typeof asked !== "object" || asked === null || !URL.canParse(String(asked.proxy))) {
    throw new TypeError(
      `Cannot reply: proxyAuthentication.proxy must be a URL, got ${JSON.stringify(String(asked?.proxy))}`,
    );
  }
  return {
    ...planned,
    proxyAuthentication: {
      proxy: new URL(String(asked.proxy)),
      realm: String(asked.realm ?? ""),
      scheme: String(asked.scheme ?? "Basic"),
    },
  };
}
