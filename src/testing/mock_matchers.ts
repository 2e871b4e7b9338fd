/**
 * Request matching for {@linkcode MockTransport}: the shapes an interceptor
 * matches with ({@linkcode MockInterceptOptions}) and the recorded request
 * ({@linkcode MockCall}) it is matched against.
 *
 * @example
 * ```ts
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({
 *   method: "POST",
 *   url: /\/items$/,
 *   headers: { "content-type": /json/ },
 *   body: (text) => JSON.parse(text).name === "x",
 * }).reply(201);
 * ```
 *
 * @module
 */

import { HttpHeaders } from "../core/http_headers.ts";

/**
 * One request as {@linkcode MockTransport} saw it: in its history and in reply callbacks.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { type MockCall, MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ method: "POST", url: "https://api.test/items" }).reply(201);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * await nam.post("https://api.test/items", "x=1", { headers: { "content-type": "text/plain" } }).done;
 * const call: MockCall = mock.calls[0];
 * equal(call.method, "POST");
 * equal(call.headers.value("content-type"), "text/plain");
 * equal(new TextDecoder().decode(call.body!), "x=1");
 * ```
 */
export interface MockCall {
  /** The method as sent, e.g. `"GET"` or a custom verb. */
  readonly method: string;
  /** The URL of this hop (each redirect hop is its own call). */
  readonly url: URL;
  /** A copy of the header fields the manager sent, names lower-case. */
  readonly headers: HttpHeaders;
  /** The whole request body (a stream body is read to its end), or `null` for none. */
  readonly body: Uint8Array | null;
}

/**
 * Matches the URL: a string or `URL` is compared with the request URL's
 * `href` after normalising it with `new URL()`; a `RegExp` is tested against
 * the `href`; a function receives the URL.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport, type MockUrlMatcher } from "@netreply/netreply/testing";
 * const matchers: MockUrlMatcher[] = ["https://api.test/a", /\/b$/, (url) => url.pathname === "/c"];
 * const mock = new MockTransport();
 * for (const url of matchers) mock.intercept({ url }).reply(200, "ok");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * for (const path of ["a", "b", "c"]) equal(await nam.get(`https://api.test/${path}`).text(), "ok");
 * ```
 */
export type MockUrlMatcher = string | URL | RegExp | ((url: URL) => boolean);

/**
 * Matches a text value: a string must be equal, a `RegExp` is tested, a
 * function receives the value.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport, type MockValueMatcher } from "@netreply/netreply/testing";
 * const jsonBody: MockValueMatcher = (text) => JSON.parse(text).name === "ann";
 * const mock = new MockTransport();
 * mock.intercept({ method: "POST", body: jsonBody }).reply(201, "created");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * equal(await nam.post("https://api.test/users", { json: { name: "ann" } }).text(), "created");
 * ```
 */
export type MockValueMatcher = string | RegExp | ((value: string) => boolean);

/**
 * Matches the request headers: a record of header name (case-insensitive)
 * to a {@linkcode MockValueMatcher} tested against the header's combined
 * value (duplicates joined by `", "`) — a header that is absent never
 * matches — or a function of all the headers.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError } from "@netreply/netreply";
 * import { type MockHeadersMatcher, MockTransport } from "@netreply/netreply/testing";
 * const authorized: MockHeadersMatcher = { authorization: /^Bearer / };
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/me", headers: authorized }).reply(200, "me");
 * mock.intercept({ url: "https://api.test/me" }).reply(401);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * equal(await nam.get("https://api.test/me", { headers: { authorization: "Bearer t" } }).text(), "me");
 * const anonymous = nam.get("https://api.test/me");
 * await anonymous.done;
 * equal(anonymous.error(), NetworkError.AuthenticationRequiredError);
 * ```
 */
export type MockHeadersMatcher =
  | Readonly<Record<string, MockValueMatcher>>
  | ((headers: HttpHeaders) => boolean);

/**
 * What an interceptor matches; every given criterion must hold. Omitted criteria match anything.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { type MockInterceptOptions, MockTransport } from "@netreply/netreply/testing";
 * const deleteOne: MockInterceptOptions = { method: "DELETE", url: /\/items\/\d+$/ };
 * const mock = new MockTransport();
 * mock.intercept(deleteOne).reply(204);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.deleteResource("https://api.test/items/7");
 * await reply.done;
 * equal(reply.status, 204);
 * ```
 */
export interface MockInterceptOptions {
  /** The method, compared case-sensitively (`"GET"` does not match `"get"`). Default: any method. */
  readonly method?: string;
  /** The URL. Default: any URL. */
  readonly url?: MockUrlMatcher;
  /** The headers. Default: any headers. */
  readonly headers?: MockHeadersMatcher;
  /** The body decoded as UTF-8 text; a request without a body has the text `""`. Default: any body. */
  readonly body?: MockValueMatcher;
}

/** A compiled {@linkcode MockInterceptOptions}: says why a call does not match, or `null` if it does. */
export interface RequestMatcher {
  /** A short description such as `GET https://api.test/users`, for messages. */
  readonly description: string;
  /** `null` when `call` matches, else the first reason it does not. */
  mismatch(call: MockCall, bodyText: string): string | null;
}

// RFC 9110 §5.6.2 token: the characters a method may have.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// `key` is the option the matcher was given as: an arrow function written
// inline takes that key as its name, which says nothing.
function describeValue(matcher: string | URL | RegExp | ((value: never) => boolean), key: string): string {
  if (typeof matcher === "string") return JSON.stringify(matcher);
  if (matcher instanceof RegExp) return String(matcher);
  if (matcher instanceof URL) return matcher.href;
  return matcher.name === "" || matcher.name === key ? "<function>" : `<function ${matcher.name}>`;
}

// Keeps no-match messages readable when a body or header value is long.
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// A user function that throws counts as "does not match" and says why, so one
// broken matcher does not hide the others in the no-match message.
function callMatcher<T>(what: string, fn: (value: T) => boolean, value: T): string | null {
  try {
    return fn(value) ? null : `${what} function returned false`;
  } catch (error) {
    return `${what} function threw: ${errorText(error)}`;
  }
}

function valueMismatch(what: string, matcher: MockValueMatcher, value: string): string | null {
  if (typeof matcher === "string") {
    return value === matcher ? null : `${what} ${quote(value)} is not ${quote(matcher)}`;
  }
  if (matcher instanceof RegExp) {
    // A global or sticky RegExp keeps lastIndex between tests; reset it so
    // matching does not depend on earlier requests.
    matcher.lastIndex = 0;
    return matcher.test(value) ? null : `${what} ${quote(value)} does not match ${String(matcher)}`;
  }
  return callMatcher(what, matcher, value);
}

function checkValueMatcher(what: string, matcher: unknown): MockValueMatcher {
  if (typeof matcher === "string" || matcher instanceof RegExp || typeof matcher === "function") {
    return matcher as MockValueMatcher;
  }
  throw new TypeError(
    `Cannot intercept: ${what} must be a string, RegExp or function, got ${typeof matcher}`,
  );
}

function compileUrl(url: MockUrlMatcher): (call: MockCall) => string | null {
  if (typeof url === "string" || url instanceof URL) {
    let href: string;
    try {
      href = new URL(url).href;
    } catch {
      throw new TypeError(`Cannot intercept url ${JSON.stringify(String(url))}: not an absolute URL`);
    }
    return (call) => call.url.href === href ? null : `url is not ${href}`;
  }
  if (url instanceof RegExp) {
    return (call) => {
      url.lastIndex = 0;
      return url.test(call.url.href) ? null : `url does not match ${String(url)}`;
    };
  }
  if (typeof url === "function") return (call) => callMatcher("url", url, new URL(call.url.href));
  throw new TypeError(`Cannot intercept: url must be a string, URL, RegExp or function, got ${typeof url}`);
}

function compileHeaders(headers: MockHeadersMatcher): (call: MockCall) => string | null {
  if (typeof headers === "function") {
    return (call) => callMatcher("headers", headers, new HttpHeaders(call.headers));
  }
  if (typeof headers !== "object" || headers === null) {
    throw new TypeError(`Cannot intercept: headers must be a record or a function, got ${typeof headers}`);
  }
  const entries = Object.entries(headers).map(([name, matcher]): [string, MockValueMatcher] => [
    name.toLowerCase(),
    checkValueMatcher(`header ${JSON.stringify(name)}`, matcher),
  ]);
  return (call) => {
    for (const [name, matcher] of entries) {
      const value = call.headers.combinedValue(name);
      if (value === undefined) return `header ${name} is absent`;
      const why = valueMismatch(`header ${name}`, matcher, value);
      if (why !== null) return why;
    }
    return null;
  };
}

function describeUrl(url: MockUrlMatcher | undefined): string {
  if (url === undefined) return "*";
  // Already validated by compileUrl.
  if (typeof url === "string" || url instanceof URL) return new URL(url).href;
  return describeValue(url, "url");
}

function describe(options: MockInterceptOptions): string {
  const parts = [options.method ?? "*", describeUrl(options.url)];
  if (options.headers !== undefined) {
    const headers = options.headers;
    parts.push(
      typeof headers === "function"
        ? `[headers: ${describeValue(headers, "headers")}]`
        : `[headers: ${
          Object.entries(headers).map(([n, m]) => `${n.toLowerCase()} ${describeValue(m, n)}`).join(", ")
        }]`,
    );
  }
  if (options.body !== undefined) parts.push(`[body: ${describeValue(options.body, "body")}]`);
  return parts.join(" ");
}

/**
 * Validates `options` and turns them into a {@linkcode RequestMatcher}.
 *
 * @throws {TypeError} If a criterion has the wrong type, the method is not a token or the URL string is not absolute.
 */
export function compileMatcher(options: MockInterceptOptions): RequestMatcher {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot intercept: options must be an object, got ${String(options)}`);
  }
  const checks: ((call: MockCall, bodyText: string) => string | null)[] = [];
  const { method, url, headers, body } = options;
  if (method !== undefined) {
    if (typeof method !== "string" || !TOKEN.test(method)) {
      throw new TypeError(`Cannot intercept method ${JSON.stringify(method)}: not an HTTP method token`);
    }
    checks.push((call) => call.method === method ? null : `method ${call.method} is not ${method}`);
  }
  if (url !== undefined) checks.push(compileUrl(url));
  if (headers !== undefined) checks.push(compileHeaders(headers));
  if (body !== undefined) {
    const matcher = checkValueMatcher("body", body);
    checks.push((_call, text) => valueMismatch("body", matcher, text));
  }
  return {
    description: describe(options),
    mismatch(call, bodyText) {
      for (const check of checks) {
        const why = check(call, bodyText);
        if (why !== null) return why;
      }
      return null;
    },
  };
}
