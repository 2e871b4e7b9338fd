/**
 * netreply: Qt's network access model (QNetworkAccessManager, QNetworkRequest,
 * QNetworkReply) for Deno, Node, Bun and the edge. One reply object with Qt's
 * signals in Qt's order, Qt's error codes, redirect policies, transfer
 * timeouts, read-buffer backpressure and abort, over web-standard fetch.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/hello" }).reply(200, "hello");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("https://api.test/hello");
 * const progress: number[] = [];
 * reply.addEventListener("downloadProgress", (e) => progress.push(e.bytesReceived));
 * equal(await reply.text(), "hello");
 * equal(reply.error(), NetworkError.NoError);
 * equal(progress.at(-1), 5);
 * ```
 *
 * @module
 */

export { Attribute } from "./src/core/attribute.ts";
export { Authenticator } from "./src/core/authenticator.ts";
export { CacheLoadControl } from "./src/core/cache_load_control.ts";
export { HstsPolicy, type HstsPolicyJson } from "./src/core/hsts_policy.ts";
export type { HstsPoliciesJson } from "./src/core/hsts_store.ts";
export { formatHttpDate, parseHttpDate } from "./src/core/http_date.ts";
export { HttpHeaders } from "./src/core/http_headers.ts";
export { KnownHeader } from "./src/core/known_header.ts";
export {
  type CookieKnownHeader,
  knownHeaderName,
  type KnownHeaderValue,
  parseKnownHeader,
  serializeKnownHeader,
} from "./src/core/known_header_values.ts";
export { LoadControl } from "./src/core/load_control.ts";
export { NetworkError, networkErrorForHttpStatus, networkErrorName } from "./src/core/network_error.ts";
export { defaultErrorString } from "./src/core/network_error_messages.ts";
export { Operation } from "./src/core/operation.ts";
export { Priority } from "./src/core/priority.ts";
export { RedirectPolicy } from "./src/core/redirect_policy.ts";
export {
  DEFAULT_RETRY_NETWORK_ERRORS,
  DEFAULT_RETRY_STATUS_CODES,
  type ResolvedRetryOptions,
  type RetryBackoff,
  type RetryOptions,
} from "./src/core/retry_policy.ts";
export { type Certificate, type SslConfiguration, SslError } from "./src/core/ssl.ts";
export { SslErrorKind } from "./src/core/ssl_error_kind.ts";
export {
  CookieJar,
  type CookieJarJson,
  type CookieJarOptions,
  type CookieJson,
  type NetworkCookie,
} from "./src/cookie_jar.ts";
export {
  AuthenticationRequiredEvent,
  AuthenticatorEvent,
  DownloadProgressEvent,
  ErrorOccurredEvent,
  type NetworkAccessManagerEventMap,
  type NetworkReplyEventMap,
  ProxyAuthenticationRequiredEvent,
  RedirectedEvent,
  REPLY_EVENT_TYPES,
  ReplyEvent,
  RetryEvent,
  SslErrorsEvent,
  UploadProgressEvent,
} from "./src/events.ts";
export { defaultManager } from "./src/default_manager.ts";
export {
  NetworkAccessManager,
  type NetworkAccessManagerOptions,
  type RequestOptions,
} from "./src/manager.ts";
export { DEFAULT_MEMORY_CACHE_SIZE, MemoryCache, type MemoryCacheOptions } from "./src/memory_cache.ts";
export { type CacheEntry, cacheKey, type CacheMetaData, type NetworkCache } from "./src/network_cache.ts";
export { type WebCache, WebCacheStore, type WebCacheStoreOptions } from "./src/web_cache_store.ts";
export { NetworkReply } from "./src/reply.ts";
export { NetworkReplyError, type NetworkReplyErrorInit } from "./src/reply_error.ts";
export { NetworkRequest, type NetworkRequestInit } from "./src/request.ts";
export { type RequestBody, STREAM_RESEND_BUFFER_LIMIT } from "./src/request_body.ts";
export { type SearchParamsInit } from "./src/request_options.ts";
export {
  FetchTransport,
  type FetchTransportOptions,
  SocketTransport,
  type SocketTransportOptions,
} from "./src/transport/builtin_transports.ts";
export { LazyTransport } from "./src/transport/lazy_transport.ts";
export type {
  ExchangeBody,
  ExchangeEvent,
  ExchangeOptions,
  ExchangeRequest,
  ResponseHead,
  Transport,
  UserQuestion,
} from "./src/transport/transport.ts";
export { TypedEventTarget } from "./src/typed_event_target.ts";
