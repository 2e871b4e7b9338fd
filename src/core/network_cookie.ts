/**
 * {@linkcode NetworkCookie}: one cookie as Qt's QNetworkCookie describes it,
 * the value the cookie parser, the matching rules and the jar share.
 *
 * @module
 */

/**
 * One cookie. A `domain` with a leading dot is a Domain cookie (sub-domains
 * match too); without one the cookie is host-only.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CookieJar, type NetworkCookie } from "@netreply/netreply";
 * const cookie: NetworkCookie = {
 *   name: "session", value: "abc", domain: "example.test", path: "/",
 *   secure: true, httpOnly: true, sameSite: "Lax",
 * };
 * const jar = new CookieJar();
 * equal(jar.insertCookie(cookie), true);
 * equal(jar.cookieHeaderFor(new URL("https://example.test/")), "session=abc");
 * equal(jar.cookieHeaderFor(new URL("http://example.test/")), undefined); // Secure: https only
 * ```
 */
export interface NetworkCookie {
  /** Cookie name. */
  readonly name: string;
  /** Cookie value. */
  value: string;
  /** Domain; a leading dot means sub-domains match too. */
  domain: string;
  /** Path prefix the cookie applies to. */
  path: string;
  /** Expiry; absent for a session cookie. */
  expires?: Date;
  /** Sent only over https. */
  secure: boolean;
  /** Not visible to scripts (informational here). */
  httpOnly: boolean;
  /** The SameSite attribute. */
  sameSite: "Default" | "None" | "Lax" | "Strict";
}
