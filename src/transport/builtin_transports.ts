/**
 * The built-in transports, each loaded with a dynamic `import()` on first
 * use: `"fetch"` (the default) and `"socket"`. Nothing here imports them
 * statically, so a program on fetch never loads the HTTP/1.1 engine or
 * `node:tls`, and one on sockets never loads the fetch transport.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { builtinTransport } from "./builtin_transports.ts";
 * const transport = builtinTransport("fetch");
 * equal(transport.name, "fetch");
 * equal(transport.loaded, undefined);
 * await transport.close();
 * ```
 *
 * @module
 */

import { LazyTransport } from "./lazy_transport.ts";
import { checkOptionKeys } from "../core/option_keys.ts";

/**
 * Options for {@linkcode FetchTransport}.
 *
 * @example A fetch of your own (a service binding, a stub)
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { FetchTransport, NetworkAccessManager } from "@netreply/netreply";
 * const transport = new FetchTransport({ fetch: () => Promise.resolve(new Response("stubbed")) });
 * await using nam = new NetworkAccessManager({ transport });
 * equal(await nam.get("http://any.test/").text(), "stubbed");
 * ```
 */
export interface FetchTransportOptions {
  /**
   * The `fetch` to call instead of `globalThis.fetch`, e.g. a Cloudflare
   * service binding's `fetch`. Runtime detection (what the runtime decodes,
   * how TLS and proxies are set) still follows the runtime netreply runs on.
   */
  fetch?: typeof globalThis.fetch;
}

const FETCH_TRANSPORT_OPTION_KEYS: ReadonlySet<string> = new Set(["fetch"]);
const SOCKET_TRANSPORT_OPTION_KEYS: ReadonlySet<string> = new Set(["maxConnectionsPerHost", "idleTimeout"]);

/**
 * The fetch transport (the default): one `fetch()` per hop on whatever
 * runtime netreply runs on. Its implementation (`src/transport/fetch/`) is
 * loaded on the first exchange; what it can and cannot see is in
 * docs/fetch-transport.md.
 *
 * @example A Cloudflare service binding's fetch, or any other
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { FetchTransport, NetworkAccessManager } from "@netreply/netreply";
 * const calls: string[] = [];
 * const transport = new FetchTransport({
 *   fetch: (input) => {
 *     calls.push(String(input));
 *     return Promise.resolve(new Response("from the binding"));
 *   },
 * });
 * await using nam = new NetworkAccessManager({ transport });
 * equal(await nam.get("http://service.internal/").text(), "from the binding");
 * deepEqual(calls, ["http://service.internal/"]);
 * ```
 */
export class FetchTransport extends LazyTransport {
  /**
   * Creates a fetch transport; nothing is loaded or held until it is used.
   *
   * @param options A replacement `fetch`, if any.
   */
  constructor(options: FetchTransportOptions = {}) {
    checkOptionKeys(options, FETCH_TRANSPORT_OPTION_KEYS, "new FetchTransport()");
    super("fetch", async () => {
      const { FetchTransport: Loaded } = await import("./fetch/fetch_transport.ts");
      return new Loaded(options);
    });
  }
}

/**
 * Options for {@linkcode SocketTransport}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, SocketTransport } from "@netreply/netreply";
 * const transport = new SocketTransport({ maxConnectionsPerHost: 16, idleTimeout: 30_000 });
 * await using nam = new NetworkAccessManager({ transport });
 * equal(transport.name, "socket");
 * ```
 */
export interface SocketTransportOptions {
  /**
   * Connections open at once per origin (with its proxy and TLS settings);
   * further requests wait for one in order. Default 6, as Qt's HTTP/1.1
   * connection count per host.
   */
  maxConnectionsPerHost?: number;
  /**
   * Milliseconds an idle keep-alive connection is kept for reuse. Default
   * 120 000 (Qt's 120 s); 0 closes each connection once its response is read.
   */
  idleTimeout?: number;
}

function checkOption(name: keyof SocketTransportOptions, value: number | undefined, minimum: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(
      `SocketTransport: ${name} must be an integer ≥ ${minimum}, got ${
        typeof value === "number" ? value : typeof value
      }`,
    );
  }
}

/**
 * The socket transport: netreply's own HTTP/1.1 engine over the runtime's
 * TCP and TLS sockets (Deno, Node and Bun, workerd), with the connection
 * events, certificates, reason phrases and header order fetch hides. Its
 * implementation (`src/transport/socket/`) is loaded on the first exchange.
 * `transport: "socket"` is this transport with its defaults; construct it to
 * change the pool limits.
 *
 * @example Two connections per host at most
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { NetworkAccessManager, SocketTransport } from "@netreply/netreply";
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("hi"));
 * const transport = new SocketTransport({ maxConnectionsPerHost: 2, idleTimeout: 5_000 });
 * await using nam = new NetworkAccessManager({ transport, proxy: null });
 * const replies = [1, 2, 3].map(() => nam.get(`http://127.0.0.1:${server.addr.port}/`));
 * deepEqual(await Promise.all(replies.map((reply) => reply.text())), [ "hi", "hi", "hi" ]);
 * ```
 */
export class SocketTransport extends LazyTransport {
  /**
   * Creates a socket transport; nothing is loaded or opened until it is used.
   *
   * @param options The pool limits.
   * @throws {RangeError} If `maxConnectionsPerHost` is not an integer ≥ 1 or `idleTimeout` not one ≥ 0.
   */
  constructor(options: SocketTransportOptions = {}) {
    checkOptionKeys(options, SOCKET_TRANSPORT_OPTION_KEYS, "new SocketTransport()");
    checkOption("maxConnectionsPerHost", options.maxConnectionsPerHost, 1);
    checkOption("idleTimeout", options.idleTimeout, 0);
    const { maxConnectionsPerHost, idleTimeout } = options;
    super("socket", async () => {
      const { SocketTransport: Loaded } = await import("./socket/socket_transport.ts");
      return new Loaded({ maxConnectionsPerHost, idleTimeout });
    });
  }
}

/**
 * A built-in transport by name, loaded on first use.
 *
 * @param name `"fetch"` or `"socket"`.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { builtinTransport } from "./builtin_transports.ts";
 * equal(builtinTransport("socket").name, "socket");
 * ```
 */
export function builtinTransport(name: "fetch" | "socket"): LazyTransport {
  return name === "fetch" ? new FetchTransport() : new SocketTransport();
}
