/**
 * A raw HTTP/1.1 test server: it parses each request (head, then a
 * Content-Length or chunked body) and lets the test answer with exact bytes —
 * truncated bodies, odd framings, silence, early closes — like Qt's
 * MiniHttpServer.
 *
 * Listens on 127.0.0.1 (or ::1), port 0. Needs `--allow-net=127.0.0.1` (or `[::1]`).
 *
 * @example Canned response
 * ```ts
 * import { startRawHttpServer } from "./raw_http_server.ts";
 * await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
 * console.log(await (await fetch(server.url)).text()); // hi
 * console.log(server.requests[0].method); // GET
 * ```
 *
 * @example Scripted response: the body stops short
 * ```ts
 * import { startRawHttpServer } from "./raw_http_server.ts";
 * await using server = startRawHttpServer(async (exchange) => {
 *   await exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
 *   exchange.close();
 * });
 * const response = await fetch(server.url);
 * await response.text().catch((e) => console.log(e.message)); // error reading a body from connection
 * ```
 *
 * @module
 */

import { type RawRequest, readRawRequest, RequestReader } from "./http_wire.ts";
import { startTrackedListener } from "./tracked_listener.ts";

export { headerOf, type RawRequest } from "./http_wire.ts";

const encoder = new TextEncoder();

/** One received request and the means to answer it byte by byte. */
export interface RawExchange {
  readonly request: RawRequest;
  /** Writes bytes (a string is sent as UTF-8). Rejects if the client has gone. */
  write(data: string | Uint8Array): Promise<void>;
  /** Waits `ms` milliseconds (ends early, without error, when the server closes). */
  pause(ms: number): Promise<void>;
  /** Closes the connection (the client sees EOF). */
  close(): void;
  /** Resolves when the connection is closed by either side or the server closes. */
  readonly closed: Promise<void>;
}

/**
 * How the server answers: fixed bytes (then it closes the connection, unless
 * `keepAlive`), or a function that scripts the answer.
 */
export type RawResponder = string | Uint8Array | ((exchange: RawExchange) => void | Promise<void>);

/** A responder that never answers: the connection stays open until the client or the server closes it. */
export const silent: RawResponder = (exchange) => exchange.closed;

/**
 * A responder that writes `bytes` (a head and the start of a body, say) and
 * then sends nothing more: the connection stays open until the client or the
 * server closes it.
 */
export function stallAfter(bytes: string | Uint8Array): RawResponder {
  return async (exchange) => {
    await exchange.write(bytes);
    await exchange.closed;
  };
}

/** A running raw server. */
export interface RawHttpServer extends AsyncDisposable {
  /** e.g. `http://127.0.0.1:41234/`. */
  readonly url: URL;
  readonly port: number;
  /** Every request received so far, in order. */
  readonly requests: readonly RawRequest[];
  /** How many connections were accepted. */
  readonly connectionCount: number;
  /** The next request to arrive (or one that already arrived and was not awaited yet). */
  nextRequest(): Promise<RawRequest>;
  /** Closes the listener and every connection; does not wait for responders that never finish. */
  close(): Promise<void>;
}

/** Options for {@linkcode startRawHttpServer}. */
export interface RawHttpServerOptions {
  /** Default `"127.0.0.1"`. */
  readonly hostname?: "127.0.0.1" | "::1";
  /**
   * Keep the connection open after the responder finished and read the next
   * request from it. Default false: the server closes after each answer.
   */
  readonly keepAlive?: boolean;
}

/**
 * Starts a raw HTTP/1.1 server on loopback, port 0.
 *
 * @param respond Fixed response bytes, or a function that scripts the answer to each request.
 */
export function startRawHttpServer(respond: RawResponder, options: RawHttpServerOptions = {}): RawHttpServer {
  const hostname = options.hostname ?? "127.0.0.1";
  const requests: RawRequest[] = [];
  const waiting: ((request: RawRequest) => void)[] = [];
  let delivered = 0;
  const timers = new Set<{ id: ReturnType<typeof setTimeout>; resolve: () => void }>();
  let resolveServerClosed!: () => void;
  const serverClosed = new Promise<void>((resolve) => resolveServerClosed = resolve);

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (listening.closing) return resolve();
      const timer = {
        id: setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms),
        resolve,
      };
      timers.add(timer);
    });

  const serve = async (conn: Deno.Conn, index: number) => {
    const reader = new RequestReader(conn);
    let resolveClosed!: () => void;
    const connClosed = new Promise<void>((resolve) => resolveClosed = resolve);
    const closed = Promise.race([connClosed, serverClosed]);
    try {
      for (;;) {
        const request = await readRawRequest(reader, index);
        if (request === null) break;
        requests.push(request);
        const waiter = waiting.shift();
        if (waiter) {
          delivered++;
          waiter(request);
        }
        let closedByScript = false;
        const exchange: RawExchange = {
          request,
          async write(data) {
            const bytes = typeof data === "string" ? encoder.encode(data) : data;
            for (let offset = 0; offset < bytes.length;) offset += await conn.write(bytes.subarray(offset));
          },
          pause,
          close() {
            closedByScript = true;
            listening.closeConnection(conn);
            resolveClosed();
          },
          closed,
        };
        if (typeof respond === "function") await respond(exchange);
        else await exchange.write(respond);
        if (closedByScript || !options.keepAlive || listening.closing) break;
      }
    } catch {
      // The client went away or the server closed under the script: nothing to report.
    } finally {
      listening.closeConnection(conn);
      resolveClosed();
    }
  };

  const listening = startTrackedListener(hostname, (conn, index) => void serve(conn, index));

  const close = async () => {
    if (listening.closing) return;
    resolveServerClosed();
    for (const timer of timers) {
      clearTimeout(timer.id);
      timer.resolve();
    }
    timers.clear();
    await listening.close();
  };

  return {
    url: new URL(`http://${hostname === "::1" ? "[::1]" : hostname}:${listening.port}/`),
    port: listening.port,
    requests,
    get connectionCount() {
      return listening.connectionCount;
    },
    nextRequest() {
      if (delivered < requests.length) return Promise.resolve(requests[delivered++]);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
