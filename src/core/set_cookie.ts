/**
 * The Set-Cookie parser: RFC 6265bis §5.6's algorithm, then the storage
 * checks of §5.7 that need no store ({@linkcode checkCookieForUrl}), giving
 * the cookie a jar stores. Commas are not separators (`a=b, c=d` is one
 * cookie whose value is `b, c=d`), as in Qt's QNetworkCookie::parseCookies.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseSetCookie } from "./set_cookie.ts";
 * const parsed = parseSetCookie("id=42; Path=/; Secure; HttpOnly", new URL("https://example.com/a"), 0);
 * equal(parsed.ok && parsed.cookie.domain, "example.com");
 * ```
 *
 * @module
 */

import type { NetworkCookie } from "./network_cookie.ts";
import { checkCookieForUrl, controlCharacterIn, type CookieCheck } from "./cookie_acceptance.ts";
import { parseCookieDate } from "./cookie_date.ts";
import { defaultPath } from "./cookie_match.ts";
import { checkNow } from "./argument_checks.ts";
import { trimOws } from "./trim_ows.ts";

/** RFC 6265bis §5.5: no cookie lives longer than 400 days from its creation. */
export const COOKIE_AGE_LIMIT_MS: number = 400 * 24 * 60 * 60 * 1000;
/** RFC 6265bis §5.6: the name and value together may have at most 4096 octets. */
export const MAX_NAME_VALUE_OCTETS = 4096;
/** RFC 6265bis §5.6: a longer attribute value is ignored (with its attribute). */
export const MAX_ATTRIBUTE_VALUE_OCTETS = 1024;

const encoder = new TextEncoder();
const octets = (text: string): number => encoder.encode(text).length;

/** Splits `text` at the first `separator`: `[before, after]`, or `undefined` without one. */
function splitFirst(text: string, separator: string): [string, string] | undefined {
  const at = text.indexOf(separator);
  return at === -1 ? undefined : [text.slice(0, at), text.slice(at + 1)];
}

/** The cookie-attribute-list after §5.6.1–§5.6.7, last occurrence of each kept. */
interface Attributes {
  expires?: Date;
  maxAgeExpiry?: Date;
  domain?: string;
  path?: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: NetworkCookie["sameSite"];
}

/** §5.6.2: delta-seconds to an expiry, or `undefined` to ignore the attribute. */
function maxAgeExpiry(value: string, now: number): Date | undefined {
  if (!/^-?\d+$/.test(value)) return undefined;
  const seconds = Number(value);
  // Earliest representable date for "delete now": the Unix epoch, as Qt uses.
  if (seconds <= 0) return new Date(0);
  return new Date(now + Math.min(seconds * 1000, COOKIE_AGE_LIMIT_MS));
}

/** Applies one cookie-av (§5.6 step 7 of the attribute loop); unknown names are ignored. */
function applyAttribute(attributes: Attributes, name: string, value: string, now: number): void {
  switch (name.toLowerCase()) {
    case "expires": {
      const date = parseCookieDate(value);
      // §5.6.1: an unparsable date ignores the attribute; a later one is capped at 400 days.
      if (date) attributes.expires = new Date(Math.min(date.getTime(), now + COOKIE_AGE_LIMIT_MS));
      return;
    }
    case "max-age": {
      const expiry = maxAgeExpiry(value, now);
      if (expiry) attributes.maxAgeExpiry = expiry;
      return;
    }
    case "domain":
      // §5.6.3: an empty value is ignored; a leading dot is stripped.
      if (value !== "") attributes.domain = value.replace(/^\./, "").toLowerCase();
      return;
    case "path":
      // §5.6.4: an empty value or one not starting with "/" gives the default-path ("" until a URL fills it).
      attributes.path = value.startsWith("/") ? value : "";
      return;
    case "secure":
      attributes.secure = true;
      return;
    case "httponly":
      attributes.httpOnly = true;
      return;
    case "samesite": {
      // §5.6.7: an unknown value is "Default".
      const lower = value.toLowerCase();
      attributes.sameSite = lower === "none"
        ? "None"
        : lower === "strict"
        ? "Strict"
        : lower === "lax"
        ? "Lax"
        : "Default";
      return;
    }
  }
}

/**
 * Parses one Set-Cookie field value received from `requestUrl` at time
 * `now` (milliseconds since the epoch) into the cookie to store, or the reason
 * it is ignored (`Set-Cookie ignored: ...` for the parsing steps of RFC
 * 6265bis §5.6, `Cookie "name" rejected: ...` for the storage checks of §5.7,
 * see {@linkcode checkCookieForUrl}).
 *
 * Parsing (§5.6): a control character other than HTAB ignores the line; the
 * name-value pair is the text before the first `;`, split at its first `=`
 * (no `=`: an empty name, the whole pair is the value), each trimmed of spaces
 * and tabs; empty name and value, or more than 4096 octets (UTF-8) for both,
 * ignore the line. Attributes, case-insensitive, the last of each name wins;
 * one whose value has more than 1024 octets is ignored, and so are unknown ones:
 *
 * - `Expires`: a cookie-date ({@linkcode parseCookieDate}); unparsable is ignored;
 * - `Max-Age`: `-?DIGITS` seconds from `now`, ≤ 0 meaning the Unix epoch
 *   (delete); anything else is ignored; Max-Age wins over Expires whatever the order;
 *   both are capped at 400 days from `now` (§5.5);
 * - `Domain`: empty is ignored, a leading dot stripped, lower-cased;
 *   the cookie's domain becomes `"." + Domain` (sub-domains match);
 *   without it the cookie is host-only (domain = the request host);
 * - `Path`: not starting with `/` (or empty) means the default-path of `requestUrl`,
 *   which is also used without the attribute;
 * - `Secure`, `HttpOnly`: flags; `SameSite`: `None`, `Lax`, `Strict` (any case),
 *   any other value `Default`, absent `Default`.
 *
 * A cookie without Expires or Max-Age is a session cookie (`expires` absent).
 *
 * @throws {TypeError} If `text` is not a string, `requestUrl` not a URL or `now` not a finite number.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseSetCookie } from "./set_cookie.ts";
 * const url = new URL("http://www.example.com/docs/page");
 * const parsed = parseSetCookie("lang=en, fr; Domain=.Example.com; Max-Age=60", url, 0);
 * equal(parsed.ok && parsed.cookie.value, "en, fr");
 * equal(parsed.ok && parsed.cookie.domain, ".example.com");
 * equal(parsed.ok && parsed.cookie.path, "/docs");
 * equal(parsed.ok && parsed.cookie.expires?.getTime(), 60000);
 * const ignored = parseSetCookie("=; Path=/", url, 0);
 * equal(ignored.ok ? "" : ignored.reason, "Set-Cookie ignored: the name and the value are empty");
 * ```
 */
export function parseSetCookie(text: string, requestUrl: URL, now: number): CookieCheck {
  if (!(requestUrl instanceof URL)) {
    throw new TypeError("Cannot parse Set-Cookie: the request URL must be a URL");
  }
  const read = readSetCookie(text, now);
  if (!read.ok) return read;
  const cookie = read.pathGiven ? read.cookie : { ...read.cookie, path: defaultPath(requestUrl) };
  return checkCookieForUrl(cookie, requestUrl, { rootPathGiven: read.pathGiven });
}

/** A Set-Cookie line read by {@linkcode readSetCookie}, or why it is ignored. */
export type SetCookieReading =
  | {
    readonly ok: true;
    /** The cookie as the line gives it: `domain` "" or `"." + Domain`, `path` "" without a valid Path. */
    readonly cookie: NetworkCookie;
    /** Whether the line had a Path attribute (valid or not: §5.6.4 then gives the default-path). */
    readonly pathGiven: boolean;
  }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads one Set-Cookie line by the parsing steps of RFC 6265bis §5.6 alone,
 * without a request URL (Qt's QNetworkCookie::parseCookies): what
 * {@linkcode parseSetCookie} reads before the URL's defaults and the storage
 * checks of §5.7. A cookie without a Domain attribute has the domain `""`;
 * without a valid Path attribute the path `""` (the URL's default-path
 * belongs there). Used for the cooked Set-Cookie and Cookie headers.
 *
 * @throws {TypeError} If `text` is not a string or `now` not a finite number.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { readSetCookie } from "./set_cookie.ts";
 * const read = readSetCookie("id=42; Domain=Example.com; Secure", 0);
 * equal(read.ok && read.cookie.domain, ".example.com");
 * equal(read.ok && read.cookie.path, "");
 * equal(readSetCookie("", 0).ok, false);
 * ```
 */
export function readSetCookie(text: string, now: number): SetCookieReading {
  if (typeof text !== "string") {
    throw new TypeError(`Cannot parse Set-Cookie: expected a string, got ${typeof text}`);
  }
  checkNow(now, "parse Set-Cookie");
  const ignore = (why: string): SetCookieReading => ({ ok: false, reason: `Set-Cookie ignored: ${why}` });
  const control = controlCharacterIn(text);
  if (control) return ignore(`it contains the control character ${control}`);
  const [pair, unparsedAttributes] = splitFirst(text, ";") ?? [text, ""];
  const [rawName, rawValue] = splitFirst(pair, "=") ?? ["", pair];
  const name = trimOws(rawName), value = trimOws(rawValue);
  if (name === "" && value === "") return ignore("the name and the value are empty");
  const size = octets(name) + octets(value);
  if (size > MAX_NAME_VALUE_OCTETS) {
    return ignore(`the name and the value are ${size} octets, more than ${MAX_NAME_VALUE_OCTETS}`);
  }

  const attributes: Attributes = { secure: false, httpOnly: false, sameSite: "Default" };
  if (unparsedAttributes !== "") {
    // unparsedAttributes is everything after the first ";": each further ";" starts another cookie-av.
    for (const cookieAv of unparsedAttributes.split(";")) {
      const [rawAttributeName, rawAttributeValue] = splitFirst(cookieAv, "=") ?? [cookieAv, ""];
      const attributeValue = trimOws(rawAttributeValue);
      if (octets(attributeValue) > MAX_ATTRIBUTE_VALUE_OCTETS) continue;
      applyAttribute(attributes, trimOws(rawAttributeName), attributeValue, now);
    }
  }

  const expires = attributes.maxAgeExpiry ?? attributes.expires;
  const cookie: NetworkCookie = {
    name,
    value,
    // §5.7: an empty Domain (`Domain=.`) leaves the cookie host-only.
    domain: attributes.domain ? `.${attributes.domain}` : "",
    path: attributes.path ?? "",
    ...(expires ? { expires } : {}),
    secure: attributes.secure,
    httpOnly: attributes.httpOnly,
    sameSite: attributes.sameSite,
  };
  return { ok: true, cookie, pathGiven: attributes.path !== undefined };
}

/**
 * Parses the Set-Cookie lines of a response, as `reply.rawHeader("set-cookie")`
 * joins them with `"\n"` (Qt's QNetworkCookie::parseCookies splits there too),
 * keeping the cookies to store in order and dropping the ignored ones. See
 * {@linkcode parseSetCookie}.
 *
 * @throws {TypeError} As {@linkcode parseSetCookie}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseSetCookieLines } from "./set_cookie.ts";
 * const cookies = parseSetCookieLines("a=1\n=\nb=2; Secure", new URL("https://h/"), 0);
 * equal(cookies.map((c) => c.name).join(), "a,b");
 * ```
 */
export function parseSetCookieLines(text: string, requestUrl: URL, now: number): NetworkCookie[] {
  if (typeof text !== "string") {
    throw new TypeError(`Cannot parse Set-Cookie: expected a string, got ${typeof text}`);
  }
  const cookies: NetworkCookie[] = [];
  for (const line of text.split("\n")) {
    const parsed = parseSetCookie(line.replace(/\r$/, ""), requestUrl, now);
    if (parsed.ok) cookies.push(parsed.cookie);
  }
  return cookies;
}
