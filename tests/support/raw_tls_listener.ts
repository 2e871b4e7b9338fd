/**
 * A TLS listener on loopback (the committed `localhost` test certificate,
 * signed by the test CA), port 0, that hands each accepted connection to a
 * script and closes every connection it still holds when disposed: Qt's
 * SslServer, for tests that must see the raw bytes a client sends over TLS
 * (or that it sends none). The bookkeeping is tracked_listener.ts's.
 *
 * Needs `--allow-net=127.0.0.1,localhost` and `--allow-read=tests`.
 *
 * @example
 * ```ts
 * import { startRawTlsListener } from "./raw_tls_listener.ts";
 * import { caCertificate } from "./servers.ts";
 * await using server = startRawTlsListener(async (conn) => {
 *   await conn.write(new TextEncoder().encode("hello"));
 * });
 * const client = await Deno.connectTls({ hostname: "localhost", port: server.port, caCerts: [caCertificate()] });
 * const buffer = new Uint8Array(5);
 * await client.read(buffer);
 * console.log(new TextDecoder().decode(buffer)); // hello
 * client.close();
 * ```
 *
 * @module
 */

import { serverCertificate } from "./servers.ts";
import { startScriptedListener } from "./tracked_listener.ts";

/** A running TLS listener. */
export interface RawTlsListener extends AsyncDisposable {
  /** `https://localhost:<port>/`. */
  readonly url: URL;
  readonly port: number;
  /** How many connections were accepted. */
  readonly connectionCount: number;
  /** Closes one connection (the client sees the TLS session end); closing twice is harmless. */
  closeConnection(conn: Deno.TlsConn): void;
  /** Stops accepting, closes every connection and waits for every script to return. */
  close(): Promise<void>;
}

/** A TLS listener on 127.0.0.1, port 0, with the `localhost` test certificate. */
export function listenLocalhostTls(): Deno.TlsListener {
  return Deno.listenTls({ hostname: "127.0.0.1", port: 0, ...serverCertificate("localhost") });
}

/**
 * Listens with TLS on 127.0.0.1 (named `localhost` in the URL) and runs
 * `script` for each accepted connection with its index (0, 1, ...). The
 * connection is closed when the script returns or throws.
 */
export function startRawTlsListener(
  script: (conn: Deno.TlsConn, index: number) => Promise<void>,
): RawTlsListener {
  const listening = startScriptedListener(listenLocalhostTls(), script);
  return {
    url: new URL(`https://localhost:${listening.port}/`),
    port: listening.port,
    get connectionCount() {
      return listening.connectionCount;
    },
    closeConnection: listening.closeConnection,
    close: listening.close,
    [Symbol.asyncDispose]: listening.close,
  };
}
