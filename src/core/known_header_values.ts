/**
 * Cooked values of Qt's known headers (qt-behaviour.md §3.3): the wire name
 * of each {@linkcode KnownHeader}, parsing received fields into typed values
 * and serialising typed values back into a field value.
 *
 * Cookie and Set-Cookie arrive with the cookie jar; until then they have no
 * cooked form here.
 *
 * @example
 * ```ts
 * import { KnownHeader, knownHeaderName, parseKnownHeader, serializeKnownHeader } from "@netreply/netreply";
 * console.log(knownHeaderName(KnownHeader.ContentLengthHeader)); // "content-length"
 * console.log(parseKnownHeader(KnownHeader.ContentLengthHeader, ["3, 3"])); // 3
 * console.log(serializeKnownHeader(KnownHeader.IfNoneMatchHeader, ['"a"', 'W/"b"'])); // "\"a\", W/\"b\""
 * ```
 *
 * @module
 */

import { formatHttpDate, parseHttpDate } from "./http_date.ts";
import { HttpHeaders } from "./http_headers.ts";
import { KnownHeader } from "./known_header.ts";

/**
 * A cooked known-header value: `number` for Content-Length, `URL` for
 * Location, `Date` for Last-Modified and If-Modified-Since, `string[]` for
 * If-Match and If-None-Match, `string` for the rest.
 */
export type KnownHeaderValue = string | number | URL | Date | string[];

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
 * import { KnownHeader, knownHeaderName } from "@netreply/netreply";
 * console.log(knownHeaderName(KnownHeader.IfNoneMatchHeader)); // "if-none-match"
 * ```
 */
export function knownHeaderName(kind: KnownHeader): string {
  const name = Object.hasOwn(NAMES, kind) ? NAMES[kind] : undefined;
  if (name === undefined) throw new RangeError(`Unknown known header ${String(kind)}`);
  return name;
}

function trim(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, "");
}

// Splits on commas outside double quotes: an entity tag may itself contain a comma.
function splitList(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === "," && !quoted) {
      parts.push(trim(text.slice(start, i)));
      start = i + 1;
    }
  }
  parts.push(trim(text.slice(start)));
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
  const combined = trim(values.join(", "));
  if (combined === "*") return ["*"];
  return splitList(combined).filter(keep);
}

function parseContentLength(field: string): number | undefined {
  // QTBUG-15311: a repeated Content-Length folded into "3, 3" still means 3.
  const first = trim(field.split(",", 1)[0]);
  if (!/^\d+$/.test(first)) return undefined;
  const n = Number(first);
  return Number.isSafeInteger(n) ? n : undefined;
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
 * | Cookie, Set-Cookie | not parsed here: always `undefined` |
 *
 * @example
 * ```ts
 * import { KnownHeader, parseKnownHeader } from "@netreply/netreply";
 * console.log(parseKnownHeader(KnownHeader.LocationHeader, ["/relative"])); // undefined
 * console.log(parseKnownHeader(KnownHeader.IfMatchHeader, ['"a", W/"b"', '"c"'])); // ['"a"', '"c"']
 * ```
 */
export function parseKnownHeader(kind: KnownHeader, values: readonly string[]): KnownHeaderValue | undefined {
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
      const tag = trim(first);
      return isTag(tag) ? tag : undefined;
    }
    case KnownHeader.IfMatchHeader:
      return parseTagList(values, isStrongTag);
    case KnownHeader.IfNoneMatchHeader:
      return parseTagList(values, isTag);
    case KnownHeader.CookieHeader:
    case KnownHeader.SetCookieHeader:
      return undefined;
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

/**
 * Serialises a cooked known-header value into a field value.
 *
 * | Header | Accepts |
 * |---|---|
 * | Content-Length | a non-negative safe integer `number` (or `bigint`) |
 * | Location | a `URL` (its `href`) or a `string` |
 * | Last-Modified, If-Modified-Since | a valid `Date` (as {@linkcode formatHttpDate}) |
 * | If-Match, If-None-Match | a `string[]`, joined with `", "` |
 * | others | a `string` |
 *
 * @throws {TypeError} If the value has the wrong type, is out of range, or
 * makes an invalid field value (CR, LF, NUL…); and always for Cookie and
 * Set-Cookie, which arrive with the cookie jar.
 *
 * @example
 * ```ts
 * import { KnownHeader, serializeKnownHeader } from "@netreply/netreply";
 * console.log(serializeKnownHeader(KnownHeader.LastModifiedHeader, new Date(0))); // "Thu, 01 Jan 1970 00:00:00 GMT"
 * try {
 *   serializeKnownHeader(KnownHeader.ContentLengthHeader, "abc");
 * } catch (e) {
 *   console.log((e as TypeError).message); // Cannot set header "content-length": expected a non-negative integer, got "abc"
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
    case KnownHeader.SetCookieHeader:
      throw new TypeError(`Cannot set header "${name}": cookie headers arrive with the cookie jar`);
    default:
      if (typeof value === "string") return checked(name, value);
      return wrong("a string");
  }
}
