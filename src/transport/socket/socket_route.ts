/**
 * {@linkcode socketRoute}: where and how the socket transport connects for a
 * request — directly or through an HTTP proxy (absolute-form requests for
 * http:, a CONNECT tunnel for https:), with which TLS settings — and the pool
 * key that identifies connections that can carry it (Qt: scheme, host, port,
 * proxy, peer verify name; here also the TLS trust and client certificate).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { socketRoute } from "./socket_route.ts";
 * const route = socketRoute(new URL("http://example.test/a"), {}, new URL("http://127.0.0.1:3128"));
 * equal(route.hostname, "127.0.0.1");
 * equal(route.port, 3128);
 * equal(route.absoluteForm, true);
 * ```
 *
 * @module
 */

import type { SslConfiguration } from "../../core/ssl.ts";
import { environmentProxyFor, type EnvironmentReader } from "../environment_proxy.ts";
import type { TlsOptions } from "../sockets/socket_opener.ts";

/** The TLS part of a request: what {@linkcode socketRoute} needs. */
export interface RouteTls {
  readonly sslConfiguration?: SslConfiguration;
  readonly peerVerifyName?: string;
}

/** How to reach the origin of a request. */
export interface SocketRoute {
  /** Connections with the same key are interchangeable. */
  readonly key: string;
  /** Where the TCP connection goes (the origin or the proxy); IPv6 without brackets. */
  readonly hostname: string;
  readonly port: number;
  /** The proxy, if one is used. */
  readonly proxy: URL | undefined;
  /** For https: the TLS handshake's settings. */
  readonly tls: TlsOptions | undefined;
  /** For https through a proxy: the CONNECT authority (`host:port`). */
  readonly tunnel: string | undefined;
  /** For http through a proxy: requests carry absolute-form targets. */
  readonly absoluteForm: boolean;
}

const HTTP_ALPN: readonly string[] = Object.freeze(["http/1.1"]);

function defaultPort(url: URL): number {
  if (url.port !== "") return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

function bare(hostname: string): string {
  return hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
}

/**
 * The proxy a request uses: `requested` itself when given, none for `null`,
 * and for `undefined` the environment's (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY,
 * NO_PROXY) as `env` reads it. A proxy written without a scheme is http.
 *
 * @throws TypeError When the environment names a proxy that is not a URL.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { chooseProxy } from "./socket_route.ts";
 * const env = (name: string) => name === "HTTP_PROXY" ? "127.0.0.1:3128" : undefined;
 * equal(chooseProxy(new URL("http://a.test/"), undefined, env)?.href, "http://127.0.0.1:3128/");
 * equal(chooseProxy(new URL("http://a.test/"), null, env), undefined);
 * ```
 */
export function chooseProxy(
  url: URL,
  requested: URL | null | undefined,
  env: EnvironmentReader | undefined,
): URL | undefined {
  if (requested !== undefined) return requested ?? undefined;
  if (env === undefined) return undefined;
  const written = environmentProxyFor(url, env);
  if (written === undefined) return undefined;
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(written) ? written : `http://${written}`;
  if (!URL.canParse(text)) {
    throw new TypeError(`Cannot use proxy "${written}" from the environment: not a URL`);
  }
  return new URL(text);
}

/**
 * The route for `url` through `proxy` (none when `undefined`).
 *
 * @param url The request URL (http: or https:).
 * @param tls The request's TLS configuration and peer verify name.
 * @param proxy The proxy from {@linkcode chooseProxy}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { socketRoute } from "./socket_route.ts";
 * const route = socketRoute(new URL("https://a.test/"), {}, new URL("http://127.0.0.1:3128"));
 * equal(route.tunnel, "a.test:443");
 * equal(route.tls?.serverName, "a.test");
 * ```
 */
export function socketRoute(url: URL, tls: RouteTls, proxy: URL | undefined): SocketRoute {
  const secure = url.protocol === "https:";
  const port = defaultPort(url);
  const authority = `${url.hostname}:${port}`;
  const ssl = tls.sslConfiguration;
  const serverName = bare(tls.peerVerifyName ?? url.hostname);
  const tlsOptions: TlsOptions | undefined = secure
    ? {
      serverName,
      caCertificates: ssl?.caCertificates,
      localCertificate: ssl?.localCertificate,
      privateKey: ssl?.privateKey,
      alpnProtocols: HTTP_ALPN,
      // Whether the errors can be ignored is asked only once they are known
      // (ExchangeRequest.answer); the full list is needed to ask. The transport
      // turns this off when the user could not ignore them anyway.
      inspectFailures: true,
    }
    : undefined;
  const key = [
    url.protocol,
    authority,
    proxy?.href ?? "",
    secure ? serverName : "",
    secure ? (ssl?.caCertificates ?? []).join("\n") : "",
    secure ? `${ssl?.localCertificate ?? ""}\n${ssl?.privateKey ?? ""}` : "",
  ].join("\u0000");
  return {
    key,
    hostname: bare(proxy?.hostname ?? url.hostname),
    port: proxy === undefined ? port : defaultPort(proxy),
    proxy,
    tls: tlsOptions,
    tunnel: secure && proxy !== undefined ? authority : undefined,
    absoluteForm: !secure && proxy !== undefined,
  };
}
