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
  readonly name: string;
  value: string;
  domain: string;
  path: string;
  expires?: Date;
  secure: boolean;
  httpOnly: boolean;
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
  cookiesForUrl(url: URL): NetworkCookie[];
  setCookiesFromUrl(cookies: NetworkCookie[], url: URL): boolean;
  allCookies(): NetworkCookie[];
  setAllCookies(cookies: NetworkCookie[]): void;
  insertCookie(cookie: NetworkCookie): boolean;
  updateCookie(cookie: NetworkCookie): boolean;
  deleteCookie(cookie: NetworkCookie): boolean;
}
