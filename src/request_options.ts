/**
 * The per-call options of `get()`, `post()`, ...: which keys exist, and how
 * the request settings, `searchParams` and `json` among them apply to the
 * manager's own copy of the request.
 *
 * @module
 */

import type { RetryOptions } from "./core/retry_policy.ts";
import { checkOptionKeys } from "./core/option_keys.ts";
import {
  applyRequestInit,
  type NetworkRequest,
  type NetworkRequestInit,
  REQUEST_INIT_KEYS,
} from "./request.ts";
import type { RequestBody } from "./request_body.ts";

/**
 * Query parameters to add to a request's URL: what `new URLSearchParams()` takes, or a record of primitives.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, type SearchParamsInit } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: (url) => url.pathname === "/search" }).reply((call) => ({ status: 200, body: call.url.search }));
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const searchParams: SearchParamsInit = { q: "qt network", page: 2 };
 * equal(await nam.get("https://api.test/search", { searchParams }).text(), "?q=qt+network&page=2");
 * ```
 */
export type SearchParamsInit =
  | string
  | URLSearchParams
  | readonly (readonly [string, string])[]
  | Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Per-call options of `get()`, `post()`, `put()`, `patch()`,
 * `deleteResource()`, `head()` and `sendCustomRequest()`: every
 * {@linkcode NetworkRequestInit} setting (applied over the request's own:
 * each header named in `headers` replaces the request's fields of that name),
 * plus the ones below. A key that is none of these throws a TypeError naming
 * it and where it belongs.
 *
 * @example POST JSON with a header and a query, read JSON
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://api.test/items?dry=true", method: "POST" }).reply(
 *   (request) => ({ status: 201, body: request.headers.value("content-type") + " " + request.headers.value("x-trace") }),
 * );
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.post("http://api.test/items", {
 *   json: { name: "pen" },
 *   headers: { "x-trace": "7" },
 *   searchParams: { dry: true },
 * });
 * assert.equal(await reply.text(), "application/json 7");
 * assert.equal(reply.status, 201);
 * ```
 */
export interface RequestOptions extends NetworkRequestInit {
  /** Aborting it is exactly `reply.abort()` (TimeoutError when the reason is a TimeoutError DOMException). */
  signal?: AbortSignal;
  /** This request's retries, over the manager's `retry` option field by field; `0` turns them off. */
  retry?: number | RetryOptions;
  /**
   * A value sent as the body in JSON (`JSON.stringify`), with
   * `Content-Type: application/json` unless the request has one. Only where
   * a body goes (post, put, patch, sendCustomRequest), and not together with
   * a body argument.
   */
  json?: unknown;
  /** Query parameters appended to the request URL's own (entries whose value is `undefined` are left out). */
  searchParams?: SearchParamsInit;
}

/** Every key {@linkcode RequestOptions} has. */
const REQUEST_OPTION_KEYS: ReadonlySet<string> = new Set([
  ...REQUEST_INIT_KEYS,
  "signal",
  "retry",
  "json",
  "searchParams",
]);

/**
 * Whether `value` is an options object rather than a body: a plain object
 * (no body kind is one), so that `post(url, { json })` needs no body argument.
 */
export function isOptionsObject(value: unknown): value is RequestOptions {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Checks the keys of `options` for `caller` (e.g. `"post()"`), applies its
 * request settings and `searchParams` to `request` (the manager's own copy)
 * and returns the body to send: `body`, or `options.json` encoded.
 * `takesBody` is false for the calls without a body argument.
 */
export function applyRequestOptions(
  request: NetworkRequest,
  options: RequestOptions,
  body: RequestBody,
  caller: string,
  takesBody: boolean,
): RequestBody {
  checkOptionKeys(options, REQUEST_OPTION_KEYS, caller);
  applyRequestInit(request, options);
  if (options.searchParams !== undefined) {
    const url = request.url();
    for (const [name, value] of searchParamEntries(options.searchParams, caller)) {
      url.searchParams.append(name, value);
    }
    request.setUrl(url);
  }
  if (options.json === undefined) return body;
  if (!takesBody) {
    throw new TypeError(
      `Cannot send options.json with ${caller}: only post(), put(), patch() and sendCustomRequest() send a body`,
    );
  }
  if (body !== undefined && body !== null) {
    throw new TypeError(`Cannot send both a body and options.json in ${caller}: pass one of them`);
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(options.json);
  } catch (cause) {
    throw new TypeError(`Cannot send options.json in ${caller}: ${(cause as Error).message}`, { cause });
  }
  if (text === undefined) {
    throw new TypeError(`Cannot send options.json in ${caller}: a ${typeof options.json} has no JSON form`);
  }
  if (!request.hasRawHeader("content-type")) request.setRawHeader("content-type", "application/json");
  return text;
}

function searchParamEntries(init: SearchParamsInit, caller: string): Iterable<[string, string]> {
  if (typeof init === "string" || init instanceof URLSearchParams || Array.isArray(init)) {
    return new URLSearchParams(init as string | URLSearchParams | [string, string][]);
  }
  if (typeof init !== "object" || init === null) {
    throw new TypeError(
      `Cannot use searchParams ${
        String(init)
      } in ${caller}: expected a string, URLSearchParams, pairs or a record`,
    );
  }
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(init)) {
    if (value === undefined) continue;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new TypeError(
        `Cannot use searchParams.${name} in ${caller}: expected a string, number or boolean, got ${typeof value}`,
      );
    }
    entries.push([name, String(value)]);
  }
  return entries;
}
