/**
 * {@linkcode SocketTransport}: netreply's own HTTP/1.1 engine over raw
 * sockets, with a connection pool, proxies and Qt's re-sends.
 *
 * @module
 */

import { NetworkError } from "../../core/network_error.ts";
import type { SslConfiguration } from "../../core/ssl.ts";
import { exchangeError, type ExchangeEvent, type ExchangeRequest, type Transport } from "../transport.ts";

/** Options for {@linkcode SocketTransport}. */
export interface SocketTransportOptions {
  /** Connections per pool key at most (Qt: 6). */
  readonly maxConnectionsPerHost?: number;
  /** Idle keep-alive connections are closed after this many ms (Qt: 120 s). */
  readonly idleTimeout?: number;
}

/**
 * The socket transport (work in progress: every exchange fails for now).
 *
 * @example
 * ```ts
 * import { SocketTransport } from "./socket_transport.ts";
 * const transport = new SocketTransport();
 * console.log(transport.name); // socket
 * await transport.close();
 * ```
 */
export class SocketTransport implements Transport {
  /** `"socket"`. */
  readonly name: "socket" = "socket";

  /**
   * @param _options Pool limits.
   */
  constructor(_options: SocketTransportOptions = {}) {}

  /** Runs one exchange. */
  async *exchange(_request: ExchangeRequest, _signal: AbortSignal): AsyncGenerator<ExchangeEvent, undefined> {
    yield exchangeError(NetworkError.ProtocolUnknownError, "The socket transport is not available yet");
    return undefined;
  }

  /** Closes idle connections. */
  clearConnectionCache(): void {}

  /** Opens one connection ahead of time. */
  connectToHost(_url: URL, _sslConfiguration?: SslConfiguration): void {}

  /** Frees everything. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
