/**
 * Cooked values of Qt's known headers (QNetworkRequest::KnownHeaders): the wire name
 * of each {@linkcode KnownHeader}, parsing received fields into typed values
 * and serialising typed values back into a field value.
 *
 * Cookie and Set-Cookie are lists of {@linkcode NetworkCookie}, read by the
 * one Set-Cookie parser (`readSetCookie`, RFC 6265bis §5.6).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { KnownHeader, knownHeaderName, parseKnownHeader, serializeKnownHeader } from "@netreply/netreply";
 * equal(knownHeaderName(KnownHeader.ContentLengthHeader), "content-length");
 * equal(parseKnownHeader(KnownHeader.ContentLengthHeader, ["3, 3"]), 3);
 * equal(serializeKnownHeader(KnownHeader.IfNoneMatchHeader, ['"a"', 'W/"b"']), "\"a\", W/\"b\"");
 * ```
 *
 * @module
 */

import type { NetworkCookie } from "./network_cookie.ts";
import { formatHttpDate, parseHttpDate } from "./http_date.ts";
import { HttpHeaders } from "./http_headers.ts";
import { KnownHeader } from "./known_header.ts";
import { readSetCookie } from "./set_cookie.ts";
import { trimOws } from "./trim_ows.ts";

/**
 * A cooked known-header value: `number` for Content-Length, `URL` for
 * Location, `Date` for Last-Modified and If-Modified-Since, `string[]` for
 * If-Match and If-None-Match, `NetworkCookie[]` for Cookie and Set-Cookie,
 * `string` for the rest.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { KnownHeader, type KnownHeaderValue, parseKnownHeader } from "@netreply/netreply";
 * const length: KnownHeaderValue | undefined = parseKnownHeader(KnownHeader.ContentLengthHeader, ["42"]);
 * equal(length, 42);
 * ```
 */
export type KnownHeaderValue = string | number | URL | Date | string[] | NetworkCookie[];

/**
 * The known headers whose cooked value is a `NetworkCookie[]`: Cookie and Set-Cookie.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { KnownHeader } from "./known_header.ts";
 * import type { CookieKnownHeader } from "./known_header_values.ts";
 * const kind: CookieKnownHeader = KnownHeader.SetCookieHeader;
 * equal(kind, 5);
 * ```
 */
export type CookieKnownHeader = typeof KnownHeader.CookieHeader | typeof KnownHeader.SetCookieHeader;

const NAMES: Readonly<Record<KnownHeader, string>> = {
  [KnownHeader.ContentTypeHeader]: "content-type",
  [KnownHeader.ContentLengthHeader]: "content-length",
  [KnownHeader.LocationHeader]: "location",
  [KnownHeader.LastModifiedHeader]: "last-modified",
  [KnownHeader.CookieHeader]: "cookie",
  [KnownHeader.SetCookieHeader]: "set-cookie",
  [KnownHeader.ContentDispositionHeader]: "content-disposition",
  [KnownHeader.UserAgentHeader]: "user-agent",
  [KnownHeader.ServerHeader]: "server",
  [KnownHeader.IfModifiedSinceHeader]: "if-modified-since",
  [KnownHeader.ETagHeader]: "etag",
  [KnownHeader.IfMatchHeader]: "if-match",
  [KnownHeader.IfNoneMatchHeader]: "if-none-match",
};

/**
 * The lower-case wire name of a known header, e.g. `"content-length"`.
 *
 * @throws {RangeError} If `kind` is not a {@linkcode KnownHeader} number.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { KnownHeader, knownHeaderName } from "@netreply/netreply";
 * equal(knownHeaderName(KnownHeader.IfNoneMatchHeader), "if-none-match");
 * ```
 */
export function knownHeaderName(kind: KnownHeader): string {
  const name = Object.hasOwn(NAMES, kind) ? NAMES[kind] : undefined;
  if (name === undefined) throw new RangeError(`Unknown known header ${String(kind)}`);
  return name;
}

/**
 * The members of a comma-separated field value, each trimmed of optional
 * whitespace (RFC 9110 §5.6.1); a comma inside double quotes does not split,
 * since an entity-tag may itself contain one (RFC 9110 §8.8.3). Empty members
 * are kept.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { splitList } from "./known_header_values.ts";
 * deepEqual(splitList('"a,b", W/"c" ,'), ['"a,b"', 'W/"c"', ""]);
 * ```
 */
export function splitList(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === "," && !quoted) {
      parts.push(trimOws(text.slice(start, i)));
      start = i + 1;
    }
  }
  parts.push(trimOws(text.slice(start)));
  return parts;
}

function isStrongTag(tag: string): boolean {
  return tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"');
}

function isTag(tag: string): boolean {
  return isStrongTag(tag) || (tag.length >= 4 && tag.startsWith('W/"') && tag.endsWith('"'));
}

function parseTagList(values: readonly string[], keep: (tag: string) => boolean): string[] {
  // Qt aggregates every If-(None-)Match field into one list before parsing.
  const combined = trimOws(values.join(", "));
  if (combined === "*") return ["*"];
  return splitList(combined).filter(keep);
}

function parseContentLength(field: string): number | undefined {
  // QTBUG-15311: a repeated Content-Length folded into "3, 3" still means 3.
  const first = trimOws(field.split(",", 1)[0]);
  if (!/^\d+$/.test(first)) return undefined;
  const n = Number(first);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Qt's cooked Cookie header: every field split on `;`, each non-empty part
 * one `name=value` (a part without `=` is a nameless cookie); a part that is
 * not a cookie makes the whole header invalid: an empty list.
 */
function parseCookieHeader(values: readonly string[], now: number): NetworkCookie[] {
  const cookies: NetworkCookie[] = [];
  for (const part of values.flatMap((value) => value.split(";"))) {
    if (trimOws(part) === "") continue;
    const read = readSetCookie(part, now);
    if (!read.ok) return [];
    cookies.push(read.cookie);
  }
  return cookies;
}

/** Qt's cooked Set-Cookie header: every field (and "\n"-separated line) read as one Set-Cookie; ignored lines dropped. */
function parseSetCookieHeader(values: readonly string[], now: number): NetworkCookie[] {
  return values.flatMap((value) => value.split("\n"))
    .map((line) => readSetCookie(line.replace(/\r$/, ""), now))
    .flatMap((read) => read.ok ? [read.cookie] : []);
}

function parseLocation(field: string): URL | undefined {
  // Without a base, only an absolute URL (one with a scheme) parses.
  return URL.canParse(field) ? new URL(field) : undefined;
}

/**
 * Parses the received field values of a known header into its cooked value,
 * or returns `undefined` when there is none (no fields, or invalid).
 *
 * `values` are all field values of that header, in order. If-Match and
 * If-None-Match aggregate every field; every other header uses the first.
 *
 * | Header | Cooked value |
 * |---|---|
 * | Content-Length | trimmed decimal digits as a `number`; of a list like `3, 3`, the first element |
 * | Location | a `URL`, only if absolute (relative ⇒ `undefined`) |
 * | Last-Modified, If-Modified-Since | a `Date` (see {@linkcode parseHttpDate}) |
 * | ETag | trimmed; must be `"…"` or `W/"…"`, quotes kept |
 * | If-Match | `*` ⇒ `["*"]`, else the strong `"…"` tags of the comma-separated list |
 * | If-None-Match | `*` ⇒ `["*"]`, else the `"…"` and `W/"…"` tags |
 * | Content-Type, Content-Disposition, User-Agent, Server | the field verbatim |
 * | Cookie | a `NetworkCookie[]`: every field split on `;`, each part a `name=value` pair (a part without `=` a nameless cookie); a part that is not a cookie makes the list empty |
 * | Set-Cookie | a `NetworkCookie[]`: every field read as a Set-Cookie line (RFC 6265bis §5.6, Max-Age counted from `now`); ignored lines are left out |
 *
 * A cookie read here has what the field says: `domain` is `""` without a
 * Domain attribute (else `"." + Domain`), `path` is `""` without a valid
 * Path attribute, as Qt's QNetworkCookie::parseCookies gives them; the jar
 * fills them in from the URL when it stores the cookie.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { KnownHeader, type NetworkCookie, parseKnownHeader } from "@netreply/netreply";
 * equal(parseKnownHeader(KnownHeader.LocationHeader, ["/relative"]), undefined);
 * deepEqual(parseKnownHeader(KnownHeader.IfMatchHeader, ['"a", W/"b"', '"c"']), ['"a"', '"c"']);
 * const [cookie] = parseKnownHeader(KnownHeader.SetCookieHeader, ["id=7; Path=/app; HttpOnly"]) as NetworkCookie[];
 * deepEqual([cookie.name, cookie.path, cookie.httpOnly], ["id", "/app", true]);
 * ```
 *
 * @param kind The header.
 * @param values Its field values, in order.
 * @param now Milliseconds since the epoch, for Set-Cookie's Max-Age (default `Date.now()`).
 */
export function parseKnownHeader(
  kind: KnownHeader,
  values: readonly string[],
  now: number = Date.now(),
): KnownHeaderValue | undefined {
  knownHeaderName(kind);
  if (values.length === 0) return undefined;
  const first = values[0];
  switch (kind) {
    case KnownHeader.ContentLengthHeader:
      return parseContentLength(first);
    case KnownHeader.LocationHeader:
      return parseLocation(first);
    case KnownHeader.LastModifiedHeader:
    case KnownHeader.IfModifiedSinceHeader:
      return parseHttpDate(first);
    case KnownHeader.ETagHeader: {
      const tag = trimOws(first);
      return isTag(tag) ? tag : undefined;
    }
    case KnownHeader.IfMatchHeader:
      return parseTagList(values, isStrongTag);
    case KnownHeader.IfNoneMatchHeader:
      return parseTagList(values, isTag);
    case KnownHeader.CookieHeader:
      return parseCookieHeader(values, now);
    case KnownHeader.SetCookieHeader:
      return parseSetCookieHeader(values, now);
    default:
      return first;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value instanceof URL) return `URL ${JSON.stringify(value.href)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null || typeof value !== "object") return String(value);
  const kind = value.constructor === Object || !value.constructor?.name ? "object" : value.constructor.name;
  return `${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind}`;
}

function checked(name: string, text: string): string {
  // Same validation and trimming as every other header, with the same messages.
  const headers = new HttpHeaders();
  headers.append(name, text);
  return headers.valueAt(0);
}

/** Whether `value` is an array of cookie-shaped objects (string name and value, a valid Date expires if any). */
function isCookieList(value: unknown): value is NetworkCookie[] {
  return Array.isArray(value) &&
    value.every((cookie) =>
      typeof cookie === "object" && cookie !== null && typeof cookie.name === "string" &&
      typeof cookie.value === "string" &&
      (cookie.expires === undefined ||
        (cookie.expires instanceof Date && !Number.isNaN(cookie.expires.getTime())))
    );
}

/** A cookie's `name=value` (a nameless cookie: its value alone), as a Cookie header carries it. */
function cookiePair(cookie: NetworkCookie): string {
  return cookie.name === "" ? cookie.value : `${cookie.name}=${cookie.value}`;
}

/**
 * A cookie as one Set-Cookie line (Qt's QNetworkCookie::toRawForm(Full)):
 * the pair, then Expires, Domain (only for a Domain cookie, without its dot:
 * a host-only cookie has none), Path, Secure, HttpOnly and SameSite (unless
 * Default), each only when set.
 */
function setCookieLine(cookie: NetworkCookie): string {
  const parts = [cookiePair(cookie)];
  if (cookie.expires) parts.push(`Expires=${formatHttpDate(cookie.expires)}`);
  if (typeof cookie.domain === "string" && cookie.domain.startsWith(".")) {
    parts.push(`Domain=${cookie.domain.slice(1)}`);
  }
  if (typeof cookie.path === "string" && cookie.path !== "") parts.push(`Path=${cookie.path}`);
  if (cookie.secure === true) parts.push("Secure");
  if (cookie.httpOnly === true) parts.push("HttpOnly");
  if (cookie.sameSite !== undefined && cookie.sameSite !== "Default") {
    parts.push(`SameSite=${cookie.sameSite}`);
  }
  return parts.join("; ");
}

/**
 * Serialises a cooked known-header value into a field value.
 *
 * | Header | Accepts |
 * |---|---|
 * | Content-Length | a non-negative safe integer `number` (or `bigint`) |
 * | Location | a `URL` (its `href`) or a `string` |
 * | Last-Modified, If-Modified-Since | a valid `Date` (as {@linkcode formatHttpDate}) |
 * | If-Match, If-None-Match | a `string[]`, joined with `", "` |
 * | Cookie | a `NetworkCookie[]`: the `name=value` pairs joined with `"; "` |
 * | Set-Cookie | a `NetworkCookie[]`: one Set-Cookie line per cookie (Expires, Domain of a Domain cookie, Path, Secure, HttpOnly, SameSite), joined with `"\n"` — one field each when a request sets it |
 * | others | a `string` |
 *
 * Set-Cookie lines are joined by `"\n"`, not Qt's `", "`: commas are not
 * separators (RFC 6265bis), so a comma-joined list would read back as one cookie.
 *
 * @throws {TypeError} If the value has the wrong type, is out of range, or
 * makes an invalid field value (CR, LF, NUL…; a Set-Cookie line too).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { KnownHeader, serializeKnownHeader } from "@netreply/netreply";
 * equal(serializeKnownHeader(KnownHeader.LastModifiedHeader, new Date(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
 * try {
 *   serializeKnownHeader(KnownHeader.ContentLengthHeader, "abc");
 * } catch (e) {
 *   equal((e as TypeError).message, "Cannot set header \"content-length\": expected a non-negative integer, got \"abc\"");
 * }
 * ```
 */
export function serializeKnownHeader(kind: KnownHeader, value: unknown): string {
  const name = knownHeaderName(kind);
  const wrong = (expected: string): never => {
    throw new TypeError(`Cannot set header "${name}": expected ${expected}, got ${describe(value)}`);
  };
  switch (kind) {
    case KnownHeader.ContentLengthHeader:
      if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
      if (typeof value === "bigint" && value >= 0n) return String(value);
      return wrong("a non-negative integer");
    case KnownHeader.LocationHeader:
      if (value instanceof URL) return checked(name, value.href);
      if (typeof value === "string") return checked(name, value);
      return wrong("a URL or a string");
    case KnownHeader.LastModifiedHeader:
    case KnownHeader.IfModifiedSinceHeader:
      if (value instanceof Date && !Number.isNaN(value.getTime())) {
        try {
          return formatHttpDate(value);
        } catch {
          return wrong("a Date between years 0 and 9999");
        }
      }
      return wrong("a valid Date");
    case KnownHeader.IfMatchHeader:
    case KnownHeader.IfNoneMatchHeader:
      if (Array.isArray(value) && value.every((tag) => typeof tag === "string")) {
        return checked(name, value.join(", "));
      }
      return wrong("an array of strings");
    case KnownHeader.CookieHeader:
      if (isCookieList(value)) return checked(name, value.map(cookiePair).join("; "));
      return wrong("an array of cookies");
    case KnownHeader.SetCookieHeader:
      if (isCookieList(value)) return value.map((cookie) => checked(name, setCookieLine(cookie))).join("\n");
      return wrong("an array of cookies");
    default:
      if (typeof value === "string") return checked(name, value);
      return wrong("a string");
  }
}
