/**
 * {@linkcode defaultErrorString}: the Qt-style text for a
 * {@linkcode NetworkError} code when nothing more specific is known.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { defaultErrorString, NetworkError } from "@netreply/netreply";
 * equal(defaultErrorString(NetworkError.ConnectionRefusedError), "Connection refused");
 * ```
 *
 * @module
 */

import { NetworkError } from "./network_error.ts";

// Texts follow Qt's own strings (QHttpNetworkConnectionPrivate::errorDetail,
// QAbstractSocket and QNetworkReplyHttpImpl) where Qt has one that needs no
// argument; Qt's "Host %1 not found" loses its host here because this table
// is per code. Codes Qt only ever words through the HTTP status ("Error
// transferring <url> - server replied: <reason>") get a short generic text.
const messages: ReadonlyMap<number, string> = new Map<NetworkError, string>([
  // QIODevice::errorString() says this until an error occurs.
  [NetworkError.NoError, "Unknown error"],
  [NetworkError.ConnectionRefusedError, "Connection refused"],
  [NetworkError.RemoteHostClosedError, "Connection closed"],
  [NetworkError.HostNotFoundError, "Host not found"],
  [NetworkError.TimeoutError, "Operation timed out"],
  [NetworkError.OperationCanceledError, "Operation canceled"],
  [NetworkError.SslHandshakeFailedError, "SSL handshake failed"],
  [NetworkError.TemporaryNetworkFailureError, "Temporary network failure"],
  [NetworkError.NetworkSessionFailedError, "Network session error"],
  [NetworkError.BackgroundRequestNotAllowedError, "Background request not allowed"],
  [NetworkError.TooManyRedirectsError, "Too many redirects"],
  [NetworkError.InsecureRedirectError, "Insecure redirect"],
  [NetworkError.PermissionDeniedError, "Network access denied by the runtime"],
  [NetworkError.UnknownNetworkError, "Unknown network error"],
  [NetworkError.ProxyConnectionRefusedError, "Connection to proxy refused"],
  [NetworkError.ProxyConnectionClosedError, "Connection to proxy closed prematurely"],
  [NetworkError.ProxyNotFoundError, "Proxy server not found"],
  [NetworkError.ProxyTimeoutError, "Connection to proxy timed out"],
  [NetworkError.ProxyAuthenticationRequiredError, "Proxy requires authentication"],
  [NetworkError.UnknownProxyError, "Unknown proxy error"],
  [NetworkError.ContentAccessDenied, "Access denied"],
  [NetworkError.ContentOperationNotPermittedError, "Operation not permitted"],
  [NetworkError.ContentNotFoundError, "Content not found"],
  [NetworkError.AuthenticationRequiredError, "Host requires authentication"],
  [NetworkError.ContentReSendError, "The request body had to be re-sent but cannot be"],
  [NetworkError.ContentConflictError, "Content conflict"],
  [NetworkError.ContentGoneError, "Content gone"],
  [NetworkError.UnknownContentError, "Unknown content error"],
  [NetworkError.ProtocolUnknownError, "Unknown protocol specified"],
  [NetworkError.ProtocolInvalidOperationError, "Invalid operation for this protocol"],
  [NetworkError.ProtocolFailure, "Data corrupted"],
  [NetworkError.InternalServerError, "Internal server error"],
  [NetworkError.OperationNotImplementedError, "Operation not implemented"],
  [NetworkError.ServiceUnavailableError, "Service unavailable"],
  [NetworkError.UnknownServerError, "Unknown server error"],
]);

/**
 * The default, Qt-style error string for a {@linkcode NetworkError} code,
 * used when nothing more specific (a host name, a URL, the runtime's own
 * message) is known. Pure: the same code always gives the same text.
 *
 * `NoError` and numbers that are not a code give `"Unknown error"`, which is
 * what Qt's `errorString()` says before any error.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { defaultErrorString, NetworkError } from "@netreply/netreply";
 * equal(defaultErrorString(NetworkError.RemoteHostClosedError), "Connection closed");
 * equal(defaultErrorString(NetworkError.SslHandshakeFailedError), "SSL handshake failed");
 * equal(defaultErrorString(NetworkError.NoError), "Unknown error");
 * ```
 */
export function defaultErrorString(code: NetworkError): string {
  return messages.get(code) ?? "Unknown error";
}
