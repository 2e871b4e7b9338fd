/**
 * The CLI's exit codes: one per kind of failure a script may want to tell
 * apart, mapped from a finished reply's {@linkcode NetworkError} (and, for an
 * HTTP error, from the status class). The table is printed by `--help` and
 * listed in docs/cli.md.
 *
 * @module
 */

import { NetworkError } from "../mod.ts";

/**
 * The exit codes of the `netreply` CLI.
 *
 * @example Tell a refused connection from a 404 in a script
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { ExitCode, runCli } from "@netreply/netreply/cli";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * listener.close(); // nothing listens there any more
 * equal(await runCli(["-s", `http://127.0.0.1:${listener.addr.port}/`]), ExitCode.ConnectionRefused);
 * ```
 */
export const ExitCode = {
  /** The transfer finished without error (a 3xx that was not followed included). */
  Ok: 0,
  /** Any failure without a code of its own below. */
  Failure: 1,
  /** Bad command-line arguments. */
  Usage: 2,
  /** A local file (`-o`, `--cacert`, `@file`) or stdout could not be read or written. */
  LocalFile: 3,
  /** Deno refused an access the command needs; the message names the flag to add. */
  PermissionDenied: 4,
  /** The URL's scheme is not supported (only http: and https: are). */
  UnsupportedProtocol: 5,
  /** The host name could not be resolved. */
  HostNotFound: 6,
  /** The server refused the connection. */
  ConnectionRefused: 7,
  /** The server closed the connection, or the network failed mid-transfer. */
  ConnectionClosed: 8,
  /** `--timeout` elapsed without any data. */
  Timeout: 9,
  /** The TLS handshake failed (certificate or protocol). */
  Tls: 10,
  /** A redirect was refused: too many, insecure, or not allowed by the policy. */
  Redirect: 11,
  /** The proxy failed: refused, closed, not found, timed out or wants credentials. */
  Proxy: 12,
  /** The transfer was cancelled (e.g. Ctrl-C). */
  Canceled: 13,
  /** The server answered with a 4xx status (its body is still written). */
  HttpClientError: 40,
  /** The server answered with a 5xx status (its body is still written). */
  HttpServerError: 50,
} as const;

/** One of the {@linkcode ExitCode} numbers. */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];

/** Each exit code with a one-line meaning, in numeric order (for `--help` and the docs). */
export const EXIT_CODE_MEANINGS: readonly (readonly [ExitCode, string])[] = [
  [ExitCode.Ok, "success (a 3xx that was not followed included)"],
  [ExitCode.Failure, "any other failure (the message names netreply's NetworkError)"],
  [ExitCode.Usage, "bad arguments"],
  [ExitCode.LocalFile, "a local file (-o, --cacert, @file) or stdout could not be read or written"],
  [ExitCode.PermissionDenied, "Deno refused an access; the message names the --allow-* flag to add"],
  [ExitCode.UnsupportedProtocol, "unsupported URL scheme"],
  [ExitCode.HostNotFound, "host not found"],
  [ExitCode.ConnectionRefused, "connection refused"],
  [ExitCode.ConnectionClosed, "connection closed by the server, or the network failed"],
  [ExitCode.Timeout, "--timeout elapsed without data"],
  [ExitCode.Tls, "TLS handshake failed (certificate or protocol)"],
  [ExitCode.Redirect, "redirect refused (too many, insecure, or by the redirect policy)"],
  [ExitCode.Proxy, "proxy error (refused, closed, not found, timed out, wants credentials)"],
  [ExitCode.Canceled, "cancelled (Ctrl-C)"],
  [ExitCode.HttpClientError, "the server answered 4xx (the body is still written)"],
  [ExitCode.HttpServerError, "the server answered 5xx (the body is still written)"],
];

const exitCodeByError: ReadonlyMap<NetworkError, ExitCode> = new Map<NetworkError, ExitCode>([
  [NetworkError.NoError, ExitCode.Ok],
  [NetworkError.PermissionDeniedError, ExitCode.PermissionDenied],
  [NetworkError.ProtocolUnknownError, ExitCode.UnsupportedProtocol],
  [NetworkError.HostNotFoundError, ExitCode.HostNotFound],
  [NetworkError.ConnectionRefusedError, ExitCode.ConnectionRefused],
  [NetworkError.RemoteHostClosedError, ExitCode.ConnectionClosed],
  [NetworkError.TemporaryNetworkFailureError, ExitCode.ConnectionClosed],
  [NetworkError.NetworkSessionFailedError, ExitCode.ConnectionClosed],
  [NetworkError.UnknownNetworkError, ExitCode.ConnectionClosed],
  [NetworkError.TimeoutError, ExitCode.Timeout],
  [NetworkError.SslHandshakeFailedError, ExitCode.Tls],
  [NetworkError.TooManyRedirectsError, ExitCode.Redirect],
  [NetworkError.InsecureRedirectError, ExitCode.Redirect],
  [NetworkError.ProxyConnectionRefusedError, ExitCode.Proxy],
  [NetworkError.ProxyConnectionClosedError, ExitCode.Proxy],
  [NetworkError.ProxyNotFoundError, ExitCode.Proxy],
  [NetworkError.ProxyTimeoutError, ExitCode.Proxy],
  [NetworkError.ProxyAuthenticationRequiredError, ExitCode.Proxy],
  [NetworkError.UnknownProxyError, ExitCode.Proxy],
  [NetworkError.OperationCanceledError, ExitCode.Canceled],
]);

/**
 * The exit code for a finished reply: an HTTP error by its status class
 * (a proxy's own 407 is a proxy error), anything else by its
 * {@linkcode NetworkError}.
 *
 * @param error The reply's `error()`.
 * @param status The reply's HTTP status; 0 (as `reply.status`) or `undefined` when no response head arrived.
 * @returns The code the process exits with.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkError } from "../mod.ts";
 * import { ExitCode, exitCodeFor } from "./exit_codes.ts";
 *
 * assert.equal(exitCodeFor(NetworkError.ContentNotFoundError, 404), ExitCode.HttpClientError);
 * assert.equal(exitCodeFor(NetworkError.TimeoutError, undefined), ExitCode.Timeout);
 * ```
 */
export function exitCodeFor(error: NetworkError, status: number | undefined): ExitCode {
  const byError = exitCodeByError.get(error);
  if (byError !== undefined) return byError;
  if (status !== undefined && status >= 500) return ExitCode.HttpServerError;
  if (status !== undefined && status >= 400) return ExitCode.HttpClientError;
  return ExitCode.Failure;
}
