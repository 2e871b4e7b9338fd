/**
 * The matching rules of RFC 6265bis §5.1: canonical request host,
 * domain-match (§5.1.3), default-path and path-match (§5.1.4), and which
 * URLs count as secure for cookies (§5.7, §5.8.3).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { defaultPath, domainMatch, pathMatch } from "./cookie_match.ts";
 * equal(domainMatch("www.example.com", "example.com"), true);
 * equal(pathMatch("/docs/web", "/docs"), true);
 * equal(defaultPath(new URL("http://h/docs/web/page")), "/docs/web");
 * ```
 *
 * @module
 */

import { isIpAddress } from "./public_suffix.ts";

/**
 * The canonicalized request-host of RFC 6265bis §5.1.2: the URL's host name,
 * which `URL` already gives lower-case and in A-labels, without one trailing
 * dot and without the brackets of an IPv6 literal.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { canonicalHost } from "./cookie_match.ts";
 * equal(canonicalHost(new URL("http://WWW.Example.COM./")), "www.example.com");
 * equal(canonicalHost(new URL("http://[::1]:8080/")), "::1");
 * ```
 */
export function canonicalHost(url: URL): string {
  const host = url.hostname.replace(/\.$/, "");
  return host.startsWith("[") ? host.slice(1, -1) : host;
}

/**
 * Domain-match (RFC 6265bis §5.1.3): `host` equals `domain`, or `domain` is a
 * suffix of `host` after a dot and `host` is a host name, not an IP address.
 * Both are compared case-insensitively.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { domainMatch } from "./cookie_match.ts";
 * equal(domainMatch("a.b.example", "b.example"), true);
 * equal(domainMatch("ab.example", "b.example"), false);
 * equal(domainMatch("1.2.3.4", "2.3.4"), false);
 * ```
 */
export function domainMatch(host: string, domain: string): boolean {
  const h = host.toLowerCase(), d = domain.toLowerCase();
  if (h === d) return true;
  return d !== "" && h.endsWith(d) && h[h.length - d.length - 1] === "." && !isIpAddress(h);
}

/**
 * The default-path of a request URL (RFC 6265bis §5.1.4): the path up to, not
 * including, its last `/`, or `/` when the path is empty, does not start with
 * `/`, or has only one `/`.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { defaultPath } from "./cookie_match.ts";
 * equal(defaultPath(new URL("http://h/a/b")), "/a");
 * equal(defaultPath(new URL("http://h/a/b/")), "/a/b");
 * equal(defaultPath(new URL("http://h/a")), "/");
 * ```
 */
export function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith("/")) return "/";
  const last = path.lastIndexOf("/");
  return last === 0 ? "/" : path.slice(0, last);
}

/**
 * Path-match (RFC 6265bis §5.1.4): the cookie path equals the request path,
 * or is a prefix of it that ends in `/` or is followed by `/` there.
 * Case-sensitive.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { pathMatch } from "./cookie_match.ts";
 * equal(pathMatch("/docs/x", "/docs"), true);
 * equal(pathMatch("/docs/x", "/docs/"), true);
 * equal(pathMatch("/docsx", "/docs"), false);
 * ```
 */
export function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/**
 * Whether a request to `url` is "secure" for cookies: `https:` and `wss:`,
 * and the loopback hosts that are secure contexts although served over
 * `http:` (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`), as RFC 6265bis
 * §5.7 lets the user agent define and browsers do. Secure cookies are stored
 * from and sent to these only.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { isSecureCookieUrl } from "./cookie_match.ts";
 * equal(isSecureCookieUrl(new URL("https://example.com/")), true);
 * equal(isSecureCookieUrl(new URL("http://localhost:8000/")), true);
 * equal(isSecureCookieUrl(new URL("http://example.com/")), false);
 * ```
 */
export function isSecureCookieUrl(url: URL): boolean {
  if (url.protocol === "https:" || url.protocol === "wss:") return true;
  if (url.protocol !== "http:" && url.protocol !== "ws:") return false;
  const host = canonicalHost(url);
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" ||
    /^127\.\d+\.\d+\.\d+$/.test(host);
}
