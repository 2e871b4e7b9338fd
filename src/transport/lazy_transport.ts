/**
 * {@linkcode LazyTransport}: a transport whose implementation is loaded with
 * a dynamic `import()` on first use, so that code which never uses it (an
 * edge bundle on fetch never carries the socket engine or `node:tls`) does
 * not load it.
 *
 * The load happens once; after it every call goes straight to the loaded
 * transport (no promise hop per request). `connectToHost()` and
 * `clearConnectionCache()` made before the load is done are applied, in
 * order, once it is.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * import { LazyTransport } from "@netreply/netreply/transport";
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" }).reply(200, "hi");
 * const lazy = new LazyTransport("mock", () => Promise.resolve(mock));
 * await using nam = new NetworkAccessManager({ transport: lazy });
 * equal(await nam.get("http://example.test/").text(), "hi");
 * ```
 *
 * @module
 */

import { NetworkError } from "../core/network_error.ts";
import type { SslConfiguration } from "../core/ssl.ts";
import { exchangeError, type ExchangeEvent, type ExchangeRequest, type Transport } from "./transport.ts";

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A transport loaded on first use; see the module documentation.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { LazyTransport } from "@netreply/netreply/transport";
 * import { MockTransport } from "@netreply/netreply/testing";
 * let loads = 0;
 * const transport = new LazyTransport("mock", () => {
 *   loads++;
 *   const mock = new MockTransport();
 *   mock.intercept({}).reply(200, "loaded").persist();
 *   return Promise.resolve(mock);
 * });
 * await using nam = new NetworkAccessManager({ transport });
 * equal(loads, 0); // nothing loaded before the first exchange
 * equal(await nam.get("https://api.test/").text(), "loaded");
 * equal(await nam.get("https://api.test/").text(), "loaded");
 * equal(loads, 1);
 * ```
 */
export class LazyTransport implements Transport {
  /** The name of the transport it loads, e.g. `"fetch"`. */
  readonly name: string;
  readonly #load: () => Promise<Transport>;
  #loaded: Transport | undefined;
  #loading: Promise<Transport> | undefined;
  /** Calls made before the load finished, applied to the loaded transport in order. */
  #pending: ((transport: Transport) => void)[] = [];

  /**
   * Creates the transport; nothing is loaded until the first exchange,
   * `connectToHost()` or `clearConnectionCache()`.
   *
   * @param name The loaded transport's name.
   * @param load Loads and constructs the transport (a dynamic `import()`); a rejection fails each exchange.
   */
  constructor(name: string, load: () => Promise<Transport>) {
    this.name = name;
    this.#load = load;
  }

  /** The loaded transport, once the load is done. */
  get loaded(): Transport | undefined {
    return this.#loaded;
  }

  /** Loads the transport (once) and resolves with it; rejects with the load's error. */
  ensureLoaded(): Promise<Transport> {
    return this.#loading ??= this.#load().then((transport) => {
      this.#loaded = transport;
      const pending = this.#pending;
      this.#pending = [];
      for (const call of pending) call(transport);
      return transport;
    });
  }

  /** Starts one exchange: directly on the loaded transport, or after the load on the first ones. */
  exchange(request: ExchangeRequest, signal: AbortSignal): AsyncIterator<ExchangeEvent, undefined> {
    const loaded = this.#loaded;
    if (loaded !== undefined) return loaded.exchange(request, signal);
    return new DeferredExchange(this, request, signal);
  }

  /** Drops pooled idle connections (once loaded). */
  clearConnectionCache(): void {
    this.#whenLoaded((transport) => transport.clearConnectionCache?.());
  }

  /** Opens a connection ahead of time (once loaded). */
  connectToHost(url: URL, sslConfiguration?: SslConfiguration): void {
    this.#whenLoaded((transport) => transport.connectToHost?.(url, sslConfiguration));
  }

  /** Closes the loaded transport; waits for a load in progress. Never loads one. */
  async close(): Promise<void> {
    if (this.#loading === undefined) return;
    let transport: Transport;
    try {
      transport = await this.#loading;
    } catch {
      return; // nothing was loaded, nothing to close
    }
    await transport.close();
  }

  #whenLoaded(call: (transport: Transport) => void): void {
    if (this.#loaded !== undefined) return call(this.#loaded);
    this.#pending.push(call);
    // A failed load is reported by the exchanges that need the transport.
    this.ensureLoaded().catch(() => {});
  }
}

/** An exchange started before the transport was loaded: the first `next()` waits for the load. */
class DeferredExchange implements AsyncIterator<ExchangeEvent, undefined> {
  readonly #owner: LazyTransport;
  readonly #request: ExchangeRequest;
  readonly #signal: AbortSignal;
  #inner: AsyncIterator<ExchangeEvent, undefined> | undefined;
  #finished = false;

  constructor(owner: LazyTransport, request: ExchangeRequest, signal: AbortSignal) {
    this.#owner = owner;
    this.#request = request;
    this.#signal = signal;
  }

  async next(): Promise<IteratorResult<ExchangeEvent, undefined>> {
    if (this.#finished) return DONE;
    if (this.#inner === undefined) {
      let transport: Transport;
      try {
        transport = await this.#owner.ensureLoaded();
      } catch (cause) {
        this.#finished = true;
        const reason = cause instanceof Error ? cause.message : String(cause);
        return {
          done: false,
          value: exchangeError(
            NetworkError.UnknownNetworkError,
            `Cannot load the ${this.#owner.name} transport: ${reason}`,
            cause,
          ),
        };
      }
      // return() while loading: the exchange never starts.
      if (this.#finished || this.#signal.aborted) {
        this.#finished = true;
        return DONE;
      }
      this.#inner = transport.exchange(this.#request, this.#signal);
    }
    return this.#inner.next();
  }

  async return(): Promise<IteratorResult<ExchangeEvent, undefined>> {
    this.#finished = true;
    await this.#inner?.return?.();
    return DONE;
  }
}
