/**
 * {@linkcode NetworkReply}: the state machine between a transport's exchange
 * events and Qt's signals, the sequential read buffer with `readBufferSize`
 * backpressure, progress throttling, the inactivity timer and abort.
 *
 * @module
 */

import { Attribute } from "./core/attribute.ts";
import { HttpHeaders } from "./core/http_headers.ts";
import { KnownHeader } from "./core/known_header.ts";
import { knownHeaderName, type KnownHeaderValue, parseKnownHeader } from "./core/known_header_values.ts";
import { NetworkError, networkErrorForHttpStatus } from "./core/network_error.ts";
import { defaultErrorString } from "./core/network_error_messages.ts";
import { Operation } from "./core/operation.ts";
import type { SslConfiguration, SslError } from "./core/ssl.ts";
import {
  DownloadProgressEvent,
  ErrorOccurredEvent,
  type NetworkReplyEventMap,
  RedirectedEvent,
  ReplyEvent,
  SslErrorsEvent,
  UploadProgressEvent,
} from "./events.ts";
import { InactivityTimer } from "./inactivity_timer.ts";
import { TypedEventTarget } from "./typed_event_target.ts";
import type { NetworkAccessManager } from "./manager.ts";
import { ReadBuffer } from "./read_buffer.ts";
import { NetworkReplyError } from "./reply_error.ts";
import type { NetworkRequest } from "./request.ts";
import type { ExchangeEvent, ResponseHead } from "./transport/transport.ts";
import { concatBytes } from "./core/concat_bytes.ts";

/** downloadProgress is dispatched at most this often during a transfer (Qt's rule). */
const DOWNLOAD_PROGRESS_INTERVAL_MS = 100;

/** What the manager gives a new reply. */
export interface ReplyInit {
  readonly manager: NetworkAccessManager;
  /** The request as handed over (a snapshot). */
  readonly request: NetworkRequest;
  readonly operation: Operation;
  readonly url: URL;
  /** Effective inactivity timeout in ms; 0 = off. */
  readonly transferTimeout: number;
  /** Called inside the finish sequence, right before the reply's own `finished`. */
  readonly onFinished: (reply: NetworkReply) => void;
}

/** The manager's handle on a reply: feeds it exchange events and policy outcomes. */
export interface ReplyControl {
  /** Aborted when the reply ends early (abort, close, timeout); passed to transports. */
  readonly signal: AbortSignal;
  /** Arms the inactivity timer (the request starts). */
  start(): void;
  /** Pumps events up to the response head (dispatching metaDataChanged); `undefined` when the reply ended. */
  pumpHead(events: AsyncIterator<ExchangeEvent, undefined>): Promise<ResponseHead | undefined>;
  /** Pumps the body to its end and finishes the reply. */
  pumpBody(events: AsyncIterator<ExchangeEvent, undefined>): Promise<void>;
  /** Moves to a redirect target and dispatches `redirected`. */
  redirect(url: URL, operation: Operation): void;
  /** Resolves true on `redirectAllowed()`, false when the reply ends first. */
  waitForRedirectAllowed(): Promise<boolean>;
  /** Fails the reply (not inside any user call). */
  fail(code: NetworkError, message: string): void;
  /** Ends the reply like `abort()` (unread data dropped, transport signalled) but with `code`. */
  abort(code: NetworkError, message: string): void;
  /** Moves `url()` without a redirect (Qt's quirk before an insecure-redirect error). */
  setUrl(url: URL): void;
  setAttribute(attribute: Attribute, value: unknown): void;
  /** Whether the user chose to ignore all of these TLS errors. */
  sslErrorsIgnored(errors: readonly SslError[]): boolean;
  isFinished(): boolean;
}

const controls = new WeakMap<NetworkReply, ReplyControl>();
let pendingInit: ReplyInit | undefined;

/** Creates a reply and its control handle (the manager's only way to make one). */
export function createReply(init: ReplyInit): { reply: NetworkReply; control: ReplyControl } {
  pendingInit = init;
  try {
    const reply = new NetworkReply();
    return { reply, control: controls.get(reply)! };
  } finally {
    pendingInit = undefined;
  }
}

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
 * console.log(await reply.text()); // hello
 * console.log(trace.join(" ")); // metaDataChanged readyRead finished
 * ```
 */
export class NetworkReply extends TypedEventTarget<NetworkReplyEventMap> {
  readonly #manager: NetworkAccessManager;
  readonly #request: NetworkRequest;
  readonly #onFinished: (reply: NetworkReply) => void;
  readonly #controller = new AbortController();
  readonly #timer: InactivityTimer;
  readonly #buffer = new ReadBuffer();
  readonly #attributes = new Map<number, unknown>([[Attribute.ConnectionEncryptedAttribute, false]]);
  #operation: Operation;
  #url: URL;
  #headers = new HttpHeaders();
  #error: NetworkError = NetworkError.NoError;
  #errorString = "Unknown error";
  #finished = false;
  #readBufferSize = 0;
  #bytesReceived = 0;
  #bytesTotal = -1;
  #lastProgressAt = Number.NEGATIVE_INFINITY;
  #ssl: SslConfiguration | undefined;
  #ignoreAllSslErrors = false;
  #ignoredSslErrors: readonly SslError[] = [];
  /** Woken on new data, on reads (backpressure), on finish and on redirectAllowed(). */
  #wakers: (() => void)[] = [];
  #redirectAllowed = false;
  #body: ReadableStream<Uint8Array> | undefined;
  readonly #done: Promise<NetworkReply>;
  #resolveDone!: (reply: NetworkReply) => void;

  /**
   * Not for users: replies come from {@linkcode NetworkAccessManager}.
   * Throws a TypeError when called directly.
   */
  constructor() {
    super();
    const init = pendingInit;
    if (init === undefined) {
      throw new TypeError(
        "Cannot construct NetworkReply directly: use NetworkAccessManager.get() and friends",
      );
    }
    this.#manager = init.manager;
    this.#request = init.request;
    this.#operation = init.operation;
    this.#url = new URL(init.url.href);
    this.#onFinished = init.onFinished;
    this.#timer = new InactivityTimer(
      init.transferTimeout,
      () => this.#end(NetworkError.TimeoutError, defaultErrorString(NetworkError.TimeoutError), true),
    );
    this.#done = new Promise((resolve) => this.#resolveDone = resolve);
    controls.set(this, {
      signal: this.#controller.signal,
      start: () => this.#timer.touch(),
      pumpHead: (events) => this.#pumpHead(events),
      pumpBody: (events) => this.#pumpBody(events),
      redirect: (url, operation) => {
        this.#url = new URL(url.href);
        this.#operation = operation;
        this.#redirectAllowed = false;
        this.dispatchEvent(new RedirectedEvent(new URL(url.href)));
      },
      waitForRedirectAllowed: async () => {
        while (!this.#redirectAllowed && !this.#finished) await this.#nextWake();
        return !this.#finished;
      },
      fail: (code, message) => this.#end(code, message, false),
      abort: (code, message) => this.#end(code, message, true),
      setUrl: (url) => this.#url = new URL(url.href),
      setAttribute: (attribute, value) => this.#attributes.set(attribute, value),
      sslErrorsIgnored: (errors) => this.#sslErrorsIgnored(errors),
      isFinished: () => this.#finished,
    });
  }

  // ---- state -------------------------------------------------------------

  /** The error code; `NoError` until the reply fails. */
  error(): NetworkError {
    return this.#error;
  }
  /** A human-readable description of the error; "Unknown error" until one occurs. */
  errorString(): string {
    return this.#errorString;
  }
  /** Whether the reply has finished (or was aborted). */
  isFinished(): boolean {
    return this.#finished;
  }
  /** Whether the reply is still running. */
  isRunning(): boolean {
    return !this.#finished;
  }
  /** The current URL: the redirect target after each followed redirect. */
  url(): URL {
    return new URL(this.#url.href);
  }
  /** The request as it was handed over (not updated on redirect). */
  request(): NetworkRequest {
    return this.#request.clone();
  }
  /** The operation; it changes when a redirect rewrites the method. */
  operation(): Operation {
    return this.#operation;
  }
  /** The manager that created this reply. */
  manager(): NetworkAccessManager {
    return this.#manager;
  }
  /** A reply attribute (status code, reason phrase, redirect target, ...), or `undefined`. */
  attribute(attribute: Attribute): unknown {
    return this.#attributes.get(attribute);
  }
  /** The TLS state used (where the transport can see it), else the request's configuration. */
  sslConfiguration(): SslConfiguration | undefined {
    return this.#ssl ? { ...this.#ssl } : this.#request.sslConfiguration();
  }

  // ---- headers -----------------------------------------------------------

  /** The cooked value of a known header of the response, or `undefined`. */
  header(kind: KnownHeader): KnownHeaderValue | undefined {
    return parseKnownHeader(kind, this.#headers.values(knownHeaderName(kind)));
  }
  /** All values of `name` joined by ", " (Set-Cookie by "\n"); "" when absent. */
  rawHeader(name: string): string {
    const values = this.#headers.values(name);
    return values.join(name.toLowerCase() === "set-cookie" ? "\n" : ", ");
  }
  /** Whether the response has a field named `name` (case-insensitive). */
  hasRawHeader(name: string): boolean {
    return this.#headers.contains(name);
  }
  /** Distinct header names in arrival order (lower-case). */
  rawHeaderList(): string[] {
    return [...new Set(this.#headers.toListOfPairs().map(([name]) => name))];
  }
  /** Distinct names with their merged values (see {@linkcode NetworkReply.rawHeader}). */
  rawHeaderPairs(): [string, string][] {
    return this.rawHeaderList().map((name) => [name, this.rawHeader(name)]);
  }
  /** Every field line in order, duplicates kept, names lower-case (a copy). */
  headers(): HttpHeaders {
    return new HttpHeaders(this.#headers);
  }

  // ---- sequential reading -----------------------------------------------

  /** Bytes buffered and not yet read. */
  bytesAvailable(): number {
    return this.#buffer.size;
  }
  /** Reads and removes up to `maxSize` bytes (all buffered bytes by default). */
  read(maxSize?: number): Uint8Array {
    return this.#consumed(this.#buffer.read(maxSize ?? this.#buffer.size));
  }
  /** Reads and removes every buffered byte. */
  readAll(): Uint8Array {
    return this.read();
  }
  /** Returns up to `maxSize` buffered bytes without removing them. */
  peek(maxSize: number): Uint8Array {
    return this.#buffer.peek(maxSize);
  }
  /**
   * Reads one line including its "\n", at most `maxSize` bytes (no limit when
   * absent or 0, as in Qt); without a complete line, whatever is buffered (up to `maxSize`).
   */
  readLine(maxSize?: number): Uint8Array {
    const limit = maxSize === undefined || maxSize === 0 ? this.#buffer.size : maxSize;
    const length = this.#buffer.lineLength(limit);
    return this.read(length >= 0 ? length : limit);
  }
  /** Whether a complete line ("\n"-terminated) is buffered. */
  canReadLine(): boolean {
    return this.#buffer.lineLength() >= 0;
  }
  /** Whether nothing is buffered and nothing more will arrive. */
  atEnd(): boolean {
    return this.#finished && this.#buffer.size === 0;
  }
  /** The read buffer limit in bytes; 0 = unlimited (default). */
  readBufferSize(): number {
    return this.#readBufferSize;
  }
  /**
   * Limits how many unread bytes the reply holds: at the limit it stops
   * pulling from the transport (and the inactivity timer pauses) until you read.
   */
  setReadBufferSize(size: number): void {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`Cannot set readBufferSize: expected an integer >= 0, got ${size}`);
    }
    this.#readBufferSize = size;
    this.#wake();
  }

  // ---- consuming views ---------------------------------------------------

  /**
   * The body as a stream: the same bytes as {@linkcode NetworkReply.read}.
   * On a failed reply it delivers the bytes received, then errors with
   * {@linkcode NetworkReplyError}. `body.cancel()` is `close()`.
   */
  get body(): ReadableStream<Uint8Array> {
    this.#body ??= new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          if (this.#buffer.size > 0) return controller.enqueue(this.read());
          if (this.#finished) {
            if (this.#error === NetworkError.NoError) return controller.close();
            return controller.error(new NetworkReplyError(this));
          }
          await this.#nextWake();
        }
      },
      cancel: () => this.close(),
    }, { highWaterMark: 0 });
    return this.#body;
  }

  /** Iterates the body's chunks (see {@linkcode NetworkReply.body}); leaving early closes the reply. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    const reader = this.body.getReader();
    let done = false;
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) {
          done = true;
          return;
        }
        yield next.value;
      }
    } finally {
      if (!done) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }

  /** Settles (never rejects) after `finished`. */
  get done(): Promise<NetworkReply> {
    return this.#done;
  }

  /** Reads the whole body as it arrives; rejects with {@linkcode NetworkReplyError} when the reply fails. */
  async bytes(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this) chunks.push(chunk);
    return concatBytes(chunks);
  }
  /** The whole body decoded as UTF-8 (see {@linkcode NetworkReply.bytes}). */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }
  /** The whole body parsed as JSON (see {@linkcode NetworkReply.bytes}). */
  async json<T = unknown>(): Promise<T> {
    return JSON.parse(await this.text()) as T;
  }

  // ---- control -----------------------------------------------------------

  /**
   * Aborts now: inside this call it dispatches errorOccurred(OperationCanceledError),
   * downloadProgress, readChannelFinished and finished; unread data is dropped.
   * A no-op after `finished`.
   */
  abort(): void {
    const code = NetworkError.OperationCanceledError;
    this.#end(code, defaultErrorString(code), true);
  }
  /** Like {@linkcode NetworkReply.abort} before `finished`; after it, a no-op (data stays readable). */
  close(): void {
    this.abort();
  }
  /** Approves a pending redirect under UserVerifiedRedirectPolicy. */
  redirectAllowed(): void {
    this.#redirectAllowed = true;
    this.#wake();
  }
  /**
   * Ignores TLS errors: all of them (no argument), or exactly these (compared
   * with their certificates). An empty list clears. Only transports that can
   * continue past TLS errors honour it (not fetch).
   */
  ignoreSslErrors(errors?: readonly SslError[]): void {
    this.#ignoreAllSslErrors = errors === undefined;
    this.#ignoredSslErrors = errors ? [...errors] : [];
  }

  // ---- internals -----------------------------------------------------------

  #sslErrorsIgnored(errors: readonly SslError[]): boolean {
    if (this.#ignoreAllSslErrors) return true;
    return errors.length > 0 &&
      errors.every((error) => this.#ignoredSslErrors.some((ignored) => ignored.equals(error)));
  }

  #consumed(bytes: Uint8Array): Uint8Array {
    if (bytes.byteLength > 0) this.#wake();
    return bytes;
  }

  #wake(): void {
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }

  #nextWake(): Promise<void> {
    return new Promise((resolve) => this.#wakers.push(resolve));
  }

  async #next(events: AsyncIterator<ExchangeEvent, undefined>): Promise<ExchangeEvent> {
    try {
      const result = await events.next();
      if (!result.done) return result.value;
      return {
        type: "error",
        code: NetworkError.UnknownNetworkError,
        message: "The transport ended the exchange early",
      };
    } catch (cause) {
      return { type: "error", code: NetworkError.UnknownNetworkError, message: String(cause), cause };
    }
  }

  async #pumpHead(events: AsyncIterator<ExchangeEvent, undefined>): Promise<ResponseHead | undefined> {
    while (!this.#finished) {
      const event = await this.#next(events);
      if (this.#finished) return undefined;
      switch (event.type) {
        case "connecting":
          this.dispatchEvent(new Event("socketStartedConnecting"));
          break;
        case "sslErrors":
          this.#manager.dispatchEvent(new SslErrorsEvent(event.errors, this));
          if (!this.#finished) this.dispatchEvent(new SslErrorsEvent(event.errors));
          break;
        case "encrypted":
          this.#ssl = { ...event.configuration };
          this.#manager.dispatchEvent(new ReplyEvent("encrypted", this));
          if (!this.#finished) this.dispatchEvent(new Event("encrypted"));
          break;
        case "uploadProgress":
          this.#timer.touch();
          this.dispatchEvent(new UploadProgressEvent(event.bytesSent, event.bytesTotal));
          break;
        case "requestSent":
          this.dispatchEvent(new Event("requestSent"));
          break;
        case "responseHead":
          this.#takeHead(event.head);
          this.dispatchEvent(new Event("metaDataChanged"));
          return this.#finished ? undefined : event.head;
        case "error":
          this.#end(event.code, event.message, false);
          return undefined;
        default:
          this.#end(
            NetworkError.ProtocolFailure,
            `The transport sent "${event.type}" before a response head`,
            false,
          );
          return undefined;
      }
    }
    return undefined;
  }

  #takeHead(head: ResponseHead): void {
    this.#headers = new HttpHeaders(head.headers);
    this.#attributes.set(Attribute.HttpStatusCodeAttribute, head.status);
    this.#attributes.set(Attribute.HttpReasonPhraseAttribute, head.reasonPhrase);
    this.#attributes.delete(Attribute.RedirectionTargetAttribute);
    if (head.http2 === undefined) this.#attributes.delete(Attribute.Http2WasUsedAttribute);
    else this.#attributes.set(Attribute.Http2WasUsedAttribute, head.http2);
    if (head.originalContentLength === undefined) {
      this.#attributes.delete(Attribute.OriginalContentLengthAttribute);
    } else this.#attributes.set(Attribute.OriginalContentLengthAttribute, head.originalContentLength);
    const length = this.header(KnownHeader.ContentLengthHeader);
    this.#bytesTotal = typeof length === "number" && this.#operation !== Operation.HeadOperation
      ? length
      : -1;
  }

  async #pumpBody(events: AsyncIterator<ExchangeEvent, undefined>): Promise<void> {
    while (!this.#finished) {
      if (this.#readBufferSize > 0 && this.#buffer.size >= this.#readBufferSize) {
        this.#timer.pause();
        while (!this.#finished && this.#readBufferSize > 0 && this.#buffer.size >= this.#readBufferSize) {
          await this.#nextWake();
        }
        this.#timer.resume();
        continue;
      }
      const event = await this.#next(events);
      if (this.#finished) return;
      switch (event.type) {
        case "data":
          this.#deliver(event.bytes);
          break;
        case "end":
          this.#endOfBody();
          return;
        case "error":
          this.#end(event.code, event.message, false);
          return;
        default:
          this.#end(
            NetworkError.ProtocolFailure,
            `The transport sent "${event.type}" after the response head`,
            false,
          );
          return;
      }
    }
  }

  #deliver(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.#buffer.append(bytes);
    this.#bytesReceived += bytes.byteLength;
    this.#timer.touch();
    this.#wake();
    this.dispatchEvent(new Event("readyRead"));
    if (this.#finished) return;
    const now = performance.now(); // monotonic: a wall-clock jump must not stall or flood progress
    if (now - this.#lastProgressAt >= DOWNLOAD_PROGRESS_INTERVAL_MS) {
      this.#lastProgressAt = now;
      this.dispatchEvent(new DownloadProgressEvent(this.#bytesReceived, this.#bytesTotal));
    }
  }

  #endOfBody(): void {
    const status = this.#attributes.get(Attribute.HttpStatusCodeAttribute) as number;
    const code = networkErrorForHttpStatus(status);
    if (code === NetworkError.NoError) return this.#end(NetworkError.NoError, "", false);
    const reason = this.#attributes.get(Attribute.HttpReasonPhraseAttribute) as string;
    const why = reason ? `server replied: ${reason}` : `server replied with status code ${status}`;
    this.#end(code, `Error transferring ${this.#url.href} - ${why}`, false);
  }

  /** The finish sequence: [errorOccurred] downloadProgress(n, n) readChannelFinished manager finished, finished. */
  #end(code: NetworkError, message: string, discard: boolean): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#timer.stop();
    if (code !== NetworkError.NoError) {
      this.#error = code;
      this.#errorString = message;
    }
    if (discard) {
      this.#buffer.clear();
      this.#controller.abort(new DOMException(message, "AbortError"));
    }
    this.#wake();
    if (code !== NetworkError.NoError) this.dispatchEvent(new ErrorOccurredEvent(code));
    this.dispatchEvent(new DownloadProgressEvent(this.#bytesReceived, this.#bytesReceived));
    this.dispatchEvent(new Event("readChannelFinished"));
    this.#onFinished(this);
    this.dispatchEvent(new Event("finished"));
    this.#resolveDone(this);
    this.#wake();
  }
}
