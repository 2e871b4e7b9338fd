/**
 * {@linkcode SocketTransport}: netreply's own HTTP/1.1 engine over raw
 * sockets, with a keep-alive connection pool, HTTP proxies and Qt's re-sends.
 *
 * @module
 */

import { abortOutcome } from "../../core/abort_reason.ts";
import { Authenticator } from "../../core/authenticator.ts";
import { HttpHeaders } from "../../core/http_headers.ts";
import { isIdempotent } from "../../core/is_idempotent.ts";
import { NetworkError } from "../../core/network_error.ts";
import { defaultErrorString } from "../../core/network_error_messages.ts";
import type { SslConfiguration, SslError } from "../../core/ssl.ts";
import { hostFieldValue, requestTarget } from "../../http1/request_head.ts";
import { type EnvironmentReader, memoizedProcessEnvironment } from "../environment_proxy.ts";
import { loadSocketOpener } from "../sockets/load_socket_opener.ts";
import {
  type ByteStream,
  type ConnectOptions,
  type SocketOpener,
  SocketOpenError,
  type TlsOptions,
} from "../sockets/socket_opener.ts";
import {
  exchangeError,
  type ExchangeErrorEvent,
  type ExchangeEvent,
  type ExchangeRequest,
  type ResponseHead,
  type Transport,
  type UserQuestion,
} from "../transport.ts";
import { AttemptEvents } from "../attempt_events.ts";
import { ConnectionPool, ConnectionPoolClosedError } from "./connection_pool.ts";
import { Http1Connection, type WireRequest } from "./http1_connection.ts";
import { basicAuthorization } from "../../core/basic_auth.ts";
import { proxyAuthorization } from "./proxy_authorization.ts";
import { openProxyTunnel, parseProxyChallenge, ProxyAuthenticationError } from "./proxy_tunnel.ts";
import { chooseProxy, type RouteTls, type SocketRoute, socketRoute } from "./socket_route.ts";

/** Options for {@linkcode SocketTransport}. */
export interface SocketTransportOptions {
  /** Connections per pool key at most (Qt: 6). */
  readonly maxConnectionsPerHost?: number;
  /** Idle keep-alive connections are closed after this many ms (Qt: 120 s). */
  readonly idleTimeout?: number;
  /** The opener to use instead of the runtime's (tests, custom sockets). */
  readonly opener?: SocketOpener;
}

/** Qt's reconnectAttempts: a request is re-sent at most this often. */
const MAX_RESENDS = 3;
const DEFAULT_MAX_CONNECTIONS_PER_HOST = 6;
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** A new connection, and whether it may go back to the pool afterwards. */
interface Opened {
  readonly connection: Http1Connection;
  /** False when it is only usable because the user ignored its certificate errors. */
  readonly poolable: boolean;
}

/** The part of a request that opening a connection needs. */
interface OpenRequest extends RouteTls {
  readonly answer: (question: UserQuestion) => boolean;
  readonly sslErrorsMayBeIgnored?: () => boolean;
}

function abortedEvent(reason: unknown): ExchangeErrorEvent {
  const { code, message } = abortOutcome(reason);
  return exchangeError(code, message, reason);
}

function closedEvent(): ExchangeErrorEvent {
  return exchangeError(
    NetworkError.OperationCanceledError,
    defaultErrorString(NetworkError.OperationCanceledError),
  );
}

/** Why an exchange stopped: its own abort, else close(). */
function stoppedEvent(signal: AbortSignal): ExchangeErrorEvent {
  return signal.aborted ? abortedEvent(signal.reason) : closedEvent();
}

/** A failure to reach the proxy itself, in the proxy's words (Qt: 101, 103, 104). */
function proxyOpenError(error: SocketOpenError, proxy: URL): SocketOpenError {
  switch (error.code) {
    case NetworkError.ConnectionRefusedError:
      return new SocketOpenError(
        NetworkError.ProxyConnectionRefusedError,
        `Connection to proxy ${proxy.host} refused`,
        { cause: error },
      );
    case NetworkError.HostNotFoundError:
      return new SocketOpenError(
        NetworkError.ProxyNotFoundError,
        `Proxy server ${proxy.hostname} not found`,
        {
          cause: error,
        },
      );
    case NetworkError.TimeoutError:
      return new SocketOpenError(
        NetworkError.ProxyTimeoutError,
        `Connection to proxy ${proxy.host} timed out`,
        {
          cause: error,
        },
      );
    default:
      return error;
  }
}

/** Opens the TCP connection of a route: to the origin, or to the proxy with proxy error codes. */
async function connectRoute(
  opener: SocketOpener,
  options: ConnectOptions,
  proxy: URL | undefined,
): Promise<ByteStream> {
  try {
    return await opener.connect(options);
  } catch (error) {
    if (proxy !== undefined && error instanceof SocketOpenError && !options.signal.aborted) {
      throw proxyOpenError(error, proxy);
    }
    throw error;
  }
}

function unexpected(error: unknown): ExchangeErrorEvent {
  const text = error instanceof Error ? error.message : String(error);
  return exchangeError(NetworkError.UnknownNetworkError, `The socket transport failed: ${text}`, error);
}

/** What a failure thrown while connecting means as an error event. */
function openFailure(error: unknown, signal: AbortSignal): ExchangeErrorEvent {
  if (signal.aborted) return abortedEvent(signal.reason);
  if (error instanceof ConnectionPoolClosedError) return closedEvent();
  if (error instanceof SocketOpenError) return exchangeError(error.code, error.message, error);
  return unexpected(error);
}

/** Unverified certificates the user did not ignore: Qt's "SSL handshake failed: <detail>". */
function unignoredSslErrors(errors: readonly SslError[]): ExchangeErrorEvent {
  const detail = errors.map((error) => error.message).join("; ");
  return exchangeError(
    NetworkError.SslHandshakeFailedError,
    detail === ""
      ? defaultErrorString(NetworkError.SslHandshakeFailedError)
      : `SSL handshake failed: ${detail}`,
  );
}

/** A 407 to an http request through a proxy offering Basic, for a request that can be sent again. */
function mayAskProxy(head: ResponseHead, route: SocketRoute, request: ExchangeRequest): boolean {
  if (head.status !== 407 || !route.absoluteForm || !replayable(request)) return false;
  return parseProxyChallenge(head.headers.value("proxy-authenticate"))?.scheme.toLowerCase() === "basic";
}

/** Whether the body can be sent again: fixed bodies can, a stream was consumed. */
function replayable(request: ExchangeRequest): boolean {
  return request.body === null || request.body.kind !== "stream";
}

const refuseEverything = (): boolean => false;

/**
 * The route's TLS options for this request: the full list of a failed
 * verification (on Deno a second handshake through node:tls) only when the
 * user could ignore the errors.
 */
function tlsFor(tls: TlsOptions, request: OpenRequest): TlsOptions {
  const inspectFailures = request.sslErrorsMayBeIgnored?.() ?? true;
  return inspectFailures === tls.inspectFailures ? tls : { ...tls, inspectFailures };
}

/**
 * The socket transport: HTTP/1.1 over the runtime's sockets (Deno, Node and
 * Bun through `node:net`/`node:tls`, workerd through `cloudflare:sockets`),
 * seeing what fetch hides: connection and TLS events, the server's reason
 * phrase and header order, bytes written, TRACE/TRACK/CONNECT.
 *
 * - A pool per key (scheme, host, port, proxy, peer verify name, trusted CAs,
 *   client certificate) keeps idle keep-alive connections (the most recent
 *   first) for `idleTimeout` ms, opens at most `maxConnectionsPerHost` per key
 *   and lets further exchanges wait in order. `connecting` (and, for https,
 *   `encrypted`) come only on a new connection. A connection usable only
 *   because the user ignored its certificate errors is never pooled.
 * - Re-sends (RFC 9110 §9.2.2, Qt's reconnect attempts): when a kept-alive
 *   connection turns out to be closed before any response byte, an idempotent
 *   request with a fixed or no body is sent again on a new connection, up to
 *   three times. The events stay in the contract's order: what the failed
 *   attempt already reported is not repeated (a re-send after `requestSent`
 *   shows nothing new until its response head; upload progress never goes
 *   backwards), so a reply sees one `requestSent`. Other methods fail with
 *   `RemoteHostClosedError`; an idempotent request with a stream body with
 *   `ContentReSendError`.
 * - Proxies: `request.proxy` `undefined` reads HTTP_PROXY/HTTPS_PROXY/
 *   ALL_PROXY/NO_PROXY (once per transport), `null` is direct. http targets go
 *   to the proxy in absolute form, https targets through CONNECT; credentials
 *   in the proxy URL are sent as Basic Proxy-Authorization. A 407 (to
 *   CONNECT, or to an http request with a fixed or no body) asks the user
 *   once (`ask` proxyAuthentication); given credentials send the request
 *   again and go with every later request to that proxy. Basic only; a proxy
 *   URL that is not http: is `ProxyNotFoundError`.
 * - An idle connection the server closed is noticed only when it is used
 *   again (then the request is re-sent as above).
 *
 * @example One exchange against a loopback server
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "../../core/http_headers.ts";
 * import { SocketTransport } from "./socket_transport.ts";
 *
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("hi"));
 * const transport = new SocketTransport();
 * const events = transport.exchange({
 *   method: "GET",
 *   url: new URL(`http://127.0.0.1:${server.addr.port}/`),
 *   headers: new HttpHeaders(),
 *   body: null,
 *   decompress: true,
 *   decompressedSafetyCheckThreshold: -1,
 *   proxy: null,
 *   answer: () => false,
 *   options: { http2Allowed: false },
 * }, new AbortController().signal);
 * const seen: string[] = [];
 * for (let step = await events.next(); !step.done; step = await events.next()) seen.push(step.value.type);
 * equal(seen.join(" "), "connecting requestSent responseHead data end");
 * await transport.close();
 * ```
 */
export class SocketTransport implements Transport {
  /** `"socket"`. */
  readonly name: "socket" = "socket";
  readonly #pool: ConnectionPool<Http1Connection>;
  readonly #opener: SocketOpener | undefined;
  /** Connections not to pool again (accepted with ignored certificate errors). */
  readonly #unpoolable = new WeakSet<Http1Connection>();
  /** Aborted by close(): connects and handshakes in progress stop. */
  readonly #closing = new AbortController();
  readonly #preconnects = new Set<Promise<void>>();
  /** Proxy-Authorization values the user gave, by proxy URL (Qt caches proxy credentials per proxy). */
  readonly #proxyCredentials = new Map<string, string>();
  #environment: EnvironmentReader | undefined | null = null;

  /**
   * @param options Pool limits and the socket opener.
   */
  constructor(options: SocketTransportOptions = {}) {
    this.#pool = new ConnectionPool({
      maxPerKey: options.maxConnectionsPerHost ?? DEFAULT_MAX_CONNECTIONS_PER_HOST,
      idleTimeout: options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
    });
    this.#opener = options.opener;
  }

  /** Runs one exchange (see the class documentation). */
  exchange(request: ExchangeRequest, signal: AbortSignal): AsyncGenerator<ExchangeEvent, undefined> {
    return this.#run(request, signal);
  }

  /** Closes idle connections; busy ones finish their exchange. */
  clearConnectionCache(): void {
    this.#pool.clearIdle();
  }

  /**
   * Opens one connection to `url`'s origin ahead of time and pools it (no
   * events, failures are silent, certificate errors are never ignored);
   * nothing happens when the origin already has an idle connection or is at
   * its limit.
   */
  connectToHost(url: URL, sslConfiguration?: SslConfiguration): void {
    let route: SocketRoute;
    try {
      route = socketRoute(url, { sslConfiguration }, chooseProxy(url, undefined, this.#environmentReader()));
    } catch {
      return;
    }
    if (!this.#pool.tryReserve(route.key)) return;
    const request: OpenRequest = {
      sslConfiguration,
      answer: refuseEverything,
      sslErrorsMayBeIgnored: refuseEverything,
    };
    const preconnect = this.#preconnect(route, request).finally(() => this.#preconnects.delete(preconnect));
    this.#preconnects.add(preconnect);
  }

  /** Closes every connection (in-flight exchanges fail promptly), rejects waiters, clears timers. */
  async close(): Promise<void> {
    this.#closing.abort(new DOMException("The socket transport was closed", "AbortError"));
    this.#pool.close();
    await Promise.all(this.#preconnects);
  }

  // ---- internals ---------------------------------------------------------------

  #environmentReader(): EnvironmentReader | undefined {
    if (this.#environment === null) this.#environment = memoizedProcessEnvironment();
    return this.#environment;
  }

  async #preconnect(route: SocketRoute, request: OpenRequest): Promise<void> {
    const signal = this.#closing.signal;
    let opened: Opened | ExchangeErrorEvent | undefined;
    try {
      const opener = this.#opener ?? await loadSocketOpener();
      const steps = this.#open(opener, route, request, signal);
      for (let step = await steps.next();; step = await steps.next()) {
        if (step.done) {
          opened = step.value;
          break;
        }
      }
    } catch {
      opened = undefined;
    }
    if (opened === undefined || "type" in opened) return this.#pool.discard(route.key);
    this.#pool.register(route.key, opened.connection);
    this.#pool.release(route.key, opened.connection);
  }

  async *#run(request: ExchangeRequest, signal: AbortSignal): AsyncGenerator<ExchangeEvent, undefined> {
    let route: SocketRoute;
    let wire: WireRequest;
    let opener: SocketOpener;
    try {
      let proxy: URL | undefined;
      try {
        const env = request.proxy === undefined ? this.#environmentReader() : undefined;
        proxy = chooseProxy(request.url, request.proxy, env);
      } catch (error) {
        yield exchangeError(
          NetworkError.ProxyNotFoundError,
          `No suitable proxy found: ${message(error)}`,
          error,
        );
        return undefined;
      }
      route = socketRoute(request.url, request, proxy);
      if (route.proxy !== undefined && route.proxy.protocol !== "http:") {
        yield exchangeError(
          NetworkError.ProxyNotFoundError,
          `No suitable proxy found: ${route.proxy.protocol} proxies are not supported, only http:`,
        );
        return undefined;
      }
      wire = wireRequest(request, route, route.proxy && this.#proxyCredentials.get(route.proxy.href));
      opener = this.#opener ?? await loadSocketOpener();
    } catch (error) {
      yield error instanceof SocketOpenError
        ? exchangeError(error.code, error.message, error)
        : exchangeError(
          NetworkError.ProtocolInvalidOperationError,
          `Cannot send the request: ${message(error)}`,
        );
      return undefined;
    }
    const pool = this.#pool;
    const key = route.key;
    const seen = new AttemptEvents();
    let proxyAsked = false;
    for (let resends = 0;; resends++) {
      let connection: Http1Connection | undefined;
      try {
        connection = await pool.acquire(key, signal, resends > 0);
      } catch (error) {
        yield openFailure(error, signal);
        return undefined;
      }
      if (connection === undefined) {
        let opened: Opened | ExchangeErrorEvent | undefined;
        const steps = this.#open(opener, route, request, signal, seen.mayAskSslErrors);
        try {
          for (let step = await steps.next();; step = await steps.next()) {
            if (step.done) {
              opened = step.value;
              break;
            }
            if (seen.admit(step.value)) yield step.value;
          }
        } finally {
          if (opened === undefined) { // the consumer stopped while connecting
            await steps.return(closedEvent());
            pool.discard(key);
          }
        }
        if ("type" in opened) {
          pool.discard(key);
          yield this.#closing.signal.aborted && !signal.aborted ? closedEvent() : opened;
          return undefined;
        }
        connection = opened.connection;
        if (!opened.poolable) this.#unpoolable.add(connection);
        pool.register(key, connection);
      }
      const reused = connection.exchanges > 0;
      const events = connection.exchange(wire, signal);
      let settled = false;
      try {
        for (;;) {
          let step: IteratorResult<ExchangeEvent, undefined>;
          try {
            step = await events.next();
          } catch (error) {
            step = { done: false, value: unexpected(error) };
          }
          const event: ExchangeEvent = step.done
            ? exchangeError(NetworkError.UnknownNetworkError, "The connection ended the exchange early")
            : step.value;
          if (event.type === "end") {
            settled = true;
            this.#giveBack(key, connection, request);
            yield event;
            return undefined;
          }
          if (event.type === "responseHead" && mayAskProxy(event.head, route, request) && !proxyAsked) {
            // http through a proxy that wants credentials: ask before the 407 is shown; with an
            // answer the request goes again with them (not counted as a re-send), else the 407 stands.
            proxyAsked = true;
            const challenge = parseProxyChallenge(event.head.headers.value("proxy-authenticate"))!;
            const proxy = route.proxy!;
            const authenticator = new Authenticator({ realm: challenge.realm, scheme: challenge.scheme });
            const question: UserQuestion = {
              kind: "proxyAuthentication",
              proxy: new URL(proxy.href),
              authenticator,
            };
            yield { type: "ask", question };
            if (!signal.aborted && request.answer(question)) {
              const authorization = basicAuthorization(authenticator.user, authenticator.password);
              this.#proxyCredentials.set(proxy.href, authorization);
              wire = wireRequest(request, route, authorization);
              settled = true;
              await events.return?.();
              pool.discard(key, connection);
              resends--;
              break;
            }
          }
          if (event.type !== "error") {
            if (seen.admit(event)) yield event;
            continue;
          }
          settled = true;
          pool.discard(key, connection);
          if (signal.aborted || this.#closing.signal.aborted) {
            yield stoppedEvent(signal);
            return undefined;
          }
          const stale = connection.failedBeforeResponse && (reused || resends > 0);
          if (stale && isIdempotent(request.method)) {
            if (!replayable(request)) {
              yield exchangeError(
                NetworkError.ContentReSendError,
                "Cannot re-send the request body after the connection closed: a stream body cannot be replayed",
              );
              return undefined;
            }
            if (resends < MAX_RESENDS) break;
          }
          yield event;
          return undefined;
        }
      } finally {
        if (!settled) {
          await events.return?.();
          // Stopped early (e.g. at a redirect's head): reusable when the rest of the response had arrived.
          this.#giveBack(key, connection, request);
        }
      }
    }
  }

  /** Pools a connection whose exchange is over, or closes it when it cannot carry another request. */
  #giveBack(key: string, connection: Http1Connection, request: ExchangeRequest): void {
    if (connection.reusable && !this.#unpoolable.has(connection)) {
      this.#pool.release(key, connection, idleTimeout(request));
    } else this.#pool.discard(key, connection);
  }

  /**
   * Opens a connection for `route`, yielding `connecting`, then for https
   * an `sslErrors` question (waiting for the next `next()` to ask whether they are
   * ignored, an `ask` event) and `encrypted`. Returns the connection or the error event.
   */
  async *#open(
    opener: SocketOpener,
    route: SocketRoute,
    request: OpenRequest,
    signal: AbortSignal,
    mayAskSslErrors = true,
  ): AsyncGenerator<ExchangeEvent, Opened | ExchangeErrorEvent> {
    yield { type: "connecting" };
    // One controller per new connection: the exchange's abort and close() both stop it.
    const controller = new AbortController();
    const stop = (): void => controller.abort(signal.aborted ? signal.reason : this.#closing.signal.reason);
    if (signal.aborted || this.#closing.signal.aborted) stop();
    signal.addEventListener("abort", stop, { once: true });
    this.#closing.signal.addEventListener("abort", stop, { once: true });
    // Whatever is still set here when the generator leaves is closed: a
    // consumer may stop (return()) at any yield.
    let stream: ByteStream | undefined;
    let unverified: { abandon(): void } | undefined;
    let connection: Http1Connection | undefined;
    try {
      const connect = { hostname: route.hostname, port: route.port, signal: controller.signal };
      const proxy = route.proxy;
      if (proxy !== undefined || route.tls === undefined) stream = await connectRoute(opener, connect, proxy);
      if (route.tls === undefined) {
        const plain = new Http1Connection(stream!);
        stream = undefined;
        return { connection: plain, poolable: true };
      }
      let outcome;
      if (stream !== undefined) {
        // A 407 asks the user once for credentials, then tries again on a new
        // connection (the proxy may close the refused one); credentials that
        // worked are sent pre-emptively to the same proxy afterwards.
        const proxyKey = proxy!.href;
        let authorization = this.#proxyCredentials.get(proxyKey);
        for (let asked = false;;) {
          try {
            await openProxyTunnel(stream!, {
              authority: route.tunnel!,
              proxy: proxy!,
              authorization,
              signal: controller.signal,
            });
            if (asked && authorization !== undefined) this.#proxyCredentials.set(proxyKey, authorization);
            break;
          } catch (error) {
            stream = undefined; // openProxyTunnel closed it
            const challenge = error instanceof ProxyAuthenticationError ? error.challenge : undefined;
            if (asked || challenge?.scheme.toLowerCase() !== "basic") throw error;
            asked = true;
            this.#proxyCredentials.delete(proxyKey);
            const authenticator = new Authenticator({ realm: challenge.realm, scheme: challenge.scheme });
            const question: UserQuestion = {
              kind: "proxyAuthentication",
              proxy: new URL(proxyKey),
              authenticator,
            };
            yield { type: "ask", question };
            if (controller.signal.aborted) return stoppedEvent(signal);
            if (!request.answer(question)) throw error;
            authorization = basicAuthorization(authenticator.user, authenticator.password);
            stream = await connectRoute(opener, connect, proxy);
          }
        }
        const tunnel = stream!;
        stream = undefined; // startTls owns it now
        outcome = await opener.startTls(tunnel, {
          tls: tlsFor(route.tls, request),
          signal: controller.signal,
        });
      } else {
        outcome = await opener.connectTls({ ...connect, tls: tlsFor(route.tls, request) });
      }
      let poolable = true;
      if (outcome.kind === "unverified") {
        unverified = outcome;
        const question: UserQuestion = { kind: "sslErrors", errors: outcome.errors };
        // A re-send past `encrypted` cannot ask again: the answer the user already gave stands.
        if (mayAskSslErrors) yield { type: "ask", question };
        if (controller.signal.aborted) return stoppedEvent(signal);
        if (!request.answer(question)) return unignoredSslErrors(outcome.errors);
        unverified = undefined;
        connection = new Http1Connection(outcome.proceed());
        poolable = false;
      } else {
        connection = new Http1Connection(outcome.stream);
      }
      yield { type: "encrypted", configuration: outcome.configuration };
      // Aborted inside `encrypted`: nothing is sent.
      if (controller.signal.aborted) return stoppedEvent(signal);
      const opened = { connection, poolable };
      connection = undefined; // handed over
      return opened;
    } catch (error) {
      if (controller.signal.aborted && !signal.aborted) return closedEvent();
      const failure = openFailure(error, signal);
      // Errors known only by kind (Deno without --allow-sys) cannot be ignored, but are shown, as on fetch.
      if (mayAskSslErrors && !signal.aborted && error instanceof SocketOpenError && error.sslErrors?.length) {
        yield { type: "ask", question: { kind: "sslErrors", errors: error.sslErrors } };
      }
      return failure;
    } finally {
      stream?.close();
      unverified?.abandon();
      connection?.close();
      signal.removeEventListener("abort", stop);
      this.#closing.signal.removeEventListener("abort", stop);
    }
  }
}

/** The request's ConnectionCacheExpiryTimeoutSecondsAttribute in ms, if set. */
function idleTimeout(request: ExchangeRequest): number | undefined {
  const seconds = request.options.connectionCacheExpiry;
  return seconds === undefined ? undefined : seconds * 1000;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The request as the connection writes it: target form, Host, and for http
 * through a proxy Basic credentials (`given` by the user, else the proxy URL's).
 */
function wireRequest(request: ExchangeRequest, route: SocketRoute, given?: string): WireRequest {
  let headers = request.headers;
  if (route.absoluteForm && route.proxy !== undefined && !headers.contains("proxy-authorization")) {
    const authorization = given ?? proxyAuthorization(route.proxy);
    if (authorization !== undefined) {
      headers = new HttpHeaders(headers);
      headers.append("proxy-authorization", authorization);
    }
  }
  return {
    method: request.method,
    target: requestTarget(request.url, route.absoluteForm),
    host: hostFieldValue(request.url),
    headers,
    body: request.body,
    decompress: request.decompress,
    decompressedSafetyCheckThreshold: request.decompressedSafetyCheckThreshold,
  };
}
