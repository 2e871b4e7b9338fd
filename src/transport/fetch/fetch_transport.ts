/**
 * {@linkcode FetchTransport}: the default transport, one `fetch()` per hop
 * on whatever runtime netreply runs on (Deno, Bun, Node, Cloudflare Workers).
 *
 * @module
 */

import { abortOutcome } from "../../core/abort_reason.ts";
import { NetworkError } from "../../core/network_error.ts";
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
import {
  acceptEncoding,
  type BodySource,
  BombGuard,
  createBodySource,
  DecodingError,
  type DecodingPlan,
  planDecoding,
} from "./decoding.ts";
import { HttpClientCache } from "./http_clients.ts";
import { contentLength, responseHead } from "./response_head.ts";
import { detectRuntime, runtimeDecodes, type RuntimeName } from "./runtime.ts";
import { runtimeOptions, SOCKET_TRANSPORT_HINT } from "./runtime_options.ts";
import { prepareUpload } from "./upload.ts";

/** Options for {@linkcode FetchTransport}. */
export interface FetchTransportOptions {
  /**
   * The `fetch` to call instead of `globalThis.fetch`, e.g. a Cloudflare
   * service binding's `fetch`. Runtime detection (what the runtime decodes,
   * how TLS and proxies are set) still follows the runtime netreply runs on.
   */
  fetch?: typeof globalThis.fetch;
}

/** What happens while fetch() is pending: progress, then the response or a failure. */
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

function progress(sent: number, total: number): ExchangeEvent {
  return { type: "uploadProgress", bytesSent: sent, bytesTotal: total };
}

function abortedEvent(reason: unknown): ExchangeErrorEvent {
  const { code, message } = abortOutcome(reason);
  return exchangeError(code, message, reason);
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

/**
 * The fetch transport: one `fetch()` per hop with `redirect: "manual"` (the
 * manager follows redirects), reporting Qt's view of the exchange.
 *
 * What it can and cannot see (API.md, "Transports"):
 * - No `connecting`/`encrypted` events; `requestSent` comes just before the
 *   response head; upload progress is "bytes the runtime pulled" for a stream
 *   body and `(0, total)`, `(total, total)` at `requestSent` for a fixed one.
 * - Header names are lower-case in the runtime's order (sorted on most);
 *   Set-Cookie fields stay separate; the reason phrase is the runtime's
 *   `statusText`; HTTP/2 use is unknown.
 * - Bodies are read one chunk per `next()`, never ahead. What the runtime
 *   decodes (Deno, workerd: gzip, br; Node: + deflate; Bun: + zstd) it
 *   decodes; netreply decodes the rest with `DecompressionStream` when the
 *   request allows it, and guards against archive bombs.
 * - TLS settings per request need Deno (an HTTP client per configuration,
 *   closed by {@linkcode FetchTransport.close}) or Bun; certificate errors
 *   are reported (`sslErrors`, then `SslHandshakeFailedError`) but cannot be
 *   ignored.
 * - TRACE, TRACK and CONNECT fail with `ProtocolInvalidOperationError`: fetch
 *   forbids them; the socket transport sends them.
 *
 * Deno runs the full test suites; Node, Bun and workerd run a smoke suite
 * (tests/runtimes/); their TLS and proxy paths follow measured behaviour.
 *
 * @example Use it directly, one exchange
 * ```ts
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
 *   sslErrorsIgnored: () => false,
 *   attributes: new Map(),
 * }, new AbortController().signal);
 * const seen: string[] = [];
 * for (let step = await events.next(); !step.done; step = await events.next()) seen.push(step.value.type);
 * console.log(seen.join(" ")); // requestSent responseHead data end
 * await transport.close();
 * ```
 */
export class FetchTransport implements Transport {
  /** `"fetch"`. */
  readonly name: string = "fetch";
  readonly #clients = new HttpClientCache();
  readonly #runtime: RuntimeName = detectRuntime();
  readonly #fetch: typeof globalThis.fetch;
  #acceptEncoding?: string;

  /**
   * Creates a fetch transport. It holds no resources until a request needs a
   * Deno HTTP client (per-request TLS or proxy settings).
   *
   * @param options A replacement `fetch`, if any.
   */
  constructor(options: FetchTransportOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Starts one exchange; nothing happens until the first `next()`. */
  exchange(request: ExchangeRequest, signal: AbortSignal): AsyncIterator<ExchangeEvent, undefined> {
    return this.#guarded(request, signal);
  }

  /** Closes the HTTP clients made for per-request TLS or proxy settings. */
  close(): Promise<void> {
    this.#clients.close();
    return Promise.resolve();
  }

  // The contract says next() never rejects: anything unexpected becomes an error event.
  async *#guarded(request: ExchangeRequest, signal: AbortSignal): AsyncGenerator<ExchangeEvent, undefined> {
    try {
      yield* this.#exchange(request, signal);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      yield exchangeError(NetworkError.UnknownNetworkError, `The fetch transport failed: ${text}`, error);
    }
    return undefined;
  }

  async *#exchange(request: ExchangeRequest, signal: AbortSignal): AsyncGenerator<ExchangeEvent, undefined> {
    const failed = (error: unknown, phase: FailurePhase, runtimeDecoding?: string): ExchangeEvent[] => {
      if (signal.aborted) return [abortedEvent(signal.reason)];
      const { url, proxy } = request;
      const result = classifyRuntimeError({ error, phase, url, proxy, runtimeDecoding });
      const event = exchangeError(result.code, result.message, error);
      return result.sslErrors ? [{ type: "sslErrors", errors: result.sslErrors }, event] : [event];
    };

    if (signal.aborted) {
      yield abortedEvent(signal.reason);
      return;
    }
    const refused = refusal(request);
    if (refused) {
      yield refused;
      return;
    }
    let extra: Record<string, unknown>;
    try {
      const options = runtimeOptions(request, this.#runtime, this.#clients);
      if (options.kind === "refused") {
        yield exchangeError(options.code, options.message);
        return;
      }
      extra = options.init;
    } catch (error) {
      yield* failed(error, "request");
      return;
    }

    const queue = new EventQueue<Step>(mergeProgress);
    const upload = prepareUpload(
      request.body,
      !bodylessMethods.has(request.method.toUpperCase()),
      (sent, total) => queue.push({ kind: "progress", sent, total }),
    );
    const internal = new AbortController();
    const init = {
      ...extra,
      method: request.method,
      headers: this.#headers(request),
      body: upload.body,
      redirect: "manual",
      signal: AbortSignal.any([signal, internal.signal]),
      ...(upload.streaming ? { duplex: "half" } : {}),
    } as RequestInit;
    // A replacement fetch may throw instead of rejecting.
    const pending = new Promise<Response>((resolve) =>
      resolve(this.#fetch(this.#fetchUrl(request.url), init))
    );
    pending.then(
      (response) => queue.push({ kind: "response", response }),
      (error) => queue.push({ kind: "failure", error }),
    );

    let response: Response | undefined;
    let body: BodySource | undefined;
    try {
      let step = await queue.take();
      for (; step.kind === "progress"; step = await queue.take()) yield progress(step.sent, step.total);
      if (step.kind === "failure") {
        yield* failed(step.error, "request");
        return;
      }
      response = step.response;
      const plan = planDecoding(
        response.headers.get("content-encoding"),
        (coding) => runtimeDecodes(this.#runtime, coding),
        request.decompress,
      );
      body = response.body ? createBodySource(response.body, plan) : undefined;
      for (const [sent, total] of upload.atRequestSent) yield progress(sent, total);
      yield { type: "requestSent" };
      yield { type: "responseHead", head: responseHead(response, plan) };
      if (body === undefined) {
        yield { type: "end" };
        return;
      }
      yield* this.#body(body, plan, contentLength(response.headers), request, signal, failed);
    } finally {
      // Reached on end, error, return() and abort alike: release whatever is still open.
      if (response === undefined) {
        internal.abort();
        const late = await pending.catch(() => undefined);
        await late?.body?.cancel().catch(() => {});
      }
      await body?.cancel();
    }
  }

  /** `data`* then `end` or `error`, one chunk per `next()`. */
  async *#body(
    body: BodySource,
    plan: DecodingPlan,
    encodedLength: number | undefined,
    request: ExchangeRequest,
    signal: AbortSignal,
    failed: (error: unknown, phase: FailurePhase, runtimeDecoding?: string) => ExchangeEvent[],
  ): AsyncGenerator<ExchangeEvent, undefined> {
    const runtimeDecoding = plan.by === "runtime" ? plan.coding : undefined;
    const guard = plan.by === "none"
      ? undefined
      : new BombGuard(request.decompressedSafetyCheckThreshold, plan.coding);
    let decoded = 0;
    let wireSeen = 0;
    for (;;) {
      let chunk: Uint8Array | null;
      try {
        chunk = await body.read();
      } catch (error) {
        if (signal.aborted) {
          yield abortedEvent(signal.reason);
        } else if (error instanceof DecodingError) {
          yield exchangeError(
            NetworkError.UnknownContentError,
            `Decompression failed: ${error.message}`,
            error,
          );
        } else if (
          runtimeDecoding && decoded === 0 && encodedLength === undefined && isEmptyEncodedBodyEnd(error)
        ) {
          yield { type: "end" };
        } else {
          yield* failed(error, "body", runtimeDecoding);
        }
        return;
      }
      if (signal.aborted) {
        yield abortedEvent(signal.reason);
        return;
      }
      if (chunk === null) {
        yield { type: "end" };
        return;
      }
      if (chunk.byteLength === 0) continue;
      decoded += chunk.byteLength;
      // The ratio is taken against what came over the wire so far where netreply
      // decodes, against the declared length where the runtime does (it hides the
      // rest; no length, no guard).
      const bomb = guard?.check(decoded, plan.by === "runtime" ? encodedLength ?? 0 : body.sourceBytes);
      if (bomb !== undefined) {
        yield exchangeError(NetworkError.UnknownContentError, bomb);
        return;
      }
      const wireBytes = body.sourceBytes - wireSeen;
      wireSeen = body.sourceBytes;
      yield { type: "data", bytes: chunk, wireBytes };
    }
  }

  /** The URL fetch gets: no user info (fetch rejects it; credentials are the manager's business), no fragment. */
  #fetchUrl(url: URL): URL {
    const bare = new URL(url.href);
    bare.username = "";
    bare.password = "";
    bare.hash = "";
    return bare;
  }

  /** The request's headers, plus the Accept-Encoding this transport can decode when it decodes. */
  #headers(request: ExchangeRequest): Headers {
    const headers = request.headers.toHeaders();
    // With a Range header Deno asks for identity itself; an encoded range would not decode.
    if (request.decompress && !headers.has("accept-encoding") && !headers.has("range")) {
      this.#acceptEncoding ??= acceptEncoding((coding) => runtimeDecodes(this.#runtime, coding));
      headers.set("accept-encoding", this.#acceptEncoding);
    }
    return headers;
  }
}
