/**
 * A TLS listener on loopback (the committed `localhost` test certificate,
 * signed by the test CA), port 0, that hands each accepted connection to a
 * script and closes every connection it still holds when disposed: Qt's
 * SslServer, for tests that must see the raw bytes a client sends over TLS
 * (or that it sends none).
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

/**
 * Listens with TLS on 127.0.0.1 (named `localhost` in the URL) and runs
 * `script` for each accepted connection with its index (0, 1, ...). The
 * connection is closed when the script returns or throws.
 */
export function startRawTlsListener(
  script: (conn: Deno.TlsConn, index: number) => Promise<void>,
): RawTlsListener {
  const listener = Deno.listenTls({ hostname: "127.0.0.1", port: 0, ...serverCertificate("localhost") });
  const open = new Set<Deno.TlsConn>();
  const scripts = new Set<Promise<void>>();
  let connectionCount = 0;
  let closing = false;

  const closeConnection = (conn: Deno.TlsConn): void => {
    if (!open.delete(conn)) return;
    try {
      conn.close();
    } catch {
      // already closed by the runtime
    }
  };

  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        if (closing) {
          conn.close();
          continue;
        }
        open.add(conn);
        const running = script(conn, connectionCount++)
          .catch(() => {
            // the client went away, or the connection was closed under the script
          })
          .finally(() => {
            closeConnection(conn);
            scripts.delete(running);
          });
        scripts.add(running);
      }
    } catch {
      // listener closed
    }
  })();

  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    listener.close();
    for (const conn of [...open]) closeConnection(conn);
    await accepting;
    await Promise.all(scripts);
  };

  return {
    url: new URL(`https://localhost:${listener.addr.port}/`),
    port: listener.addr.port,
    get connectionCount() {
      return connectionCount;
    },
    closeConnection,
    close,
    [Symbol.asyncDispose]: close,
  };
}
