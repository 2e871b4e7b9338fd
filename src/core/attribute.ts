/**
 * Qt's `QNetworkRequest::Attribute` codes, with Qt's numbers.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Attribute } from "@netreply/netreply";
 * equal(Attribute.HttpStatusCodeAttribute, 0);
 * ```
 *
 * @module
 */

/**
 * Request and reply attributes, numbered as in Qt 6.
 *
 * @example Read the status from a reply
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Attribute, NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/" }).reply(404, "no");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("https://api.test/");
 * await reply.done;
 * equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 404);
 * equal(reply.attribute(Attribute.HttpReasonPhraseAttribute), "Not Found");
 * equal(Attribute.HttpStatusCodeAttribute, 0); // Qt's number
 * ```
 */
export const Attribute = {
  HttpStatusCodeAttribute: 0,
  HttpReasonPhraseAttribute: 1,
  RedirectionTargetAttribute: 2,
  ConnectionEncryptedAttribute: 3,
  CacheLoadControlAttribute: 4,
  CacheSaveControlAttribute: 5,
  SourceIsFromCacheAttribute: 6,
  DoNotBufferUploadDataAttribute: 7,
  HttpPipeliningAllowedAttribute: 8,
  HttpPipeliningWasUsedAttribute: 9,
  CustomVerbAttribute: 10,
  CookieLoadControlAttribute: 11,
  AuthenticationReuseAttribute: 12,
  CookieSaveControlAttribute: 13,
  MaximumDownloadBufferSizeAttribute: 14,
  DownloadBufferAttribute: 15,
  SynchronousRequestAttribute: 16,
  BackgroundRequestAttribute: 17,
  EmitAllUploadProgressSignalsAttribute: 18,
  Http2AllowedAttribute: 19,
  Http2WasUsedAttribute: 20,
  OriginalContentLengthAttribute: 21,
  RedirectPolicyAttribute: 22,
  Http2DirectAttribute: 23,
  ResourceTypeAttribute: 24,
  AutoDeleteReplyOnFinishAttribute: 25,
  ConnectionCacheExpiryTimeoutSecondsAttribute: 26,
  Http2CleartextAllowedAttribute: 27,
  UseCredentialsAttribute: 28,
  FullLocalServerNameAttribute: 29,
  User: 1000,
  UserMax: 32767,
} as const;

/** One of the {@linkcode Attribute} numbers (or a user number between `User` and `UserMax`). */
export type Attribute = typeof Attribute[keyof typeof Attribute] | number;
