/**
 * {@linkcode ReplyState}: the private object behind a {@linkcode NetworkReply}
 * (Qt's QNetworkReplyPrivate). It holds everything a reply knows, maps a
 * transport's exchange events to Qt's signals in Qt's order, owns the read
 * buffer with its `readBufferSize` backpressure, the progress throttle, the
 * inactivity timer and the finish sequence.
 *
 * The manager drives it (one exchange per hop); the reply facade reads it;
 * nobody else sees it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "../mod.ts";
 * import { MockTransport } from "../testing.ts";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" }).reply(200, "hi");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * equal(await nam.get("http://example.test/").text(), "hi");
 * ```
 *
 * @module
 */

import { Attribute } from "./core/attribute.ts";
import { HttpHeaders } from "./core/http_headers.ts";
import { KnownHeader } from "./core/known_header.ts";
import { knownHeaderName, parseKnownHeader } from "./core/known_header_values.ts";
import { NetworkError, networkErrorForHttpStatus } from "./core/network_error.ts";
import { defaultErrorString } from "./core/network_error_messages.ts";
import { Operation } from "./core/operation.ts";
import type { SslConfiguration, SslError } from "./core/ssl.ts";
import {
  AuthenticationRequiredEvent,
  DownloadProgressEvent,
  ErrorOccurredEvent,
  type NetworkReplyEventMap,
  ProxyAuthenticationRequiredEvent,
  RedirectedEvent,
  RetryEvent,
  SslErrorsEvent,
  UploadProgressEvent,
} from "./events.ts";
import { InactivityTimer } from "./inactivity_timer.ts";
import type { NetworkAccessManager } from "./manager.ts";
import { ReadBuffer } from "./read_buffer.ts";
import type { NetworkReply } from "./reply.ts";
import type { NetworkRequest } from "./request.ts";
import { hasListener } from "./typed_event_target.ts";
import type { ExchangeEvent, ResponseHead, UserQuestion } from "./transport/transport.ts";

/** downloadProgress is dispatched at most this often during a transfer (Qt's rule). */
const DOWNLOAD_PROGRESS_INTERVAL_MS = 100;

/** The fields before a response head, shared by every reply: the state only ever replaces its headers. */
const NO_HEADERS = new HttpHeaders();

/**
 * The manager's connection to its replies' signals: Qt's createRequest()
 * connects the manager's slots to each reply's `finished`, `encrypted` and
 * `sslErrors`, and so does the manager here, once per reply, when it creates
 * it. The reply calls the connection before its own listeners, so the
 * manager's signal comes first. One object per manager, shared by its
 * replies; a reply nobody else listens to builds no event for it.
 */
export interface ReplyObserver {
  /** The reply is finishing: its `finished` follows. */
  finished(reply: NetworkReply): void;
  /** The reply's `encrypted`; it is not dispatched on the reply when this ended the reply. */
  encrypted(reply: NetworkReply): void;
  /** The reply's `sslErrors`; it is not dispatched on the reply when this ended the reply. */
  sslErrors(reply: NetworkReply, errors: readonly SslError[]): void;
}

/** What the manager gives a new reply. */
export interface ReplyInit {
  readonly manager: NetworkAccessManager;
  /** The manager's side of the reply's signals. */
  readonly observer: ReplyObserver;
  /** The request as handed over (a snapshot the reply owns). */
  readonly request: NetworkRequest;
  readonly operation: Operation;
  /** The first hop's URL (the reply keeps it; the caller must not change it). */
  readonly url: URL;
  /** Effective inactivity timeout in ms; 0 = off. */
  readonly transferTimeout: number;
}

type Iterator = AsyncIterator<ExchangeEvent, undefined>;

/** The event for a `next()` that threw or rejected, against the Transport contract. */
function thrownEvent(cause: unknown): ExchangeEvent {
  return { type: "error", code: NetworkError.UnknownNetworkError, message: String(cause), cause };
}

/** The event of one `next()` result; a transport that ends before its last event has failed. */
function eventOf(result: IteratorResult<ExchangeEvent, undefined>): ExchangeEvent {
  if (!result.done) return result.value;
  return {
    type: "error",
    code: NetworkError.UnknownNetworkError,
    message: "The transport ended the exchange early",
  };
}

/** The state of one reply and the state machine between exchange events and Qt's signals. */
export class ReplyState {
  /** The facade the signals are dispatched on. */
  readonly reply: NetworkReply;
  readonly manager: NetworkAccessManager;
  readonly request: NetworkRequest;
  readonly buffer: ReadBuffer = new ReadBuffer();
  readonly attributes: Map<number, unknown> = new Map<number, unknown>()
    .set(Attribute.ConnectionEncryptedAttribute, false);
  operation: Operation;
  url: URL;
  headers: HttpHeaders = NO_HEADERS;
  /** The header names in their original case, parallel to `headers`, where the transport saw them. */
  originalNames: readonly string[] | undefined;
  /** The trailer fields of the body, once it ended with some. */
  trailers: HttpHeaders | undefined;
  error: NetworkError = NetworkError.NoError;
  errorString = "Unknown error";
  /** The runtime's own error behind `error`, where there is one (NetworkReplyError's `cause`). */
  errorCause: unknown;
  finished = false;
  readBufferSize = 0;
  /** The TLS state the transport reported, if any. */
  ssl: SslConfiguration | undefined;
  /** The stream `reply.body` gave out, once asked for. */
  body: ReadableStream<Uint8Array> | undefined;
  readonly #observer: ReplyObserver;
  readonly #controller = new AbortController();
  /** The transfer timeout's timer; the shared one that never arms when the timeout is off (0). */
  readonly #timer: InactivityTimer;
  #bytesReceived = 0;
  #bytesTotal = -1;
  #lastProgressAt = Number.NEGATIVE_INFINITY;
  #ignoreAllSslErrors = false;
  #ignoredSslErrors: readonly SslError[] = [];
  #redirectAllowed = false;
  /**
   * Resolves the promise every current waiter shares (see nextWake); woken on new data, on reads
   * (backpressure), on finish and on redirectAllowed().
   */
  #wakeWaiters: (() => void) | undefined;
  #nextWake: Promise<void> | undefined;
  #done: Promise<NetworkReply> | undefined;
  #resolveDone: ((reply: NetworkReply) => void) | undefined;
  /** The chunks {@linkcode ReplyState.collect} takes as they arrive, until the finish. */
  #collected: Uint8Array[] | undefined;
  #resolveCollected: ((chunks: Uint8Array[]) => void) | undefined;

  /**
   * @param reply The facade this state belongs to.
   * @param init What the manager knows of the request.
   */
  constructor(reply: NetworkReply, init: ReplyInit) {
    this.reply = reply;
    this.manager = init.manager;
    this.#observer = init.observer;
    this.request = init.request;
    this.operation = init.operation;
    this.url = init.url;
    this.#timer = init.transferTimeout > 0
      ? new InactivityTimer(
        init.transferTimeout,
        () => this.end(NetworkError.TimeoutError, defaultErrorString(NetworkError.TimeoutError), true),
      )
      : InactivityTimer.OFF;
  }

  // ---- what the manager drives ----------------------------------------------

  /** Aborted when the reply ends early (abort, close, timeout); passed to transports. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Arms the inactivity timer (the request starts). */
  start(): void {
    this.#timer.touch();
  }

  /**
   * Pumps events up to the response head (dispatching metaDataChanged). A
   * head that `stopAt` picks (a redirect, for the manager to decide on) is
   * returned with its body not yet pumped; any other head's body is pumped to
   * its end in the same loop, and the reply finishes. `undefined` when the
   * reply ended or the body was pumped. Without `stopAt` the head came
   * already: it pumps the body, pulling only while the read buffer is under
   * its limit.
   */
  async pump(events: Iterator, stopAt?: (head: ResponseHead) => boolean): Promise<ResponseHead | undefined> {
    let inBody = stopAt === undefined;
    while (!this.finished) {
      if (inBody && this.#bufferFull()) {
        this.#timer.pause();
        while (!this.finished && this.#bufferFull()) await this.nextWake();
        this.#timer.resume();
        continue;
      }
      let event: ExchangeEvent;
      try {
        event = eventOf(await events.next());
      } catch (cause) {
        event = thrownEvent(cause);
      }
      if (this.finished) return undefined;
      if (inBody) {
        if (!this.#bodyEvent(event)) return undefined;
      } else if (event.type === "ask") {
        await this.#ask(event.question);
      } else {
        const head = this.#headEvent(event);
        if (head === undefined) continue;
        if (head === null || this.finished) return undefined;
        if (stopAt!(head)) return head;
        inBody = true;
      }
    }
    return undefined;
  }

  /**
   * Handles an event before the response head, but a question: the head once
   * it came (metaDataChanged dispatched), `null` when the reply ended, else
   * `undefined` (pump on).
   */
  #headEvent(event: ExchangeEvent): ResponseHead | null | undefined {
    switch (event.type) {
      case "connecting":
        this.#emit("socketStartedConnecting");
        return undefined;
      case "encrypted":
        this.ssl = { ...event.configuration };
        this.#observer.encrypted(this.reply);
        if (!this.finished) this.#emit("encrypted"); // a manager listener that aborted the reply ends the signal there
        return undefined;
      case "uploadProgress":
        this.#timer.touch();
        if (this.#listened("uploadProgress")) {
          this.reply.dispatchEvent(new UploadProgressEvent(event.bytesSent, event.bytesTotal));
        }
        return undefined;
      case "requestSent":
        this.#emit("requestSent");
        return undefined;
      case "retry":
        // The transfer timeout counts afresh from here: a wait longer than it ends the reply with TimeoutError.
        this.#timer.touch();
        if (this.#listened("retry")) {
          this.reply.dispatchEvent(new RetryEvent(event.attempt, event.delay, event.status, event.code));
        }
        return undefined;
      case "responseHead":
        this.#takeHead(event.head);
        this.#emit("metaDataChanged");
        return event.head;
      default:
        this.#failOn(event, "before a response head");
        return null;
    }
  }

  /** Handles an event after the response head: whether to pump on (a chunk) or stop (the end, a failure). */
  #bodyEvent(event: ExchangeEvent): boolean {
    switch (event.type) {
      case "data":
        this.#deliver(event.bytes);
        // Taken once the chunk's signals are out, as a reader woken by the chunk would take it.
        if (this.#collected !== undefined) this.#takeAll(this.#collected);
        return true;
      case "end":
        if (event.trailers !== undefined) this.trailers = event.trailers; // handed over, as the head's fields
        this.#endOfBody();
        return false;
      default:
        this.#failOn(event, "after the response head");
        return false;
    }
  }

  /** Ends the reply on an error event, or on an event the transport must not send where it came (`where`). */
  #failOn(event: ExchangeEvent, where: string): void {
    if (event.type === "error") this.end(event.code, event.message, false, event.cause);
    else this.end(NetworkError.ProtocolFailure, `The transport sent "${event.type}" ${where}`, false);
  }

  /** Moves to a redirect target and dispatches `redirected`. */
  redirect(url: URL, operation: Operation): void {
    this.url = new URL(url.href);
    this.operation = operation;
    this.#redirectAllowed = false;
    this.reply.dispatchEvent(new RedirectedEvent(new URL(url.href)));
  }

  /** Resolves true on `redirectAllowed()`, false when the reply ends first. */
  async waitForRedirectAllowed(): Promise<boolean> {
    while (!this.#redirectAllowed && !this.finished) await this.nextWake();
    return !this.finished;
  }

  /** The user approved a pending redirect. */
  allowRedirect(): void {
    this.#redirectAllowed = true;
    this.wake();
  }

  /** Fails the reply (not inside any user call); `cause` is the runtime's error, if any. */
  fail(code: NetworkError, message: string, cause?: unknown): void {
    this.end(code, message, false, cause);
  }

  /** Ends the reply like `abort()` (unread data dropped, transport signalled) but with `code`. */
  abort(code: NetworkError, message: string): void {
    this.end(code, message, true);
  }

  // ---- TLS ------------------------------------------------------------------

  /** Ignores all TLS errors (`undefined`) or exactly these; an empty list clears. */
  ignoreSslErrors(errors: readonly SslError[] | undefined): void {
    this.#ignoreAllSslErrors = errors === undefined;
    this.#ignoredSslErrors = errors ? [...errors] : [];
  }

  /**
   * The user's answer to a transport's question, read by the transport on
   * the `next()` after the `ask` event: every TLS error ignored, or server
   * or proxy credentials given.
   */
  answer(question: UserQuestion): boolean {
    if (question.kind === "sslErrors") return this.sslErrorsIgnored(question.errors);
    return !question.authenticator.isNull();
  }

  /** Whether the user called `ignoreSslErrors()`, with or without a list, and did not clear it. */
  ignoresSomeSslErrors(): boolean {
    return this.#ignoreAllSslErrors || this.#ignoredSslErrors.length > 0;
  }

  /** Whether the user chose to ignore all of these TLS errors. */
  sslErrorsIgnored(errors: readonly SslError[]): boolean {
    if (this.#ignoreAllSslErrors) return true;
    return errors.length > 0 &&
      errors.every((error) => this.#ignoredSslErrors.some((ignored) => ignored.equals(error)));
  }

  // ---- what the facade reads --------------------------------------------------

  /** Settles (never rejects) after `finished`; made on first use. */
  get done(): Promise<NetworkReply> {
    if (this.#done === undefined) {
      this.#done = this.finished
        ? Promise.resolve(this.reply)
        : new Promise((resolve) => this.#resolveDone = resolve);
    }
    return this.#done;
  }

  /** Removes up to `maxSize` buffered bytes, waking the pump when that makes room. */
  read(maxSize: number): Uint8Array {
    return this.#consumed(this.buffer.read(maxSize));
  }

  /** Removes the next buffered chunk without copying it, or `undefined` when none is buffered. */
  takeChunk(): Uint8Array | undefined {
    const chunk = this.buffer.takeChunk();
    if (chunk !== undefined) this.wake();
    return chunk;
  }

  /**
   * Takes every chunk, the ones buffered now and each one delivered later,
   * and resolves with all of them after `finished` (on a failed reply, the
   * bytes received). What `bytes()`, `text()` and `json()` read: no wake per
   * chunk, and the read buffer never holds them.
   */
  collect(): Promise<Uint8Array[]> {
    const chunks: Uint8Array[] = [];
    this.#takeAll(chunks);
    if (this.finished) return Promise.resolve(chunks);
    this.#collected = chunks;
    return new Promise((resolve) => this.#resolveCollected = resolve);
  }

  /** Changes the read buffer limit (0 = unlimited). */
  setReadBufferSize(size: number): void {
    this.readBufferSize = size;
    this.wake();
  }

  /** Resolves on the next change: data, a read, the finish or a redirect approval. */
  nextWake(): Promise<void> {
    // Waiters until the next wake share one promise: its reactions run in the order they were added,
    // as separate promises resolved in turn would.
    return this.#nextWake ??= new Promise((resolve) => this.#wakeWaiters = resolve);
  }

  /** Wakes everything waiting in {@linkcode ReplyState.nextWake}. */
  wake(): void {
    const wakeWaiters = this.#wakeWaiters;
    if (wakeWaiters === undefined) return;
    this.#wakeWaiters = undefined;
    this.#nextWake = undefined;
    wakeWaiters();
  }

  /** The finish sequence: [errorOccurred] downloadProgress(n, n) readChannelFinished finished. */
  end(code: NetworkError, message: string, discard: boolean, cause?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.#timer.stop();
    if (code !== NetworkError.NoError) {
      this.error = code;
      this.errorString = message;
      this.errorCause = cause;
    }
    if (discard) {
      this.buffer.clear();
      this.#controller.abort(new DOMException(message, "AbortError"));
    }
    this.wake();
    const reply = this.reply;
    if (code !== NetworkError.NoError && this.#listened("errorOccurred")) {
      reply.dispatchEvent(new ErrorOccurredEvent(code));
    }
    if (this.#listened("downloadProgress")) {
      reply.dispatchEvent(new DownloadProgressEvent(this.#bytesReceived, this.#bytesReceived));
    }
    this.#emit("readChannelFinished");
    this.#observer.finished(reply); // the manager's `finished` comes before the reply's
    this.#emit("finished");
    this.#resolveDone?.(reply);
    const collected = this.#collected;
    if (collected !== undefined) {
      this.#collected = undefined;
      this.#takeAll(collected);
      this.#resolveCollected!(collected);
    }
    this.wake();
  }

  // ---- internals ---------------------------------------------------------------

  #listened(type: keyof NetworkReplyEventMap): boolean {
    return hasListener(this.reply, type);
  }

  /** Dispatches a plain signal, unless nobody ever listened to it. */
  #emit(type: keyof NetworkReplyEventMap): void {
    if (this.#listened(type)) this.reply.dispatchEvent(new Event(type));
  }

  #bufferFull(): boolean {
    return this.readBufferSize > 0 && this.buffer.size >= this.readBufferSize;
  }

  /** Moves every buffered chunk to `chunks`, waking the pump when that makes room. */
  #takeAll(chunks: Uint8Array[]): void {
    const buffer = this.buffer;
    if (buffer.size === 0) return;
    for (let chunk = buffer.takeChunk(); chunk !== undefined; chunk = buffer.takeChunk()) chunks.push(chunk);
    this.wake();
  }

  #consumed(bytes: Uint8Array): Uint8Array {
    if (bytes.byteLength > 0) this.wake();
    return bytes;
  }

  /**
   * Puts a transport's question to the user: TLS errors through the reply's
   * `sslErrors` (which the manager repeats), server credentials through the
   * manager's `authenticationRequired`, proxy credentials through its
   * `proxyAuthenticationRequired`, waiting for a promise given to
   * `respondWith()` (the inactivity timer paused meanwhile) or the reply's end.
   */
  async #ask(question: UserQuestion): Promise<void> {
    if (question.kind === "sslErrors") {
      this.#observer.sslErrors(this.reply, question.errors);
      if (!this.finished) this.reply.dispatchEvent(new SslErrorsEvent(question.errors));
      return;
    }
    const event = question.kind === "authentication"
      ? new AuthenticationRequiredEvent(this.reply, question.authenticator)
      : new ProxyAuthenticationRequiredEvent(new URL(question.proxy.href), question.authenticator);
    this.manager.dispatchEvent(event);
    const pending = event.pending;
    if (pending === undefined) return;
    let settled = false;
    const settle = (): void => {
      settled = true;
      this.wake();
    };
    // A rejected promise gives no credentials: the 407 or 401 then fails the reply.
    Promise.resolve(pending).then(settle, settle);
    this.#timer.pause();
    while (!settled && !this.finished) await this.nextWake();
    this.#timer.resume();
  }

  #takeHead(head: ResponseHead): void {
    this.headers = head.headers; // handed over: the transport no longer touches it
    this.originalNames = head.originalNames;
    const attributes = this.attributes;
    attributes.set(Attribute.HttpStatusCodeAttribute, head.status);
    attributes.set(Attribute.HttpReasonPhraseAttribute, head.reasonPhrase);
    attributes.delete(Attribute.RedirectionTargetAttribute);
    attributes.set(Attribute.SourceIsFromCacheAttribute, head.fromCache === true);
    if (head.http2 === undefined) attributes.delete(Attribute.Http2WasUsedAttribute);
    else attributes.set(Attribute.Http2WasUsedAttribute, head.http2);
    if (head.originalContentLength === undefined) {
      attributes.delete(Attribute.OriginalContentLengthAttribute);
    } else attributes.set(Attribute.OriginalContentLengthAttribute, head.originalContentLength);
    const length = this.operation === Operation.HeadOperation ? undefined : parseKnownHeader(
      KnownHeader.ContentLengthHeader,
      this.headers.values(knownHeaderName(KnownHeader.ContentLengthHeader)),
    );
    this.#bytesTotal = typeof length === "number" ? length : -1;
  }

  #deliver(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.buffer.append(bytes);
    this.#bytesReceived += bytes.byteLength;
    this.#timer.touch();
    this.wake();
    this.#emit("readyRead");
    // A cache hit reports its progress once, at the end (the cache-hit sequence, docs/signals.md).
    if (this.finished || !this.#listened("downloadProgress")) return;
    if (this.attributes.get(Attribute.SourceIsFromCacheAttribute) === true) return;
    const now = performance.now(); // monotonic: a wall-clock jump must not stall or flood progress
    if (now - this.#lastProgressAt >= DOWNLOAD_PROGRESS_INTERVAL_MS) {
      this.#lastProgressAt = now;
      this.reply.dispatchEvent(new DownloadProgressEvent(this.#bytesReceived, this.#bytesTotal));
    }
  }

  #endOfBody(): void {
    const status = this.attributes.get(Attribute.HttpStatusCodeAttribute) as number;
    const code = networkErrorForHttpStatus(status);
    if (code === NetworkError.NoError) return this.end(NetworkError.NoError, "", false);
    const reason = this.attributes.get(Attribute.HttpReasonPhraseAttribute) as string;
    const why = reason ? `server replied: ${reason}` : `server replied with status code ${status}`;
    this.end(code, `Error transferring ${this.url.href} - ${why}`, false);
  }
}
