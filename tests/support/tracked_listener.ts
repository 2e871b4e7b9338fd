/**
 * A TCP listener on loopback, port 0, for the test servers that speak raw
 * bytes: it hands each accepted connection to a handler and keeps every open
 * connection, so that closing the listener ends them all and the test
 * sanitizers find nothing left open.
 *
 * @example
 * ```ts
 * import { startTrackedListener } from "./tracked_listener.ts";
 * const listening = startTrackedListener("127.0.0.1", (conn) => {
 *   void conn.write(new TextEncoder().encode("hello")).finally(() => listening.closeConnection(conn));
 * });
 * const client = await Deno.connect({ hostname: "127.0.0.1", port: listening.port });
 * const buffer = new Uint8Array(5);
 * await client.read(buffer);
 * console.log(new TextDecoder().decode(buffer)); // hello
 * client.close();
 * await listening.close();
 * ```
 *
 * @module
 */

/** A running listener and the connections it keeps. */
export interface TrackedListener {
  readonly port: number;
  /** How many connections were accepted. */
  readonly connectionCount: number;
  /** True once {@linkcode TrackedListener.close} was called. */
  readonly closing: boolean;
  /** Keeps a connection opened elsewhere (an upstream one, say) so that `close()` ends it too. */
  track(conn: Deno.Conn): void;
  /** Closes a kept connection; a connection no longer kept, or already closed by the runtime, is left alone. */
  closeConnection(conn: Deno.Conn): void;
  /** Stops accepting, closes every kept connection and waits until the accept loop has ended. */
  close(): Promise<void>;
}

/**
 * Listens on `hostname`, port 0, and calls `onConnection` with each accepted
 * connection and its index (0, 1, ...). A connection that arrives while
 * closing is closed at once.
 */
export function startTrackedListener(
  hostname: "127.0.0.1" | "::1",
  onConnection: (conn: Deno.Conn, index: number) => void,
): TrackedListener {
  const listener = Deno.listen({ hostname, port: 0 });
  const connections = new Set<Deno.Conn>();
  let connectionCount = 0;
  let closing = false;

  const closeConnection = (conn: Deno.Conn): void => {
    if (!connections.delete(conn)) return;
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
        connections.add(conn);
        onConnection(conn, connectionCount++);
      }
    } catch {
      // listener closed
    }
  })();

  return {
    port: listener.addr.port,
    get connectionCount() {
      return connectionCount;
    },
    get closing() {
      return closing;
    },
    track: (conn) => void connections.add(conn),
    closeConnection,
    async close() {
      if (closing) return;
      closing = true;
      listener.close();
      for (const conn of [...connections]) closeConnection(conn);
      await accepting;
    },
  };
}
