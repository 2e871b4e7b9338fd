/**
 * {@linkcode runtimeOptions}: what a request's TLS, proxy and HTTP-version
 * settings become on this runtime's `fetch` — extra `RequestInit` members
 * (Deno's `client`, Bun's `tls` and `proxy`), or a refusal naming the runtime
 * and the way out when the runtime's `fetch` cannot express them.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { runtimeOptions } from "./runtime_options.ts";
 * import { HttpClientCache } from "./http_clients.ts";
 * const clients = new HttpClientCache();
 * const options = runtimeOptions(
 *   { url: new URL("http://127.0.0.1/"), options: { http2Allowed: true } },
 *   "node",
 *   clients,
 * );
 * deepEqual(options, { kind: "options", init: {} });
 * ```
 *
 * @module
 */

import { NetworkError } from "../../core/network_error.ts";
import type { ExchangeRequest } from "../transport.ts";
import { environmentProxyFor, type EnvironmentReader, processEnvironment } from "../environment_proxy.ts";
import type { HttpClientCache, HttpClientOptions } from "./http_clients.ts";
import { runtimeDisplayName, type RuntimeName } from "./runtime.ts";

/** The parts of an exchange request that decide the runtime options. */
export type RuntimeOptionsInput = Pick<
  ExchangeRequest,
  "url" | "options" | "sslConfiguration" | "proxy" | "peerVerifyName"
>;

/** The outcome of {@linkcode runtimeOptions}. */
export type RuntimeOptions =
  /** Extra members for the `RequestInit` (empty when the plain `fetch` will do). */
  | { readonly kind: "options"; readonly init: Record<string, unknown> }
  /** The runtime's `fetch` cannot do what the request asks. */
  | { readonly kind: "refused"; readonly code: NetworkError; readonly message: string };

/** How messages point to what fetch cannot do. */
export const SOCKET_TRANSPORT_HINT = 'use the socket transport ({ transport: "socket" })';

/** The answer for most requests: the plain `fetch` will do. */
const PLAIN: RuntimeOptions = Object.freeze({ kind: "options", init: Object.freeze({}) });

function refused(code: NetworkError, message: string): RuntimeOptions {
  return { kind: "refused", code, message };
}

/**
 * Maps a request's per-request settings onto the runtime's `fetch`.
 *
 * - TLS (`sslConfiguration.caCertificates`, `localCertificate` + `privateKey`,
 *   https only): a Deno HTTP client, Bun's `tls` option; refused elsewhere.
 * - HTTP versions (https on Deno only): `allowedNextProtocols` and
 *   `Http2AllowedAttribute = false` become the client's `http1`/`http2`.
 * - Proxy URL: a Deno HTTP client (credentials from the URL), Bun's `proxy`
 *   option; refused elsewhere. `null` (direct) while the environment names a
 *   proxy for the URL: a Deno client that connects straight to the target for
 *   http:, refused for https: (Deno's fetch cannot bypass its environment
 *   proxy there; on Bun, how to bypass it is unverified, so refused too).
 *   On Deno the environment is read only as far as `--allow-env` grants it.
 *   `undefined`: the runtime's own environment handling.
 *
 * @param request The request's URL, options, TLS, proxy and peer name.
 * @param runtime The runtime whose `fetch` is used.
 * @param clients Where Deno HTTP clients are made and kept.
 * @param environment Reads the environment for `proxy: null` (the transport
 *   passes a reader that reads each variable once).
 * @throws What `Deno.createHttpClient` throws (e.g. `NotCapable` for a proxy
 * host outside `--allow-net`); the caller classifies it.
 */
export function runtimeOptions(
  request: RuntimeOptionsInput,
  runtime: RuntimeName,
  clients: HttpClientCache,
  environment: () => EnvironmentReader | undefined = processEnvironment,
): RuntimeOptions {
  const { url } = request;
  const https = url.protocol === "https:";
  // No proxy to apply, and for https nothing that needs TLS or HTTP-version options.
  if (
    (request.proxy === undefined ||
      (request.proxy === null && environmentProxy(url, runtime, environment) === undefined)) &&
    (!https || (request.sslConfiguration === undefined && !request.peerVerifyName &&
      request.options.http2Allowed))
  ) {
    return PLAIN;
  }
  const name = runtimeDisplayName[runtime];

  if (https && request.peerVerifyName && request.peerVerifyName !== url.hostname) {
    return refused(
      NetworkError.ProtocolInvalidOperationError,
      `Cannot verify the certificate of ${url.host} against peerVerifyName "${request.peerVerifyName}" over fetch: ` +
        SOCKET_TRANSPORT_HINT,
    );
  }

  const ssl = https ? request.sslConfiguration : undefined;
  const caCerts = ssl?.caCertificates?.length ? ssl.caCertificates : undefined;
  const cert = ssl?.localCertificate || undefined;
  const key = ssl?.privateKey || undefined;
  if ((cert === undefined) !== (key === undefined)) {
    return refused(
      NetworkError.SslHandshakeFailedError,
      `SSL handshake failed: sslConfiguration.${cert ? "localCertificate" : "privateKey"} is set without ` +
        `${cert ? "privateKey" : "localCertificate"}`,
    );
  }
  const wantsTls = caCerts !== undefined || cert !== undefined;

  const protocols = https && runtime === "deno" ? httpVersions(request) : undefined;
  if (protocols && !protocols.http1 && !protocols.http2) {
    return refused(
      NetworkError.SslHandshakeFailedError,
      `SSL handshake failed: none of allowedNextProtocols (${ssl?.allowedNextProtocols?.join(", ")}) ` +
        `is one ${name}'s fetch speaks (h2, http/1.1)`,
    );
  }

  const proxy = proxyChoice(request, runtime, environment);
  if (proxy.kind === "refused") return proxy;

  switch (runtime) {
    case "deno": {
      const options: HttpClientOptions = {
        ...(caCerts ? { caCerts: [...caCerts] } : {}),
        ...(cert && key ? { cert, key } : {}),
        ...(proxy.kind === "deno" ? { proxy: proxy.proxy } : {}),
        ...(protocols && !(protocols.http1 && protocols.http2) ? protocols : {}),
      };
      return {
        kind: "options",
        init: Object.keys(options).length > 0 ? { client: clients.get(options) } : {},
      };
    }
    case "bun": {
      const init: Record<string, unknown> = {};
      if (wantsTls) {
        init.tls = { ...(caCerts ? { ca: [...caCerts] } : {}), ...(cert && key ? { cert, key } : {}) };
      }
      if (proxy.kind === "url") init.proxy = proxy.url.href;
      return { kind: "options", init };
    }
    default:
      if (wantsTls) {
        return refused(
          NetworkError.ProtocolInvalidOperationError,
          `Cannot apply sslConfiguration (CA certificates or a client certificate) with fetch on ${name}: ` +
            SOCKET_TRANSPORT_HINT,
        );
      }
      return { kind: "options", init: {} };
  }
}

/** Per environment reader: whether it names no proxy at all (a memoized reader answers the same forever). */
const namesNoProxy = new WeakMap<EnvironmentReader, boolean>();

/**
 * The environment proxy the runtime's fetch would send a request to `url`
 * through (Deno and Bun read one), or `undefined` for a direct connection.
 */
function environmentProxy(
  url: URL,
  runtime: RuntimeName,
  environment: () => EnvironmentReader | undefined,
): string | undefined {
  if (runtime !== "deno" && runtime !== "bun") return undefined;
  const env = environment();
  if (env === undefined) return undefined;
  let none = namesNoProxy.get(env);
  if (none === undefined) {
    none = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"].every((name) => !env(name) && !env(name.toLowerCase()));
    namesNoProxy.set(env, none);
  }
  return none ? undefined : environmentProxyFor(url, env);
}

function httpVersions(request: RuntimeOptionsInput): { http1: boolean; http2: boolean } | undefined {
  const allowed = request.sslConfiguration?.allowedNextProtocols;
  const http2Allowed = request.options.http2Allowed;
  if (!allowed?.length) return http2Allowed ? undefined : { http1: true, http2: false };
  return { http1: allowed.includes("http/1.1"), http2: http2Allowed && allowed.includes("h2") };
}

type ProxyChoice =
  | { readonly kind: "runtime" }
  | { readonly kind: "url"; readonly url: URL }
  | { readonly kind: "deno"; readonly proxy: NonNullable<HttpClientOptions["proxy"]> }
  | { readonly kind: "refused"; readonly code: NetworkError; readonly message: string };

function proxyChoice(
  request: RuntimeOptionsInput,
  runtime: RuntimeName,
  environment: () => EnvironmentReader | undefined,
): ProxyChoice {
  const { url, proxy } = request;
  const name = runtimeDisplayName[runtime];
  if (proxy === undefined) return { kind: "runtime" };
  if (proxy === null) {
    const envProxy = environmentProxy(url, runtime, environment);
    if (envProxy === undefined) return { kind: "runtime" };
    if (runtime === "deno" && url.protocol === "http:") {
      // A "tcp" proxy transport connects to the given address for every request
      // and sends the request as to an origin: a direct connection the
      // environment cannot redirect. It carries no TLS, hence http: only.
      const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
      return { kind: "deno", proxy: { transport: "tcp", hostname, port: Number(url.port || 80) } };
    }
    return {
      kind: "refused",
      code: NetworkError.UnknownProxyError,
      message:
        `Cannot connect to ${url.host} directly: ${name}'s fetch sends it through the environment's proxy ` +
        `${redact(envProxy)} (set NO_PROXY=${url.hostname}, or ${SOCKET_TRANSPORT_HINT})`,
    };
  }
  if (runtime === "deno") {
    const bare = new URL(proxy.href);
    bare.username = "";
    bare.password = "";
    const basicAuth = proxy.username || proxy.password
      ? { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) }
      : undefined;
    return { kind: "deno", proxy: basicAuth ? { url: bare.href, basicAuth } : { url: bare.href } };
  }
  if (runtime === "bun") return { kind: "url", url: proxy };
  return {
    kind: "refused",
    code: NetworkError.UnknownProxyError,
    message: `Cannot send a request through the proxy ${redact(proxy.href)} with fetch on ${name}: ` +
      SOCKET_TRANSPORT_HINT,
  };
}

/** A proxy URL without its credentials, for messages. */
function redact(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = "";
    url.password = "";
    return url.host ? `${url.protocol}//${url.host}` : proxy;
  } catch {
    return proxy;
  }
}
