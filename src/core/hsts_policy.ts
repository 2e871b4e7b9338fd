/**
 * {@linkcode HstsPolicy}: one known HSTS host (Qt's QHstsPolicy).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HstsPolicy } from "@netreply/netreply";
 * const policy = new HstsPolicy({ host: "example.com", expiry: new Date(Date.now() + 60_000) });
 * equal(policy.isExpired(), false);
 * ```
 *
 * @module
 */

import { checkNow } from "./argument_checks.ts";
import { describeJsonValue, parsedJson } from "./json_input.ts";
import { checkOptionKeys } from "./option_keys.ts";

/**
 * An {@linkcode HstsPolicy} as JSON data ({@linkcode HstsPolicy.toJSON}).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HstsPolicy, type HstsPolicyJson } from "@netreply/netreply";
 * const json: HstsPolicyJson = { host: "example.com", expiry: "2027-01-01T00:00:00.000Z", includeSubDomains: true };
 * equal(HstsPolicy.fromJSON(json).includeSubDomains, true);
 * ```
 */
export interface HstsPolicyJson {
  /** The host name, lower-case. */
  readonly host: string;
  /** The expiry as an ISO 8601 date (`Date.prototype.toISOString`). */
  readonly expiry: string;
  /** Whether sub-domains are covered. */
  readonly includeSubDomains: boolean;
}

/**
 * The policy that `value` (parsed JSON) describes in {@linkcode HstsPolicyJson}'s
 * shape, else a TypeError from `fail` naming the field at `where` (`""` for
 * the value itself, `"policies[2]"` inside a list) and what is wrong with it.
 */
export function readHstsPolicyJson(value: unknown, where: string, fail: (what: string) => never): HstsPolicy {
  const field = (name: string): string => where === "" ? name : `${where}.${name}`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(`${where === "" ? "the policy" : where} must be an object, got ${describeJsonValue(value)}`);
  }
  const { host, expiry, includeSubDomains } = value as Record<string, unknown>;
  if (typeof host !== "string" || host.trim() === "") {
    return fail(`${field("host")} must be a non-empty string, got ${describeJsonValue(host)}`);
  }
  const date = typeof expiry === "string" ? new Date(expiry) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    return fail(`${field("expiry")} must be an ISO 8601 date string, got ${describeJsonValue(expiry)}`);
  }
  if (typeof includeSubDomains !== "boolean") {
    return fail(
      `${field("includeSubDomains")} must be a boolean, got ${describeJsonValue(includeSubDomains)}`,
    );
  }
  return new HstsPolicy({ host, expiry: date, includeSubDomains });
}

const HSTS_POLICY_INIT_KEYS: ReadonlySet<string> = new Set(["host", "expiry", "includeSubDomains"]);

/**
 * A host that must be reached over https until {@linkcode HstsPolicy.expiry}.
 *
 * @example Preload a host
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HstsPolicy, NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://shop.test/cart" }).reply(200, "over https");
 * await using nam = new NetworkAccessManager({ transport: mock, strictTransportSecurity: true });
 * const policy = new HstsPolicy({ host: "shop.test", expiry: new Date(Date.now() + 86_400_000), includeSubDomains: true });
 * nam.addStrictTransportSecurityHosts([policy]);
 * equal(await nam.get("http://shop.test/cart").text(), "over https"); // upgraded before sending
 * equal(mock.calls[0].url.protocol, "https:");
 * ```
 */
export class HstsPolicy {
  /** The host name (lower-case). */
  readonly host: string;
  /** When the policy ends. */
  readonly expiry: Date;
  /** Whether sub-domains are covered too. */
  readonly includeSubDomains: boolean;

  /** Creates a policy; throws a TypeError for an empty host or an invalid date. */
  constructor(init: { host: string; expiry: Date; includeSubDomains?: boolean }) {
    checkOptionKeys(init, HSTS_POLICY_INIT_KEYS, "new HstsPolicy()");
    if (typeof init.host !== "string" || init.host.trim() === "") {
      throw new TypeError(`Cannot create HstsPolicy: host ${JSON.stringify(init.host)} is empty`);
    }
    if (!(init.expiry instanceof Date) || Number.isNaN(init.expiry.getTime())) {
      throw new TypeError(`Cannot create HstsPolicy for "${init.host}": expiry is not a valid Date`);
    }
    this.host = init.host.trim().toLowerCase();
    this.expiry = new Date(init.expiry.getTime());
    this.includeSubDomains = init.includeSubDomains ?? false;
  }

  /**
   * Whether the expiry has passed: `expiry <= now` (Qt's
   * `QHstsPolicy::isExpired()`). `now` is milliseconds since the epoch, the
   * current time by default.
   *
   * @throws {RangeError} If `now` is not a finite number.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { HstsPolicy } from "@netreply/netreply";
   * const policy = new HstsPolicy({ host: "example.com", expiry: new Date(1_000) });
   * equal(policy.isExpired(999), false);
   * equal(policy.isExpired(1_000), true);
   * ```
   */
  isExpired(now: number = Date.now()): boolean {
    return this.expiry.getTime() <= checkNow(now, `check HSTS policy for "${this.host}"`);
  }

  /**
   * The policy as plain JSON data, for `JSON.stringify` and
   * {@linkcode HstsPolicy.fromJSON}.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { HstsPolicy } from "@netreply/netreply";
   * const policy = new HstsPolicy({ host: "example.com", expiry: new Date(60_000), includeSubDomains: true });
   * equal(JSON.stringify(policy), '{"host":"example.com","expiry":"1970-01-01T00:01:00.000Z","includeSubDomains":true}');
   * ```
   */
  toJSON(): HstsPolicyJson {
    return { host: this.host, expiry: this.expiry.toISOString(), includeSubDomains: this.includeSubDomains };
  }

  /**
   * The policy that {@linkcode HstsPolicy.toJSON} wrote, given as an object
   * or a JSON string. An expired policy is read as it is: see
   * {@linkcode HstsPolicy.isExpired}.
   *
   * @throws {TypeError} If `json` is not in that shape (naming the field and what is wrong), or a string that is not JSON.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { HstsPolicy } from "@netreply/netreply";
   * const policy = HstsPolicy.fromJSON('{"host":"example.com","expiry":"2030-01-01T00:00:00Z","includeSubDomains":false}');
   * equal(policy.host, "example.com");
   * equal(policy.expiry.getUTCFullYear(), 2030);
   * ```
   */
  static fromJSON(json: HstsPolicyJson | string): HstsPolicy {
    const fail = (what: string): never => {
      throw new TypeError(`Cannot read HSTS policy JSON: ${what}`);
    };
    return readHstsPolicyJson(parsedJson(json, fail), "", fail);
  }
}
