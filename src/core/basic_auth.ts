/**
 * The Basic authentication scheme (RFC 7617): the `Authorization` or
 * `Proxy-Authorization` value for a user and password.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { basicAuthorization } from "./basic_auth.ts";
 * equal(basicAuthorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
 * ```
 *
 * @module
 */

/**
 * `Basic <base64(user:password)>`, the pair encoded as UTF-8 (RFC 7617 §2.1,
 * the `charset="UTF-8"` encoding).
 *
 * Lenient like Qt's QAuthenticator: a user id with a colon or either part
 * with control characters is invalid (RFC 7617 §2) but is encoded as given
 * — base64 cannot break the header, and the server refuses the credentials.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { basicAuthorization } from "./basic_auth.ts";
 * equal(basicAuthorization("test", "123£"), "Basic dGVzdDoxMjPCow==");
 * equal(basicAuthorization("", ""), "Basic Og==");
 * ```
 */
export function basicAuthorization(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
