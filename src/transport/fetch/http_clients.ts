/**
 * {@linkcode HttpClientCache}: Deno HTTP clients (`Deno.createHttpClient`)
 * for requests whose TLS or proxy settings the default client cannot carry,
 * one per distinct configuration, all closed by `close()`.
 *
 * `Deno` is reached through `globalThis` at call time, so this module loads
 * on every runtime.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpClientCache } from "./http_clients.ts";
 * const clients = new HttpClientCache();
 * const a = clients.get({ http2: false });
 * equal(a, clients.get({ http2: false }));
 * clients.close();
 * ```
 *
 * @module
 */

/** The `Deno.createHttpClient` options the fetch transport uses. */
export interface HttpClientOptions {
  /** Extra trusted CAs (PEM), added to the runtime's roots. */
  readonly caCerts?: readonly string[];
  /** Client certificate chain (PEM) for mutual TLS. */
  readonly cert?: string;
  /** Client private key (PEM) for mutual TLS. */
  readonly key?: string;
  /** A proxy URL with its credentials, or a "tcp" transport that connects straight to one address. */
  readonly proxy?:
    | { readonly url: string; readonly basicAuth?: { readonly username: string; readonly password: string } }
    | { readonly transport: "tcp"; readonly hostname: string; readonly port: number };
  /** Whether HTTP/1.1 may be used (default true). */
  readonly http1?: boolean;
  /** Whether HTTP/2 may be used (default true). */
  readonly http2?: boolean;
}

/** What `Deno.createHttpClient` returns, as far as the transport needs it. */
export interface HttpClient {
  /** Closes the client and its pooled connections. */
  close(): void;
}

interface DenoGlobal {
  Deno?: { createHttpClient?(options: HttpClientOptions): HttpClient };
}

// Equal configurations must share a client whatever order their keys were written in.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) =>
      a < b ? -1 : 1
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Creates Deno HTTP clients on demand and keeps one per distinct configuration. */
export class HttpClientCache {
  readonly #clients = new Map<string, HttpClient>();

  /** Whether the runtime can create HTTP clients (Deno). */
  static get supported(): boolean {
    return typeof (globalThis as DenoGlobal).Deno?.createHttpClient === "function";
  }

  /**
   * The client for this configuration, created on first use.
   *
   * @throws What `Deno.createHttpClient` throws (e.g. `NotCapable` when the
   * proxy host is not in `--allow-net`, `TypeError` for a PEM it cannot read),
   * and a `TypeError` when the runtime has no `Deno.createHttpClient`.
   */
  get(options: HttpClientOptions): HttpClient {
    const key = canonicalJson(options);
    const existing = this.#clients.get(key);
    if (existing) return existing;
    const create = (globalThis as DenoGlobal).Deno?.createHttpClient;
    if (typeof create !== "function") {
      throw new TypeError("Cannot create an HTTP client: Deno.createHttpClient is missing");
    }
    const client = create({ ...options });
    this.#clients.set(key, client);
    return client;
  }

  /** How many clients are open. */
  get size(): number {
    return this.#clients.size;
  }

  /** Closes every client. The cache can be used again afterwards. */
  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}
