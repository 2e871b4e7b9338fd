/**
 * {@linkcode FetchTransport}: the default transport, one `fetch()` per hop
 * on whatever runtime netreply runs on (Deno, Bun, Node, Cloudflare Workers).
 *
 * @module
 */

import { abortOutcome } from "../../core/abort_reason.ts";
import { NetworkError } from "../../core/network_error.ts";
import { toByteString } from "../../core/http_headers.ts";
import { classifyRuntimeError, type FailurePhase } from "../../core/runtime_error_classification.ts";
import { EventQueue } from "../event_queue.ts";
import {
  exchangeError,
  type ExchangeErrorEvent,
  type ExchangeEvent,
  type ExchangeRequest,
  fixedBodySize,
  type Transport,
} from "../transport.ts";
import { acceptEncoding } from "../../http1/accept_encoding.ts";
import { BombGuard } from "../../http1/bomb_guard.ts";
import { DecodingError } from "../../http1/content_decoding.ts";
import { type BodySource, createBodySource, type DecodingPlan, planDecoding } from "./decoding.ts";
import { type EnvironmentReader, memoizedProcessEnvironment } from "../environment_proxy.ts";
import { HttpClientCache } from "./http_clients.ts";
import { contentLength, responseHead } from "./response_head.ts";
import { detectRuntime, runtimeDecodes, runtimeDecodesRequest, type RuntimeName } from "./runtime.ts";
import { runtimeOptions, SOCKET_TRANSPORT_HINT } from "./runtime_options.ts";
import { prepareUpload } from "./upload.ts";

import type { FetchTransportOptions } from "../builtin_transports.ts";

/** What happens while fetch() is pending with a stream body: progress, then the response or a failure. */
type Step =
  | { readonly kind: "progress"; readonly sent: number; readonly total: number }
  | { readonly kind: "response"; readonly response: Response }
  | { readonly kind: "failure"; readonly error: unknown };

// A consumer that falls behind an upload sees the latest count, not a backlog;
// the opening (0, -1) is kept so progress always starts at zero.
function mergeProgress(last: Step, next: Step): Step | undefined {
  return last.kind === "progress" && next.kind === "progress" && last.sent > 0 ? next : undefined;
}

// Methods the Fetch standard forbids (byte-case-insensitively).
const forbiddenMethods: ReadonlySet<string> = new Set(["CONNECT", "TRACE", "TRACK"]);
const bodylessMethods: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/**
 * Bodies of a known length up to this size that nobody decodes are read into
 * one buffer of their length (one chunk on Deno, whose reads are at most
 * 64 KiB), not through the counting stream.
 */
const SMALL_BODY_LIMIT = 64 * 1024;

type Result = IteratorResult<ExchangeEvent, undefined>;

/** Field names an object would order before the others (array indices). */
const INTEGER_LIKE = /^\d+$/;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
const REQUEST_SENT: ExchangeEvent = Object.freeze({ type: "requestSent" });
const END: ExchangeEvent = Object.freeze({ type: "end" });
const END_RESULT: Result = Object.freeze({ done: false, value: END });
const RESOLVED: Promise<void> = Promise.resolve();
const RETURNED: Promise<Result> = Promise.resolve(DONE);
const ignore = (): void => {};
const neverDecodes = (): boolean => false;

// The phases of an exchange.
const START = 0;
const AWAITING_RESPONSE = 1;
const READING_BODY = 2;
const FINISHED = 3;

function progress(sent: number, total: number): ExchangeEvent {
  return { type: "uploadProgress", bytesSent: sent, bytesTotal: total };
}

function abortedEvent(reason: unknown): ExchangeErrorEvent {
  const { code, message } = abortOutcome(reason);
  return exchangeError(code, message, reason);
}

function unexpected(error: unknown): ExchangeErrorEvent {
  const text = error instanceof Error ? error.message : String(error);
  return exchangeError(NetworkError.UnknownNetworkError, `The fetch transport failed: ${text}`, error);
}

/** Requests fetch cannot make at all, refused before anything is sent. */
function refusal(request: ExchangeRequest): ExchangeErrorEvent | undefined {
  const method = request.method.toUpperCase();
  if (forbiddenMethods.has(method)) {
    return exchangeError(
      NetworkError.ProtocolInvalidOperationError,
      `Method "${request.method}" cannot be sent over fetch: ${SOCKET_TRANSPORT_HINT}`,
    );
  }
  const body = request.body;
  if (bodylessMethods.has(method) && body !== null && fixedBodySize(body) !== 0) {
    return exchangeError(
      NetworkError.ProtocolInvalidOperationError,
      `A ${request.method} request cannot carry a body over fetch: ${SOCKET_TRANSPORT_HINT}`,
    );
  }
  return undefined;
}

// Deno's gzip/br decoder reports an empty body without Content-Length as a
// truncated stream; Qt delivers an empty body (qtbug22660).
function isEmptyEncodedBodyEnd(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  return message === "unexpected end of file" || message === "reached unexpected EOF";
}

/** The URL fetch gets: no user info (fetch rejects it; credentials are the manager's business), no fragment. */
function fetchUrl(url: URL): string {
  if (url.username === "" && url.password === "" && url.hash === "") return url.href;
  const bare = new URL(url.href);
  bare.username = "";
  bare.password = "";
  bare.hash = "";
  return bare.href;
}

/** What an exchange needs from its transport. */
interface ExchangeContext {
  readonly fetch: typeof globalThis.fetch;
  readonly runtime: RuntimeName;
  readonly clients: HttpClientCache;
  /** The environment for `proxy: null`, each variable read once per transport. */
  environment(): EnvironmentReader | undefined;
  /** Whether the runtime decodes a coding, for requests where it decodes at all. */
  readonly runtimeDecodes: (coding: string) => boolean;
  /** The Accept-Encoding netreply sends when it decodes. */
  acceptEncoding(): string;
}

/**
 * The fetch transport: one `fetch()` per hop with `redirect: "manual"` (the
 * manager follows redirects), reporting Qt's view of the exchange.
 *
 * What it can and cannot see (docs/transports.md):
 * - No `connecting`/`encrypted` events; `requestSent` comes just before the
 *   response head; upload progress is "bytes the runtime pulled" for a stream
 *   body and `(0, total)`, `(total, total)` at `requestSent` for a fixed one.
 * - Header names are lower-case in the runtime's order (sorted on most);
 *   Set-Cookie fields stay separate; the reason phrase is the runtime's
 *   `statusText`; HTTP/2 use is unknown.
 * - Bodies are read one chunk per `next()`, never ahead: a body of known
 *   length up to 64 KiB that nobody decodes straight into a buffer of that
 *   length, any other body through a counting `TransformStream` (the bytes
 *   taken from the runtime, for wire counts and the bomb guard). What the
 *   runtime decodes (Deno, workerd: gzip, br; Node: + deflate; Bun: + zstd)
 *   it decodes, except where it decodes nothing for the request (Deno: a
 *   Range field, or a user `Accept-Encoding: identity`); netreply decodes the
 *   rest with `DecompressionStream` when the request allows it, checks that
 *   compressed data ends where the body ends, and guards against archive
 *   bombs.
 * - TLS settings per request need Deno (an HTTP client per configuration,
 *   closed by {@linkcode FetchTransport.close}) or Bun; certificate errors
 *   are reported (an `sslErrors` question, then `SslHandshakeFailedError`) but cannot be
 *   ignored.
 * - TRACE, TRACK and CONNECT fail with `ProtocolInvalidOperationError`: fetch
 *   forbids them; the socket transport sends them.
 *
 * Deno runs the full test suites; Node, Bun and workerd run a smoke suite
 * (tests/runtimes/); their TLS and proxy paths follow measured behaviour.
 *
 * @example Use it directly, one exchange
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { FetchTransport, HttpHeaders } from "@netreply/netreply";
 *
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("hi"));
 * const transport = new FetchTransport();
 * const events = transport.exchange({
 *   method: "GET",
 *   url: new URL(`http://127.0.0.1:${server.addr.port}/`),
 *   headers: new HttpHeaders(),
 *   body: null,
 *   decompress: true,
 *   decompressedSafetyCheckThreshold: 10 * 1024 * 1024,
 *   answer: () => false,
 *   options: { http2Allowed: true },
 * }, new AbortController().signal);
 * const seen: string[] = [];
 * for (let step = await events.next(); !step.done; step = await events.next()) seen.push(step.value.type);
 * equal(seen.join(" "), "requestSent responseHead data end");
 * await transport.close();
 * ```
 */
export class FetchTransport implements Transport {
  /** `"fetch"`. */
  readonly name: string = "fetch";
  readonly #clients = new HttpClientCache();
  readonly #context: ExchangeContext;

  /**
   * Creates a fetch transport. It holds no resources until a request needs a
   * Deno HTTP client (per-request TLS or proxy settings).
   *
   * @param options A replacement `fetch`, if any.
   */
  constructor(options: FetchTransportOptions = {}) {
    const runtime = detectRuntime();
    const decodes = (coding: string) => runtimeDecodes(runtime, coding);
    let accepted: string | undefined;
    let environment: { reader: EnvironmentReader | undefined } | undefined;
    this.#context = {
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      runtime,
      clients: this.#clients,
      environment: () => (environment ??= { reader: memoizedProcessEnvironment() }).reader,
      runtimeDecodes: decodes,
      acceptEncoding: () => accepted ??= acceptEncoding(decodes),
    };
  }

  /** Starts one exchange; nothing happens until the first `next()`. */
  exchange(request: ExchangeRequest, signal: AbortSignal): AsyncIterator<ExchangeEvent, undefined> {
    return new FetchExchange(this.#context, request, signal);
  }

  /** Closes the HTTP clients made for per-request TLS or proxy settings. */
  close(): Promise<void> {
    this.#clients.close();
    return Promise.resolve();
  }
}

/**
 * One exchange as a hand-written async iterator: each `next()` does the work
 * for one event (start the fetch, wait for the response, read one body
 * chunk), so nothing runs between pulls and nothing is read ahead.
 *
 * Every way out (end, error, abort, `return()`) goes through `#release()`,
 * which removes the abort listener and cancels the pending fetch or the body.
 * A `next()` that was pending when `return()` ran settles with `done`.
 */
class FetchExchange implements AsyncIterator<ExchangeEvent, undefined> {
  readonly #context: ExchangeContext;
  readonly #request: ExchangeRequest;
  readonly #signal: AbortSignal;
  #phase = START;
  /** Events decided together (e.g. requestSent and responseHead), handed out one per `next()`. */
  #queued: ExchangeEvent[] = [];
  /**
   * The controller of the fetch and the listener linking it to the exchange's
   * signal, in a record of their own rather than in two fields of the
   * exchange: with the listener in a field, about 770 bytes per request
   * outlived V8's minor collections until a full one, the exchange's signal
   * among them (measured, bench/README.md, "Seventh pass").
   */
  #link?: { readonly internal: AbortController; readonly onAbort: () => void };
  #pending?: Promise<Response>;
  #steps?: EventQueue<Step>;
  #atRequestSent: readonly (readonly [number, number])[] = [];
  #response?: Response;
  #plan: DecodingPlan = { by: "none" };
  #encodedLength?: number;
  #body?: BodySource;
  #bodyEnded = false;
  #guard?: BombGuard;
  #decoded = 0;
  #wireSeen = 0;
  #released?: Promise<void>;

  constructor(context: ExchangeContext, request: ExchangeRequest, signal: AbortSignal) {
    this.#context = context;
    this.#request = request;
    this.#signal = signal;
  }

  next(): Promise<Result> {
    if (this.#queued.length > 0) return Promise.resolve({ done: false, value: this.#queued.shift()! });
    if (this.#phase === FINISHED) return Promise.resolve(DONE);
    if (this.#signal.aborted) return this.#finish([abortedEvent(this.#signal.reason)]);
    try {
      switch (this.#phase) {
        case START:
          return this.#start();
        case AWAITING_RESPONSE:
          return this.#awaitResponse();
        default:
          return this.#readBody();
      }
    } catch (error) {
      // The contract says next() never rejects: anything unexpected becomes an error event.
      return this.#finish([unexpected(error)]);
    }
  }

  return(): Promise<Result> {
    this.#queued.length = 0;
    const released = this.#release();
    // An exchange that ended or never started has nothing left to wait for (the usual case: the
    // manager returns every exchange, after its end too).
    return released === RESOLVED ? RETURNED : released.then(() => DONE);
  }

  /** Checks what fetch cannot send, then starts the fetch. */
  #start(): Promise<Result> {
    const request = this.#request;
    const context = this.#context;
    const refused = refusal(request);
    if (refused) return this.#finish([refused]);
    let extra: Record<string, unknown>;
    try {
      const options = runtimeOptions(request, context.runtime, context.clients, context.environment);
      if (options.kind === "refused") return this.#finish([exchangeError(options.code, options.message)]);
      extra = options.init;
    } catch (error) {
      return this.#finish(this.#failed(error, "request"));
    }

    const body = request.body;
    let steps: EventQueue<Step> | undefined;
    if (body !== null && body.kind === "stream") steps = this.#steps = new EventQueue<Step>(mergeProgress);
    const upload = prepareUpload(
      body,
      !bodylessMethods.has(request.method.toUpperCase()),
      steps === undefined ? ignore : (sent, total) => steps.push({ kind: "progress", sent, total }),
    );
    this.#atRequestSent = upload.atRequestSent;

    // One controller for fetch, linked to the exchange's signal until release:
    // return() can then abort a fetch the consumer no longer wants.
    const internal = new AbortController();
    const signal = this.#signal;
    const onAbort = () => internal.abort(signal.reason);
    this.#link = { internal, onAbort };
    signal.addEventListener("abort", onAbort);

    const init: Record<string, unknown> = {
      method: request.method,
      headers: this.#headers(),
      redirect: "manual",
      signal: internal.signal,
    };
    for (const key in extra) init[key] = extra[key];
    if (upload.body !== undefined) init.body = upload.body;
    if (upload.streaming) init.duplex = "half";
    let pending: Promise<Response>;
    try {
      pending = context.fetch(fetchUrl(request.url), init as RequestInit);
    } catch (error) {
      // A replacement fetch may throw instead of rejecting.
      pending = Promise.reject(error);
    }
    this.#pending = pending;
    if (steps !== undefined) {
      const queue = steps;
      pending.then(
        (response) => queue.push({ kind: "response", response }),
        (error) => queue.push({ kind: "failure", error }),
      );
    }
    this.#phase = AWAITING_RESPONSE;
    return this.#awaitResponse();
  }

  /**
   * Upload progress (stream bodies), then the response head, or the failure.
   * Without upload steps the response settles it directly: no async frame
   * per exchange for the common case.
   */
  #awaitResponse(): Promise<Result> {
    const steps = this.#steps;
    if (steps === undefined) {
      return (this.#pending as Promise<Response>).then(this.#responded, this.#requestFailed);
    }
    return steps.take().then((step) => {
      if (this.#phase === FINISHED) return DONE;
      if (step.kind === "progress") return { done: false, value: progress(step.sent, step.total) };
      if (step.kind === "failure") return this.#finish(this.#failed(step.error, "request"));
      return this.#responded(step.response);
    }, this.#requestFailed);
  }

  readonly #responded = (response: Response): Result | Promise<Result> => {
    if (this.#phase === FINISHED) return DONE;
    try {
      return this.#onResponse(response);
    } catch (error) {
      return this.#finish([unexpected(error)]);
    }
  };

  readonly #requestFailed = (error: unknown): Result | Promise<Result> =>
    this.#phase === FINISHED ? DONE : this.#finish(this.#failed(error, "request"));

  #onResponse(response: Response): Result {
    this.#response = response;
    const request = this.#request;
    const context = this.#context;
    // What the runtime decodes for this request (Deno: nothing under a Range
    // or a user "Accept-Encoding: identity"); netreply decodes only what it
    // asked for (it adds Accept-Encoding only when the user did not and there
    // is no Range).
    const plan = this.#plan = planDecoding(
      response.headers.get("content-encoding"),
      runtimeDecodesRequest(context.runtime, request.headers) ? context.runtimeDecodes : neverDecodes,
      request.decompress && !request.headers.contains("range"),
    );
    const queued = this.#queued;
    for (const [sent, total] of this.#atRequestSent) queued.push(progress(sent, total));
    queued.push(REQUEST_SENT, { type: "responseHead", head: responseHead(response, plan) });
    if (response.body === null) {
      this.#endBody();
    } else {
      this.#encodedLength = contentLength(response.headers);
      this.#phase = READING_BODY;
    }
    return { done: false, value: queued.shift()! };
  }

  /** One `data` event, or the end, or the failure: a read of the body, handled by `#took`. */
  #readBody(): Promise<Result> {
    const body = this.#body ??= this.#openBody();
    return body.read().then(this.#took, this.#bodyReadFailed);
  }

  readonly #took = (chunk: Uint8Array | null): Result | Promise<Result> => {
    if (this.#phase === FINISHED) return DONE;
    if (this.#signal.aborted) return this.#finish([abortedEvent(this.#signal.reason)]);
    try {
      if (chunk === null) {
        this.#bodyEnded = true;
        void this.#release();
        return END_RESULT;
      }
      const size = chunk.byteLength;
      if (size === 0) return this.#readBody();
      const body = this.#body as BodySource;
      this.#decoded += size;
      if (this.#guard !== undefined) {
        const bomb = this.#bomb(body);
        if (bomb !== undefined) return this.#finish([exchangeError(NetworkError.UnknownContentError, bomb)]);
      }
      const source = body.sourceBytes;
      const wireBytes = source - this.#wireSeen;
      this.#wireSeen = source;
      if (body.complete === true) {
        // The last chunk of a known length: the end goes with it, without another read.
        this.#endBody();
      }
      return { done: false, value: { type: "data", bytes: chunk, wireBytes } };
    } catch (error) {
      return this.#finish([unexpected(error)]);
    }
  };

  readonly #bodyReadFailed = (error: unknown): Result | Promise<Result> =>
    this.#phase === FINISHED ? DONE : this.#finish(this.#bodyFailure(error));

  /** The body is over without another read: queues the end and releases the exchange. */
  #endBody(): void {
    this.#bodyEnded = true;
    this.#queued.push(END);
    void this.#release();
  }

  #openBody(): BodySource {
    const plan = this.#plan;
    const length = this.#encodedLength;
    const threshold = this.#request.decompressedSafetyCheckThreshold;
    if (plan.by !== "none" && threshold >= 0) this.#guard = new BombGuard(threshold, plan.coding);
    const response = this.#response as Response;
    // Only a response from the network has a Content-Length its framing enforces.
    const known = plan.by === "none" && length !== undefined && length <= SMALL_BODY_LIMIT &&
        response.type === "basic"
      ? length
      : undefined;
    return createBodySource(response.body as ReadableStream<Uint8Array>, plan, known);
  }

  /**
   * The bomb guard's verdict so far. Where netreply decodes, the ratio is taken
   * against the encoded bytes it counted; where the runtime decodes it hides
   * them, so the ratio is taken against the declared Content-Length, and
   * without one the decoded size is capped (BombGuard.checkUnknownSize).
   */
  #bomb(body: BodySource): string | undefined {
    const guard = this.#guard as BombGuard;
    if (this.#plan.by === "netreply") return guard.check(this.#decoded, body.sourceBytes);
    const length = this.#encodedLength;
    return length === undefined ? guard.checkUnknownSize(this.#decoded) : guard.check(this.#decoded, length);
  }

  #bodyFailure(error: unknown): ExchangeEvent[] {
    if (this.#signal.aborted) return [abortedEvent(this.#signal.reason)];
    if (error instanceof DecodingError) {
      return [
        exchangeError(NetworkError.UnknownContentError, `Decompression failed: ${error.message}`, error),
      ];
    }
    const plan = this.#plan;
    const runtimeDecoding = plan.by === "runtime" ? plan.coding : undefined;
    if (
      runtimeDecoding !== undefined && this.#decoded === 0 && this.#encodedLength === undefined &&
      isEmptyEncodedBodyEnd(error)
    ) {
      this.#bodyEnded = true;
      return [END];
    }
    return this.#failed(error, "body", runtimeDecoding);
  }

  #failed(error: unknown, phase: FailurePhase, runtimeDecoding?: string): ExchangeEvent[] {
    if (this.#signal.aborted) return [abortedEvent(this.#signal.reason)];
    const { url, proxy } = this.#request;
    const result = classifyRuntimeError({ error, phase, url, proxy, runtimeDecoding });
    const event = exchangeError(result.code, result.message, error);
    // Asked only to report the errors: fetch cannot ignore them, so the answer is not read.
    return result.sslErrors
      ? [{ type: "ask", question: { kind: "sslErrors", errors: result.sslErrors } }, event]
      : [event];
  }

  /** Releases everything, then hands out `events` (the last ones of the exchange), one per `next()`. */
  async #finish(events: readonly ExchangeEvent[]): Promise<Result> {
    await this.#release();
    for (let i = 1; i < events.length; i++) this.#queued.push(events[i]);
    return { done: false, value: events[0] };
  }

  /** Ends the exchange: unlinks the signal, aborts a pending fetch, cancels an unfinished body. */
  #release(): Promise<void> {
    if (this.#released !== undefined) return this.#released;
    this.#phase = FINISHED;
    const link = this.#link;
    if (link !== undefined) this.#signal.removeEventListener("abort", link.onAbort);
    const response = this.#response;
    if (response === undefined) {
      const pending = this.#pending;
      if (pending === undefined) return this.#released = RESOLVED;
      link?.internal.abort();
      // A response that arrived regardless still holds its body.
      return this.#released = pending.then((late) => late.body?.cancel().catch(ignore), ignore);
    }
    if (this.#bodyEnded) return this.#released = RESOLVED;
    if (this.#body !== undefined) return this.#released = this.#body.cancel();
    return this.#released = response.body?.cancel().catch(ignore) ?? RESOLVED;
  }

  /**
   * The request's header fields for fetch, plus the Accept-Encoding this
   * transport can decode when it decodes: a record when every name is unique
   * (fetch converts one more cheaply than pairs, and far more cheaply than a
   * `Headers`, whose iteration it would sort), else `[name, value]` pairs,
   * which keep repeated fields apart.
   */
  #headers(): Record<string, string> | [string, string][] {
    const request = this.#request;
    const fields = request.headers;
    // With a Range header Deno asks for identity itself; an encoded range would not decode.
    const encoding = request.decompress && !fields.contains("accept-encoding") && !fields.contains("range")
      ? this.#context.acceptEncoding()
      : undefined;
    const size = fields.size();
    const record: Record<string, string> = {};
    for (let i = 0; i < size; i++) {
      const name = fields.nameAt(i);
      // A repeated name needs pairs; so do an integer-like one, which a record would move to the front, and
      // __proto__, which an object literal's assignment would not keep as a field.
      if (Object.hasOwn(record, name) || INTEGER_LIKE.test(name) || name === "__proto__") {
        return this.#headerPairs(encoding);
      }
      record[name] = toByteString(fields.valueAt(i));
    }
    if (encoding !== undefined) record["accept-encoding"] = encoding;
    return record;
  }

  #headerPairs(encoding: string | undefined): [string, string][] {
    const pairs = this.#request.headers.toListOfPairs();
    for (const pair of pairs) pair[1] = toByteString(pair[1]);
    if (encoding !== undefined) pairs.push(["accept-encoding", encoding]);
    return pairs;
  }
}
