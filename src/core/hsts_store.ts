/**
 * {@linkcode HstsStore}: the known HSTS hosts (RFC 6797 §8), as pure state —
 * what a response teaches, which hosts match, and how a URL is upgraded. The
 * caller passes the time in and says whether a response came over https
 * without certificate errors.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HstsStore } from "./hsts_store.ts";
 * const store = new HstsStore();
 * const now = Date.UTC(2026, 0, 1);
 * store.learn("example.com", "max-age=3600; includeSubDomains", now, { https: true, certificateErrors: false });
 * equal(store.upgrade(new URL("http://www.example.com:80/a"), now)?.href, "https://www.example.com/a");
 * ```
 *
 * @module
 */

import { HstsPolicy, type HstsPolicyJson, readHstsPolicyJson } from "./hsts_policy.ts";
import { describeJsonValue, parsedJson } from "./json_input.ts";
import { firstValidStrictTransportSecurity } from "./strict_transport_security.ts";
import { checkNow } from "./argument_checks.ts";

/**
 * What {@linkcode HstsStore.learn} or {@linkcode HstsStore.add} did: stored
 * (or updated) a policy, removed the host (max-age=0 or an expired policy),
 * or ignored the input, with `reason` saying why.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HstsStore, type HstsUpdate } from "./hsts_store.ts";
 * const update: HstsUpdate = new HstsStore().learn("127.0.0.1", "max-age=60", 0, {
 *   https: true,
 *   certificateErrors: false,
 * });
 * equal(update.action, "ignored");
 * ```
 */
export type HstsUpdate =
  | { readonly action: "stored"; readonly policy: HstsPolicy }
  | { readonly action: "removed"; readonly host: string }
  | { readonly action: "ignored"; readonly reason: string };

/**
 * How the response carrying a `Strict-Transport-Security` field arrived:
 * only a response over https with no certificate errors (none at all, not
 * even ignored ones) may teach a policy (RFC 6797 §8.1).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { HstsResponseSecurity } from "./hsts_store.ts";
 * const security: HstsResponseSecurity = { https: true, certificateErrors: false };
 * equal(security.https, true);
 * ```
 */
export interface HstsResponseSecurity {
  /** Whether the response came over https. */
  readonly https: boolean;
  /** Whether the TLS connection had certificate errors, even ignored ones (RFC 6797 §8.4). */
  readonly certificateErrors: boolean;
}

/**
 * The known HSTS hosts as JSON data: what {@linkcode HstsStore.toJSON}
 * writes and {@linkcode HstsStore.fromJSON} reads (and the manager's
 * `exportStrictTransportSecurityHosts()` and
 * `importStrictTransportSecurityHosts()`).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import type { HstsPoliciesJson } from "@netreply/netreply";
 * const json: HstsPoliciesJson = {
 *   version: 1,
 *   policies: [{ host: "example.com", expiry: "2030-01-01T00:00:00.000Z", includeSubDomains: true }],
 * };
 * equal(json.policies.length, 1);
 * ```
 */
export interface HstsPoliciesJson {
  /** The format's version. */
  readonly version: 1;
  /** The policies, sorted by host. */
  readonly policies: readonly HstsPolicyJson[];
}

type CanonicalHost = { readonly ip: true } | { readonly ip: false; readonly name: string };

// Characters that make a string more than a host: port, path, user info,
// query, fragment, brackets outside an IPv6 literal, percent-escapes, space.
const NOT_A_HOST = /[\s:/?#@\\[\]%]/;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
const IPV6_WITHOUT_BRACKETS = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;

/**
 * The host as RFC 6797 §8.2 compares it: the WHATWG URL parser's hostname
 * (lower-case, IDNA to ASCII as §8.3 asks, IPv4 numbers normalised), less
 * one trailing dot. IP literals are flagged: they are never HSTS hosts.
 */
function canonicalHost(host: string, action: string): CanonicalHost {
  if (typeof host !== "string") {
    throw new TypeError(`Cannot ${action} ${String(host)}: the host is not a string`);
  }
  if (host.startsWith("[") && host.endsWith("]") && URL.canParse(`http://${host}/`)) return { ip: true };
  if (IPV6_WITHOUT_BRACKETS.test(host) && URL.canParse(`http://[${host}]/`)) return { ip: true };
  let hostname: string | undefined;
  if (host !== "" && !NOT_A_HOST.test(host)) {
    try {
      hostname = new URL(`http://${host}/`).hostname;
    } catch {
      hostname = undefined;
    }
  }
  if (hostname === undefined || hostname === "" || hostname === ".") {
    throw new TypeError(`Cannot ${action} ${JSON.stringify(host)}: not a host name`);
  }
  return hostOfUrl(hostname);
}

/** A WHATWG URL's `hostname`, as {@linkcode canonicalHost} describes. */
function hostOfUrl(hostname: string): CanonicalHost {
  if (hostname.startsWith("[") || IPV4.test(hostname)) return { ip: true };
  return { ip: false, name: hostname.endsWith(".") ? hostname.slice(0, -1) : hostname };
}

/**
 * The known HSTS hosts, keyed by host (RFC 6797 §8.1.1). Pure state: no
 * clock (every call that needs the time takes `now`, milliseconds since
 * the epoch), no I/O; {@linkcode HstsStore.toJSON} and
 * {@linkcode HstsStore.fromJSON} let a caller persist it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HstsStore } from "./hsts_store.ts";
 * const store = new HstsStore();
 * const secure = { https: true, certificateErrors: false };
 * store.learn("example.com", "max-age=60", 0, secure);
 * equal(store.upgrade(new URL("http://example.com:8080/"), 0)?.href, "https://example.com:8080/");
 * equal(store.upgrade(new URL("http://example.com/"), 60_000), undefined);
 * ```
 */
export class HstsStore {
  #policies = new Map<string, HstsPolicy>();

  /**
   * Applies a response's `Strict-Transport-Security` field(s) for `host`
   * (RFC 6797 §8.1): the first valid field (see
   * {@linkcode firstValidStrictTransportSecurity}) stores or updates the
   * host with expiry `now + max-age`; `max-age=0` removes the host. Ignored,
   * with a reason: a response not over https or with certificate errors, an
   * IP-literal host, no field or no valid field.
   *
   * @throws {TypeError} If `host` is not a host name, or `security` is not two booleans.
   * @throws {RangeError} If `now` is not a finite number.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
   * import { HstsStore } from "./hsts_store.ts";
   * const store = new HstsStore();
   * const secure = { https: true, certificateErrors: false };
   * equal(store.learn("Example.COM", "max-age=60", 0, secure).action, "stored");
   * equal(store.learn("example.com", "max-age=0", 0, secure).action, "removed");
   * deepEqual(store.learn("example.com", "max-age=60", 0, { https: false, certificateErrors: false }), {
   *   action: "ignored",
   *   reason: 'Ignoring Strict-Transport-Security for "example.com": the response did not come over https',
   * });
   * ```
   */
  learn(
    host: string,
    fieldValues: string | readonly string[] | null | undefined,
    now: number,
    security: HstsResponseSecurity,
  ): HstsUpdate {
    const canonical = canonicalHost(host, "learn HSTS for");
    checkNow(now, "learn HSTS");
    const ignore = (why: string): HstsUpdate => ({
      action: "ignored",
      reason: `Ignoring Strict-Transport-Security for ${JSON.stringify(host)}: ${why}`,
    });
    if (
      typeof security !== "object" || security === null || typeof security.https !== "boolean" ||
      typeof security.certificateErrors !== "boolean"
    ) {
      throw new TypeError(
        `Cannot learn HSTS for ${
          JSON.stringify(host)
        }: security must be { https: boolean, certificateErrors: boolean }`,
      );
    }
    if (!security.https) return ignore("the response did not come over https");
    if (security.certificateErrors) return ignore("the connection had certificate errors");
    if (canonical.ip) return ignore("an IP address is never an HSTS host");
    const parsed = firstValidStrictTransportSecurity(fieldValues ?? []);
    if (!parsed.valid) return { action: "ignored", reason: parsed.reason };
    return this.#update(
      canonical.name,
      new Date(now + parsed.maxAge * 1000),
      parsed.includeSubDomains,
      now,
    );
  }

  /**
   * Adds or updates a policy given by the user (Qt's
   * `addStrictTransportSecurityHosts`): an expired policy removes its host.
   * A policy for an IP address is ignored, as Qt ignores it.
   *
   * @throws {TypeError} If `policy` is not an {@linkcode HstsPolicy} or its host is not a host name.
   * @throws {RangeError} If `now` is not a finite number.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { HstsPolicy } from "./hsts_policy.ts";
   * import { HstsStore } from "./hsts_store.ts";
   * const store = new HstsStore();
   * const update = store.add(new HstsPolicy({ host: "example.com", expiry: new Date(60_000) }), 0);
   * equal(update.action, "stored");
   * equal(store.policies(0).length, 1);
   * ```
   */
  add(policy: HstsPolicy, now: number): HstsUpdate {
    if (!(policy instanceof HstsPolicy)) {
      throw new TypeError(`Cannot add HSTS policy ${String(policy)}: expected an HstsPolicy`);
    }
    const canonical = canonicalHost(policy.host, "add HSTS policy for");
    checkNow(now, "add HSTS policy");
    if (canonical.ip) {
      return {
        action: "ignored",
        reason: `Ignoring HSTS policy for ${
          JSON.stringify(policy.host)
        }: an IP address is never an HSTS host`,
      };
    }
    return this.#update(canonical.name, policy.expiry, policy.includeSubDomains, now);
  }

  #update(host: string, expiry: Date, includeSubDomains: boolean, now: number): HstsUpdate {
    const policy = new HstsPolicy({ host, expiry, includeSubDomains });
    if (policy.isExpired(now)) {
      this.#policies.delete(host);
      return { action: "removed", host };
    }
    this.#policies.set(host, policy);
    return { action: "stored", policy };
  }

  /**
   * The policy that makes `host` a known HSTS host at `now` (RFC 6797
   * §8.2): the host's own policy, else the nearest superdomain's policy that
   * has includeSubDomains. Expired policies met on the way are removed.
   * IP addresses never match.
   *
   * @throws {TypeError} If `host` is not a host name.
   * @throws {RangeError} If `now` is not a finite number.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { HstsStore } from "./hsts_store.ts";
   * const store = new HstsStore();
   * const secure = { https: true, certificateErrors: false };
   * store.learn("example.com", "max-age=60; includeSubDomains", 0, secure);
   * store.learn("other.test", "max-age=60", 0, secure);
   * equal(store.policyFor("a.b.example.com", 0)?.host, "example.com");
   * equal(store.policyFor("www.other.test", 0), undefined);
   * ```
   */
  policyFor(host: string, now: number): HstsPolicy | undefined {
    const canonical = canonicalHost(host, "look up HSTS for");
    checkNow(now, "look up HSTS");
    return canonical.ip ? undefined : this.#match(canonical.name, now);
  }

  #match(host: string, now: number): HstsPolicy | undefined {
    const labels = host.split(".");
    for (let i = 0; i < labels.length; i++) {
      const candidate = labels.slice(i).join(".");
      const policy = this.#policies.get(candidate);
      if (policy === undefined) continue;
      if (policy.isExpired(now)) {
        this.#policies.delete(candidate);
        continue;
      }
      // A congruent match always counts; a superdomain only with includeSubDomains.
      if (i === 0 || policy.includeSubDomains) return policy;
    }
    return undefined;
  }

  /**
   * The https URL to load instead of `url`, when `url` is http and its host
   * is a known HSTS host at `now` (RFC 6797 §8.3): the scheme becomes https,
   * an explicit port 80 becomes 443 (so it is dropped, being https's
   * default), any other port is kept, as Qt does. `undefined` when nothing
   * changes: another scheme, an IP address, an unknown host.
   *
   * @throws {RangeError} If `now` is not a finite number.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { HstsStore } from "./hsts_store.ts";
   * const store = new HstsStore();
   * store.learn("example.com", "max-age=60", 0, { https: true, certificateErrors: false });
   * equal(store.upgrade(new URL("http://user@example.com:80/p?q#f"), 0)?.href, "https://user@example.com/p?q#f");
   * equal(store.upgrade(new URL("http://example.com:8443/"), 0)?.href, "https://example.com:8443/");
   * equal(store.upgrade(new URL("https://example.com/"), 0), undefined);
   * ```
   */
  upgrade(url: URL, now: number): URL | undefined {
    if (!(url instanceof URL)) throw new TypeError(`Cannot upgrade ${String(url)}: expected a URL`);
    checkNow(now, "upgrade a URL");
    if (url.protocol !== "http:") return undefined;
    const host = hostOfUrl(url.hostname);
    if (host.ip || this.#match(host.name, now) === undefined) return undefined;
    const upgraded = new URL(url.href);
    // http's default port 80 is already "" in a WHATWG URL, so "80 → 443" is
    // the scheme change itself; an explicit 443 becomes https's default.
    upgraded.protocol = "https:";
    return upgraded;
  }

  /**
   * The policies not expired at `now`, sorted by host (Qt's
   * `strictTransportSecurityHosts()`); expired ones are removed.
   *
   * @throws {RangeError} If `now` is not a finite number.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual } from "node:assert/strict";
   * import { HstsStore } from "./hsts_store.ts";
   * const store = new HstsStore();
   * const secure = { https: true, certificateErrors: false };
   * store.learn("b.test", "max-age=60", 0, secure);
   * store.learn("a.test", "max-age=1", 0, secure);
   * deepEqual(store.policies(0).map((p) => p.host), ["a.test", "b.test"]);
   * deepEqual(store.policies(1_000).map((p) => p.host), ["b.test"]);
   * ```
   */
  policies(now: number): HstsPolicy[] {
    checkNow(now, "list HSTS policies");
    for (const [host, policy] of this.#policies) {
      if (policy.isExpired(now)) this.#policies.delete(host);
    }
    return this.#sorted();
  }

  #sorted(): HstsPolicy[] {
    return [...this.#policies.values()].sort((a, b) => a.host < b.host ? -1 : a.host > b.host ? 1 : 0);
  }

  /**
   * The store as plain JSON data, sorted by host. Expired policies that no
   * lookup has purged yet are included: the store has no clock.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual } from "node:assert/strict";
   * import { HstsStore } from "./hsts_store.ts";
   * const store = new HstsStore();
   * store.learn("example.com", "max-age=60; includeSubDomains", 0, { https: true, certificateErrors: false });
   * deepEqual(JSON.parse(JSON.stringify(store)), {
   *   version: 1,
   *   policies: [{ host: "example.com", expiry: "1970-01-01T00:01:00.000Z", includeSubDomains: true }],
   * });
   * ```
   */
  toJSON(): HstsPoliciesJson {
    return { version: 1, policies: this.#sorted().map((policy) => policy.toJSON()) };
  }

  /**
   * A store holding the policies of {@linkcode HstsStore.toJSON}'s data, as
   * an object or a JSON string, host names canonicalised. With `now`, the
   * policies expired at `now` are dropped; without it they are kept until a
   * lookup with a time purges them.
   *
   * @throws {TypeError} If the data is not in that shape, naming the first bad field and what is wrong, or a string that is not JSON.
   * @throws {RangeError} If `now` is given and is not a finite number.
   *
   * @example
   * ```ts
   * import { deepStrictEqual as deepEqual } from "node:assert/strict";
   * import { HstsStore } from "./hsts_store.ts";
   * const store = HstsStore.fromJSON({
   *   version: 1,
   *   policies: [
   *     { host: "Example.COM", expiry: "1970-01-01T00:01:00.000Z", includeSubDomains: false },
   *     { host: "old.test", expiry: "1970-01-01T00:00:01.000Z", includeSubDomains: false },
   *   ],
   * }, 1_000);
   * deepEqual(store.policies(0).map((p) => p.host), ["example.com"]);
   * ```
   */
  static fromJSON(json: HstsPoliciesJson | string, now?: number): HstsStore {
    const fail = (what: string): never => {
      throw new TypeError(`Cannot read HSTS JSON: ${what}`);
    };
    if (now !== undefined) checkNow(now, "read HSTS JSON");
    const data = parsedJson(json, fail);
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      return fail(`expected an object with version 1 and a policies array, got ${describeJsonValue(data)}`);
    }
    const { version, policies } = data as Record<string, unknown>;
    if (version !== 1) return fail(`version must be 1, got ${describeJsonValue(version)}`);
    if (!Array.isArray(policies)) {
      return fail(`policies must be an array, got ${describeJsonValue(policies)}`);
    }
    const store = new HstsStore();
    policies.forEach((item: unknown, index) => {
      const at = `policies[${index}]`;
      const policy = readHstsPolicyJson(item, at, fail);
      let canonical: CanonicalHost;
      try {
        canonical = canonicalHost(policy.host, "read");
      } catch {
        return fail(`${at}.host ${JSON.stringify(policy.host)} is not a host name`);
      }
      if (canonical.ip) return fail(`${at}.host ${JSON.stringify(policy.host)} is an IP address`);
      if (store.#policies.has(canonical.name)) return fail(`${at}.host "${canonical.name}" appears twice`);
      store.#policies.set(
        canonical.name,
        new HstsPolicy({
          host: canonical.name,
          expiry: policy.expiry,
          includeSubDomains: policy.includeSubDomains,
        }),
      );
    });
    if (now !== undefined) store.policies(now);
    return store;
  }
}
