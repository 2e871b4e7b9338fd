/**
 * Qt's `QNetworkRequest::RedirectPolicy`: which redirects are followed (default `NoLessSafeRedirectPolicy`).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { RedirectPolicy } from "@netreply/netreply";
 * equal(RedirectPolicy.NoLessSafeRedirectPolicy, 1);
 * ```
 *
 * @module
 */

/**
 * Qt's `QNetworkRequest::RedirectPolicy`: which redirects are followed (default `NoLessSafeRedirectPolicy`).
 *
 * @example Follow redirects within the origin only
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError, RedirectPolicy } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://a.test/old" }).reply(301, "", { headers: { location: "https://b.test/new" } });
 * await using nam = new NetworkAccessManager({ transport: mock, redirectPolicy: RedirectPolicy.SameOriginRedirectPolicy });
 * const reply = nam.get("https://a.test/old");
 * await reply.done;
 * equal(reply.error(), NetworkError.InsecureRedirectError); // another origin: refused
 * ```
 */
export const RedirectPolicy = {
  ManualRedirectPolicy: 0,
  NoLessSafeRedirectPolicy: 1,
  SameOriginRedirectPolicy: 2,
  UserVerifiedRedirectPolicy: 3,
} as const;

/** One of the {@linkcode RedirectPolicy} numbers. */
export type RedirectPolicy = typeof RedirectPolicy[keyof typeof RedirectPolicy];
