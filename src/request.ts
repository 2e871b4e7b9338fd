/**
 * {@linkcode NetworkRequest}: a URL plus headers, attributes and per-request
 * settings (Qt's QNetworkRequest). A value object: the manager takes a copy
 * when it creates a reply.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { KnownHeader, NetworkRequest } from "@netreply/netreply";
 * const request = new NetworkRequest("https://example.test/api", {
 *   headers: { accept: "application/json" },
 *   transferTimeout: 5_000,
 * });
 * request.setHeader(KnownHeader.UserAgentHeader, "netreply-example");
 * equal(request.rawHeader("user-agent"), "netreply-example");
 * ```
 *
 * @module
 */

import { Attribute } from "./core/attribute.ts";
import { HttpHeaders } from "./core/http_headers.ts";
import type { KnownHeader } from "./core/known_header.ts";
import type { NetworkCookie } from "./cookie_jar.ts";
import {
  type CookieKnownHeader,
  knownHeaderName,
  type KnownHeaderValue,
  parseKnownHeader,
  serializeKnownHeader,
} from "./core/known_header_values.ts";
import { Priority } from "./core/priority.ts";
import { RedirectPolicy } from "./core/redirect_policy.ts";
import type { SslConfiguration } from "./core/ssl.ts";
import { checkEnumValue, checkInteger } from "./core/argument_checks.ts";
import { checkOptionKeys } from "./core/option_keys.ts";

/** Qt's default for {@linkcode NetworkRequest.maximumRedirectsAllowed}. */
const DEFAULT_MAXIMUM_REDIRECTS = 50;
/** Qt's default archive-bomb threshold: 10 MiB of decoded bytes. */
const DEFAULT_DECOMPRESSED_SAFETY_CHECK_THRESHOLD: number = 10 * 1024 * 1024;

/**
 * Options for {@linkcode NetworkRequest}.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkRequest, type NetworkRequestInit, RedirectPolicy } from "@netreply/netreply";
 * const init: NetworkRequestInit = {
 *   headers: { accept: "application/json" },
 *   transferTimeout: 5_000,
 *   redirectPolicy: RedirectPolicy.NoLessSafeRedirectPolicy,
 *   maximumRedirectsAllowed: 3,
 * };
 * const request = new NetworkRequest("https://api.test/", init);
 * equal(request.rawHeader("accept"), "application/json");
 * equal(request.transferTimeout(), 5_000);
 * equal(request.maximumRedirectsAllowed(), 3);
 * ```
 */
export interface NetworkRequestInit {
  /** Header fields to send. */
  headers?: HeadersInit | HttpHeaders;
  /** Request attributes, by {@linkcode Attribute} number. */
  attributes?: Partial<Record<Attribute, unknown>>;
  /** Stored as {@linkcode Attribute.RedirectPolicyAttribute}. */
  redirectPolicy?: RedirectPolicy;
  /** Default 50. */
  maximumRedirectsAllowed?: number;
  /** Inactivity timeout in ms; 0 = the manager's (default). */
  transferTimeout?: number;
  /** A scheduling hint (default NormalPriority). */
  priority?: Priority;
  /** Host name to verify the certificate against instead of the URL's. */
  peerVerifyName?: string;
  /** Default 10 MiB; -1 = off. */
  decompressedSafetyCheckThreshold?: number;
  /** TLS settings (CA certificates, client certificate). */
  sslConfiguration?: SslConfiguration;
}

/** The keys of {@linkcode NetworkRequestInit}: the request settings `get()`, `post()`, ... also take. */
export const REQUEST_INIT_KEYS: ReadonlySet<string> = new Set([
  "headers",
  "attributes",
  "redirectPolicy",
  "maximumRedirectsAllowed",
  "transferTimeout",
  "priority",
  "peerVerifyName",
  "decompressedSafetyCheckThreshold",
  "sslConfiguration",
]);

/** The init of a request made with none. */
const NO_INIT: NetworkRequestInit = Object.freeze({});

/** The attributes of every request that sets none: read, never written (a request makes its own map on its first set). */
const NO_ATTRIBUTES: ReadonlyMap<number, unknown> = new Map();

function parseUrl(url: string | URL, action: string): URL {
  if (url instanceof URL) return new URL(url.href);
  try {
    return new URL(url);
  } catch {
    throw new TypeError(`Cannot ${action}: ${JSON.stringify(url)} is not a valid URL`);
  }
}

function isSetCookie(name: unknown): boolean {
  return typeof name === "string" && name.toLowerCase() === "set-cookie";
}

/** A request's own URL, headers and attributes: read-only views the caller must not change. */
export interface RequestFields {
  readonly url: URL;
  readonly headers: HttpHeaders;
  readonly attributes: ReadonlyMap<number, unknown>;
}

/**
 * The request's own fields without the copies the public accessors make: for
 * the manager, which owns its snapshot of a request and only reads it.
 */
export function requestFields(request: NetworkRequest): RequestFields {
  return fieldsOf(request);
}
let fieldsOf: typeof requestFields;

/**
 * Applies `init` over a request the manager owns (the per-call options of
 * `get()`, `post()`, ...): each header named in `init.headers` replaces the
 * request's fields of that name, every other setting replaces the request's.
 */
export function applyRequestInit(request: NetworkRequest, init: NetworkRequestInit): void {
  applyInit(request, init);
}
let applyInit: typeof applyRequestInit;

/**
 * One request: URL, header fields, attributes and settings.
 *
 * A header name that is not an RFC 9110 token, or a name or value containing
 * CR, LF or NUL, throws a TypeError at the call that sets it, naming the header.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Attribute, NetworkRequest, RedirectPolicy } from "@netreply/netreply";
 * const request = new NetworkRequest("http://localhost/", {
 *   redirectPolicy: RedirectPolicy.ManualRedirectPolicy,
 * });
 * equal(request.attribute(Attribute.RedirectPolicyAttribute), 0);
 * ```
 */
export class NetworkRequest {
  #url: URL;
  #headers: HttpHeaders;
  /** Made on the first attribute set: most requests set none. */
  #attributes: Map<number, unknown> | undefined;
  #maximumRedirectsAllowed = DEFAULT_MAXIMUM_REDIRECTS;
  #transferTimeout = 0;
  #priority: Priority = Priority.NormalPriority;
  #peerVerifyName = "";
  #decompressedSafetyCheckThreshold = DEFAULT_DECOMPRESSED_SAFETY_CHECK_THRESHOLD;
  #sslConfiguration: SslConfiguration | undefined;

  static {
    fieldsOf = (request) => ({
      url: request.#url,
      headers: request.#headers,
      attributes: request.#attributes ?? NO_ATTRIBUTES,
    });
    applyInit = (request, init) => {
      if (init.headers !== undefined) {
        const given = new HttpHeaders(init.headers);
        for (const name of new Set(given.toListOfPairs().map(([name]) => name))) {
          request.#headers.removeAll(name);
          for (const value of given.values(name)) request.#headers.append(name, value);
        }
      }
      request.#applySettings(init);
    };
  }

  /**
   * Creates a request; throws a TypeError when `url` does not parse (like
   * `new URL`) and for a key `init` does not have, naming it.
   */
  constructor(url: string | URL, init: NetworkRequestInit = NO_INIT) {
    this.#url = parseUrl(url, "create NetworkRequest");
    checkOptionKeys(init, REQUEST_INIT_KEYS, "new NetworkRequest()");
    init ??= NO_INIT;
    this.#headers = new HttpHeaders(init.headers);
    this.#applySettings(init);
  }

  /** Every setting of `init` but the headers. */
  #applySettings(init: NetworkRequestInit): void {
    const attributes = init.attributes;
    if (attributes !== undefined && attributes !== null) {
      for (const [key, value] of Object.entries(attributes)) this.setAttribute(Number(key), value);
    }
    if (init.redirectPolicy !== undefined) {
      const policy = checkEnumValue("redirectPolicy", "RedirectPolicy", RedirectPolicy, init.redirectPolicy);
      this.setAttribute(Attribute.RedirectPolicyAttribute, policy);
    }
    if (init.maximumRedirectsAllowed !== undefined) {
      this.setMaximumRedirectsAllowed(init.maximumRedirectsAllowed);
    }
    if (init.transferTimeout !== undefined) this.setTransferTimeout(init.transferTimeout);
    if (init.priority !== undefined) this.setPriority(init.priority);
    if (init.peerVerifyName !== undefined) this.setPeerVerifyName(init.peerVerifyName);
    if (init.decompressedSafetyCheckThreshold !== undefined) {
      this.setDecompressedSafetyCheckThreshold(init.decompressedSafetyCheckThreshold);
    }
    if (init.sslConfiguration !== undefined) this.setSslConfiguration(init.sslConfiguration);
  }

  /** A deep copy (what the manager hands to a reply). */
  clone(): NetworkRequest {
    const copy = new NetworkRequest(this.#url);
    copy.#headers = new HttpHeaders(this.#headers);
    if (this.#attributes !== undefined) copy.#attributes = new Map(this.#attributes);
    copy.#maximumRedirectsAllowed = this.#maximumRedirectsAllowed;
    copy.#transferTimeout = this.#transferTimeout;
    copy.#priority = this.#priority;
    copy.#peerVerifyName = this.#peerVerifyName;
    copy.#decompressedSafetyCheckThreshold = this.#decompressedSafetyCheckThreshold;
    copy.#sslConfiguration = this.#sslConfiguration && { ...this.#sslConfiguration };
    return copy;
  }

  /** The request URL (a copy). */
  url(): URL {
    return new URL(this.#url.href);
  }
  /** Sets the URL; throws a TypeError when it does not parse. */
  setUrl(url: string | URL): void {
    this.#url = parseUrl(url, "set URL");
  }

  /**
   * The cooked value of a known header, or `undefined` when absent or
   * unparseable; Cookie and Set-Cookie give a `NetworkCookie[]`.
   */
  header(kind: CookieKnownHeader): NetworkCookie[] | undefined;
  /** The cooked value of a known header, or `undefined` when absent or unparseable. */
  header(kind: KnownHeader): KnownHeaderValue | undefined;
  header(kind: KnownHeader): KnownHeaderValue | undefined {
    return parseKnownHeader(kind, this.#headers.values(knownHeaderName(kind)));
  }
  /**
   * Sets a known header from its cooked value; `null`/`undefined` removes it.
   * Cookie and Set-Cookie take a `NetworkCookie[]`; Set-Cookie becomes one
   * field per cookie.
   */
  setHeader(kind: KnownHeader, value: unknown): void {
    const name = knownHeaderName(kind);
    if (value === null || value === undefined) {
      this.#headers.removeAll(name);
      return;
    }
    const text = serializeKnownHeader(kind, value);
    if (isSetCookie(name)) this.setRawHeader(name, text);
    else this.#headers.replaceOrAppend(name, text);
  }

  /** All values of `name` joined by ", " (Set-Cookie by "\n", as Qt); "" when absent. */
  rawHeader(name: string): string {
    return this.#headers.values(name).join(isSetCookie(name) ? "\n" : ", ");
  }
  /**
   * Replaces every field named `name` with `value`; `null`/`undefined` removes
   * them. A Set-Cookie value is split on "\n" into separate fields.
   */
  setRawHeader(name: string, value: string | null | undefined): void {
    const remove = value === null || value === undefined;
    const values = remove
      ? [""]
      : isSetCookie(name) && typeof value === "string"
      ? value.split("\n")
      : [value];
    // Built first so that a bad name or value throws before anything changes.
    const next = new HttpHeaders(values.map((v): [string, string] => [name, v]));
    this.#headers.removeAll(name);
    if (!remove) { for (const [n, v] of next) this.#headers.append(n, v); }
  }
  /** Whether a field named `name` is present (case-insensitive). */
  hasRawHeader(name: string): boolean {
    return this.#headers.contains(name);
  }
  /** Distinct header names in order (lower-case). */
  rawHeaderList(): string[] {
    return [...new Set(this.#headers.toListOfPairs().map(([name]) => name))];
  }
  /** Every header field, in order (a copy). */
  headers(): HttpHeaders {
    return new HttpHeaders(this.#headers);
  }
  /** Replaces every header field. */
  setHeaders(headers: HeadersInit | HttpHeaders): void {
    this.#headers = new HttpHeaders(headers);
  }

  /** An attribute's value, or `defaultValue` when unset. */
  attribute(attribute: Attribute, defaultValue?: unknown): unknown {
    const attributes = this.#attributes;
    return attributes !== undefined && attributes.has(attribute) ? attributes.get(attribute) : defaultValue;
  }
  /** Sets an attribute; `undefined` removes it. */
  setAttribute(attribute: Attribute, value: unknown): void {
    if (!Number.isInteger(attribute)) {
      throw new TypeError(`Cannot set attribute ${String(attribute)}: not an Attribute number`);
    }
    if (value === undefined) this.#attributes?.delete(attribute);
    else (this.#attributes ??= new Map()).set(attribute, value);
  }
  /** Every attribute that is set, by number. */
  attributes(): ReadonlyMap<number, unknown> {
    return new Map(this.#attributes);
  }

  /** How many redirects are followed before TooManyRedirectsError (default 50). */
  maximumRedirectsAllowed(): number {
    return this.#maximumRedirectsAllowed;
  }
  /** Sets the redirect budget (an integer >= 0). */
  setMaximumRedirectsAllowed(maximum: number): void {
    this.#maximumRedirectsAllowed = checkInteger("maximumRedirectsAllowed", maximum, 0);
  }

  /** Inactivity timeout in ms; 0 = use the manager's. */
  transferTimeout(): number {
    return this.#transferTimeout;
  }
  /** Sets the inactivity timeout in ms (an integer >= 0). */
  setTransferTimeout(ms: number): void {
    this.#transferTimeout = checkInteger("transferTimeout", ms, 0);
  }

  /** The scheduling hint. */
  priority(): Priority {
    return this.#priority;
  }
  /** Sets the scheduling hint. */
  setPriority(priority: Priority): void {
    this.#priority = checkEnumValue("priority", "Priority", Priority, priority);
  }

  /** Host name to verify the certificate against ("" = the URL's host). */
  peerVerifyName(): string {
    return this.#peerVerifyName;
  }
  /** Sets the host name to verify the certificate against. */
  setPeerVerifyName(name: string): void {
    if (typeof name !== "string") {
      throw new TypeError(`Cannot set peerVerifyName: expected a string, got ${typeof name}`);
    }
    this.#peerVerifyName = name;
  }

  /** Archive-bomb guard threshold in decoded bytes; -1 = off. */
  decompressedSafetyCheckThreshold(): number {
    return this.#decompressedSafetyCheckThreshold;
  }
  /** Sets the archive-bomb guard threshold (an integer >= -1). */
  setDecompressedSafetyCheckThreshold(threshold: number): void {
    this.#decompressedSafetyCheckThreshold = checkInteger("decompressedSafetyCheckThreshold", threshold, -1);
  }

  /** The request's TLS settings, if any. */
  sslConfiguration(): SslConfiguration | undefined {
    return this.#sslConfiguration && { ...this.#sslConfiguration };
  }
  /** Sets the request's TLS settings. */
  setSslConfiguration(configuration: SslConfiguration | undefined): void {
    this.#sslConfiguration = configuration && { ...configuration };
  }
}
