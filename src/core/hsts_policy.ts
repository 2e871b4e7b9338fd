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

  /** Whether the expiry has passed. */
  isExpired(): boolean {
    return this.expiry.getTime() <= Date.now();
  }
}
