/**
 * The cookie types of API.md. The in-memory `CookieJar` implementation and
 * Set-Cookie parsing arrive with the cookie-jar issue; until then a manager
 * accepts a user-supplied jar through this interface and stores it, but does
 * not read or write cookies itself.
 *
 * @module
 */

/**
 * One cookie.
 *
 * @example
 * ```ts
 * import type { NetworkCookie } from "@netreply/netreply";
 * const cookie: NetworkCookie = {
 *   name: "session", value: "abc", domain: "example.test", path: "/",
 *   secure: true, httpOnly: true, sameSite: "Lax",
 * };
 * console.log(cookie.name);
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

/**
 * A cookie store, as `NetworkAccessManager` will use it (synchronous, like
 * Qt's QNetworkCookieJar).
 *
 * @example
 * ```ts
 * import type { CookieJar, NetworkCookie } from "@netreply/netreply";
 * function count(jar: CookieJar): number {
 *   return jar.allCookies().length;
 * }
 * ```
 */
export interface CookieJar {
  /** Cookies to send to `url`, longest path first. */
  cookiesForUrl(url: URL): NetworkCookie[];
  /** Stores cookies received from `url`; whether any was stored. */
  setCookiesFromUrl(cookies: NetworkCookie[], url: URL): boolean;
  /** Every stored cookie. */
  allCookies(): NetworkCookie[];
  /** Replaces every stored cookie. */
  setAllCookies(cookies: NetworkCookie[]): void;
  /** Adds or replaces one cookie; whether it was stored. */
  insertCookie(cookie: NetworkCookie): boolean;
  /** Replaces an existing cookie; whether one was replaced. */
  updateCookie(cookie: NetworkCookie): boolean;
  /** Removes a cookie; whether one was removed. */
  deleteCookie(cookie: NetworkCookie): boolean;
}
