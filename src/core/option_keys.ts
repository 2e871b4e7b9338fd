/**
 * Checks the keys of an options object: a key the receiver does not know is
 * a TypeError that names it and says where it belongs (a misspelling, another
 * options bag, an argument) instead of being ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkOptionKeys } from "./option_keys.ts";
 *
 * const known = new Set(["transferTimeout", "redirectPolicy"]);
 * checkOptionKeys({ transferTimeout: 5 }, known, "new NetworkAccessManager()");
 * assert.throws(
 *   () => checkOptionKeys({ transfertimeout: 5 }, known, "new NetworkAccessManager()"),
 *   { name: "TypeError", message: /did you mean "transferTimeout"\?/ },
 * );
 * ```
 *
 * @module
 */

const REQUEST_CALLS = "get(), post(), put(), patch(), deleteResource() or sendCustomRequest()";

/** Where each key of the public options bags (and the usual look-alikes from other libraries) belongs. */
const PLACES: Readonly<Record<string, string>> = {
  transport: "it is an option of new NetworkAccessManager()",
  strictTransportSecurity: "it is an option of new NetworkAccessManager()",
  cookieJar: "it is an option of new NetworkAccessManager()",
  cache: "it is an option of new NetworkAccessManager()",
  proxy: "it is an option of new NetworkAccessManager()",
  baseUrl: "it is an option of new NetworkAccessManager()",
  headers: `headers go on the NetworkRequest or in the options of ${REQUEST_CALLS}`,
  attributes: `attributes go on the NetworkRequest or in the options of ${REQUEST_CALLS}`,
  maximumRedirectsAllowed: `it goes on the NetworkRequest or in the options of ${REQUEST_CALLS}`,
  priority: `it goes on the NetworkRequest or in the options of ${REQUEST_CALLS}`,
  peerVerifyName: `it goes on the NetworkRequest or in the options of ${REQUEST_CALLS}`,
  decompressedSafetyCheckThreshold: `it goes on the NetworkRequest or in the options of ${REQUEST_CALLS}`,
  sslConfiguration: `it goes on the NetworkRequest or in the options of ${REQUEST_CALLS}`,
  signal: `it is an option of ${REQUEST_CALLS}`,
  json: "it is an option of post(), put(), patch() or sendCustomRequest()",
  searchParams: `it is an option of ${REQUEST_CALLS}`,
  body: "the body is the second argument of post(), put() and patch() (the third of sendCustomRequest())",
  method: "send other methods with sendCustomRequest(request, verb) or patch()",
  timeout:
    "use transferTimeout (ms of inactivity), or an AbortSignal.timeout(ms) as signal for a total limit",
  prefixUrl: "use baseUrl (an option of new NetworkAccessManager())",
  redirect: "use redirectPolicy (a RedirectPolicy)",
  followRedirects: "use redirectPolicy (a RedirectPolicy)",
  maxRedirects: "use maximumRedirectsAllowed",
  onDownloadProgress: "listen to the reply's downloadProgress event",
  onUploadProgress: "listen to the reply's uploadProgress event",
};

/**
 * Throws a TypeError for the first own key of `options` that is not in
 * `known`, naming the key, `owner` (e.g. `"new NetworkRequest()"`) and where
 * the key belongs or what it resembles. `null` and `undefined` pass.
 */
export function checkOptionKeys(options: unknown, known: ReadonlySet<string>, owner: string): void {
  if (options === null || options === undefined) return;
  if (typeof options !== "object") {
    throw new TypeError(`Cannot use ${String(options)} as the options of ${owner}: expected an object`);
  }
  for (const key in options) {
    if (!known.has(key) && Object.hasOwn(options, key)) throw unknownOption(key, known, owner);
  }
}

function unknownOption(key: string, known: ReadonlySet<string>, owner: string): TypeError {
  const lower = key.toLowerCase();
  const spelled = [...known].find((name) => name.toLowerCase() === lower);
  const where = spelled !== undefined
    ? `did you mean "${spelled}"?`
    : Object.hasOwn(PLACES, key)
    ? PLACES[key]
    : `expected one of ${[...known].join(", ")}`;
  return new TypeError(`Unknown option "${key}" in ${owner}: ${where}`);
}
