/**
 * Which proxy the runtime's `fetch` takes from the environment for a URL,
 * so that a request that must go direct (`proxy: null`) can tell whether the
 * runtime would send it through a proxy anyway.
 *
 * The rules are Deno 2.9.6's, as measured (see this
 * module's tests): `HTTP_PROXY` for http:, `HTTPS_PROXY` for https:, then
 * `ALL_PROXY` (each also lower-case); `NO_PROXY` entries match a host name
 * exactly or as a domain suffix (`example.com` and `.example.com` both match
 * `a.example.com`), an IP exactly or by CIDR (`127.0.0.0/8`); entries with a
 * port never match and `*` is not special.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { environmentProxyFor } from "./environment_proxy.ts";
 * const env = { HTTP_PROXY: "http://proxy.test:3128", NO_PROXY: "localhost" };
 * equal(environmentProxyFor(new URL("http://example.test/"), (name) => env[name as keyof typeof env]), "http://proxy.test:3128");
 * ```
 *
 * @module
 */

/** Reads one environment variable; `undefined` when unset. */
export type EnvironmentReader = (name: string) => string | undefined;

function read(env: EnvironmentReader, name: string): string | undefined {
  const value = env(name) ?? env(name.toLowerCase());
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/**
 * The proxy the runtime's environment applies to `url`, or `undefined` for
 * a direct connection.
 *
 * @param url The request URL (http: or https:).
 * @param env Reads an environment variable.
 * @returns The proxy URL as written in the environment, or `undefined`.
 */
export function environmentProxyFor(url: URL, env: EnvironmentReader): string | undefined {
  const proxy = read(env, url.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY") ?? read(env, "ALL_PROXY");
  if (proxy === undefined) return undefined;
  const noProxy = read(env, "NO_PROXY");
  if (noProxy !== undefined && noProxyMatches(noProxy, url.hostname)) return undefined;
  return proxy;
}

function noProxyMatches(list: string, urlHostname: string): boolean {
  const host = urlHostname.startsWith("[") ? urlHostname.slice(1, -1) : urlHostname;
  return list.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "").some((entry) => {
    if (entry.includes("/")) return cidrContains(entry, host);
    const domain = entry.startsWith(".") ? entry.slice(1) : entry;
    return host === domain || host.endsWith(`.${domain}`);
  });
}

function cidrContains(cidr: string, host: string): boolean {
  const [network, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  const a = ipv4Bits(network);
  const b = ipv4Bits(host);
  if (a === undefined || b === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function ipv4Bits(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

interface EnvGlobals {
  Deno?: {
    env: { get(name: string): string | undefined };
    permissions?: { querySync?(descriptor: { name: "env"; variable: string }): { state: string } };
  };
  process?: { env?: Record<string, string | undefined> };
}

/**
 * Reads the process environment where the runtime has one. On Deno only the
 * variables `--allow-env` already grants are read: asking for others would
 * prompt on a terminal; they read as unset.
 */
export function processEnvironment(): EnvironmentReader | undefined {
  const g = globalThis as EnvGlobals;
  const deno = g.Deno;
  if (deno) {
    return (name) => {
      try {
        if (deno.permissions?.querySync?.({ name: "env", variable: name }).state !== "granted") {
          return undefined;
        }
        return deno.env.get(name);
      } catch {
        return undefined;
      }
    };
  }
  const env = g.process?.env;
  return env ? (name) => env[name] : undefined;
}

/**
 * {@linkcode processEnvironment}, with each variable read once: later reads
 * give the first answer. Deno's fetch reads the proxy variables once too,
 * when its HTTP client is created (measured on Deno 2.9.6: a variable set
 * after the first `fetch()` does not change where the default client sends
 * requests), and a permission query plus a read per variable per request
 * would cost more than the request's own bookkeeping.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { memoizedProcessEnvironment } from "./environment_proxy.ts";
 * const env = memoizedProcessEnvironment();
 * equal(env?.("NETREPLY_UNSET_EXAMPLE"), undefined);
 * ```
 */
export function memoizedProcessEnvironment(): EnvironmentReader | undefined {
  const env = processEnvironment();
  if (env === undefined) return undefined;
  const seen = new Map<string, string | undefined>();
  return (name) => {
    if (seen.has(name)) return seen.get(name);
    const value = env(name);
    seen.set(name, value);
    return value;
  };
}
