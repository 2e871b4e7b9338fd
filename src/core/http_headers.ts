/**
 * {@linkcode HttpHeaders}: an ordered list of HTTP header fields with Qt's
 * `QHttpHeaders` semantics.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * const headers = new HttpHeaders([["Accept", "text/html"], ["accept", "text/plain"]]);
 * equal(headers.combinedValue("ACCEPT"), "text/html, text/plain");
 * ```
 *
 * @module
 */

import { isHttpToken } from "./http_token.ts";
import { trimOws } from "./trim_ows.ts";

function fail(name: string, why: string): never {
  throw new TypeError(`Cannot set header ${JSON.stringify(name)}: ${why}`);
}

function validName(name: unknown): string {
  if (typeof name !== "string") {
    throw new TypeError(`Cannot set header: name must be a string, got ${typeof name}`);
  }
  if (name === "") fail(name, "name is empty");
  if (!isHttpToken(name)) fail(name, "name is not an RFC 9110 token");
  return name.toLowerCase();
}

function validValue(name: string, value: unknown): string {
  if (typeof value !== "string") fail(name, `value must be a string, got ${typeof value}`);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) continue;
    if (c === 0x09) continue;
    if (c === 0x0d || c === 0x0a) fail(name, "value contains CR or LF");
    if (c === 0x00) fail(name, "value contains NUL");
    fail(name, `value contains control character U+${c.toString(16).toUpperCase().padStart(4, "0")}`);
  }
  // RFC 9110 §5.5: only SP and HTAB are optional whitespace around a field value.
  return trimOws(value);
}

/** `name` lower-case, for a lookup: as it is when already lower-case ASCII (toLowerCase() would copy it). */
function lookupName(name: string): string {
  const key = String(name);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return key.toLowerCase();
  }
  return key;
}

function isPairIterable(init: object): init is Iterable<readonly string[]> {
  return Symbol.iterator in init;
}

/**
 * Appends a field that a runtime's `Headers` already vouches for: the Fetch
 * standard keeps its names lower-case RFC 9110 tokens and its values free of
 * CR, LF, NUL and surrounding whitespace, so the checks of
 * {@linkcode HttpHeaders.append} are skipped (they cost more than the rest of
 * building a response head).
 */
export function appendFetchField(headers: HttpHeaders, name: string, value: string): void {
  appendUnchecked(headers, name, value);
}
let appendUnchecked: typeof appendFetchField;

/**
 * The fields of a runtime's `Headers` (a fetch response's) as
 * {@linkcode HttpHeaders}, in the runtime's iteration order with Set-Cookie
 * fields kept apart. They are copied only when a method needs them as a
 * list (positions, size, iteration, a change); until then a lookup by name
 * asks `fields` itself, so that a response read only by name (Content-Length,
 * Set-Cookie, Location) never has its fields sorted and copied.
 *
 * @param fields Headers that do not change any more (a response's).
 * @returns The fields as HttpHeaders.
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { fetchedHeaders } from "./http_headers.ts";
 * const fields = new Headers([["b", "2"], ["a", "1"], ["set-cookie", "x=1"], ["set-cookie", "y=2"]]);
 * const headers = fetchedHeaders(fields);
 * equal(headers.value("A"), "1");
 * deepEqual(headers.values("set-cookie"), ["x=1", "y=2"]);
 * deepEqual(headers.toListOfPairs(), [["a", "1"], ["b", "2"], ["set-cookie", "x=1"], ["set-cookie", "y=2"]]);
 * ```
 */
export function fetchedHeaders(fields: Headers): HttpHeaders {
  return fromFetched(fields);
}
let fromFetched: typeof fetchedHeaders;

/**
 * The fields of a runtime's `Headers` as {@linkcode HttpHeaders}, copied now
 * (for `Headers` that may still change), in the order and with the Set-Cookie
 * fields of {@linkcode fetchedHeaders}.
 *
 * @param fields Any runtime `Headers`.
 * @returns A copy of the fields.
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { copiedHeaders } from "./http_headers.ts";
 * const fields = new Headers([["b", "2"], ["a", "1"]]);
 * const headers = copiedHeaders(fields);
 * fields.set("c", "3");
 * deepEqual(headers.toListOfPairs(), [["a", "1"], ["b", "2"]]);
 * ```
 */
export function copiedHeaders(fields: Headers): HttpHeaders {
  const headers = new HttpHeaders();
  copyFetched(fields, headers);
  return headers;
}

/**
 * Whether `fields` gives its Set-Cookie fields apart through getSetCookie():
 * iteration splits them on current runtimes, getSetCookie() keeps them apart on
 * those that join them. Where it exists it is the whole answer, none included.
 */
function separatesSetCookie(fields: Headers): boolean {
  return typeof fields.getSetCookie === "function";
}

/** Appends every field of `fields` in iteration order, each Set-Cookie field apart at the first one's place. */
function copyFetched(fields: Headers, headers: HttpHeaders): void {
  const separateCookies = separatesSetCookie(fields);
  let cookiesCopied = false;
  // forEach walks the same list as iteration, without an iterator object and a pair per field.
  fields.forEach((value, name) => {
    if (name !== "set-cookie" || !separateCookies) return appendUnchecked(headers, name, value);
    if (cookiesCopied) return;
    cookiesCopied = true;
    for (const cookie of fields.getSetCookie()) appendUnchecked(headers, name, cookie);
  });
}

/** The values `copyFetched` would give the fields named `key` (lower-case), read from `fields` directly. */
function fetchedValues(fields: Headers, key: string): string[] {
  try {
    if (key === "set-cookie" && separatesSetCookie(fields)) return fields.getSetCookie();
    const value = fields.get(key);
    return value === null ? [] : [value];
  } catch {
    return []; // a name the runtime refuses names no field
  }
}

/**
 * An ordered list of `(name, value)` header fields, as Qt's `QHttpHeaders`.
 *
 * - Duplicates are kept in order and never combined automatically.
 * - Names must be RFC 9110 tokens; they are stored lower-case, and every
 *   lookup is case-insensitive.
 * - Values are trimmed of leading and trailing SP/HTAB; CR, LF, NUL, other C0
 *   controls (except HTAB) and DEL are rejected.
 *
 * Unlike Qt, which returns `false` and logs a warning, an invalid name or
 * value throws a `TypeError` naming the header, and an out-of-range index
 * throws a `RangeError`.
 *
 * @example Build, inspect and hand to fetch
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * const headers = new HttpHeaders({ "Content-Type": "text/plain" });
 * headers.append("X-Trace", " abc ");
 * headers.append("x-trace", "def");
 * deepEqual(headers.values("X-TRACE"), ["abc", "def"]);
 * deepEqual(headers.toListOfPairs(), [["content-type","text/plain"],["x-trace","abc"],["x-trace","def"]]);
 * const init: Headers = headers.toHeaders();
 * equal(init.get("x-trace"), "abc, def");
 * ```
 *
 * @example Invalid input throws
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders } from "@netreply/netreply";
 * try {
 *   new HttpHeaders().append("x-a", "evil\r\nInjected: 1");
 * } catch (e) {
 *   equal((e as TypeError).message, "Cannot set header \"x-a\": value contains CR or LF");
 * }
 * ```
 */
export class HttpHeaders implements Iterable<[string, string]> {
  #names: string[] = [];
  #values: string[] = [];
  /** Fields still held by a runtime's `Headers` (see fetchedHeaders), copied into the lists on first need. */
  #fetched: Headers | undefined;

  static {
    appendUnchecked = (headers, name, value) => {
      headers.#list();
      headers.#names.push(name);
      headers.#values.push(value);
    };
    fromFetched = (fields) => {
      const headers = new HttpHeaders();
      headers.#fetched = fields;
      return headers;
    };
  }

  /** Copies fields still held by a runtime's `Headers` into the lists; every method that needs the lists calls it. */
  #list(): void {
    const fields = this.#fetched;
    if (fields === undefined) return;
    this.#fetched = undefined;
    copyFetched(fields, this);
  }

  /**
   * Creates a header list, optionally copied from a web `Headers`, a record,
   * an iterable of `[name, value]` pairs or another {@linkcode HttpHeaders}.
   *
   * @param init The fields to start with, in order.
   * @throws {TypeError} If a name or value is invalid, or a pair does not have two entries.
   */
  constructor(init?: HeadersInit | Iterable<[string, string]> | HttpHeaders) {
    if (init === undefined || init === null) return;
    if (init instanceof HttpHeaders) {
      init.#list();
      this.#names = [...init.#names];
      this.#values = [...init.#values];
      return;
    }
    if (typeof init !== "object") {
      throw new TypeError(`Cannot create headers from a ${typeof init}`);
    }
    if (isPairIterable(init)) {
      for (const pair of init) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new TypeError(`Cannot create headers: expected a [name, value] pair, got ${String(pair)}`);
        }
        this.append(pair[0], pair[1]);
      }
      return;
    }
    for (const [name, value] of Object.entries(init)) this.append(name, value);
  }

  /**
   * Creates headers from `[name, value]` pairs, in order.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { HttpHeaders } from "@netreply/netreply";
   * equal(HttpHeaders.fromListOfPairs([["A", "1"], ["a", "2"]]).size(), 2);
   * ```
   */
  static fromListOfPairs(pairs: Iterable<readonly [string, string]>): HttpHeaders {
    const headers = new HttpHeaders();
    for (const [name, value] of pairs) headers.append(name, value);
    return headers;
  }

  /** Adds a field at the end. Throws a `TypeError` if the name or value is invalid. */
  append(name: string, value: string): void {
    this.#list();
    const key = validName(name);
    const v = validValue(name, value);
    this.#names.push(key);
    this.#values.push(v);
  }

  /**
   * Inserts a field before index `i` (`0 <= i <= size()`).
   * Throws a `RangeError` for a bad index, a `TypeError` for an invalid name or value.
   */
  insert(i: number, name: string, value: string): void {
    this.#list();
    this.#checkIndex(i, this.#names.length + 1);
    const key = validName(name);
    const v = validValue(name, value);
    this.#names.splice(i, 0, key);
    this.#values.splice(i, 0, v);
  }

  /**
   * Replaces the field at index `i` (`0 <= i < size()`) with a new name and value.
   * Throws a `RangeError` for a bad index, a `TypeError` for an invalid name or value.
   */
  replace(i: number, name: string, value: string): void {
    this.#list();
    this.#checkIndex(i, this.#names.length);
    const key = validName(name);
    const v = validValue(name, value);
    this.#names[i] = key;
    this.#values[i] = v;
  }

  /**
   * Sets the value of the first field named `name` and removes any later
   * fields of that name; appends a field if there is none.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual } from "node:assert/strict";
   * import { HttpHeaders } from "@netreply/netreply";
   * const h = new HttpHeaders([["a", "1"], ["b", "2"], ["A", "3"]]);
   * h.replaceOrAppend("a", "x");
   * deepEqual(h.toListOfPairs(), [["a","x"],["b","2"]]);
   * ```
   */
  replaceOrAppend(name: string, value: string): void {
    this.#list();
    const key = validName(name);
    const v = validValue(name, value);
    const first = this.#names.indexOf(key);
    if (first < 0) {
      this.#names.push(key);
      this.#values.push(v);
      return;
    }
    this.#values[first] = v;
    for (let i = this.#names.length - 1; i > first; i--) {
      if (this.#names[i] === key) {
        this.#names.splice(i, 1);
        this.#values.splice(i, 1);
      }
    }
  }

  /** Whether any field is named `name` (case-insensitive). */
  contains(name: string): boolean {
    if (this.#fetched !== undefined) return fetchedValues(this.#fetched, lookupName(name)).length > 0;
    return this.#names.includes(lookupName(name));
  }

  /** Removes every field named `name` (case-insensitive). */
  removeAll(name: string): void {
    this.#list();
    const key = lookupName(name);
    for (let i = this.#names.length - 1; i >= 0; i--) {
      if (this.#names[i] === key) {
        this.#names.splice(i, 1);
        this.#values.splice(i, 1);
      }
    }
  }

  /** Removes the field at index `i`. Throws a `RangeError` for a bad index. */
  removeAt(i: number): void {
    this.#list();
    this.#checkIndex(i, this.#names.length);
    this.#names.splice(i, 1);
    this.#values.splice(i, 1);
  }

  /** Removes every field. */
  clear(): void {
    this.#fetched = undefined;
    this.#names = [];
    this.#values = [];
  }

  /** The value of the first field named `name`, else `defaultValue`. */
  value(name: string, defaultValue?: string): string | undefined {
    if (this.#fetched !== undefined) return fetchedValues(this.#fetched, lookupName(name))[0] ?? defaultValue;
    const i = this.#names.indexOf(lookupName(name));
    return i < 0 ? defaultValue : this.#values[i];
  }

  /** The values of every field named `name`, in order (empty if none). */
  values(name: string): string[] {
    const key = lookupName(name);
    if (this.#fetched !== undefined) return fetchedValues(this.#fetched, key);
    const out: string[] = [];
    for (let i = 0; i < this.#names.length; i++) {
      if (this.#names[i] === key) out.push(this.#values[i]);
    }
    return out;
  }

  /**
   * The values of every field named `name` joined with `", "`, or `undefined`
   * if there is none. Not meaningful for `Set-Cookie`: use {@linkcode HttpHeaders.values}.
   */
  combinedValue(name: string): string | undefined {
    const all = this.values(name);
    return all.length === 0 ? undefined : all.join(", ");
  }

  /** The (lower-case) name of the field at index `i`. Throws a `RangeError` for a bad index. */
  nameAt(i: number): string {
    this.#list();
    this.#checkIndex(i, this.#names.length);
    return this.#names[i];
  }

  /** The value of the field at index `i`. Throws a `RangeError` for a bad index. */
  valueAt(i: number): string {
    this.#list();
    this.#checkIndex(i, this.#names.length);
    return this.#values[i];
  }

  /** The number of fields, counting duplicates. */
  size(): number {
    this.#list();
    return this.#names.length;
  }

  /** Whether there are no fields. */
  isEmpty(): boolean {
    this.#list();
    return this.#names.length === 0;
  }

  /** A copy of the fields as `[name, value]` pairs, in order. */
  toListOfPairs(): [string, string][] {
    this.#list();
    return this.#names.map((name, i) => [name, this.#values[i]]);
  }

  /**
   * A web `Headers` copy for `fetch`. Every field is appended, so `Set-Cookie`
   * fields stay separate while other duplicates are joined by `Headers`
   * itself. A value holding a character above U+00FF (which `Headers` cannot
   * carry) is passed as its UTF-8 bytes, which is what Qt puts on the wire.
   */
  toHeaders(): Headers {
    this.#list();
    const headers = new Headers();
    for (let i = 0; i < this.#names.length; i++) {
      headers.append(this.#names[i], toByteString(this.#values[i]));
    }
    return headers;
  }

  /** Iterates over `[name, value]` pairs, in order. */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    this.#list();
    for (let i = 0; i < this.#names.length; i++) yield [this.#names[i], this.#values[i]];
  }

  #checkIndex(i: number, limit: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= limit) {
      throw new RangeError(`Index ${i} is out of range: size is ${this.#names.length}`);
    }
  }
}

// deno-lint-ignore no-control-regex
const LATIN1 = /^[\u0000-\u00ff]*$/;

/**
 * A header value as a web `Headers` takes it (a ByteString): a value holding a
 * character above U+00FF goes as its UTF-8 bytes, which is what Qt puts on the wire.
 */
export function toByteString(value: string): string {
  if (LATIN1.test(value)) return value;
  let out = "";
  for (const byte of new TextEncoder().encode(value)) out += String.fromCharCode(byte);
  return out;
}
