/**
 * The built-in transports, each loaded with a dynamic `import()` on first
 * use: `"fetch"` (the default) and `"socket"`. Nothing here imports them
 * statically, so a program on fetch never loads the HTTP/1.1 engine or
 * `node:tls`, and one on sockets never loads the fetch transport.
 *
 * @example
 * ```ts
 * import { builtinTransport } from "./builtin_transports.ts";
 * const transport = builtinTransport("socket");
 * console.log(transport.name); // socket (nothing loaded yet)
 * await transport.close();
 * ```
 *
 * @module
 */

import { LazyTransport } from "./lazy_transport.ts";
import type { ExchangeEvent, ExchangeRequest, Transport } from "./transport.ts";

/** Options for {@linkcode FetchTransport}. */
export interface FetchTransportOptions {
  /**
   * The `fetch` to call instead of `globalThis.fetch`, e.g. a Cloudflare
   * service binding's `fetch`. Runtime detection (what the runtime decodes,
   * how TLS and proxies are set) still follows the runtime netreply runs on.
   */
  fetch?: typeof globalThis.fetch;
}

/**
 * The fetch transport (the default): one `fetch()` per hop on whatever
 * runtime netreply runs on. Its implementation (`src/transport/fetch/`) is
 * loaded on the first exchange; what it can and cannot see is in the README
 * ("The fetch transport in detail").
 *
 * @example A Cloudflare service binding's fetch, or any other
 * ```ts
 * import { FetchTransport, NetworkAccessManager } from "@netreply/netreply";
 * const calls: string[] = [];
 * const transport = new FetchTransport({
 *   fetch: (input) => {
 *     calls.push(String(input));
 *     return Promise.resolve(new Response("from the binding"));
 *   },
 * });
 * await using nam = new NetworkAccessManager({ transport });
 * console.log(await nam.get("http://service.internal/").text(), calls); // from the binding [ "http://service.internal/" ]
 * ```
 */
export class FetchTransport implements Transport {
  /** `"fetch"`. */
  readonly name = "fetch";
  readonly #lazy: LazyTransport;

  /**
   * Creates a fetch transport; nothing is loaded or held until it is used.
   *
   * @param options A replacement `fetch`, if any.
   */
  constructor(options: FetchTransportOptions = {}) {
    this.#lazy = new LazyTransport("fetch", async () => {
      const { FetchTransport: Loaded } = await import("./fetch/fetch_transport.ts");
      return new Loaded(options);
    });
  }

  /**
   * Runs one hop with `fetch` (see {@linkcode Transport.exchange}).
   *
   * @param request The hop.
   * @param signal Aborts the hop.
   * @returns The hop's events.
   */
  exchange(request: ExchangeRequest, signal: AbortSignal): AsyncIterator<ExchangeEvent, undefined> {
    return this.#lazy.exchange(request, signal);
  }

  /**
   * Closes the transport if it was loaded.
   *
   * @returns When it is closed.
   */
  close(): Promise<void> {
    return this.#lazy.close();
  }
}

/**
 * A built-in transport by name, loaded on first use.
 *
 * @param name `"fetch"` or `"socket"`.
 * @example
 * ```ts
 * import { builtinTransport } from "./builtin_transports.ts";
 * console.log(builtinTransport("socket").name); // socket
 * ```
 */
export function builtinTransport(name: "fetch" | "socket"): Transport {
  if (name === "fetch") return new FetchTransport();
  return new LazyTransport("socket", async () => {
    const { SocketTransport } = await import("./socket/socket_transport.ts");
    return new SocketTransport();
  });
}
