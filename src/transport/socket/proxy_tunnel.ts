/**
 * {@linkcode openProxyTunnel}: asks an HTTP proxy for a tunnel with CONNECT
 * (RFC 9110 §9.3.6) on an open connection to it, for an https: target.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { openProxyTunnel } from "./proxy_tunnel.ts";
 *
 * const sent: string[] = [];
 * const answer = [new TextEncoder().encode("HTTP/1.1 200 Connection established\r\n\r\n")];
 * const stream = {
 *   read: () => Promise.resolve(answer.shift() ?? null),
 *   write: (bytes: Uint8Array) => Promise.resolve(void sent.push(new TextDecoder().decode(bytes))),
 *   close: () => {},
 * };
 * await openProxyTunnel(stream, {
 *   authority: "example.test:443",
 *   proxy: new URL("http://127.0.0.1:3128"),
 *   signal: new AbortController().signal,
 * });
 * equal(sent[0].split("\r\n")[0], "CONNECT example.test:443 HTTP/1.1");
 * ```
 *
 * @module
 */

import { NetworkError } from "../../core/network_error.ts";
import { defaultErrorString } from "../../core/network_error_messages.ts";
import { ResponseParser } from "../../http1/response_parser.ts";
import { serializeRequestHead } from "../../http1/request_head.ts";
import { type ByteStream, SocketOpenError } from "../sockets/socket_opener.ts";
import { proxyAuthorization } from "./proxy_authorization.ts";
import { type AuthChallenge, parseAuthChallenges } from "../../core/auth_challenge.ts";

/** What a tunnel is for. */
export interface TunnelOptions {
  /** `host:port` of the target (IPv6 hosts in brackets). */
  readonly authority: string;
  /** The proxy; its user info, if any, becomes Basic Proxy-Authorization. */
  readonly proxy: URL;
  /** A Proxy-Authorization value to send instead of the proxy URL's credentials. */
  readonly authorization?: string;
  /** Aborting closes the stream and rejects with the signal's reason. */
  readonly signal: AbortSignal;
}

function proxyFailure(code: NetworkError, message: string): SocketOpenError {
  return new SocketOpenError(code, message);
}

/** A challenge from a Proxy-Authenticate field (RFC 9110 §11.7.1). */
export interface ProxyChallenge {
  /** The auth-scheme, e.g. `"Basic"`. */
  readonly scheme: string;
  /** The realm parameter ("" when absent). */
  readonly realm: string;
}

/**
 * The proxy answered CONNECT with 407: Qt's ProxyAuthenticationRequiredError, with the proxy's challenge.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { ProxyAuthenticationError } from "./proxy_tunnel.ts";
 * const error = new ProxyAuthenticationError("Proxy requires authentication", { scheme: "Basic", realm: "p" });
 * equal(error.code, 105);
 * equal(error.challenge?.realm, "p");
 * ```
 */
export class ProxyAuthenticationError extends SocketOpenError {
  /** The first challenge the proxy sent, if any. */
  readonly challenge: ProxyChallenge | undefined;

  /**
   * @param message Qt-style text.
   * @param challenge The proxy's first challenge.
   */
  constructor(message: string, challenge: ProxyChallenge | undefined) {
    super(NetworkError.ProxyAuthenticationRequiredError, message);
    this.name = "ProxyAuthenticationError";
    this.challenge = challenge;
  }
}

/**
 * The challenge of a Proxy-Authenticate field value the socket transport can
 * answer (Basic) or else the first one: its scheme and realm; `undefined` for
 * an empty, missing or malformed field (RFC 9110 §11.6.1).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { parseProxyChallenge } from "./proxy_tunnel.ts";
 * deepEqual(parseProxyChallenge('Basic realm="proxy"'), { scheme: "Basic", realm: "proxy" });
 * ```
 */
export function parseProxyChallenge(value: string | undefined): ProxyChallenge | undefined {
  let challenges: AuthChallenge[];
  try {
    challenges = parseAuthChallenges(value ?? "");
  } catch {
    return undefined;
  }
  const chosen = challenges.find((challenge) => challenge.scheme.toLowerCase() === "basic") ?? challenges[0];
  return chosen && { scheme: chosen.scheme, realm: chosen.params.realm ?? "" };
}

/**
 * Sends CONNECT on `stream` (a connection to the proxy) and reads the
 * proxy's answer. Resolves when the proxy answered 2xx: `stream` now carries
 * the tunnel. Rejects with a {@linkcode SocketOpenError}: a 407 is a
 * {@linkcode ProxyAuthenticationError}, any other answer `UnknownProxyError`
 * naming the status, a proxy that closes first `ProxyConnectionClosedError`;
 * or with the signal's reason on abort. On failure `stream` is closed.
 *
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { openProxyTunnel } from "./proxy_tunnel.ts";
 * const answer = [new TextEncoder().encode("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")];
 * const stream = { read: () => Promise.resolve(answer.shift() ?? null), write: () => Promise.resolve(), close() {} };
 * const options = { authority: "a.test:443", proxy: new URL("http://127.0.0.1:3128") };
 * await rejects(openProxyTunnel(stream, { ...options, signal: new AbortController().signal }), {
 *   message: "Proxy 127.0.0.1:3128 refused the tunnel to a.test:443: HTTP 403 Forbidden",
 * });
 * ```
 */
export async function openProxyTunnel(stream: ByteStream, options: TunnelOptions): Promise<void> {
  const { authority, proxy, signal } = options;
  const onAbort = (): void => stream.close();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const authorization = options.authorization ?? proxyAuthorization(proxy);
    const fields: [string, string][] = authorization === undefined
      ? []
      : [["proxy-authorization", authorization]];
    await stream.write(serializeRequestHead("CONNECT", authority, authority, fields, { kind: "none" }));
    const parser = new ResponseParser({ method: "CONNECT" });
    for (;;) {
      const bytes = await stream.read();
      if (signal.aborted) throw signal.reason;
      const events = bytes === null ? parser.finish() : parser.push(bytes);
      for (const event of events) {
        if (event.type === "head") {
          const { status, reasonPhrase } = event.head;
          if (status >= 200 && status < 300) return;
          if (status === 407) {
            throw new ProxyAuthenticationError(
              `${defaultErrorString(NetworkError.ProxyAuthenticationRequiredError)}: proxy ${proxy.host} ` +
                `answered CONNECT ${authority} with 407 ${reasonPhrase}`.trimEnd(),
              parseProxyChallenge(event.head.headers.value("proxy-authenticate")),
            );
          }
          throw proxyFailure(
            NetworkError.UnknownProxyError,
            `Proxy ${proxy.host} refused the tunnel to ${authority}: HTTP ${status} ${reasonPhrase}`
              .trimEnd(),
          );
        }
        if (event.type === "error") {
          throw event.code === NetworkError.RemoteHostClosedError
            ? proxyFailure(
              NetworkError.ProxyConnectionClosedError,
              defaultErrorString(NetworkError.ProxyConnectionClosedError),
            )
            : proxyFailure(
              NetworkError.UnknownProxyError,
              `Proxy ${proxy.host} sent an invalid answer to CONNECT: ${event.message}`,
            );
        }
      }
      if (bytes === null || parser.done) {
        throw proxyFailure(
          NetworkError.ProxyConnectionClosedError,
          defaultErrorString(NetworkError.ProxyConnectionClosedError),
        );
      }
    }
  } catch (error) {
    stream.close();
    if (signal.aborted) throw signal.reason;
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
