/**
 * Parsing of the `Cache-Control` header field (RFC 9111 §5.2) into the
 * directives a private cache acts on.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseCacheControl } from "./cache_control.ts";
 * const cc = parseCacheControl("Max-Age=\"600\", must-revalidate");
 * equal(cc.maxAge, 600);
 * equal(cc.mustRevalidate, true);
 * ```
 *
 * @module
 */

/** One directive as written: its lower-cased name and its argument, unquoted. */
export interface CacheDirective {
  /** The directive name, lower-cased (RFC 9111 §5.2: names compare case-insensitively). */
  readonly name: string;
  /**
   * The argument with quoted-string quoting removed (RFC 9110 §5.6.4), or
   * `undefined` when there is none or the element is malformed.
   */
  readonly argument: string | undefined;
  /**
   * Whether the element is not `token [ "=" ( token / quoted-string ) ]`
   * (`max-age =60`, `max-age=6 0`, an unterminated quoted string).
   */
  readonly malformed: boolean;
}

/**
 * The directives of one or more `Cache-Control` field lines, request or
 * response (RFC 9111 §5.2.1 and §5.2.2).
 *
 * A directive with an argument uses its first occurrence (RFC 9111 §4.2.1).
 * A directive without an argument counts wherever it appears, whatever follows
 * it, because the most restrictive reading wins (RFC 9111 §4.2.1).
 */
export interface CacheControl {
  /** Every well-named element, in order, duplicates included. */
  readonly directives: readonly CacheDirective[];
  /**
   * `max-age` in seconds. Present without a valid delta-seconds argument
   * (`max-age=1.5`, `max-age='3'`, `max-age =3`) it is 0, so that the response
   * is stale, as RFC 9111 §4.2.1 encourages for invalid freshness information.
   */
  readonly maxAge: number | undefined;
  /** `s-maxage` in seconds (0 when invalid, as `maxAge`); a private cache ignores it. */
  readonly sMaxAge: number | undefined;
  /**
   * Request `max-stale` in seconds; `Infinity` without an argument (RFC 9111
   * §5.2.1.2: any staleness). An invalid argument is ignored (`undefined`),
   * which accepts no staleness.
   */
  readonly maxStale: number | undefined;
  /** Request `min-fresh` in seconds; an invalid argument is ignored (`undefined`). */
  readonly minFresh: number | undefined;
  /** `stale-while-revalidate` (RFC 5861 §3) in seconds; invalid ⇒ `undefined`. */
  readonly staleWhileRevalidate: number | undefined;
  /** `stale-if-error` (RFC 5861 §4) in seconds; invalid ⇒ `undefined`. */
  readonly staleIfError: number | undefined;
  /**
   * `no-cache`, qualified (`no-cache="Set-Cookie"`) or not: the qualified form
   * is treated as unqualified, as RFC 9111 §5.2.2.4 allows.
   */
  readonly noCache: boolean;
  /** `no-store` (RFC 9111 §5.2.1.5, §5.2.2.5). */
  readonly noStore: boolean;
  /** `no-transform` (RFC 9111 §5.2.1.6, §5.2.2.6). */
  readonly noTransform: boolean;
  /** Request `only-if-cached` (RFC 9111 §5.2.1.7). */
  readonly onlyIfCached: boolean;
  /** `must-revalidate` (RFC 9111 §5.2.2.2). */
  readonly mustRevalidate: boolean;
  /** `proxy-revalidate` (RFC 9111 §5.2.2.8); shared caches only. */
  readonly proxyRevalidate: boolean;
  /** `must-understand` (RFC 9111 §5.2.2.3). */
  readonly mustUnderstand: boolean;
  /** `private`, qualified or not (RFC 9111 §5.2.2.7); a private cache may store it. */
  readonly private: boolean;
  /** `public` (RFC 9111 §5.2.2.9). */
  readonly public: boolean;
  /** `immutable` (RFC 8246 §2). */
  readonly immutable: boolean;
}

/** RFC 9111 §1.2.2: a delta-seconds too large to represent is read as 2^31. */
export const MAX_DELTA_SECONDS = 2 ** 31;

// RFC 9110 §5.6.2 tchar.
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

function isOws(c: string | undefined): boolean {
  return c === " " || c === "\t";
}

/**
 * Reads delta-seconds (RFC 9111 §1.2.2: `1*DIGIT`), capped at
 * {@linkcode MAX_DELTA_SECONDS}; `undefined` for anything else.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseDeltaSeconds } from "./cache_control.ts";
 * equal(parseDeltaSeconds("003600"), 3600);
 * equal(parseDeltaSeconds("99999999999"), 2147483648);
 * equal(parseDeltaSeconds("3600.0"), undefined);
 * ```
 */
export function parseDeltaSeconds(text: string | undefined): number | undefined {
  if (typeof text !== "string" || !/^[0-9]+$/.test(text)) return undefined;
  return Math.min(Number(text), MAX_DELTA_SECONDS);
}

/** Parses one field line into `directives`. */
function parseLine(line: string, directives: CacheDirective[]): void {
  let i = 0;
  const n = line.length;
  // Skips to just after the next comma outside a quoted string (or to the end).
  const skipElement = (): void => {
    let quoted = false;
    for (; i < n; i++) {
      const c = line[i];
      if (quoted && c === "\\") i++;
      else if (c === '"') quoted = !quoted;
      else if (!quoted && c === ",") break;
    }
  };
  while (i < n) {
    // RFC 9110 §5.6.1: empty list elements and OWS around them are ignored.
    while (i < n && (isOws(line[i]) || line[i] === ",")) i++;
    if (i >= n) break;
    const nameStart = i;
    while (i < n && TCHAR.test(line[i])) i++;
    const name = line.slice(nameStart, i).toLowerCase();
    if (name === "") {
      skipElement();
      continue;
    }
    let argument: string | undefined;
    let malformed = false;
    if (line[i] === "=") {
      i++;
      if (line[i] === '"') {
        // quoted-string with quoted-pair (RFC 9110 §5.6.4).
        let value = "";
        let closed = false;
        for (i++; i < n; i++) {
          const c = line[i];
          if (c === "\\" && i + 1 < n) value += line[++i];
          else if (c === '"') {
            closed = true;
            i++;
            break;
          } else value += c;
        }
        if (closed) argument = value;
        else malformed = true;
      } else {
        const start = i;
        while (i < n && TCHAR.test(line[i])) i++;
        argument = line.slice(start, i);
      }
    }
    while (isOws(line[i])) i++;
    if (i < n && line[i] !== ",") {
      // `max-age =60`, `max-age=6 0`, `a="b"c`: not `token [ "=" value ]`.
      malformed = true;
      skipElement();
    }
    directives.push({ name, argument: malformed ? undefined : argument, malformed });
  }
}

/**
 * Parses `Cache-Control` field lines (RFC 9111 §5.2) — pass every line, e.g.
 * `headers.values("cache-control")` — into {@linkcode CacheControl}.
 *
 * Lenient, as RFC 9111 asks of caches: directive names are case-insensitive;
 * arguments may be tokens or quoted strings (`max-age="60"` is 60); unknown
 * directives are kept in `directives` and otherwise ignored; an element that is
 * not `token [ "=" ( token / quoted-string ) ]` keeps its name without an
 * argument; text before a name (`=x`, `"x"`) is skipped up to the next comma.
 *
 * @param fieldValues One field line or all of them, in order.
 * @throws {TypeError} If a field value is not a string.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseCacheControl } from "./cache_control.ts";
 * const cc = parseCacheControl(["max-age=1800, max-age=1", 'no-cache="Set-Cookie"']);
 * equal(cc.maxAge, 1800);
 * equal(cc.noCache, true);
 * equal(parseCacheControl("max-age=3600.5").maxAge, 0);
 * equal(parseCacheControl("").maxAge, undefined);
 * ```
 */
export function parseCacheControl(fieldValues: string | Iterable<string>): CacheControl {
  const lines = typeof fieldValues === "string" ? [fieldValues] : fieldValues;
  if (lines === null || typeof lines !== "object" || !(Symbol.iterator in lines)) {
    throw new TypeError(
      `Cannot parse Cache-Control: expected a string or strings, got ${
        lines === null ? "null" : typeof lines
      }`,
    );
  }
  const directives: CacheDirective[] = [];
  for (const line of lines) {
    if (typeof line !== "string") {
      throw new TypeError(`Cannot parse Cache-Control: a field value must be a string, got ${typeof line}`);
    }
    parseLine(line, directives);
  }
  const has = (name: string): boolean => directives.some((d) => d.name === name);
  const first = (name: string): CacheDirective | undefined => directives.find((d) => d.name === name);
  // Freshness directives: invalid ⇒ 0, i.e. stale (RFC 9111 §4.2.1).
  const freshness = (name: string): number | undefined => {
    const d = first(name);
    return d === undefined ? undefined : parseDeltaSeconds(d.argument) ?? 0;
  };
  // The other delta-seconds directives: invalid ⇒ ignored.
  const optional = (name: string): number | undefined => parseDeltaSeconds(first(name)?.argument);
  const maxStale = first("max-stale");
  return {
    directives,
    maxAge: freshness("max-age"),
    sMaxAge: freshness("s-maxage"),
    maxStale: maxStale === undefined
      ? undefined
      : maxStale.argument === undefined && !maxStale.malformed
      ? Infinity
      : parseDeltaSeconds(maxStale.argument),
    minFresh: optional("min-fresh"),
    staleWhileRevalidate: optional("stale-while-revalidate"),
    staleIfError: optional("stale-if-error"),
    noCache: has("no-cache"),
    noStore: has("no-store"),
    noTransform: has("no-transform"),
    onlyIfCached: has("only-if-cached"),
    mustRevalidate: has("must-revalidate"),
    proxyRevalidate: has("proxy-revalidate"),
    mustUnderstand: has("must-understand"),
    private: has("private"),
    public: has("public"),
    immutable: has("immutable"),
  };
}
