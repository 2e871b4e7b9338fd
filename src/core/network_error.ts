/**
 * Qt's `QNetworkReply::NetworkError` codes, with Qt's numbers, plus the
 * netreply extension {@linkcode NetworkError.PermissionDeniedError}.
 *
 * Ranges follow Qt: 1–99 network, 101–199 proxy, 201–299 content,
 * 301–399 protocol, 401–499 server.
 *
 * @example Check a reply's error
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkError } from "@netreply/netreply";
 * const code: NetworkError = NetworkError.ContentNotFoundError;
 * equal(code, 203);
 * ```
 *
 * @module
 */

/**
 * Every Qt 6 network error code, plus `PermissionDeniedError` (98).
 *
 * @example A reply's error code
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError, networkErrorName } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/missing" }).reply(404, "no such thing");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("https://api.test/missing");
 * await reply.done;
 * equal(reply.error(), NetworkError.ContentNotFoundError);
 * equal(networkErrorName(reply.error()), "ContentNotFoundError");
 * equal(NetworkError.ContentNotFoundError, 203); // Qt's number
 * ```
 */
export const NetworkError = {
  NoError: 0,
  ConnectionRefusedError: 1,
  RemoteHostClosedError: 2,
  HostNotFoundError: 3,
  TimeoutError: 4,
  OperationCanceledError: 5,
  SslHandshakeFailedError: 6,
  TemporaryNetworkFailureError: 7,
  NetworkSessionFailedError: 8,
  BackgroundRequestNotAllowedError: 9,
  TooManyRedirectsError: 10,
  InsecureRedirectError: 11,
  /** netreply extension: the runtime refused net access (Deno's `NotCapable`). */
  PermissionDeniedError: 98,
  UnknownNetworkError: 99,
  ProxyConnectionRefusedError: 101,
  ProxyConnectionClosedError: 102,
  ProxyNotFoundError: 103,
  ProxyTimeoutError: 104,
  ProxyAuthenticationRequiredError: 105,
  UnknownProxyError: 199,
  ContentAccessDenied: 201,
  ContentOperationNotPermittedError: 202,
  ContentNotFoundError: 203,
  AuthenticationRequiredError: 204,
  ContentReSendError: 205,
  ContentConflictError: 206,
  ContentGoneError: 207,
  UnknownContentError: 299,
  ProtocolUnknownError: 301,
  ProtocolInvalidOperationError: 302,
  ProtocolFailure: 399,
  InternalServerError: 401,
  OperationNotImplementedError: 402,
  ServiceUnavailableError: 403,
  UnknownServerError: 499,
} as const;

/** One of the {@linkcode NetworkError} numbers. */
export type NetworkError = typeof NetworkError[keyof typeof NetworkError];

const namesByCode: ReadonlyMap<number, string> = new Map(
  Object.entries(NetworkError).map(([name, code]) => [code, name]),
);

/**
 * The enum name of a {@linkcode NetworkError} code, e.g. `"TimeoutError"` for 4.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkError, networkErrorName } from "@netreply/netreply";
 * equal(networkErrorName(NetworkError.TimeoutError), "TimeoutError");
 * ```
 */
export function networkErrorName(code: NetworkError): string {
  return namesByCode.get(code) ?? `NetworkError(${code})`;
}

/**
 * Qt's HTTP status → {@linkcode NetworkError} mapping (Qt's QNetworkReply::NetworkError documentation).
 * Statuses below 400 are never errors.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkError, networkErrorForHttpStatus } from "@netreply/netreply";
 * equal(networkErrorForHttpStatus(404), NetworkError.ContentNotFoundError);
 * equal(networkErrorForHttpStatus(502), NetworkError.UnknownServerError);
 * ```
 */
export function networkErrorForHttpStatus(status: number): NetworkError {
  if (status < 400) return NetworkError.NoError;
  switch (status) {
    case 400:
    case 418:
      return NetworkError.ProtocolInvalidOperationError;
    case 401:
      return NetworkError.AuthenticationRequiredError;
    case 403:
      return NetworkError.ContentAccessDenied;
    case 404:
      return NetworkError.ContentNotFoundError;
    case 405:
      return NetworkError.ContentOperationNotPermittedError;
    case 407:
      return NetworkError.ProxyAuthenticationRequiredError;
    case 409:
      return NetworkError.ContentConflictError;
    case 410:
      return NetworkError.ContentGoneError;
    case 500:
      return NetworkError.InternalServerError;
    case 501:
      return NetworkError.OperationNotImplementedError;
    case 503:
      return NetworkError.ServiceUnavailableError;
  }
  return status > 500 ? NetworkError.UnknownServerError : NetworkError.UnknownContentError;
}
