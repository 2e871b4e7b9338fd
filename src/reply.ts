/**
 * {@linkcode NetworkReply}: the reply to one request, a readable facade over
 * its private state (see `reply_state.ts`): Qt's accessors, the sequential
 * read-once byte source and its consuming views.
 *
 * @module
 */

import { Attribute } from "./core/attribute.ts";
import { concatBytes } from "./core/concat_bytes.ts";
import { HttpHeaders } from "./core/http_headers.ts";
import type { KnownHeader } from "./core/known_header.ts";
import {
  type CookieKnownHeader,
  knownHeaderName,
  type KnownHeaderValue,
  parseKnownHeader,
} from "./core/known_header_values.ts";
import type { NetworkCookie } from "./cookie_jar.ts";
import { NetworkError } from "./core/network_error.ts";
import { defaultErrorString } from "./core/network_error_messages.ts";
import type { Operation } from "./core/operation.ts";
import type { SslConfiguration, SslError } from "./core/ssl.ts";
import type { NetworkReplyEventMap } from "./events.ts";
import type { NetworkAccessManager } from "./manager.ts";
import { NetworkReplyError } from "./reply_error.ts";
import { type ReplyInit, ReplyState } from "./reply_state.ts";
import type { NetworkRequest } from "./request.ts";
import { TypedEventTarget } from "./typed_event_target.ts";

const utf8 = new TextDecoder();
/** Proves a construction comes from {@linkcode createReply}. */
const constructionKey = Symbol("NetworkReply construction");

/**
 * Creates a reply and its private state: the manager's only way to make one.
 * The manager keeps the state to drive the reply, and hears its signals through `init.observer`.
 */
export function createReply(init: ReplyInit): { reply: NetworkReply; state: ReplyState } {
  return construct(init);
}
let construct: typeof createReply;

/**
 * The reply to one request: Qt's signals as events in Qt's order, a
 * sequential read-once byte source, attributes and headers of the response.
 *
 * Replies are created by {@linkcode NetworkAccessManager} (`get()`, `post()`,
 * ...), never with `new`. No event is dispatched inside the call that created
 * the reply; `finished` is dispatched exactly once, after at most one
 * `errorOccurred`.
 *
 * @example Read a reply as it arrives
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" }).reply(200, "hello");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("http://example.test/");
 * const trace: string[] = [];
 * for (const type of ["metaDataChanged", "readyRead", "finished"] as const) {
 *   reply.addEventListener(type, () => trace.push(type));
 * }
 * equal(await reply.text(), "hello");
 * equal(trace.join(" "), "metaDataChanged readyRead finished");
 * ```
 */
export class NetworkReply extends TypedEventTarget<NetworkReplyEventMap> {
  readonly #state: ReplyState;
  /** The consuming view that took the body (`"text()"`, `"body"`, ...), once one did. */
  #consumedBy: string | undefined;

  static {
    construct = (init) => {
      const reply = new NetworkReply(constructionKey, init);
      return { reply, state: reply.#state };
    };
  }

  /**
   * Not for users: replies come from {@linkcode NetworkAccessManager}.
   * Throws a TypeError when called directly.
   */
  private constructor(key: symbol, init: ReplyInit) {
    super();
    if (key !== constructionKey) {
      throw new TypeError(
        "Cannot construct NetworkReply directly: use NetworkAccessManager.get() and friends",
      );
    }
    this.#state = new ReplyState(this, init);
  }

  // ---- state -------------------------------------------------------------

  /** The error code; `NoError` until the reply fails. */
  error(): NetworkError {
    return this.#state.error;
  }
  /** A human-readable description of the error; "Unknown error" until one occurs. */
  errorString(): string {
    return this.#state.errorString;
  }
  /** Whether the reply has finished (or was aborted). */
  isFinished(): boolean {
    return this.#state.finished;
  }
  /** Whether the reply is still running. */
  isRunning(): boolean {
    return !this.#state.finished;
  }
  /** The current URL: the redirect target after each followed redirect. */
  url(): URL {
    return new URL(this.#state.url.href);
  }
  /** The request as it was handed over (not updated on redirect). */
  request(): NetworkRequest {
    return this.#state.request.clone();
  }
  /** The operation; it changes when a redirect rewrites the method. */
  operation(): Operation {
    return this.#state.operation;
  }
  /** The manager that created this reply. */
  manager(): NetworkAccessManager {
    return this.#state.manager;
  }
  /**
   * The HTTP status of the last response head (`HttpStatusCodeAttribute`
   * typed): 0 until a head arrived, and for a reply that never got one (a
   * network error).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { NetworkAccessManager } from "@netreply/netreply";
   * import { MockTransport } from "@netreply/netreply/testing";
   *
   * const mock = new MockTransport();
   * mock.intercept({ url: "http://api.test/new" }).reply(201, "made", { reasonPhrase: "Created" });
   * await using nam = new NetworkAccessManager({ transport: mock });
   * const reply = nam.get("http://api.test/new");
   * assert.equal(reply.status, 0);
   * await reply.done;
   * assert.equal(reply.status, 201);
   * assert.equal(reply.statusText, "Created");
   * assert.equal(reply.ok, true);
   * ```
   */
  get status(): number {
    const status = this.#state.attributes.get(Attribute.HttpStatusCodeAttribute);
    return typeof status === "number" ? status : 0;
  }
  /** The reason phrase of the last response head (`HttpReasonPhraseAttribute`); "" without one. */
  get statusText(): string {
    const reason = this.#state.attributes.get(Attribute.HttpReasonPhraseAttribute);
    return typeof reason === "string" ? reason : "";
  }
  /**
   * Whether the status is 2xx and the reply has not failed: unlike
   * `Response.ok`, a body cut short by the network (status 200, then
   * RemoteHostClosedError) makes it false.
   */
  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status <= 299 && this.#state.error === NetworkError.NoError;
  }
  /** A reply attribute (status code, reason phrase, redirect target, ...), or `undefined`. */
  attribute(attribute: Attribute): unknown {
    return this.#state.attributes.get(attribute);
  }
  /** The TLS state used (where the transport can see it), else the request's configuration. */
  sslConfiguration(): SslConfiguration | undefined {
    const ssl = this.#state.ssl;
    return ssl ? { ...ssl } : this.#state.request.sslConfiguration();
  }

  // ---- headers -----------------------------------------------------------

  /** The cooked value of a known header of the response, or `undefined`; Cookie and Set-Cookie give a `NetworkCookie[]`. */
  header(kind: CookieKnownHeader): NetworkCookie[] | undefined;
  /** The cooked value of a known header of the response, or `undefined`. */
  header(kind: KnownHeader): KnownHeaderValue | undefined;
  header(kind: KnownHeader): KnownHeaderValue | undefined {
    return parseKnownHeader(kind, this.#state.headers.values(knownHeaderName(kind)));
  }
  /** All values of `name` joined by ", " (Set-Cookie by "\n"); "" when absent. */
  rawHeader(name: string): string {
    const values = this.#state.headers.values(name);
    return values.join(name.toLowerCase() === "set-cookie" ? "\n" : ", ");
  }
  /** Whether the response has a field named `name` (case-insensitive). */
  hasRawHeader(name: string): boolean {
    return this.#state.headers.contains(name);
  }
  /** Distinct header names in arrival order (lower-case). */
  rawHeaderList(): string[] {
    return [...new Set(this.#state.headers.toListOfPairs().map(([name]) => name))];
  }
  /**
   * Distinct names with their merged values (see {@linkcode NetworkReply.rawHeader}),
   * names lower-case. With `{ originalCase: true }` each name is spelled as
   * it first came on the wire, where the transport sees it (the socket
   * transport; MockTransport as the headers were given); fetch only sees
   * lower-case names, so there the names stay lower-case.
   *
   * @param options `originalCase`: spell names as they came (default `false`).
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual } from "node:assert/strict";
   * import { NetworkAccessManager } from "@netreply/netreply";
   * import { MockTransport } from "@netreply/netreply/testing";
   * const mock = new MockTransport();
   * mock.intercept({ url: "http://example.test/" }).reply(200, "", { headers: [["X-Request-ID", "7"]] });
   * await using nam = new NetworkAccessManager({ transport: mock });
   * const reply = nam.get("http://example.test/");
   * await reply.done;
   * deepEqual(reply.rawHeaderPairs()[0], ["x-request-id", "7"]);
   * deepEqual(reply.rawHeaderPairs({ originalCase: true })[0], ["X-Request-ID", "7"]);
   * ```
   */
  rawHeaderPairs(options?: { readonly originalCase?: boolean }): [string, string][] {
    const original = options?.originalCase === true ? this.#originalCase() : undefined;
    return this.rawHeaderList().map((name) => [original?.get(name) ?? name, this.rawHeader(name)]);
  }
  /**
   * The trailer fields that followed the body (RFC 9110 §6.5), names
   * lower-case (a copy): empty until the reply finished, and when the
   * response had none (fetch never sees trailers).
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { NetworkAccessManager } from "@netreply/netreply";
   * import { MockTransport } from "@netreply/netreply/testing";
   * const mock = new MockTransport();
   * mock.intercept({ url: "http://example.test/" }).reply(200, "data", { trailers: { "server-timing": "db;dur=53" } });
   * await using nam = new NetworkAccessManager({ transport: mock });
   * const reply = nam.get("http://example.test/");
   * await reply.done;
   * equal(reply.trailers().value("server-timing"), "db;dur=53");
   * ```
   */
  trailers(): HttpHeaders {
    const trailers = this.#state.trailers;
    return trailers === undefined || !this.#state.finished ? new HttpHeaders() : new HttpHeaders(trailers);
  }
  /** Lower-case name → the spelling it first came with, or `undefined` when the transport did not see it. */
  #originalCase(): Map<string, string> | undefined {
    const names = this.#state.originalNames;
    if (names === undefined) return undefined;
    const pairs = this.#state.headers.toListOfPairs();
    const spelled = new Map<string, string>();
    for (let i = 0; i < pairs.length && i < names.length; i++) {
      if (!spelled.has(pairs[i][0])) spelled.set(pairs[i][0], names[i]);
    }
    return spelled;
  }
  /** Every field line in order, duplicates kept, names lower-case (a copy). */
  headers(): HttpHeaders {
    return new HttpHeaders(this.#state.headers);
  }

  // ---- sequential reading -----------------------------------------------

  /** Bytes buffered and not yet read. */
  bytesAvailable(): number {
    return this.#state.buffer.size;
  }
  /** Reads and removes up to `maxSize` bytes (all buffered bytes by default). */
  read(maxSize?: number): Uint8Array {
    const buffer = this.#state.buffer;
    return this.#state.read(maxSize ?? buffer.size);
  }
  /** Reads and removes every buffered byte. */
  readAll(): Uint8Array {
    return this.read();
  }
  /** Returns up to `maxSize` buffered bytes without removing them. */
  peek(maxSize: number): Uint8Array {
    return this.#state.buffer.peek(maxSize);
  }
  /**
   * Reads one line including its "\n", at most `maxSize` bytes (no limit when
   * absent or 0, as in Qt); without a complete line, whatever is buffered (up to `maxSize`).
   */
  readLine(maxSize?: number): Uint8Array {
    const buffer = this.#state.buffer;
    const limit = maxSize === undefined || maxSize === 0 ? buffer.size : maxSize;
    const length = buffer.lineLength(limit);
    return this.read(length >= 0 ? length : limit);
  }
  /** Whether a complete line ("\n"-terminated) is buffered. */
  canReadLine(): boolean {
    return this.#state.buffer.lineLength() >= 0;
  }
  /** Whether nothing is buffered and nothing more will arrive. */
  atEnd(): boolean {
    return this.#state.finished && this.#state.buffer.size === 0;
  }
  /** The read buffer limit in bytes; 0 = unlimited (default). */
  readBufferSize(): number {
    return this.#state.readBufferSize;
  }
  /**
   * Limits how many unread bytes the reply holds: at the limit it stops
   * pulling from the transport (and the inactivity timer pauses) until you read.
   */
  setReadBufferSize(size: number): void {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`Cannot set readBufferSize: expected an integer >= 0, got ${size}`);
    }
    this.#state.setReadBufferSize(size);
  }

  // ---- consuming views ---------------------------------------------------

  /**
   * Whether a consuming view (`bytes()`, `text()`, `json()`, `body`,
   * `for await`) has taken the body; a second one throws a TypeError, as
   * with `Response`. `read()` and friends do not count.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { NetworkAccessManager } from "@netreply/netreply";
   * import { MockTransport } from "@netreply/netreply/testing";
   *
   * const mock = new MockTransport();
   * mock.intercept({ url: "http://api.test/" }).reply(200, "once");
   * await using nam = new NetworkAccessManager({ transport: mock });
   * const reply = nam.get("http://api.test/");
   * assert.equal(await reply.text(), "once");
   * assert.equal(reply.bodyUsed, true);
   * await assert.rejects(reply.text(), TypeError);
   * ```
   */
  get bodyUsed(): boolean {
    return this.#consumedBy !== undefined;
  }

  /**
   * The body as a stream: the same bytes as {@linkcode NetworkReply.read}.
   * On a failed reply it delivers the bytes received, then errors with
   * {@linkcode NetworkReplyError}. `body.cancel()` is `close()`. The same
   * stream every time; a TypeError once another consuming view took the body.
   */
  get body(): ReadableStream<Uint8Array> {
    const state = this.#state;
    if (state.body !== undefined) return state.body;
    this.#consume("body");
    // `chunk` is undefined only once the reply finished with nothing left to read.
    const deliver = (
      controller: ReadableStreamDefaultController<Uint8Array>,
      chunk: Uint8Array | undefined,
    ) => {
      if (chunk === undefined) {
        if (state.error === NetworkError.NoError) controller.close();
        else controller.error(this.#failure());
        return;
      }
      controller.enqueue(chunk);
      // A successful end goes with the last chunk, so that the next read settles without another pull.
      // An error waits for that pull: erroring a stream drops the chunks it has queued.
      if (state.finished && state.buffer.size === 0 && state.error === NetworkError.NoError) {
        controller.close();
      }
    };
    state.body = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        const next = this.#nextChunk();
        if (next instanceof Promise) return next.then((chunk) => deliver(controller, chunk));
        deliver(controller, next);
      },
      cancel: () => this.close(),
    }, { highWaterMark: 0 });
    return state.body;
  }

  /**
   * Iterates the body's chunks (see {@linkcode NetworkReply.body}); leaving
   * early closes the reply. A TypeError once another consuming view took the body.
   */
  [Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    this.#consume("for await");
    return this.#chunks();
  }

  async *#chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    let done = false;
    try {
      for (;;) {
        const chunk = await this.#nextChunk();
        if (chunk !== undefined) {
          yield chunk;
          continue;
        }
        done = true;
        if (this.#state.error !== NetworkError.NoError) throw this.#failure();
        return;
      }
    } finally {
      if (!done) this.close();
    }
  }

  /** Settles (never rejects) after `finished`. */
  get done(): Promise<NetworkReply> {
    return this.#state.done;
  }

  /**
   * Reads the whole body as it arrives; rejects with {@linkcode NetworkReplyError}
   * (carrying the body, an HTTP error's included) when the reply fails, and
   * with a TypeError when another consuming view took the body.
   */
  bytes(): Promise<Uint8Array> {
    return this.#collect("bytes()");
  }
  /** The whole body decoded as UTF-8 (see {@linkcode NetworkReply.bytes}). */
  async text(): Promise<string> {
    return utf8.decode(await this.#collect("text()"));
  }
  /** The whole body parsed as JSON (see {@linkcode NetworkReply.bytes}). */
  async json<T = unknown>(): Promise<T> {
    return JSON.parse(utf8.decode(await this.#collect("json()"))) as T;
  }

  #collect(view: string): Promise<Uint8Array> {
    try {
      this.#consume(view);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#state.collect().then((chunks) => this.#whole(chunks));
  }

  /** The collected body as one buffer, or the reply's failure carrying it. */
  #whole(chunks: readonly Uint8Array[]): Uint8Array {
    // A body that came in one chunk (most do) is that chunk.
    const body = chunks.length === 1 ? chunks[0] : concatBytes(chunks);
    if (this.#state.error !== NetworkError.NoError) throw this.#failure(body);
    return body;
  }

  /** Marks the body taken by `view`; a TypeError naming the first view when one already took it. */
  #consume(view: string): void {
    if (this.#consumedBy !== undefined) {
      throw new TypeError(
        `Cannot read the body of ${this.#state.url.href} with ${view}: ${this.#consumedBy} already consumed it`,
      );
    }
    this.#consumedBy = view;
  }

  /** The error a view fails with, once the reply failed. */
  #failure(body?: Uint8Array): NetworkReplyError {
    return new NetworkReplyError(this, { body, cause: this.#state.errorCause });
  }

  // ---- control -----------------------------------------------------------

  /**
   * Aborts now: inside this call it dispatches errorOccurred(OperationCanceledError),
   * downloadProgress, readChannelFinished and finished; unread data is dropped.
   * A no-op after `finished`.
   */
  abort(): void {
    const code = NetworkError.OperationCanceledError;
    this.#state.abort(code, defaultErrorString(code));
  }
  /** Like {@linkcode NetworkReply.abort} before `finished`; after it, a no-op (data stays readable). */
  close(): void {
    this.abort();
  }
  /** Approves a pending redirect under UserVerifiedRedirectPolicy. */
  redirectAllowed(): void {
    this.#state.allowRedirect();
  }
  /**
   * Ignores TLS errors: all of them (no argument), or exactly these (compared
   * with their certificates). An empty list clears. Only transports that can
   * continue past TLS errors honour it (not fetch).
   */
  ignoreSslErrors(errors?: readonly SslError[]): void {
    this.#state.ignoreSslErrors(errors);
  }

  /**
   * The next chunk: a buffered one at once, else a promise of the next one to
   * arrive; `undefined` once the reply finished with nothing left.
   */
  #nextChunk(): Uint8Array | undefined | Promise<Uint8Array | undefined> {
    const state = this.#state;
    const chunk = state.takeChunk();
    if (chunk !== undefined || state.finished) return chunk;
    return state.nextWake().then(() => this.#nextChunk());
  }
}
