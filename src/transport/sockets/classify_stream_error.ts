/**
 * Classifies what a runtime threw while opening a socket or moving bytes on
 * it into a {@linkcode SocketOpenError}, with the same table the fetch
 * transport uses (src/core/runtime_error_classification.ts), so a refused
 * connection or a reset reads the same on both transports.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { classifyStreamError } from "./classify_stream_error.ts";
 * const error = Object.assign(new Error("Connection reset by peer (os error 104)"), { name: "ConnectionReset" });
 * equal(classifyStreamError(error).message, "Connection closed");
 * ```
 *
 * @module
 */

import { classifyRuntimeError, type FailurePhase } from "../../core/runtime_error_classification.ts";
import { SocketOpenError } from "./socket_open_error.ts";

/** Where a connection attempt went, for messages that name the host. */
export interface ConnectTarget {
  /** Host name or IP address (IPv6 without brackets). */
  readonly hostname: string;
  /** TCP port. */
  readonly port: number;
}

// Stream errors never name the host (refusal and lookup happen before a stream exists);
// the classifier still wants a URL.
const NO_TARGET: ConnectTarget = { hostname: "socket.invalid", port: 1 };

function targetUrl({ hostname, port }: ConnectTarget): URL {
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return new URL(`http://${host}:${port}/`);
}

function classify(error: unknown, phase: FailurePhase, target: ConnectTarget): SocketOpenError {
  if (error instanceof SocketOpenError) return error;
  const { code, message, sslErrors } = classifyRuntimeError({ error, phase, url: targetUrl(target) });
  return new SocketOpenError(code, message, { cause: error, sslErrors });
}

/**
 * Maps an error thrown by `ByteStream.read`/`write` to Qt's code and message
 * (a reset or broken pipe is `RemoteHostClosedError`, …). A
 * {@linkcode SocketOpenError} is returned as is.
 *
 * @param error What the runtime threw.
 * @returns The classified error, with the runtime's error as its `cause`.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { classifyStreamError } from "./classify_stream_error.ts";
 * import { NetworkError } from "../../core/network_error.ts";
 * const error = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
 * equal(classifyStreamError(error).code, NetworkError.RemoteHostClosedError);
 * ```
 */
export function classifyStreamError(error: unknown): SocketOpenError {
  return classify(error, "body", NO_TARGET);
}

/**
 * Maps an error thrown while connecting (TCP or the TLS handshake) to Qt's
 * code and a message naming the host where it helps (`Host x not found`).
 *
 * @param error What the runtime threw.
 * @param target Where the connection went.
 * @returns The classified error, with the runtime's error as its `cause`.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { classifyConnectError } from "./classify_stream_error.ts";
 * const error = new Error("failed to lookup address information: Name or service not known");
 * equal(classifyConnectError(error, { hostname: "nohost.invalid", port: 80 }).message, "Host nohost.invalid not found");
 * ```
 */
export function classifyConnectError(error: unknown, target: ConnectTarget): SocketOpenError {
  return classify(error, "request", target);
}
