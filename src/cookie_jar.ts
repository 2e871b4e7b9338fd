/**
 * {@linkcode CookieJar}: the in-memory cookie store of RFC 6265bis §5.7
 * (storage) and §5.8.3 (retrieval), with Qt's QNetworkCookieJar's methods.
 * Set-Cookie lines are parsed by `parseSetCookie` (src/core/set_cookie.ts);
 * the jar decides what is stored and what is sent.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CookieJar } from "./cookie_jar.ts";
 * import { parseSetCookieLines } from "./core/set_cookie.ts";
 * const jar = new CookieJar({ now: () => 0 });
 * const url = new URL("https://example.com/app/");
 * jar.setCookiesFromUrl(parseSetCookieLines("id=42; Path=/\nlang=en", url, 0), url);
 * equal(jar.cookieHeaderFor(new URL("https://example.com/app/x")), "lang=en; id=42");
 * ```
 *
 * @module
 */

import { checkCookieForUrl, controlCharacterIn } from "./core/cookie_acceptance.ts";
import { canonicalHost, domainMatch, isSecureCookieUrl, pathMatch } from "./core/cookie_match.ts";
import type { NetworkCookie } from "./core/network_cookie.ts";
import { parsedJson } from "./core/json_input.ts";
import { checkOptionKeys } from "./core/option_keys.ts";

export type { NetworkCookie } from "./core/network_cookie.ts";

/**
 * Options of {@linkcode CookieJar}.
 *
 * @example A jar on its own clock
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CookieJar } from "@netreply/netreply";
 * let now = 0;
 * const jar = new CookieJar({ now: () => now });
 * jar.insertCookie({ name: "a", value: "1", domain: "h.test", path: "/", expires: new Date(1_000), secure: false, httpOnly: false, sameSite: "Default" });
 * equal(jar.cookieHeaderFor(new URL("http://h.test/")), "a=1");
 * now = 2_000; // the jar's clock has passed the expiry
 * equal(jar.cookieHeaderFor(new URL("http://h.test/")), undefined);
 * ```
 */
export interface CookieJarOptions {
  /** The clock, in milliseconds since the epoch (default `Date.now`); expiry is judged by it. */
  now?: () => number;
}

/**
 * One cookie of {@linkcode CookieJarJson}: dates as ISO 8601 strings.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CookieJar } from "@netreply/netreply";
 * const jar = new CookieJar({ now: () => 0 });
 * jar.insertCookie({ name: "a", value: "1", domain: "h.test", path: "/", secure: true, httpOnly: false, sameSite: "Lax" });
 * const [cookie] = jar.toJSON().cookies;
 * equal(cookie.name, "a");
 * equal(cookie.secure, true);
 * equal(cookie.created, "1970-01-01T00:00:00.000Z");
 * ```
 */
export interface CookieJson {
  /** Cookie name. */
  name: string;
  /** Cookie value. */
  value: string;
  /** Domain, with a leading dot for a Domain cookie. */
  domain: string;
  /** Path. */
  path: string;
  /** Expiry; absent for a session cookie. */
  expires?: string;
  /** The Secure flag. */
  secure: boolean;
  /** The HttpOnly flag. */
  httpOnly: boolean;
  /** The SameSite attribute. */
  sameSite: NetworkCookie["sameSite"];
  /** When the jar first stored the cookie (it orders the Cookie header). */
  created: string;
}

/**
 * What {@linkcode CookieJar.toJSON} writes and {@linkcode CookieJar.fromJSON} reads.
 *
 * @example Persist a jar and load it again
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CookieJar, type CookieJarJson } from "@netreply/netreply";
 * const jar = new CookieJar();
 * const expires = new Date(Date.now() + 60_000);
 * jar.insertCookie({ name: "session", value: "abc", domain: "h.test", path: "/", expires, secure: false, httpOnly: true, sameSite: "Lax" });
 * const saved: string = JSON.stringify(jar.toJSON()); // e.g. to a file, or Deno KV
 * const json: CookieJarJson = JSON.parse(saved);
 * equal(json.version, 1);
 * equal(CookieJar.fromJSON(json).cookieHeaderFor(new URL("http://h.test/")), "session=abc");
 * ```
 */
export interface CookieJarJson {
  /** The format's version. */
  version: 1;
  /** Every stored cookie, in storage order. */
  cookies: CookieJson[];
}

const COOKIE_JAR_OPTION_KEYS: ReadonlySet<string> = new Set(["now"]);

interface StoredCookie {
  cookie: NetworkCookie;
  /** Creation time (ms); kept when a cookie is replaced (RFC 6265bis §5.7). */
  created: number;
}

const SAME_SITE: readonly string[] = ["Default", "None", "Lax", "Strict"];

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/** A validated copy of a cookie-shaped value; throws a TypeError naming `where`. */
function readCookie(value: unknown, action: string, where: string, datesAsStrings: boolean): NetworkCookie {
  const fail = (what: string): never => {
    throw new TypeError(`Cannot ${action}: ${where}${what}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(` must be an object, got ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  for (const key of ["name", "value", "domain", "path"]) {
    if (typeof record[key] !== "string") fail(`.${key} must be a string, got ${describe(record[key])}`);
  }
  // The Cookie header joins name=value pairs with "; ": a control character (CR, LF, NUL...) or a ";"
  // in either, or a "=" in the name, would change what the server reads (RFC 6265bis §4.2.1; §5.6
  // ignores a Set-Cookie line that holds them).
  for (const key of ["name", "value"]) {
    const text = record[key] as string;
    const control = controlCharacterIn(text);
    if (control !== undefined) fail(`.${key} contains the control character ${control}`);
    if (text.includes(";")) fail(`.${key} contains ";"`);
  }
  if ((record.name as string).includes("=")) fail(`.name contains "="`);
  for (const key of ["secure", "httpOnly"]) {
    if (typeof record[key] !== "boolean") fail(`.${key} must be a boolean, got ${describe(record[key])}`);
  }
  if (!SAME_SITE.includes(record.sameSite as string)) {
    fail(
      `.sameSite must be "Default", "None", "Lax" or "Strict", got ${
        JSON.stringify(record.sameSite) ?? "undefined"
      }`,
    );
  }
  let expires: Date | undefined;
  if (record.expires !== undefined) {
    const raw = record.expires;
    const ok = datesAsStrings ? typeof raw === "string" : raw instanceof Date;
    expires = ok ? new Date(datesAsStrings ? raw as string : (raw as Date).getTime()) : undefined;
    if (!expires || Number.isNaN(expires.getTime())) {
      fail(
        `.expires must be ${datesAsStrings ? "an ISO 8601 date string" : "a valid Date"}, got ${String(raw)}`,
      );
    }
  }
  return {
    name: record.name as string,
    value: record.value as string,
    domain: (record.domain as string).toLowerCase(),
    path: record.path as string,
    ...(expires ? { expires } : {}),
    secure: record.secure as boolean,
    httpOnly: record.httpOnly as boolean,
    sameSite: record.sameSite as NetworkCookie["sameSite"],
  };
}

function copyCookie(cookie: NetworkCookie): NetworkCookie {
  return { ...cookie, ...(cookie.expires ? { expires: new Date(cookie.expires.getTime()) } : {}) };
}

/** Qt's identity of a cookie: name, domain (case-insensitive) and path. */
function sameIdentity(a: NetworkCookie, b: NetworkCookie): boolean {
  return a.name === b.name && a.domain.toLowerCase() === b.domain.toLowerCase() && a.path === b.path;
}

/** The domain of a cookie without the leading dot of a Domain cookie. */
function bareDomain(cookie: NetworkCookie): string {
  return cookie.domain.replace(/^\./, "");
}

/**
 * An in-memory cookie store (Qt's QNetworkCookieJar, with RFC 6265bis rules),
 * synchronous, as `NetworkAccessManager` uses it. Expired cookies are evicted
 * whenever the jar is read or written (RFC 6265bis §5.7), by the clock of
 * `options.now`. Subclass it to add policy or storage, as in Qt.
 *
 * Not done, as in Qt: SameSite enforcement (there is no "site for cookies"
 * outside a browser) and size limits.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CookieJar } from "./cookie_jar.ts";
 * const jar = new CookieJar();
 * jar.insertCookie({
 *   name: "a", value: "1", domain: ".example.com", path: "/", secure: false, httpOnly: false, sameSite: "Default",
 * });
 * equal(jar.cookiesForUrl(new URL("http://www.example.com/")).length, 1);
 * ```
 */
export class CookieJar {
  #now: () => number;
  #stored: StoredCookie[] = [];

  /** Creates an empty jar; `options.now` is its clock (default `Date.now`). */
  constructor(options: CookieJarOptions = {}) {
    checkOptionKeys(options, COOKIE_JAR_OPTION_KEYS, "new CookieJar()");
    if (options.now !== undefined && typeof options.now !== "function") {
      throw new TypeError(
        `Cannot create CookieJar: options.now must be a function, got ${describe(options.now)}`,
      );
    }
    this.#now = options.now ?? Date.now;
  }

  /** `given` (a caller's time) or the jar's clock, checked. */
  #time(given?: number): number {
    const now = given ?? this.#now();
    if (typeof now !== "number" || !Number.isFinite(now)) {
      const source = given === undefined ? "the CookieJar clock returned" : "now is";
      throw new TypeError(
        `Cannot use cookies: ${source} ${String(now)}, not a finite number of milliseconds`,
      );
    }
    return now;
  }

  /** Removes every cookie whose expiry is at or before `now`. */
  #evict(now: number): void {
    this.#stored = this.#stored.filter(({ cookie }) => !cookie.expires || cookie.expires.getTime() > now);
  }

  /**
   * The cookies to send to `url` (RFC 6265bis §5.8.3): not expired, host-only
   * ones for the exact host, Domain ones for the host and its sub-domains
   * (never for an IP address other than the domain itself), path-matching
   * `url.pathname`, Secure ones only when {@linkcode isSecureCookieUrl}; longer
   * paths first, then earlier creation. Copies: changing them changes nothing.
   * `now` (milliseconds since the epoch) replaces the jar's clock for this call,
   * so a caller that owns the time (the manager's hop loop) stays pure.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * const jar = new CookieJar();
   * const base = { value: "1", domain: "h.test", secure: false, httpOnly: false, sameSite: "Lax" } as const;
   * jar.setAllCookies([{ ...base, name: "root", path: "/" }, { ...base, name: "deep", path: "/a" }]);
   * equal(jar.cookiesForUrl(new URL("http://h.test/a/b")).map((c) => c.name).join(), "deep,root");
   * ```
   */
  cookiesForUrl(url: URL, now?: number): NetworkCookie[] {
    if (!(url instanceof URL)) throw new TypeError("Cannot look up cookies: url must be a URL");
    const time = this.#time(now);
    if (this.#stored.length === 0) return []; // every request asks: an empty jar answers at once
    this.#evict(time);
    const host = canonicalHost(url);
    const secure = isSecureCookieUrl(url);
    return this.#stored
      .filter(({ cookie }) =>
        (cookie.domain.startsWith(".") ? domainMatch(host, bareDomain(cookie)) : host === cookie.domain) &&
        pathMatch(url.pathname, cookie.path) && (secure || !cookie.secure)
      )
      .sort((a, b) => b.cookie.path.length - a.cookie.path.length || a.created - b.created)
      .map(({ cookie }) => copyCookie(cookie));
  }

  /**
   * The Cookie header field value for a request to `url` (RFC 6265bis
   * §5.8.3): `name=value` of each of {@linkcode cookiesForUrl}, joined by
   * `"; "` (a nameless cookie is its value alone), or `undefined` when no
   * cookie applies. `now` as in {@linkcode cookiesForUrl}; this is the helper
   * the manager calls for each hop.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * const jar = new CookieJar();
   * const url = new URL("https://h.test/");
   * jar.setCookiesFromUrl([
   *   { name: "a", value: "1", domain: "", path: "", secure: true, httpOnly: false, sameSite: "Default" },
   *   { name: "", value: "flag", domain: "", path: "", secure: false, httpOnly: false, sameSite: "Default" },
   * ], url);
   * equal(jar.cookieHeaderFor(url), "a=1; flag");
   * equal(jar.cookieHeaderFor(new URL("http://h.test/")), "flag");
   * equal(jar.cookieHeaderFor(new URL("https://other.test/")), undefined);
   * ```
   */
  cookieHeaderFor(url: URL, now?: number): string | undefined {
    const cookies = this.cookiesForUrl(url, now);
    if (cookies.length === 0) return undefined;
    return cookies.map((c) => c.name === "" ? c.value : `${c.name}=${c.value}`).join("; ");
  }

  /**
   * Stores cookies received from `url` (RFC 6265bis §5.7; Qt's
   * setCookiesFromUrl): each is checked and normalised by the storage rules
   * (`checkCookieForUrl`: Domain and public suffixes, Secure only from secure
   * URLs, `SameSite=None` needs Secure, `__Secure-`/`__Host-`); a non-Secure
   * cookie from an insecure URL may not overlay a Secure one of the same name
   * whose domain matches and whose path covers it; then it is inserted as
   * {@linkcode insertCookie} does (an expired one deletes its namesake).
   * Returns whether any cookie was stored. `now` as in {@linkcode cookiesForUrl}.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * const jar = new CookieJar();
   * const cookie = { name: "a", value: "1", domain: ".com", path: "/", secure: false, httpOnly: false, sameSite: "Lax" } as const;
   * equal(jar.setCookiesFromUrl([cookie], new URL("http://example.com/")), false);
   * equal(jar.setCookiesFromUrl([{ ...cookie, domain: "" }], new URL("http://example.com/")), true);
   * ```
   */
  setCookiesFromUrl(cookies: NetworkCookie[], url: URL, now?: number): boolean {
    if (!Array.isArray(cookies)) throw new TypeError("Cannot store cookies: cookies must be an array");
    if (!(url instanceof URL)) throw new TypeError("Cannot store cookies: url must be a URL");
    const time = this.#time(now);
    this.#evict(time);
    const secureUrl = isSecureCookieUrl(url);
    let stored = false;
    cookies.forEach((value, i) => {
      const check = checkCookieForUrl(readCookie(value, "store cookies", `cookies[${i}]`, false), url);
      if (!check.ok) return;
      const cookie = check.cookie;
      if (!cookie.secure && !secureUrl && this.#overlaysSecureCookie(cookie)) return;
      if (this.#insert(cookie, time)) stored = true;
    });
    return stored;
  }

  /** RFC 6265bis §5.7: whether a non-Secure cookie would overlay a stored Secure one. */
  #overlaysSecureCookie(cookie: NetworkCookie): boolean {
    return this.#stored.some(({ cookie: old }) =>
      old.name === cookie.name && old.secure &&
      (domainMatch(bareDomain(old), bareDomain(cookie)) ||
        domainMatch(bareDomain(cookie), bareDomain(old))) &&
      pathMatch(cookie.path, old.path)
    );
  }

  /**
   * Replaces the namesake in its place, keeping its creation time (so cookies
   * created in the same millisecond keep their order); an expired cookie only deletes.
   */
  #insert(cookie: NetworkCookie, now: number): boolean {
    const index = this.#stored.findIndex((s) => sameIdentity(s.cookie, cookie));
    const expired = cookie.expires !== undefined && cookie.expires.getTime() <= now;
    if (index === -1) {
      if (!expired) this.#stored.push({ cookie: copyCookie(cookie), created: now });
    } else if (expired) {
      this.#stored.splice(index, 1);
    } else {
      this.#stored[index] = { cookie: copyCookie(cookie), created: this.#stored[index].created };
    }
    return !expired;
  }

  /**
   * Every stored cookie that has not expired, in storage order (copies).
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * equal(new CookieJar().allCookies().length, 0);
   * ```
   */
  allCookies(): NetworkCookie[] {
    this.#evict(this.#time());
    return this.#stored.map(({ cookie }) => copyCookie(cookie));
  }

  /**
   * Replaces every stored cookie with `cookies`, as given (no storage rules;
   * later duplicates of a name, domain and path replace earlier ones;
   * expired ones are evicted), created now in the given order.
   *
   * @throws {TypeError} If an element is not a cookie, or its name or value holds a control character or ";" (or its name "="), naming the field.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * const jar = new CookieJar();
   * jar.setAllCookies([{ name: "a", value: "1", domain: "h", path: "/", secure: false, httpOnly: false, sameSite: "Lax" }]);
   * equal(jar.allCookies()[0].name, "a");
   * ```
   */
  setAllCookies(cookies: NetworkCookie[]): void {
    if (!Array.isArray(cookies)) throw new TypeError("Cannot set all cookies: cookies must be an array");
    const read = cookies.map((c, i) => readCookie(c, "set all cookies", `cookies[${i}]`, false));
    const now = this.#time();
    this.#stored = [];
    for (const cookie of read) this.#insert(cookie, now);
  }

  /**
   * Adds `cookie`, as given, replacing the one with the same name, domain and
   * path (keeping its creation time); an expired cookie is not added but
   * deletes its namesake (Qt). Returns whether it was added.
   *
   * @throws {TypeError} If `cookie` is not a cookie, or its name or value holds a control character or ";" (or its name "="), naming the field.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * const jar = new CookieJar({ now: () => 1000 });
   * const cookie = { name: "a", value: "1", domain: "h", path: "/", secure: false, httpOnly: false, sameSite: "Lax" } as const;
   * equal(jar.insertCookie(cookie), true);
   * equal(jar.insertCookie({ ...cookie, expires: new Date(0) }), false);
   * equal(jar.allCookies().length, 0);
   * ```
   */
  insertCookie(cookie: NetworkCookie): boolean {
    const read = readCookie(cookie, "insert cookie", "cookie", false);
    const now = this.#time();
    this.#evict(now);
    return this.#insert(read, now);
  }

  /**
   * Replaces the stored cookie with the same name, domain and path; returns
   * whether there was one (and the new one is not expired). Qt's updateCookie.
   *
   * @throws {TypeError} If `cookie` is not a cookie, or its name or value holds a control character or ";" (or its name "="), naming the field.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * const jar = new CookieJar();
   * const cookie = { name: "a", value: "1", domain: "h", path: "/", secure: false, httpOnly: false, sameSite: "Lax" } as const;
   * equal(jar.updateCookie(cookie), false);
   * jar.insertCookie(cookie);
   * equal(jar.updateCookie({ ...cookie, value: "2" }), true);
   * equal(jar.allCookies()[0].value, "2");
   * ```
   */
  updateCookie(cookie: NetworkCookie): boolean {
    const read = readCookie(cookie, "update cookie", "cookie", false);
    const now = this.#time();
    this.#evict(now);
    if (!this.#stored.some((s) => sameIdentity(s.cookie, read))) return false;
    return this.#insert(read, now);
  }

  /**
   * Removes the stored cookie with the same name, domain and path; returns
   * whether there was one.
   *
   * @throws {TypeError} If `cookie` is not a cookie, or its name or value holds a control character or ";" (or its name "="), naming the field.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * const jar = new CookieJar();
   * const cookie = { name: "a", value: "1", domain: "h", path: "/", secure: false, httpOnly: false, sameSite: "Lax" } as const;
   * jar.insertCookie(cookie);
   * equal(jar.deleteCookie({ ...cookie, value: "other" }), true);
   * equal(jar.deleteCookie(cookie), false);
   * ```
   */
  deleteCookie(cookie: NetworkCookie): boolean {
    const read = readCookie(cookie, "delete cookie", "cookie", false);
    this.#evict(this.#time());
    const before = this.#stored.length;
    this.#stored = this.#stored.filter((s) => !sameIdentity(s.cookie, read));
    return this.#stored.length !== before;
  }

  /**
   * The unexpired cookies as plain JSON data (dates as ISO 8601 strings,
   * creation times kept), for `JSON.stringify` and {@linkcode CookieJar.fromJSON}.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * const jar = new CookieJar({ now: () => 0 });
   * jar.insertCookie({ name: "a", value: "1", domain: "h", path: "/", secure: false, httpOnly: false, sameSite: "Lax" });
   * equal(jar.toJSON().cookies[0].created, "1970-01-01T00:00:00.000Z");
   * ```
   */
  toJSON(): CookieJarJson {
    this.#evict(this.#time());
    return {
      version: 1,
      cookies: this.#stored.map(({ cookie, created }) => ({
        name: cookie.name,
        value: cookie.value,
        domain: cookie.domain,
        path: cookie.path,
        ...(cookie.expires ? { expires: cookie.expires.toISOString() } : {}),
        secure: cookie.secure,
        httpOnly: cookie.httpOnly,
        sameSite: cookie.sameSite,
        created: new Date(created).toISOString(),
      })),
    };
  }

  /**
   * A jar holding the cookies of `json` (what {@linkcode CookieJar.toJSON}
   * wrote, as an object or a JSON string), with their creation times;
   * expired ones are dropped, and a later duplicate (same name, domain and
   * path) replaces an earlier one.
   *
   * @throws {TypeError} If `json` is not that format (naming the field), or a string that is not JSON.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CookieJar } from "./cookie_jar.ts";
   * const jar = new CookieJar();
   * jar.insertCookie({ name: "a", value: "1", domain: "h", path: "/", secure: false, httpOnly: false, sameSite: "Lax" });
   * const copy = CookieJar.fromJSON(JSON.stringify(jar));
   * equal(copy.allCookies()[0].value, "1");
   * ```
   */
  static fromJSON(json: CookieJarJson | string, options: CookieJarOptions = {}): CookieJar {
    const action = "read cookie jar JSON";
    const data = parsedJson(json, (what): never => {
      throw new TypeError(`Cannot ${action}: ${what}`);
    });
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new TypeError(`Cannot ${action}: expected an object, got ${describe(data)}`);
    }
    const record = data as Record<string, unknown>;
    if (record.version !== 1) {
      throw new TypeError(
        `Cannot ${action}: version must be 1, got ${JSON.stringify(record.version) ?? "undefined"}`,
      );
    }
    if (!Array.isArray(record.cookies)) {
      throw new TypeError(`Cannot ${action}: cookies must be an array, got ${describe(record.cookies)}`);
    }
    const stored: StoredCookie[] = [];
    record.cookies.forEach((value: unknown, i: number) => {
      const cookie = readCookie(value, action, `cookies[${i}]`, true);
      const created = Date.parse(String((value as Record<string, unknown>).created));
      if (typeof (value as Record<string, unknown>).created !== "string" || Number.isNaN(created)) {
        throw new TypeError(`Cannot ${action}: cookies[${i}].created must be an ISO 8601 date string`);
      }
      // A later duplicate (same name, domain and path) replaces an earlier one in its place.
      const index = stored.findIndex((s) => sameIdentity(s.cookie, cookie));
      if (index === -1) stored.push({ cookie, created });
      else stored[index] = { cookie, created };
    });
    const jar = new CookieJar(options);
    jar.#stored = stored;
    jar.#evict(jar.#time());
    return jar;
  }
}
