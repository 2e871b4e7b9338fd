// One MockTransport exchange: plays a matched interceptor's answer back as
// exchange events, one event per next(), honouring the Transport contract
// (pull-based, abort through the signal, return() releases everything).

import { Authenticator } from "../core/authenticator.ts";
import { HttpHeaders } from "../core/http_headers.ts";
import { NetworkError } from "../core/network_error.ts";
import { defaultErrorString } from "../core/network_error_messages.ts";
import {
  type ExchangeBody,
  exchangeError,
  type ExchangeEvent,
  type ExchangeRequest,
} from "../transport/transport.ts";
import type { MockDispatch } from "./mock_interceptor.ts";
import type { MockCall } from "./mock_matchers.ts";
import type { PlannedResponse } from "./mock_reply.ts";
import { abortableSleep } from "../abortable_sleep.ts";
import { concatBytes } from "../core/concat_bytes.ts";

/** What the transport decides for a complete request: the interceptor to answer with, or why none. */
export type MatchResult = { readonly dispatch: MockDispatch } | { readonly message: string };

/** The transport side of an exchange. */
export interface ExchangeHost {
  /** Records the call and picks (and uses up) the interceptor that answers it. */
  receive(call: MockCall, bodyText: string): MatchResult;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const CANCELLED = Symbol("cancelled");

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

// A user callback cannot be cancelled; the exchange stops waiting for it instead.
function untilAborted<T>(
  work: () => T | Promise<T>,
  signal: AbortSignal,
): Promise<Settled<T> | typeof CANCELLED> {
  if (signal.aborted) return Promise.resolve(CANCELLED);
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(CANCELLED);
    signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve().then(work).then(
      (value) => resolve({ ok: true, value }),
      (error: unknown) => resolve({ ok: false, error }),
    ).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

interface ReadBody {
  readonly bytes: Uint8Array | null;
  /** Sizes of the chunks a stream body came in; `null` for a fixed body. */
  readonly chunkSizes: readonly number[] | null;
}

// The whole body is read before matching because an interceptor may match on
// it; a stream is cancelled if the exchange is cancelled meanwhile, as a real
// upload would be.
async function readBody(
  body: ExchangeBody | null,
  signal: AbortSignal,
): Promise<Settled<ReadBody> | typeof CANCELLED> {
  if (body === null) return { ok: true, value: { bytes: null, chunkSizes: null } };
  if (body.kind === "bytes") return { ok: true, value: { bytes: body.bytes.slice(), chunkSizes: null } };
  if (body.kind === "blob") {
    return { ok: true, value: { bytes: new Uint8Array(await body.blob.arrayBuffer()), chunkSizes: null } };
  }
  if (signal.aborted) return CANCELLED;
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.stream.getReader();
  } catch (error) {
    return { ok: false, error };
  }
  const onAbort = (): void => {
    reader.cancel(signal.reason).catch(() => {});
  };
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (signal.aborted) return CANCELLED;
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        const error = new TypeError(
          `Expected the body stream to give Uint8Array chunks, got ${typeof value}`,
        );
        reader.cancel(error).catch(() => {});
        return { ok: false, error };
      }
      chunks.push(value);
    }
  } catch (error) {
    return signal.aborted ? CANCELLED : { ok: false, error };
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  reader.releaseLock();
  return { ok: true, value: { bytes: concatBytes(chunks), chunkSizes: chunks.map((c) => c.length) } };
}

// docs/signals.md: none without a body; exactly one (0, 0) for an empty
// fixed body; (0, total) then (total, total) for a fixed one; a stream of
// unknown size reports what was pulled, then (n, n).
function* uploadProgress(body: ReadBody): Generator<ExchangeEvent> {
  if (body.bytes === null) return;
  const total = body.bytes.length;
  if (body.chunkSizes === null) {
    yield { type: "uploadProgress", bytesSent: 0, bytesTotal: total };
    if (total > 0) yield { type: "uploadProgress", bytesSent: total, bytesTotal: total };
    return;
  }
  yield { type: "uploadProgress", bytesSent: 0, bytesTotal: -1 };
  let sent = 0;
  for (const size of body.chunkSizes) {
    if (size === 0) continue;
    sent += size;
    yield { type: "uploadProgress", bytesSent: sent, bytesTotal: -1 };
  }
  yield { type: "uploadProgress", bytesSent: total, bytesTotal: total };
}

async function* play(
  request: ExchangeRequest,
  host: ExchangeHost,
  signal: AbortSignal,
  closedAtStart: boolean,
): AsyncGenerator<ExchangeEvent, undefined> {
  const target = `${request.method} ${request.url.href}`;
  if (closedAtStart) {
    yield exchangeError(
      NetworkError.ConnectionRefusedError,
      `MockTransport: the transport is closed; cannot send ${target}`,
    );
    return undefined;
  }
  const read = await readBody(request.body, signal);
  if (read === CANCELLED) return undefined;
  if (!read.ok) {
    yield exchangeError(
      NetworkError.UnknownNetworkError,
      `MockTransport: reading the request body of ${target} failed: ${errorText(read.error)}`,
      read.error,
    );
    return undefined;
  }
  const body = read.value;
  const call: MockCall = Object.freeze({
    method: request.method,
    url: new URL(request.url.href),
    headers: new HttpHeaders(request.headers),
    body: body.bytes,
  });
  const match = host.receive(call, new TextDecoder().decode(body.bytes ?? new Uint8Array()));
  if ("message" in match) {
    yield exchangeError(NetworkError.ConnectionRefusedError, match.message);
    return undefined;
  }
  const { answer, delay } = match.dispatch;

  const connection = answer.connection;
  if (connection.connecting) yield { type: "connecting" };
  const asked = connection.proxyAuthentication;
  if (asked !== undefined) {
    const authenticator = new Authenticator({ realm: asked.realm, scheme: asked.scheme });
    const question = {
      kind: "proxyAuthentication",
      proxy: new URL(asked.proxy.href),
      authenticator,
    } as const;
    yield { type: "ask", question };
    // Read only now: the consumer has answered before pulling again.
    if (!request.answer(question)) {
      const code = NetworkError.ProxyAuthenticationRequiredError;
      yield exchangeError(code, defaultErrorString(code));
      return undefined;
    }
  }
  if (connection.sslErrors.length > 0) {
    const question = { kind: "sslErrors", errors: connection.sslErrors } as const;
    yield { type: "ask", question };
    // Asked only now: the consumer has handled the sslErrors event.
    if (!request.answer(question)) {
      const code = NetworkError.SslHandshakeFailedError;
      yield exchangeError(code, defaultErrorString(code));
      return undefined;
    }
    yield { type: "encrypted", configuration: connection.encrypted ?? {} };
  } else if (connection.encrypted !== undefined) {
    yield { type: "encrypted", configuration: connection.encrypted };
  }

  if (answer.kind === "error" && !answer.afterRequestSent) {
    if (!await abortableSleep(delay, signal)) return undefined;
    yield exchangeError(answer.error.code, answer.error.message);
    return undefined;
  }
  yield* uploadProgress(body);
  yield { type: "requestSent" };
  if (!await abortableSleep(delay, signal)) return undefined;
  if (answer.kind === "error") {
    yield exchangeError(answer.error.code, answer.error.message);
    return undefined;
  }

  const planned = await untilAborted<PlannedResponse>(() => answer.respond(call), signal);
  if (planned === CANCELLED) return undefined;
  if (!planned.ok) {
    yield exchangeError(
      NetworkError.UnknownNetworkError,
      `MockTransport: the reply callback for ${target} failed: ${errorText(planned.error)}`,
      planned.error,
    );
    return undefined;
  }
  const { head, chunks, trailers } = planned.value;
  // Fresh headers per exchange: a persistent reply's plan is shared.
  yield { type: "responseHead", head: { ...head, headers: new HttpHeaders(head.headers) } };
  // A HEAD response keeps its content-length but has no body, as on the wire.
  if (request.method !== "HEAD") {
    for (const chunk of chunks) {
      if (!await abortableSleep(chunk.delay, signal)) return undefined;
      if (chunk.kind === "error") {
        yield exchangeError(chunk.code, chunk.message);
        return undefined;
      }
      if (chunk.bytes.length > 0) {
        yield { type: "data", bytes: chunk.bytes.slice(), wireBytes: chunk.bytes.length };
      }
    }
  }
  yield trailers === undefined ? { type: "end" } : { type: "end", trailers: new HttpHeaders(trailers) };
  return undefined;
}

/**
 * The iterator {@linkcode MockTransport.exchange} returns. It wraps the
 * event generator so that an abort, `return()` or the transport's `close()`
 * settles a pending `next()` at once, and releases the signal listener as
 * soon as the exchange is over.
 */
export class MockExchange implements AsyncIterableIterator<ExchangeEvent, undefined> {
  readonly #external: AbortSignal;
  readonly #controller = new AbortController();
  readonly #inner: AsyncGenerator<ExchangeEvent, undefined>;
  readonly #target: string;
  readonly #onFinish: (exchange: MockExchange) => void;
  readonly #onAbort = (): void => this.#controller.abort(this.#external.reason);
  #started = false;
  #finished = false;
  #closedByTransport = false;

  constructor(
    request: ExchangeRequest,
    signal: AbortSignal,
    host: ExchangeHost,
    closedAtStart: boolean,
    onFinish: (exchange: MockExchange) => void,
  ) {
    this.#external = signal;
    this.#target = `${request.method} ${request.url.href}`;
    this.#onFinish = onFinish;
    this.#inner = play(request, host, this.#controller.signal, closedAtStart);
  }

  /** Ends the exchange because its transport closes: the next `next()` gives a RemoteHostClosedError. */
  closeByTransport(): void {
    this.#closedByTransport = true;
    this.#controller.abort();
  }

  async next(): Promise<IteratorResult<ExchangeEvent, undefined>> {
    if (this.#finished) return DONE;
    if (!this.#started) {
      this.#started = true;
      if (this.#external.aborted) this.#controller.abort(this.#external.reason);
      else this.#external.addEventListener("abort", this.#onAbort, { once: true });
    }
    let result: IteratorResult<ExchangeEvent, undefined> = DONE;
    if (!this.#controller.signal.aborted) {
      try {
        result = await this.#inner.next();
      } catch (error) {
        // Only a user callback (request.answer) can throw here; the
        // contract says an exchange reports failures as events.
        await this.#finish();
        return {
          done: false,
          value: exchangeError(
            NetworkError.UnknownNetworkError,
            `MockTransport: ${this.#target} failed: ${errorText(error)}`,
            error,
          ),
        };
      }
    }
    if (this.#controller.signal.aborted) {
      const closed = this.#closedByTransport && !this.#external.aborted && !this.#finished;
      await this.#finish();
      if (!closed) return DONE;
      return {
        done: false,
        value: exchangeError(
          NetworkError.RemoteHostClosedError,
          `MockTransport: the transport was closed while ${this.#target} was running`,
        ),
      };
    }
    if (result.done || result.value.type === "end" || result.value.type === "error") await this.#finish();
    return result;
  }

  async return(): Promise<IteratorResult<ExchangeEvent, undefined>> {
    this.#controller.abort();
    await this.#finish();
    return DONE;
  }

  [Symbol.asyncIterator](): MockExchange {
    return this;
  }

  async #finish(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    this.#external.removeEventListener("abort", this.#onAbort);
    this.#onFinish(this);
    await this.#inner.return(undefined);
  }
}
