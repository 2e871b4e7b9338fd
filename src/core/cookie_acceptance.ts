/**
 * Whether a cookie received from a URL may be stored, and in which normal
 * form: the steps of RFC 6265bis §5.7 (storage model) that need no cookie
 * store — host-only or Domain cookie, public suffixes, Secure only from
 * secure URLs, `SameSite=None` only with Secure, and the `__Secure-` and
 * `__Host-` name prefixes (§4.1.3). The jar adds the steps that need the store.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { checkCookieForUrl } from "./cookie_acceptance.ts";
 * const cookie = {
 *   name: "a", value: "1", domain: ".com", path: "/", secure: false, httpOnly: false, sameSite: "Default",
 * } as const;
 * const check = checkCookieForUrl(cookie, new URL("http://example.com/"));
 * equal(check.ok ? "stored" : check.reason, 'Cookie "a" rejected: Domain "com" is a public suffix');
 * ```
 *
 * @module
 */

import type { NetworkCookie } from "./network_cookie.ts";
import { canonicalHost, defaultPath, domainMatch, isSecureCookieUrl } from "./cookie_match.ts";
import { isPublicSuffix } from "./public_suffix.ts";

/** A cookie to store, or why it is ignored. */
export type CookieCheck =
  | { readonly ok: true; readonly cookie: NetworkCookie }
  | { readonly ok: false; readonly reason: string };

/**
 * The first control character other than HTAB (`%x00-08 / %x0A-1F / %x7F`)
 * in `text`, as `U+000A`-style text, or `undefined`. RFC 6265bis §5.6 ignores
 * a Set-Cookie line that contains one; a cookie with one in its name or value
 * could not be sent in a Cookie header.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { controlCharacterIn } from "./cookie_acceptance.ts";
 * equal(controlCharacterIn("a\nb"), "U+000A");
 * equal(controlCharacterIn("a\tb"), undefined);
 * ```
 */
export function controlCharacterIn(text: string): string | undefined {
  // deno-lint-ignore no-control-regex
  const m = /[\x00-\x08\x0a-\x1f\x7f]/.exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : undefined;
}

/** Whether `name` starts with `prefix`, ASCII case-insensitively (§4.1.3). */
function hasPrefix(name: string, prefix: string): boolean {
  return name.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
}

/**
 * Why a cookie breaks its name prefix (RFC 6265bis §4.1.3, §5.7), or
 * `undefined` when it does not: a `__Secure-` cookie must be Secure; a
 * `__Host-` cookie must be Secure, host-only and for the path `/` given by a
 * Path attribute. Prefixes match case-insensitively.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { prefixViolation } from "./cookie_acceptance.ts";
 * equal(prefixViolation("__Host-id", { secure: true, hostOnly: false, rootPath: true }), "the __Host- prefix needs a host-only cookie (no Domain attribute)");
 * equal(prefixViolation("id", { secure: false, hostOnly: false, rootPath: false }), undefined);
 * ```
 */
export function prefixViolation(
  name: string,
  cookie: { readonly secure: boolean; readonly hostOnly: boolean; readonly rootPath: boolean },
): string | undefined {
  if (hasPrefix(name, "__Secure-") && !cookie.secure) {
    return "the __Secure- prefix needs the Secure attribute";
  }
  if (!hasPrefix(name, "__Host-")) return undefined;
  if (!cookie.secure) return "the __Host- prefix needs the Secure attribute";
  if (!cookie.hostOnly) return "the __Host- prefix needs a host-only cookie (no Domain attribute)";
  if (!cookie.rootPath) return 'the __Host- prefix needs "Path=/"';
  return undefined;
}

/**
 * Checks a cookie received from `url` by the store-independent steps of RFC
 * 6265bis §5.7 and returns it in the jar's normal form, or the reason it is
 * ignored (`Cookie "name" rejected: ...`).
 *
 * Normal form: the domain lower-case, the canonical host for a host-only
 * cookie, `"." + domain` for a Domain cookie; a path that does not start with
 * `/` replaced by the default-path (§5.1.4). An input domain that is empty, or
 * equal to the host without a leading dot, means host-only; any other is a
 * Domain attribute (its leading dot optional). A Domain attribute that is a
 * public suffix is dropped (host-only) when it equals the host and rejected
 * otherwise.
 *
 * Rejected: a cookie from a URL without a host (`file:`, `data:`); a name or
 * value with a control character; a nameless cookie whose
 * value starts with `__Secure-` or `__Host-`; a non-ASCII Domain; a Domain the
 * host does not domain-match (an IP address matches only itself); a Secure
 * cookie from a URL that is not secure ({@linkcode isSecureCookieUrl});
 * `SameSite=None` without Secure; a broken name prefix
 * ({@linkcode prefixViolation}; the path counts as given by `Path=/` when it is
 * `/`, unless `options.rootPathGiven` says otherwise).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { checkCookieForUrl } from "./cookie_acceptance.ts";
 * const check = checkCookieForUrl(
 *   { name: "a", value: "1", domain: "Example.com", path: "", secure: false, httpOnly: false, sameSite: "Lax" },
 *   new URL("http://www.example.com/app/page"),
 * );
 * equal(check.ok && check.cookie.domain, ".example.com");
 * equal(check.ok && check.cookie.path, "/app");
 * ```
 */
export function checkCookieForUrl(
  cookie: NetworkCookie,
  url: URL,
  options: { readonly rootPathGiven?: boolean } = {},
): CookieCheck {
  const reject = (why: string): CookieCheck => ({
    ok: false,
    reason: `Cookie "${cookie.name}" rejected: ${why}`,
  });
  const control = controlCharacterIn(cookie.name + cookie.value);
  if (control) return reject(`its name or value contains the control character ${control}`);
  if (cookie.name === "" && (hasPrefix(cookie.value, "__Secure-") || hasPrefix(cookie.value, "__Host-"))) {
    return reject("a nameless cookie's value must not start with __Secure- or __Host-");
  }
  const host = canonicalHost(url);
  if (host === "") return reject(`the URL ${url.href} has no host`);
  let domain = cookie.domain.toLowerCase();
  let hostOnly = domain === "" || domain === host;
  if (!hostOnly) {
    const attribute = domain.replace(/^\./, "");
    // deno-lint-ignore no-control-regex
    if (!/^[\x00-\x7f]*$/.test(attribute)) return reject(`Domain "${attribute}" is not ASCII`);
    if (isPublicSuffix(attribute)) {
      if (attribute !== host) return reject(`Domain "${attribute}" is a public suffix`);
      hostOnly = true;
    } else if (!domainMatch(host, attribute)) {
      return reject(`Domain "${attribute}" does not domain-match the host "${host}"`);
    }
    domain = hostOnly ? host : `.${attribute}`;
  } else {
    domain = host;
  }
  const path = cookie.path.startsWith("/") ? cookie.path : defaultPath(url);
  if (cookie.secure && !isSecureCookieUrl(url)) {
    return reject(`Secure cookie from the insecure URL ${url.origin}`);
  }
  if (cookie.sameSite === "None" && !cookie.secure) return reject("SameSite=None needs the Secure attribute");
  const prefix = prefixViolation(cookie.name, {
    secure: cookie.secure,
    hostOnly,
    rootPath: path === "/" && (options.rootPathGiven ?? true),
  });
  if (prefix) return reject(prefix);
  return { ok: true, cookie: { ...cookie, domain, path } };
}
