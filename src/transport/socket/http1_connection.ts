/**
 * {@linkcode Http1Connection}: one HTTP/1.1 connection (RFC 9112) over a
 * {@linkcode ByteStream}, carrying one exchange at a time for the socket
 * transport's pool.
 *
 * The pool opens the connection (and reports `connecting`, `sslErrors`,
 * `encrypted`), then runs exchanges on it; this class writes the request,
 * reads the response, decodes Content-Encoding where asked, and says
 * afterwards whether the connection may carry another request and whether a
 * failure happened before any response byte (so an idempotent request may
 * be re-sent, as Qt does).
 *
 * @example One GET on a connection
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * import { Http1Connection } from "./http1_connection.ts";
 *
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const served = (async () => {
 *   const conn = await listener.accept();
 *   await conn.read(new Uint8Array(1024));
 *   await conn.write(new TextEncoder().encode("HTTP/1.1 200 Fine\r\nContent-Length: 2\r\n\r\nhi"));
 *   conn.close();
 * })();
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * const connection = new Http1Connection({
 *   read: async () => {
 *     const buffer = new Uint8Array(16384);
 *     const n = await conn.read(buffer);
 *     return n === null ? null : buffer.subarray(0, n);
 *   },
 *   write: async (bytes) => {
 *     for (let offset = 0; offset < bytes.length;) offset += await conn.write(bytes.subarray(offset));
 *   },
 *   close: () => conn.close(),
 * });
 * const events = connection.exchange({
 *   method: "GET", target: "/", host: `127.0.0.1:${listener.addr.port}`, headers: new HttpHeaders(),
 *   body: null, decompress: false, decompressedSafetyCheckThreshold: -1,
 * }, new AbortController().signal);
 * const seen: string[] = [];
 * for (let step = await events.next(); !step.done; step = await events.next()) seen.push(step.value.type);
 * equal(seen.join(" "), "requestSent responseHead data end");
 * equal(connection.reusable, true);
 * connection.close();
 * await served;
 * listener.close();
 * ```
 *
 * @module
 */

import { abortOutcome } from "../../core/abort_reason.ts";
import type { HttpHeaders } from "../../core/http_headers.ts";
import { NetworkError } from "../../core/network_error.ts";
import { defaultErrorString } from "../../core/network_error_messages.ts";
import { acceptEncoding } from "../../http1/accept_encoding.ts";
import { BombGuard } from "../../http1/bomb_guard.ts";
import {
  canDecode,
  type ChunkSource,
  createBodyDecoder,
  DecodingError,
} from "../../http1/content_decoding.ts";
import { type BodyFraming, serializeRequestHead } from "../../http1/request_head.ts";
import {
  type ParsedResponseHead,
  type ResponseParseEvent,
  ResponseParser,
} from "../../http1/response_parser.ts";
import { type ByteStream, classifyStreamError } from "../sockets/socket_opener.ts";
import {
  type ExchangeBody,
  exchangeError,
  type ExchangeErrorEvent,
  type ExchangeEvent,
  fixedBodySize,
  type ResponseHead,
} from "../transport.ts";
import { RequestBodyError, RequestWriter } from "./_request_writer.ts";

/** One request on the wire, as the pool hands it over. */
export interface WireRequest {
  /** The method as sent. */
  readonly method: string;
  /** origin-form or absolute-form (RFC 9112 §3.2), from `requestTarget()`. */
  readonly target: string;
  /** The Host field value, from `hostFieldValue()`. */
  readonly host: string;
  /** The manager's fields (lower-case names); never modified. May include proxy-authorization added by the pool. */
  readonly headers: HttpHeaders;
  /** The body, or `null` for none (then no Content-Length is sent). */
  readonly body: ExchangeBody | null;
  /** Decode Content-Encoding (false when the user set Accept-Encoding: then nothing is decoded). */
  readonly decompress: boolean;
  /** Archive-bomb guard threshold in decoded bytes; -1 = off. */
  readonly decompressedSafetyCheckThreshold: number;
}

type Result = IteratorResult<ExchangeEvent, undefined>;
type ParseError = Extract<ResponseParseEvent, { type: "error" }>;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
const DONE_PROMISE: Promise<Result> = Promise.resolve(DONE);
const REQUEST_SENT: ExchangeEvent = Object.freeze({ type: "requestSent" });
const END_RESULT: Result = Object.freeze({ done: false, value: Object.freeze({ type: "end" }) });
const NO_EVENTS: readonly ResponseParseEvent[] = Object.freeze([]);
const NONE: BodyFraming = Object.freeze({ kind: "none" });
const CHUNKED: BodyFraming = Object.freeze({ kind: "chunked" });
const never = (): boolean => false;
const RESOLVED: Promise<void> = Promise.resolve();

// The phases of an exchange.
const START = 0;
const WRITING = 1;
const READING = 2;
const FINISHED = 3;

let acceptedCodings: string | undefined;

/** What the connection's exchanges share with it. */
interface ConnectionState {
  readonly stream: ByteStream;
  reusable: boolean;
  failedBeforeResponse: boolean;
  exchanges: number;
  closed: boolean;
  /** Whether an exchange is running now. */
  busy: boolean;
}

function closeConnection(state: ConnectionState): void {
  if (state.closed) return;
  state.closed = true;
  state.reusable = false;
  try {
    state.stream.close();
  } catch {
    // Already closed by the peer or the runtime: nothing left to release.
  }
}

function result(value: ExchangeEvent): Result {
  return { done: false, value };
}

function framingOf(body: ExchangeBody | null): BodyFraming {
  if (body === null) return NONE;
  const size = fixedBodySize(body);
  return size < 0 ? CHUNKED : { kind: "length", length: size };
}

/**
 * The header fields to send: the manager's, plus Accept-Encoding for what
 * this connection decodes when it decodes and the user set none (Qt sends
 * one). Not with a Range: an encoded range could not be decoded.
 */
function fieldsToSend(request: WireRequest): Iterable<readonly [string, string]> {
  const headers = request.headers;
  if (!request.decompress || headers.contains("accept-encoding") || headers.contains("range")) return headers;
  const codings = acceptedCodings ??= acceptEncoding(never);
  if (codings === "") return headers;
  const fields: (readonly [string, string])[] = headers.toListOfPairs();
  fields.push(["accept-encoding", codings]);
  return fields;
}

/**
 * The coding netreply decodes this response with, or `undefined` (delivered
 * as it came). Never under a Range: a range of an encoded body does not decode.
 */
function decodingOf(request: WireRequest, head: ParsedResponseHead): string | undefined {
  if (!request.decompress || request.headers.contains("range")) return undefined;
  const value = head.headers.combinedValue("content-encoding");
  if (value === undefined) return undefined;
  const coding = value.trim().toLowerCase();
  // Only a single coding is decoded; a list or an unknown coding passes through (as in Qt).
  return canDecode(coding) ? coding : undefined;
}

/** Whether the request's Connection field has the "close" option. */
function asksToClose(headers: HttpHeaders): boolean {
  const connection = headers.combinedValue("connection");
  return connection !== undefined && /(?:^|,)\s*close\s*(?:,|$)/i.test(connection);
}

/** Thrown through the decoder when the connection fails under it. */
class ConnectionFailure {
  readonly event: ExchangeErrorEvent;
  constructor(event: ExchangeErrorEvent) {
    this.event = event;
  }
}

/**
 * An HTTP/1.1 connection carrying one exchange at a time.
 *
 * Each {@linkcode Http1Connection.exchange} follows the `Transport.exchange`
 * contract minus the connection events: `uploadProgress`* `requestSent`
 * `responseHead` `data`* then `end` or `error`. It never throws, does no I/O
 * before the first `next()`, reads the socket only when `next()` asks for an
 * event (a consumer that stops pulling stops the reads, and TCP then stops
 * the server), closes the connection on abort, on any failure, and on
 * `return()` before the end of the response.
 *
 * Upload progress reports bytes written: a fixed body `(0, total)` first and
 * `(total, total)` last (one `(0, 0)` for an empty body); a stream body
 * `(0, -1)`, running totals, then `(n, n)` (only `(0, 0)` when empty).
 */
export class Http1Connection {
  readonly #state: ConnectionState;

  /**
   * Wraps an open connection; the connection owns the stream from now on.
   *
   * @param stream The connected (and, for https, encrypted) byte stream.
   */
  constructor(stream: ByteStream) {
    this.#state = {
      stream,
      reusable: false,
      failedBeforeResponse: false,
      exchanges: 0,
      closed: false,
      busy: false,
    };
  }

  /**
   * Runs one exchange on this connection. See the class documentation for
   * the events and the rules.
   *
   * @param request The request as it goes on the wire.
   * @param signal Aborts the exchange (and closes the connection).
   */
  exchange(request: WireRequest, signal: AbortSignal): AsyncIterator<ExchangeEvent, undefined> {
    return new Http1Exchange(this.#state, request, signal);
  }

  /** After an exchange ended with `end`: whether the connection may carry another request. */
  get reusable(): boolean {
    return this.#state.reusable && !this.#state.closed;
  }

  /**
   * After an exchange failed: true when the peer closed or reset the
   * connection before any byte of a response arrived (the pool may re-send
   * an idempotent request on another connection).
   */
  get failedBeforeResponse(): boolean {
    return this.#state.failedBeforeResponse;
  }

  /** How many exchanges this connection has carried (0 = fresh). */
  get exchanges(): number {
    return this.#state.exchanges;
  }

  /** Whether the connection is closed (by {@linkcode Http1Connection.close} or after an exchange). */
  get closed(): boolean {
    return this.#state.closed;
  }

  /** Closes the connection (idempotent). A running exchange then fails or ends. */
  close(): void {
    closeConnection(this.#state);
  }
}

/**
 * One exchange as a hand-written async iterator: each `next()` does the
 * work for one event (write a piece of the request, or read until the parser
 * has the next event), so nothing runs between pulls.
 *
 * The exchange is its own abort listener (`handleEvent`), which closes the
 * connection: a pending read or write then settles and the `next()` waiting
 * on it reports the abort. Every way out goes through `#release()`.
 */
class Http1Exchange implements AsyncIterator<ExchangeEvent, undefined> {
  readonly #state: ConnectionState;
  readonly #request: WireRequest;
  readonly #signal: AbortSignal;
  #phase = START;
  #listening = false;
  #writer: RequestWriter | undefined;
  #parser: ResponseParser | undefined;
  #events: readonly ResponseParseEvent[] = NO_EVENTS;
  #index = 0;
  /** Set by the parser's `end` (reusable or not), once seen. */
  #endReusable: boolean | undefined;
  #trailers: HttpHeaders | undefined;
  #decoder: ChunkSource | undefined;
  #guard: BombGuard | undefined;
  #encoded = 0;
  #decoded = 0;
  #wireSeen = 0;

  constructor(state: ConnectionState, request: WireRequest, signal: AbortSignal) {
    this.#state = state;
    this.#request = request;
    this.#signal = signal;
  }

  next(): Promise<Result> {
    if (this.#phase === FINISHED) return DONE_PROMISE;
    if (this.#signal.aborted) return Promise.resolve(this.#aborted());
    try {
      switch (this.#phase) {
        case START:
          return this.#start();
        case WRITING:
          return this.#write();
        default:
          return this.#decoder === undefined ? this.#read() : this.#readDecoded();
      }
    } catch (error) {
      // The phases catch what their I/O throws; this is for the unforeseen, since next() must not reject.
      return Promise.resolve(this.#unexpected(error));
    }
  }

  return(): Promise<Result> {
    if (this.#phase === READING && this.#restIsBuffered()) {
      // Qt reads what is left of a response it stops at (a redirect's body) to keep the connection.
      this.#ended(true);
    } else if (this.#phase !== FINISHED) this.#release(false);
    return DONE_PROMISE;
  }

  /** Whether the rest of the response is already parsed, up to an end that leaves the connection reusable. */
  #restIsBuffered(): boolean {
    const events = this.#events;
    for (let i = this.#index; i < events.length; i++) {
      const event = events[i];
      if (event.type === "end") return event.reusable;
      if (event.type === "error") return false;
    }
    return false;
  }

  /** The abort listener: closing the connection settles whatever I/O is pending. */
  handleEvent(): void {
    if (this.#phase === FINISHED) return;
    this.#writer?.cancel(this.#signal.reason);
    closeConnection(this.#state);
  }

  /** What the decoder reads: the next encoded body bytes, or `null` at the end; throws a ConnectionFailure. */
  async #nextEncoded(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.#endReusable !== undefined || this.#phase === FINISHED) return null;
      const event = this.#index < this.#events.length ? this.#events[this.#index++] : await this.#fill();
      switch (event.type) {
        case "body":
          if (event.bytes.byteLength === 0) continue;
          this.#encoded += event.bytes.byteLength;
          return event.bytes;
        case "end":
          this.#endReusable = event.reusable;
          this.#trailers = event.trailers;
          return null;
        case "error":
          throw new ConnectionFailure(exchangeError(event.code, event.message));
        default:
          continue;
      }
    }
  }

  async #start(): Promise<Result> {
    const state = this.#state;
    const request = this.#request;
    if (state.closed) {
      this.#phase = FINISHED;
      state.failedBeforeResponse = true;
      return result(exchangeError(
        NetworkError.RemoteHostClosedError,
        "Cannot send the request: the connection is already closed",
      ));
    }
    if (state.busy) {
      // The pool's bug, not the connection's: leave the running exchange alone.
      this.#phase = FINISHED;
      return result(exchangeError(
        NetworkError.UnknownNetworkError,
        "Cannot start an exchange: the connection is carrying another one",
      ));
    }
    state.exchanges++;
    state.reusable = false;
    state.failedBeforeResponse = false;
    state.busy = true;
    this.#signal.addEventListener("abort", this);
    this.#listening = true;
    let head: Uint8Array;
    try {
      head = serializeRequestHead(
        request.method,
        request.target,
        request.host,
        fieldsToSend(request),
        framingOf(request.body),
      );
    } catch (error) {
      // An invalid method, target or field (CR, LF or NUL): nothing was sent.
      if (!(error instanceof TypeError)) return this.#unexpected(error);
      return this.#fail(exchangeError(NetworkError.ProtocolInvalidOperationError, error.message, error));
    }
    this.#parser = new ResponseParser({ method: request.method });
    const body = request.body;
    if (body === null) {
      try {
        await state.stream.write(head);
      } catch (error) {
        return this.#writeFailed(error);
      }
      if (this.#phase === FINISHED) return DONE;
      if (this.#signal.aborted) return this.#aborted();
      this.#phase = READING;
      return result(REQUEST_SENT);
    }
    this.#writer = new RequestWriter(state.stream, head, body);
    this.#phase = WRITING;
    return this.#write();
  }

  async #write(): Promise<Result> {
    let event: ExchangeEvent | undefined;
    try {
      event = await (this.#writer as RequestWriter).next();
    } catch (error) {
      return this.#writeFailed(error);
    }
    if (this.#phase === FINISHED) return DONE;
    if (this.#signal.aborted) return this.#aborted();
    if (event !== undefined) return result(event);
    this.#writer = undefined;
    this.#phase = READING;
    return result(REQUEST_SENT);
  }

  /** The next event of an undecoded response: its head, a body chunk, the end, or a failure. */
  async #read(): Promise<Result> {
    for (;;) {
      const event = this.#index < this.#events.length ? this.#events[this.#index++] : await this.#fill();
      if (this.#phase === FINISHED) return DONE;
      switch (event.type) {
        case "body": {
          const bytes = event.bytes;
          if (bytes.byteLength === 0) continue;
          return result({ type: "data", bytes, wireBytes: bytes.byteLength });
        }
        case "head":
          try {
            return result(this.#onHead(event.head));
          } catch (error) {
            return this.#unexpected(error);
          }
        case "end":
          this.#trailers = event.trailers;
          return this.#ended(event.reusable);
        default:
          return this.#fail(exchangeError(event.code, event.message));
      }
    }
  }

  /** One decoded `data` event, or the end, or a failure. */
  async #readDecoded(): Promise<Result> {
    let chunk: Uint8Array | null;
    try {
      chunk = await (this.#decoder as ChunkSource).read();
    } catch (error) {
      if (this.#phase === FINISHED) return DONE;
      if (this.#signal.aborted) return this.#aborted();
      if (error instanceof ConnectionFailure) return this.#fail(error.event);
      if (error instanceof DecodingError) {
        return this.#fail(
          exchangeError(NetworkError.UnknownContentError, `Decompression failed: ${error.message}`, error),
        );
      }
      return this.#unexpected(error);
    }
    if (this.#phase === FINISHED) return DONE;
    if (this.#signal.aborted) return this.#aborted();
    if (chunk === null) return this.#ended(this.#endReusable === true);
    this.#decoded += chunk.byteLength;
    const bomb = this.#guard?.check(this.#decoded, this.#encoded);
    if (bomb !== undefined) return this.#fail(exchangeError(NetworkError.UnknownContentError, bomb));
    const wireBytes = this.#encoded - this.#wireSeen;
    this.#wireSeen = this.#encoded;
    return result({ type: "data", bytes: chunk, wireBytes });
  }

  /** The `responseHead` event (the parser skips 1xx heads), and the decoder when the body is decoded. */
  #onHead(parsed: ParsedResponseHead): ExchangeEvent {
    const request = this.#request;
    const headers = parsed.headers;
    const coding = decodingOf(request, parsed);
    const { status, reasonPhrase } = parsed;
    let head: ResponseHead;
    if (coding === undefined) {
      head = { status, reasonPhrase, headers, originalNames: parsed.originalNames, http2: false };
    } else {
      // Qt: the body is delivered decoded, so its encoded length leaves the headers (and its names).
      const originalNames = parsed.originalNames.filter((_, i) => headers.nameAt(i) !== "content-length");
      headers.removeAll("content-length");
      const length = parsed.contentLength;
      head = length < 0
        ? { status, reasonPhrase, headers, originalNames, http2: false }
        : { status, reasonPhrase, headers, originalNames, originalContentLength: length, http2: false };
      const threshold = request.decompressedSafetyCheckThreshold;
      if (threshold >= 0) this.#guard = new BombGuard(threshold, coding);
      // Releasing the exchange releases the connection: the source needs no cancel of its own.
      this.#decoder = createBodyDecoder({ read: () => this.#nextEncoded(), cancel: () => RESOLVED }, coding);
    }
    return { type: "responseHead", head };
  }

  /**
   * Reads one chunk from the connection and feeds the parser; returns the
   * first event it produced (reading again while it produced none), or the
   * failure as a parser-style error event.
   */
  async #fill(): Promise<ResponseParseEvent> {
    const parser = this.#parser as ResponseParser;
    for (;;) {
      let chunk: Uint8Array | null;
      try {
        chunk = await this.#state.stream.read();
      } catch (error) {
        if (this.#phase === FINISHED || this.#signal.aborted) return this.#abortedParseError();
        const { code, message } = classifyStreamError(error);
        if (!parser.started && code === NetworkError.RemoteHostClosedError) {
          this.#state.failedBeforeResponse = true;
        }
        return { type: "error", code, message };
      }
      if (this.#phase === FINISHED || this.#signal.aborted) return this.#abortedParseError();
      let events: readonly ResponseParseEvent[];
      if (chunk === null) {
        if (!parser.started) {
          // Qt re-sends an idempotent request when a connection breaks before the response.
          this.#state.failedBeforeResponse = true;
          return closedEvent();
        }
        events = parser.finish();
        if (events.length === 0) return closedEvent();
      } else {
        events = parser.push(chunk);
        if (events.length === 0) continue;
      }
      this.#events = events;
      this.#index = 1;
      return events[0];
    }
  }

  /** Stands in for the next event once the exchange was aborted or released under a read. */
  #abortedParseError(): ParseError {
    const { code, message } = abortOutcome(this.#signal.reason);
    return { type: "error", code, message };
  }

  #writeFailed(error: unknown): Result {
    if (this.#phase === FINISHED) return DONE;
    if (this.#signal.aborted) return this.#aborted();
    if (error instanceof RequestBodyError) {
      return this.#fail(exchangeError(
        NetworkError.UnknownNetworkError,
        `Cannot send the request body: reading its stream failed: ${error.message}`,
        error.cause,
      ));
    }
    const { code, message } = classifyStreamError(error);
    // The peer closed before it answered anything: Qt re-sends idempotent requests then.
    if (code === NetworkError.RemoteHostClosedError) this.#state.failedBeforeResponse = true;
    return this.#fail(exchangeError(code, message, error));
  }

  #ended(parserReusable: boolean): Result {
    // A request that said "Connection: close" ends the connection too (RFC 9112 §9.6).
    const reusable = parserReusable && (this.#parser as ResponseParser).leftover === 0 &&
      !asksToClose(this.#request.headers);
    this.#release(reusable);
    this.#state.reusable = reusable;
    const trailers = this.#trailers;
    return trailers === undefined ? END_RESULT : result({ type: "end", trailers });
  }

  #aborted(): Result {
    const reason = this.#signal.reason;
    const { code, message } = abortOutcome(reason);
    return this.#fail(exchangeError(code, message, reason));
  }

  #unexpected(error: unknown): Result {
    const text = error instanceof Error ? error.message : String(error);
    return this.#fail(
      exchangeError(NetworkError.UnknownNetworkError, `The HTTP/1.1 connection failed: ${text}`, error),
    );
  }

  #fail(event: ExchangeErrorEvent): Result {
    if (this.#phase === FINISHED) return DONE;
    this.#release(false);
    return result(event);
  }

  /** Ends the exchange: unlinks the signal, stops a stream body, closes the connection unless it is kept. */
  #release(keepConnection: boolean): void {
    this.#phase = FINISHED;
    this.#state.busy = false;
    if (this.#listening) {
      this.#listening = false;
      this.#signal.removeEventListener("abort", this);
    }
    this.#writer?.cancel();
    this.#writer = undefined;
    this.#events = NO_EVENTS;
    // Stops the decoder's stream machinery; its source is this exchange, already released.
    this.#decoder?.cancel();
    if (!keepConnection) closeConnection(this.#state);
  }
}

function closedEvent(): ParseError {
  return {
    type: "error",
    code: NetworkError.RemoteHostClosedError,
    message: defaultErrorString(NetworkError.RemoteHostClosedError),
  };
}
