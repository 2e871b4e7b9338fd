/**
 * A TCP listener on loopback, port 0, for the test servers that speak raw
 * bytes: it hands each accepted connection to a handler and keeps every open
 * connection, so that closing the listener ends them all and the test
 * sanitizers find nothing left open. The same bookkeeping serves any
 * `Deno.Listener` ({@linkcode trackConnections}, a TLS one included), and
 * {@linkcode startScriptedListener} runs a script per connection on top of it.
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
export interface TrackedListener<C extends Deno.Conn = Deno.Conn> {
  readonly port: number;
  /** How many connections were accepted. */
  readonly connectionCount: number;
  /** True once {@linkcode TrackedListener.close} was called. */
  readonly closing: boolean;
  /** Keeps a connection opened elsewhere (an upstream one, say) so that `close()` ends it too. */
  track(conn: C): void;
  /** Closes a kept connection; a connection no longer kept, or already closed by the runtime, is left alone. */
  closeConnection(conn: C): void;
  /** Stops accepting, closes every kept connection and waits until the accept loop has ended. */
  close(): Promise<void>;
}

/**
 * Accepts on `listener` (bound to a port) and calls `onConnection` with each
 * accepted connection and its index (0, 1, ...), keeping it until it is
 * closed through the result. A connection that arrives while closing is
 * closed at once.
 */
export function trackConnections<C extends Deno.Conn>(
  listener: Deno.Listener<C, Deno.NetAddr>,
  onConnection: (conn: C, index: number) => void,
): TrackedListener<C> {
  const connections = new Set<C>();
  let connectionCount = 0;
  let closing = false;

  const closeConnection = (conn: C): void => {
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

/**
 * Listens on `hostname`, port 0, and calls `onConnection` with each accepted
 * connection and its index (0, 1, ...). A connection that arrives while
 * closing is closed at once.
 */
export function startTrackedListener(
  hostname: "127.0.0.1" | "::1",
  onConnection: (conn: Deno.Conn, index: number) => void,
): TrackedListener {
  return trackConnections(Deno.listen({ hostname, port: 0 }), onConnection);
}

/**
 * Accepts on `listener` and runs `script` for each connection with its index
 * (0, 1, ...). The connection is closed when the script returns or throws (a
 * throw is the client going away, or the connection closed under the
 * script); `close()` stops accepting, closes every connection and waits for
 * every script to return.
 */
export function startScriptedListener<C extends Deno.Conn>(
  listener: Deno.Listener<C, Deno.NetAddr>,
  script: (conn: C, index: number) => Promise<void>,
): TrackedListener<C> {
  const scripts = new Set<Promise<void>>();
  const tracked = trackConnections(listener, (conn, index) => {
    const running = script(conn, index)
      .catch(() => {
        // the client went away, or the connection was closed under the script
      })
      .finally(() => {
        tracked.closeConnection(conn);
        scripts.delete(running);
      });
    scripts.add(running);
  });
  return {
    ...tracked,
    get connectionCount() {
      return tracked.connectionCount;
    },
    get closing() {
      return tracked.closing;
    },
    async close() {
      if (tracked.closing) return;
      await tracked.close();
      await Promise.all(scripts);
    },
  };
}
