/**
 * {@linkcode HstsPolicy}: one known HSTS host (Qt's QHstsPolicy).
 *
 * @example
 * ```ts
 * import { HstsPolicy } from "@netreply/netreply";
 * const policy = new HstsPolicy({ host: "example.com", expiry: new Date(Date.now() + 60_000) });
 * console.log(policy.isExpired()); // false
 * ```
 *
 * @module
 */

import { checkNow } from "./argument_checks.ts";

/** A host that must be reached over https until {@linkcode HstsPolicy.expiry}. */
export class HstsPolicy {
  /** The host name (lower-case). */
  readonly host: string;
  /** When the policy ends. */
  readonly expiry: Date;
  /** Whether sub-domains are covered too. */
  readonly includeSubDomains: boolean;

  /** Creates a policy; throws a TypeError for an empty host or an invalid date. */
  constructor(init: { host: string; expiry: Date; includeSubDomains?: boolean }) {
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
   * import { HstsPolicy } from "@netreply/netreply";
   * const policy = new HstsPolicy({ host: "example.com", expiry: new Date(1_000) });
   * console.log(policy.isExpired(999)); // false
   * console.log(policy.isExpired(1_000)); // true
   * ```
   */
  isExpired(now: number = Date.now()): boolean {
    return this.expiry.getTime() <= checkNow(now, `check HSTS policy for "${this.host}"`);
  }
}
