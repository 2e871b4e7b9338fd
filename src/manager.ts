/**
 * {@linkcode NetworkAccessManager}: turns requests into replies, runs the hop
 * loop (redirect policies, method rewriting, re-sends) and asks a transport
 * for one HTTP exchange per hop.
 *
 * @module
 */

import { abortOutcome } from "./core/abort_reason.ts";
import { Attribute } from "./core/attribute.ts";
import { HstsPolicy } from "./core/hsts_policy.ts";
import { type HstsPoliciesJson, HstsStore } from "./core/hsts_store.ts";
import { HttpHeaders } from "./core/http_headers.ts";
import { LoadControl } from "./core/load_control.ts";
import { NetworkError } from "./core/network_error.ts";
import { Operation, standardOperation } from "./core/operation.ts";
import { decideRedirect, isRedirectStatus } from "./core/redirect.ts";
import { RedirectPolicy } from "./core/redirect_policy.ts";
import type { SslConfiguration } from "./core/ssl.ts";
import { CookieJar } from "./cookie_jar.ts";
import { type NetworkAccessManagerEventMap, ReplyEvent, SslErrorsEvent } from "./events.ts";
import type { NetworkCache } from "./network_cache.ts";
import { createReply, type NetworkReply } from "./reply.ts";
import { type LiveRun, LiveRuns } from "./live_runs.ts";
import type { ReplyObserver, ReplyState } from "./reply_state.ts";
import { NetworkRequest, requestFields } from "./request.ts";
import {
  checkRequestBody,
  type PreparedBody,
  prepareRequestBody,
  type RequestBody,
  snapshotRequestBody,
} from "./request_body.ts";
import { builtinTransport } from "./transport/builtin_transports.ts";
import type {
  ExchangeBody,
  ExchangeEvent,
  ExchangeOptions,
  ResponseHead,
  Transport,
  UserQuestion,
} from "./transport/transport.ts";
import { hasListener, TypedEventTarget } from "./typed_event_target.ts";
import { checkEnumValue, checkInteger, isEnumValue } from "./core/argument_checks.ts";
import { isHttpToken } from "./core/http_token.ts";
import { composeLayers, type Exchange } from "./policy/exchange_layer.ts";
import { managerLayers } from "./policy/manager_layers.ts";
import { checkRetrySetting, requestRetryOptions } from "./policy/retry_setting.ts";
import type { ResolvedRetryOptions, RetryOptions } from "./core/retry_policy.ts";
import { cacheSettings } from "./policy/cache_layer.ts";
import { serverCredentialsOf } from "./policy/authentication_layer.ts";
import { hstsLayer } from "./policy/hsts_layer.ts";
import { checkOptionKeys } from "./core/option_keys.ts";
import { applyRequestOptions, isOptionsObject, type RequestOptions } from "./request_options.ts";

export type { RequestOptions } from "./request_options.ts";

/** One reply's work, from the creating call to the hop loop. */
interface Job {
  /** The reply's private state, which the hop loop drives. */
  readonly state: ReplyState;
  /** The request as handed over. */
  readonly request: NetworkRequest;
  readonly verb: string;
  readonly body: RequestBody;
  /** The string that did not parse as a URL, if any. */
  readonly invalid: string | undefined;
  readonly signal: AbortSignal | undefined;
  /** How the request is retried; `undefined`: not retried. */
  readonly retry: ResolvedRetryOptions | undefined;
}

/**
 * Options for {@linkcode NetworkAccessManager}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { MemoryCache, NetworkAccessManager, type NetworkAccessManagerOptions, RedirectPolicy } from "@netreply/netreply";
 * const options: NetworkAccessManagerOptions = {
 *   baseUrl: "https://api.test/v1/",
 *   transferTimeout: 10_000, // 10 s without a byte: TimeoutError
 *   redirectPolicy: RedirectPolicy.SameOriginRedirectPolicy,
 *   cache: new MemoryCache(),
 *   retry: 2,
 * };
 * await using nam = new NetworkAccessManager(options);
 * equal(nam.transferTimeout(), 10_000);
 * equal(nam.redirectPolicy(), RedirectPolicy.SameOriginRedirectPolicy);
 * ```
 */
export interface NetworkAccessManagerOptions {
  /**
   * `"fetch"` (default), `"socket"` or your own {@linkcode Transport}. A
   * built-in transport is loaded with a dynamic `import()` on the first
   * exchange (the first reply waits for it; later ones do not).
   */
  transport?: "fetch" | "socket" | Transport;
  /** Default {@linkcode RedirectPolicy.NoLessSafeRedirectPolicy}. */
  redirectPolicy?: RedirectPolicy;
  /** Inactivity timeout in ms for requests that set none; 0 = off (default). */
  transferTimeout?: number;
  /**
   * HSTS (RFC 6797) on/off, default off. When on, requests and redirects to
   * known hosts go over https and https responses teach new hosts.
   */
  strictTransportSecurity?: boolean;
  /**
   * The cookie jar (RFC 6265bis): its cookies are sent and every response's
   * Set-Cookie is stored in it, hop by hop. Default: a new in-memory
   * {@linkcode CookieJar} per manager; `null`: no cookies.
   */
  cookieJar?: CookieJar | null;
  /**
   * The HTTP cache (RFC 9111, private), e.g. a `MemoryCache`; default none.
   * Requests choose how to use it with `CacheLoadControlAttribute` and
   * `CacheSaveControlAttribute`.
   */
  cache?: NetworkCache | null;
  /**
   * `undefined`: the runtime's environment proxy (HTTP_PROXY, HTTPS_PROXY,
   * NO_PROXY); `null`: direct; `"http://user:pass@host:port"`: that proxy.
   */
  proxy?: string | URL | null;
  /**
   * Retries, off by default (Qt has none): a number of retries, or
   * {@linkcode RetryOptions} — `limit` (default 2 when options are given),
   * `methods` (default the idempotent ones), `statusCodes`, `networkErrors`,
   * `backoff`, `maxRetryAfter`. A request's own `retry` option overrides
   * these field by field.
   */
  retry?: number | RetryOptions;
  /**
   * The URL that string and `URL`-less requests are resolved against, by
   * WHATWG URL rules (`new URL(input, baseUrl)`): with `"http://api.test/v1/"`,
   * `get("users")` asks for `http://api.test/v1/users` and `get("/users")`
   * for `http://api.test/users`; an absolute input bypasses it.
   */
  baseUrl?: string | URL;
}

/** Every key {@linkcode NetworkAccessManagerOptions} has. */
const MANAGER_OPTION_KEYS: ReadonlySet<string> = new Set([
  "transport",
  "redirectPolicy",
  "transferTimeout",
  "strictTransportSecurity",
  "cookieJar",
  "cache",
  "proxy",
  "retry",
  "baseUrl",
]);

const bodyHeaders = ["content-length", "content-type", "content-encoding", "transfer-encoding"];
const credentialHeaders = ["authorization", "proxy-authorization", "cookie"];

/** `headers` without the fields named in `names`: the same object when it has none of them. */
function withoutFields(headers: HttpHeaders, names: readonly string[]): HttpHeaders {
  if (!names.some((name) => headers.contains(name))) return headers;
  const copy = new HttpHeaders(headers);
  for (const name of names) copy.removeAll(name);
  return copy;
}

function parseBaseUrl(baseUrl: string | URL | undefined): URL | undefined {
  if (baseUrl === undefined) return undefined;
  try {
    return new URL(baseUrl);
  } catch {
    throw new TypeError(`Cannot use baseUrl ${JSON.stringify(String(baseUrl))}: not an absolute URL`);
  }
}

function parseProxy(proxy: string | URL | null | undefined): URL | null | undefined {
  if (proxy === null || proxy === undefined) return proxy;
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    throw new TypeError(`Cannot use proxy ${JSON.stringify(String(proxy))}: not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Cannot use proxy "${url.href}": only http: and https: proxies are supported`);
  }
  return url;
}

/** The origin URL for `connectToHost()`; a TypeError naming the bad host or port. */
function hostUrl(scheme: "http" | "https", host: string, port: number): URL {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`Cannot connect to host ${JSON.stringify(host)}: port ${port} is not 1-65535`);
  }
  const literal = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  try {
    return new URL(`${scheme}://${literal}:${port}/`);
  } catch {
    throw new TypeError(`Cannot connect to host ${JSON.stringify(host)}: not a valid host name`);
  }
}

const checkTimeout = (ms: number): number => checkInteger("transferTimeout", ms, 0);
const checkRedirectPolicy = (policy: RedirectPolicy): RedirectPolicy =>
  checkEnumValue("redirectPolicy", "RedirectPolicy", RedirectPolicy, policy);

/** Whether a response head is a redirect, which the hop loop decides on before its body. */
const isRedirectHead = (head: ResponseHead): boolean => isRedirectStatus(head.status);

/** Settled already: what a run waits on so that it starts on a later turn than the call that made it. */
const NEXT_TURN: Promise<void> = Promise.resolve();

/** The `resendBody` of an exchange without a body. */
const noBody = (): null => null;

/** The exchange options of a request that sets no attribute: Qt's defaults. */
const DEFAULT_EXCHANGE_OPTIONS: ExchangeOptions = Object.freeze({ http2Allowed: true });

/** The per-exchange settings transports act on, from the request's attributes (Qt's defaults where unset). */
function exchangeOptions(attributes: ReadonlyMap<number, unknown>): ExchangeOptions {
  if (attributes.size === 0) return DEFAULT_EXCHANGE_OPTIONS;
  const http2Allowed = attributes.get(Attribute.Http2AllowedAttribute) !== false;
  const expiry = attributes.get(Attribute.ConnectionCacheExpiryTimeoutSecondsAttribute);
  const manual = (attribute: Attribute) => attributes.get(attribute) === LoadControl.Manual;
  return {
    http2Allowed,
    ...(typeof expiry === "number" && Number.isFinite(expiry) && expiry >= 0
      ? { connectionCacheExpiry: expiry }
      : {}),
    ...(manual(Attribute.CookieLoadControlAttribute) ? { cookieLoadControl: LoadControl.Manual } : {}),
    ...(manual(Attribute.CookieSaveControlAttribute) ? { cookieSaveControl: LoadControl.Manual } : {}),
    ...(manual(Attribute.AuthenticationReuseAttribute) ? { authenticationReuse: LoadControl.Manual } : {}),
  };
}

/** `jar` if it is a CookieJar or null; a TypeError naming it otherwise. */
function checkCookieJar(jar: unknown): CookieJar | null {
  if (jar === null || jar instanceof CookieJar) return jar;
  throw new TypeError(`Cannot use cookie jar ${String(jar)}: expected a CookieJar or null`);
}

function chooseTransport(transport: NetworkAccessManagerOptions["transport"]): Transport {
  // Loaded on the first exchange: the manager never imports a built-in transport statically.
  if (transport === undefined || transport === "fetch") return builtinTransport("fetch");
  if (transport === "socket") return builtinTransport("socket");
  if (typeof transport !== "object" || transport === null || typeof transport.exchange !== "function") {
    throw new TypeError(
      `Cannot use transport ${String(transport)}: expected "fetch", "socket" or a Transport`,
    );
  }
  return transport;
}

/**
 * Sends requests and returns {@linkcode NetworkReply} objects (Qt's
 * QNetworkAccessManager). Every operation returns a reply and never throws
 * for a bad URL, an unsupported scheme or an aborted signal: the reply fails.
 *
 * Events: `finished` (dispatched before the reply's own `finished`),
 * `encrypted`, `sslErrors`, `authenticationRequired`, `proxyAuthenticationRequired`.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/missing" }).reply(404, "no such page");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const reply = nam.get("http://example.test/missing");
 * await reply.done;
 * equal(reply.error(), NetworkError.ContentNotFoundError);
 * equal(new TextDecoder().decode(reply.readAll()), "no such page");
 * ```
 */
export class NetworkAccessManager extends TypedEventTarget<NetworkAccessManagerEventMap> {
  readonly #transport: Transport;
  /** The transport's exchange inside the manager's policy layers (src/policy/). */
  readonly #exchange: Exchange;
  readonly #proxy: URL | null | undefined;
  readonly #baseUrl: URL | undefined;
  #redirectPolicy: RedirectPolicy;
  #transferTimeout: number;
  #strictTransportSecurity: boolean;
  /** The known HSTS hosts, learnt or added, kept whether HSTS is on or off. */
  readonly #hsts = new HstsStore();
  #cookieJar: CookieJar | null;
  #cache: NetworkCache | null;
  readonly #retry: RetryOptions | undefined;
  /** Each reply whose hop loop still runs, with that loop: close() aborts the replies and waits for the loops. */
  readonly #runs = new LiveRuns<NetworkReply>();
  #closed = false;
  /**
   * The last hop that ended with no request body and nothing left unread: its
   * exchange (the layers' iterators and the transport's, and through its
   * request the reply's state), kept until the next such hop or `close()`.
   * V8 keeps an object shape only while some object has it, and at a full
   * garbage collection throws away the optimized code that embedded a shape
   * that died. Requests made one after another leave none of theirs alive at
   * that moment, so without this every full collection sent netreply's
   * request path back to unoptimized code for thousands of requests
   * (bench/README.md, "Fifth pass: after a full garbage collection"). Hops
   * with a body or unread data are not kept: they could hold megabytes.
   */
  #lastHop: AsyncIterator<ExchangeEvent, undefined> | undefined;

  /** Creates a manager; throws a TypeError/RangeError naming a bad or unknown option. */
  constructor(options: NetworkAccessManagerOptions = {}) {
    super();
    checkOptionKeys(options, MANAGER_OPTION_KEYS, "new NetworkAccessManager()");
    options ??= {};
    this.#proxy = parseProxy(options.proxy);
    this.#baseUrl = parseBaseUrl(options.baseUrl);
    this.#redirectPolicy = checkRedirectPolicy(
      options.redirectPolicy ?? RedirectPolicy.NoLessSafeRedirectPolicy,
    );
    this.#transferTimeout = checkTimeout(options.transferTimeout ?? 0);
    this.#strictTransportSecurity = options.strictTransportSecurity ?? false;
    this.#cookieJar = options.cookieJar === undefined ? new CookieJar() : checkCookieJar(options.cookieJar);
    this.#cache = options.cache ?? null;
    this.#retry = checkRetrySetting(options.retry);
    const transport = this.#transport = chooseTransport(options.transport);
    // HSTS innermost: it learns from every network response, never from a cache hit.
    const hsts = hstsLayer({
      enabled: () => this.#strictTransportSecurity,
      store: this.#hsts,
      now: Date.now,
    });
    this.#exchange = composeLayers(
      [...managerLayers(this), hsts],
      (request, signal) => transport.exchange(request, signal),
    );
  }

  // ---- operations ----------------------------------------------------------

  /** Sends a GET request. */
  get(request: NetworkRequest | string | URL, options?: RequestOptions): NetworkReply {
    return this.#create(Operation.GetOperation, "GET", request, undefined, options, "get()", false);
  }
  /** Sends a HEAD request. */
  head(request: NetworkRequest | string | URL, options?: RequestOptions): NetworkReply {
    return this.#create(Operation.HeadOperation, "HEAD", request, undefined, options, "head()", false);
  }
  /**
   * Sends a POST request; `body` may be absent (no body). A plain object in
   * its place is the options (`post(url, { json: value })`).
   */
  post(
    request: NetworkRequest | string | URL,
    body?: RequestBody | RequestOptions,
    options?: RequestOptions,
  ): NetworkReply {
    return this.#createWithBody(Operation.PostOperation, "POST", request, body, options, "post()");
  }
  /**
   * Sends a PUT request; `body` may be absent (no body). A plain object in
   * its place is the options (`put(url, { json: value })`).
   */
  put(
    request: NetworkRequest | string | URL,
    body?: RequestBody | RequestOptions,
    options?: RequestOptions,
  ): NetworkReply {
    return this.#createWithBody(Operation.PutOperation, "PUT", request, body, options, "put()");
  }
  /**
   * Sends a PATCH request (RFC 5789); `body` may be absent (no body), and a
   * plain object in its place is the options (`patch(url, { json: value })`).
   * A custom operation (Qt has no PATCH of its own), as
   * `sendCustomRequest(request, "PATCH", body)`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Attribute, NetworkAccessManager, Operation } from "@netreply/netreply";
   * import { MockTransport } from "@netreply/netreply/testing";
   *
   * const mock = new MockTransport();
   * mock.intercept({ method: "PATCH", url: "http://api.test/items/1" }).reply(200, '{"done":true}');
   * await using nam = new NetworkAccessManager({ transport: mock, baseUrl: "http://api.test/items/" });
   * const reply = nam.patch("1", { json: { done: true } });
   * assert.deepEqual(await reply.json(), { done: true });
   * assert.equal(reply.operation(), Operation.CustomOperation);
   * assert.equal(reply.request().attribute(Attribute.CustomVerbAttribute), "PATCH");
   * ```
   */
  patch(
    request: NetworkRequest | string | URL,
    body?: RequestBody | RequestOptions,
    options?: RequestOptions,
  ): NetworkReply {
    return this.#createWithBody(Operation.CustomOperation, "PATCH", request, body, options, "patch()");
  }
  /** Sends a DELETE request. */
  deleteResource(request: NetworkRequest | string | URL, options?: RequestOptions): NetworkReply {
    return this.#create(
      Operation.DeleteOperation,
      "DELETE",
      request,
      undefined,
      options,
      "deleteResource()",
      false,
    );
  }
  /**
   * Sends `verb` verbatim. A verb equal (case-insensitively) to GET, HEAD,
   * PUT, POST or DELETE is that standard operation (as in Qt 6.11+).
   * Throws a TypeError when `verb` is not an RFC 9110 token.
   */
  sendCustomRequest(
    request: NetworkRequest | string | URL,
    verb: string,
    body?: RequestBody,
    options?: RequestOptions,
  ): NetworkReply {
    if (typeof verb !== "string" || !isHttpToken(verb)) {
      throw new TypeError(
        `Cannot send custom request: verb ${JSON.stringify(verb)} is not an RFC 9110 token`,
      );
    }
    const standard = standardOperation(verb.toUpperCase());
    return standard === undefined
      ? this.#create(Operation.CustomOperation, verb, request, body, options, "sendCustomRequest()", true)
      : this.#create(standard, verb.toUpperCase(), request, body, options, "sendCustomRequest()", true);
  }

  // ---- settings ------------------------------------------------------------

  /** The policy for requests that set no RedirectPolicyAttribute. */
  redirectPolicy(): RedirectPolicy {
    return this.#redirectPolicy;
  }
  /** Sets the policy for requests that set no RedirectPolicyAttribute. */
  setRedirectPolicy(policy: RedirectPolicy): void {
    this.#redirectPolicy = checkRedirectPolicy(policy);
  }
  /** The inactivity timeout (ms) for requests that set none; 0 = off. */
  transferTimeout(): number {
    return this.#transferTimeout;
  }
  /** Sets the inactivity timeout (ms) for requests that set none; 0 = off. */
  setTransferTimeout(ms: number): void {
    this.#transferTimeout = checkTimeout(ms);
  }
  /** Whether HSTS (RFC 6797) is applied: upgrades to known hosts, learning from https responses. */
  isStrictTransportSecurityEnabled(): boolean {
    return this.#strictTransportSecurity;
  }
  /** Turns HSTS on or off; the known hosts are kept either way. */
  setStrictTransportSecurityEnabled(enabled: boolean): void {
    this.#strictTransportSecurity = enabled;
  }
  /**
   * Adds known HSTS hosts; a policy for a host already known replaces it, an
   * expired one removes it, one for an IP address is ignored (as in Qt).
   * Throws a TypeError for a value that is not an HstsPolicy or whose host is
   * not a host name.
   */
  addStrictTransportSecurityHosts(policies: HstsPolicy[]): void {
    for (const policy of policies) {
      if (!(policy instanceof HstsPolicy)) {
        throw new TypeError(`Cannot add HSTS host ${String(policy)}: expected an HstsPolicy`);
      }
      this.#hsts.add(policy, Date.now());
    }
  }
  /** The known HSTS hosts that have not expired, sorted by host (also those learnt from responses). */
  strictTransportSecurityHosts(): HstsPolicy[] {
    return this.#hsts.policies(Date.now());
  }
  /**
   * The known HSTS hosts that have not expired, as JSON data for
   * `JSON.stringify` (to persist them, as Qt's
   * `enableStrictTransportSecurityStore()` does in a file); give it back to
   * {@linkcode NetworkAccessManager.importStrictTransportSecurityHosts}.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual } from "node:assert/strict";
   * import { HstsPolicy, NetworkAccessManager } from "@netreply/netreply";
   * await using nam = new NetworkAccessManager();
   * nam.addStrictTransportSecurityHosts([new HstsPolicy({ host: "example.com", expiry: new Date("2999-01-01") })]);
   * deepEqual(JSON.parse(JSON.stringify(nam.exportStrictTransportSecurityHosts())), {
   *   version: 1,
   *   policies: [{ host: "example.com", expiry: "2999-01-01T00:00:00.000Z", includeSubDomains: false }],
   * });
   * ```
   */
  exportStrictTransportSecurityHosts(): HstsPoliciesJson {
    this.#hsts.policies(Date.now()); // purges the expired ones
    return this.#hsts.toJSON();
  }
  /**
   * Adds the HSTS hosts of `json` (what
   * {@linkcode NetworkAccessManager.exportStrictTransportSecurityHosts}
   * wrote, as an object or a JSON string), as
   * {@linkcode NetworkAccessManager.addStrictTransportSecurityHosts} adds
   * policies: a host already known is replaced. Policies expired by now are
   * dropped. Nothing is added when any part of `json` is bad.
   *
   * @throws {TypeError} If `json` is not that format, naming the field and what is wrong with it.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual } from "node:assert/strict";
   * import { NetworkAccessManager } from "@netreply/netreply";
   * await using nam = new NetworkAccessManager({ strictTransportSecurity: true });
   * nam.importStrictTransportSecurityHosts({
   *   version: 1,
   *   policies: [
   *     { host: "example.com", expiry: "2999-01-01T00:00:00Z", includeSubDomains: true },
   *     { host: "expired.test", expiry: "2000-01-01T00:00:00Z", includeSubDomains: false },
   *   ],
   * });
   * deepEqual(nam.strictTransportSecurityHosts().map((policy) => policy.host), ["example.com"]);
   * ```
   */
  importStrictTransportSecurityHosts(json: HstsPoliciesJson | string): void {
    const now = Date.now();
    for (const policy of HstsStore.fromJSON(json).policies(now)) this.#hsts.add(policy, now);
  }
  /** The cookie jar whose cookies are sent and stored, or `null` when cookies are off. */
  cookieJar(): CookieJar | null {
    return this.#cookieJar;
  }
  /** Sets the cookie jar (from the next hop on); `null` turns cookies off. Throws a TypeError for anything else. */
  setCookieJar(jar: CookieJar | null): void {
    this.#cookieJar = checkCookieJar(jar);
  }
  /** The HTTP cache, or `null` for none. */
  cache(): NetworkCache | null {
    return this.#cache;
  }
  /** Sets the HTTP cache (`null`: none); requests that start later use it. */
  setCache(cache: NetworkCache | null): void {
    this.#cache = cache;
  }
  /** Drops remembered server and proxy credentials (and Digest nonce counts) and pooled connections. */
  clearAccessCache(): void {
    serverCredentialsOf(this).clear();
    this.clearConnectionCache();
  }
  /** Drops pooled connections, where the transport pools them (fetch: the runtime's pool is not reachable). */
  clearConnectionCache(): void {
    this.#transport.clearConnectionCache?.();
  }
  /** Opens a connection ahead of time, where the transport can (fetch cannot: a no-op). */
  connectToHost(host: string, port = 80): void {
    this.#transport.connectToHost?.(hostUrl("http", host, port));
  }
  /** Opens a TLS connection ahead of time, where the transport can (fetch cannot: a no-op). */
  connectToHostEncrypted(host: string, port = 443, ssl?: SslConfiguration): void {
    this.#transport.connectToHost?.(hostUrl("https", host, port), ssl);
  }

  /** Aborts every live reply, waits for them to settle and frees the transport's pools and clients. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const reply of this.#runs.owners()) reply.abort(); // a no-op on a reply already finished
    while (this.#runs.size > 0) await Promise.all(this.#runs.settledPromises());
    this.#lastHop = undefined;
    await this.#transport.close();
  }
  /** Same as {@linkcode NetworkAccessManager.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- creating replies ----------------------------------------------------

  /** post(), put(), patch(): the second argument is the body, or the options when it is a plain object. */
  #createWithBody(
    operation: Operation,
    verb: string,
    input: NetworkRequest | string | URL,
    body: RequestBody | RequestOptions,
    options: RequestOptions | undefined,
    caller: string,
  ): NetworkReply {
    return options === undefined && isOptionsObject(body)
      ? this.#create(operation, verb, input, undefined, body, caller, true)
      : this.#create(operation, verb, input, body as RequestBody, options, caller, true);
  }

  #create(
    operation: Operation,
    verb: string,
    input: NetworkRequest | string | URL,
    body: RequestBody,
    options: RequestOptions | null | undefined,
    caller: string,
    /** Whether the method sends a body (its options may carry `json`). */
    takesBody: boolean,
  ): NetworkReply {
    checkRequestBody(body);
    if (!(input instanceof NetworkRequest) && typeof input !== "string" && !(input instanceof URL)) {
      throw new TypeError(`Cannot send request ${String(input)}: expected a NetworkRequest, string or URL`);
    }
    const signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(`Cannot use signal ${String(signal)}: expected an AbortSignal`);
    }
    const retry = requestRetryOptions(this.#retry, options?.retry);
    let request: NetworkRequest;
    let invalid: string | undefined;
    if (input instanceof NetworkRequest) {
      request = input.clone();
    } else {
      try {
        request = new NetworkRequest(this.#baseUrl === undefined ? input : new URL(input, this.#baseUrl));
      } catch {
        request = new NetworkRequest("about:invalid");
        invalid = String(input);
      }
    }
    if (options !== undefined && options !== null) {
      body = applyRequestOptions(request, options, body, caller, takesBody);
      if (invalid !== undefined) request.setUrl("about:invalid"); // searchParams do not make it a URL
    }
    if (request.transferTimeout() === 0 && this.#transferTimeout > 0) {
      request.setTransferTimeout(this.#transferTimeout);
    }
    if (operation === Operation.CustomOperation) request.setAttribute(Attribute.CustomVerbAttribute, verb);
    // Qt's createRequest(): the reply and its request() carry the https URL from the start.
    const secure = this.#hstsUpgrade(requestFields(request).url);
    if (secure !== undefined) request.setUrl(secure);
    // The request is sent later: changes the caller makes to the body after this call must not reach it.
    body = snapshotRequestBody(body);
    const { reply, state } = createReply({
      manager: this,
      observer: this.#observer,
      request,
      operation,
      url: requestFields(request).url,
      transferTimeout: request.transferTimeout(),
    });
    return this.#launch(reply, { state, request, verb, body, invalid, signal, retry });
  }

  // ---- hearing replies (Qt connects the manager to each reply's signals) ----

  /** Hears each reply's finished, encrypted and sslErrors before the reply's own listeners. */
  readonly #observer: ReplyObserver = {
    finished: (reply) => {
      if (hasListener(this, "finished")) this.dispatchEvent(new ReplyEvent("finished", reply));
    },
    encrypted: (reply) => {
      if (hasListener(this, "encrypted")) this.dispatchEvent(new ReplyEvent("encrypted", reply));
    },
    sslErrors: (reply, errors) => {
      if (hasListener(this, "sslErrors")) this.dispatchEvent(new SslErrorsEvent(errors, reply));
    },
  };

  // ---- the hop loop --------------------------------------------------------

  /** `url` over https when HSTS is on and its host is known (RFC 6797 §8.3), else `undefined`. */
  #hstsUpgrade(url: URL): URL | undefined {
    return this.#strictTransportSecurity ? this.#hsts.upgrade(url, Date.now()) : undefined;
  }

  #launch(reply: NetworkReply, job: Job): NetworkReply {
    const { state, signal } = job;
    // The caller's signal aborts exactly as reply.abort() does (data dropped, transport signalled), with
    // TimeoutError for a timeout reason.
    const onAbort = signal === undefined ? undefined : () => {
      const outcome = abortOutcome(signal.reason);
      state.abort(outcome.code, outcome.message);
    };
    if (onAbort !== undefined) signal!.addEventListener("abort", onAbort);
    this.#runs.add(reply, (run) => this.#runLater(run, job, onAbort));
    return reply;
  }

  /**
   * Runs `job` on a later turn (no event is ever dispatched inside
   * get()/post()/...), then forgets the reply's run and its signal listener.
   * One async frame awaiting the run, rather than a `then()` whose callback
   * returns it: a promise returned from a callback is adopted through two
   * extra turns and a job of its own, on every request.
   */
  async #runLater(run: LiveRun<NetworkReply>, job: Job, onAbort: (() => void) | undefined): Promise<void> {
    try {
      await NEXT_TURN;
      await this.#run(job);
    } catch (cause) {
      job.state.fail(NetworkError.UnknownNetworkError, `Internal error: ${String(cause)}`, cause);
    } finally {
      if (onAbort !== undefined) job.signal!.removeEventListener("abort", onAbort);
      this.#runs.delete(run);
    }
  }

  /** Fails what cannot be sent, prepares the body, then runs the hops. */
  #run({ state, request, verb, body, invalid, signal, retry }: Job): Promise<void> | void {
    if (state.finished) return;
    const url = state.url;
    if (invalid !== undefined) {
      return state.fail(NetworkError.ProtocolUnknownError, `Invalid URL ${JSON.stringify(invalid)}`);
    }
    if (signal?.aborted) {
      const outcome = abortOutcome(signal.reason);
      return state.fail(outcome.code, outcome.message);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return state.fail(
        NetworkError.ProtocolUnknownError,
        `Protocol "${url.protocol.slice(0, -1)}" is unknown`,
      );
    }
    if (this.#closed) {
      return state.fail(NetworkError.OperationCanceledError, "The NetworkAccessManager is closed");
    }
    if (body === null || body === undefined) {
      state.start();
      return this.#hops(state, request, verb, null, retry);
    }
    return prepareRequestBody(body).then((prepared) => {
      if (state.finished) return;
      state.start();
      return this.#hops(state, request, verb, prepared, retry);
    }, (cause) =>
      state.fail(
        NetworkError.UnknownContentError,
        `Cannot read the request body: ${String(cause)}`,
        cause,
      ));
  }

  async #hops(
    state: ReplyState,
    request: NetworkRequest,
    verb: string,
    prepared: PreparedBody | null,
    retry: ResolvedRetryOptions | undefined,
  ): Promise<void> {
    // The snapshot's own fields, shared with every hop's exchange: copied only when a hop changes them.
    const fields = requestFields(request);
    // setAttribute() takes any value: one that is not a policy must not fail open (follow everything).
    const requested = fields.attributes.get(Attribute.RedirectPolicyAttribute);
    const policy = requested !== undefined && isEnumValue(RedirectPolicy, requested)
      ? requested
      : this.#redirectPolicy;
    let headers = fields.headers;
    if (prepared?.contentType !== undefined && !headers.contains("content-type")) {
      headers = new HttpHeaders(headers);
      headers.append("content-type", prepared.contentType);
    }
    let url = fields.url;
    let method = verb;
    let body: ExchangeBody | null = prepared?.first ?? null;
    let remaining = request.maximumRedirectsAllowed();
    const options = exchangeOptions(fields.attributes);
    const cache = cacheSettings(fields.attributes);
    const answer = (question: UserQuestion): boolean => state.answer(question);
    const sslErrorsMayBeIgnored = (): boolean =>
      state.ignoresSomeSslErrors() || hasListener(state.reply, "sslErrors") || hasListener(this, "sslErrors");
    // The one replayable copy of the body: the policy layers re-send from it (401/407 answers, retries).
    const resend = prepared === null ? noBody : () => prepared.resend();
    for (;;) {
      state.attributes.set(Attribute.ConnectionEncryptedAttribute, url.protocol === "https:");
      const events = this.#exchange({
        method,
        url,
        headers,
        body,
        resendBody: body === null ? noBody : resend,
        decompress: !headers.contains("accept-encoding"),
        decompressedSafetyCheckThreshold: request.decompressedSafetyCheckThreshold(),
        sslConfiguration: request.sslConfiguration(),
        peerVerifyName: request.peerVerifyName() || undefined,
        proxy: this.#proxy,
        answer,
        sslErrorsMayBeIgnored,
        options,
        retry,
        ...cache,
      }, state.signal);
      try {
        // A head that is not a redirect has its body pumped in the same call.
        const head = await state.pump(events, isRedirectHead);
        if (head === undefined) return;
        const location = head.headers.combinedValue("location");
        const decision = decideRedirect({
          status: head.status,
          location,
          currentUrl: url,
          policy,
          remaining,
          method,
          // An http target on a known HSTS host becomes https before the redirect policy judges it
          // (Qt's onRedirected(), RFC 6797 §8.3): NoLessSafeRedirectPolicy lets https → http://known-host through.
          upgrade: (target) => this.#hstsUpgrade(target),
        });
        if (decision.kind === "none") {
          if (location !== undefined) {
            const target = URL.canParse(location, url) ? new URL(location, url) : undefined;
            state.attributes.set(Attribute.RedirectionTargetAttribute, target);
          }
          await state.pump(events);
          return;
        }
        if (decision.kind === "refuse") {
          if (decision.url !== undefined) state.url = new URL(decision.url.href); // Qt's quirk: url() is already the target
          return state.fail(decision.code, decision.message);
        }
        remaining--;
        if (decision.keepBody && prepared !== null) {
          const again = prepared.resend();
          if ("refusal" in again) {
            return state.fail(
              NetworkError.ContentReSendError,
              `Cannot re-send the request body for HTTP ${head.status}: ${again.refusal}`,
            );
          }
          body = again;
        } else {
          body = null;
          headers = withoutFields(headers, bodyHeaders);
        }
        // Once the chain leaves the origin the credentials stay behind, for every later hop
        // (as fetch does): the other origin must not be able to bounce them back to any URL.
        if (decision.url.origin !== url.origin) {
          headers = withoutFields(headers, credentialHeaders);
        }
        method = decision.method;
        url = decision.url;
        const operation = standardOperation(method) ?? Operation.CustomOperation;
        state.redirect(url, operation);
        if (policy === RedirectPolicy.UserVerifiedRedirectPolicy && !await state.waitForRedirectAllowed()) {
          return;
        }
        if (state.finished) return;
      } finally {
        await events.return?.();
        if (prepared === null && state.buffer.size === 0) this.#lastHop = events;
      }
    }
  }
}
