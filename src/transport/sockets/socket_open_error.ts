/**
 * {@linkcode SocketOpenError}: a failure to connect, to handshake or to move
 * bytes on a socket, already classified into Qt's code and message.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { SocketOpenError } from "./socket_open_error.ts";
 * import { NetworkError } from "../../core/network_error.ts";
 * const error = new SocketOpenError(NetworkError.ConnectionRefusedError, "Connection refused");
 * equal(error.code, NetworkError.ConnectionRefusedError);
 * equal(error.message, "Connection refused");
 * ```
 *
 * @module
 */

import type { NetworkError } from "../../core/network_error.ts";
import type { SslError } from "../../core/ssl.ts";

/**
 * A failure to connect or to handshake (or a failed read or write), already
 * classified into Qt's code and message.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { SocketOpenError } from "./socket_open_error.ts";
 * import { NetworkError } from "../../core/network_error.ts";
 * import { SslError } from "../../core/ssl.ts";
 * import { SslErrorKind } from "../../core/ssl_error_kind.ts";
 * const error = new SocketOpenError(NetworkError.SslHandshakeFailedError, "SSL handshake failed", {
 *   sslErrors: [new SslError(SslErrorKind.CertificateExpired)],
 * });
 * equal(error.sslErrors?.length, 1);
 * ```
 */
export class SocketOpenError extends Error {
  /** Qt's error code. */
  readonly code: NetworkError;
  /** For `SslHandshakeFailedError`: the certificate errors found (with certificates where known). */
  readonly sslErrors?: readonly SslError[];

  /** Creates a classified failure; `cause` keeps the runtime's own error. */
  constructor(
    code: NetworkError,
    message: string,
    options?: { readonly cause?: unknown; readonly sslErrors?: readonly SslError[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SocketOpenError";
    this.code = code;
    if (options?.sslErrors !== undefined) this.sslErrors = options.sslErrors;
  }
}
