/**
 * Qt's `QNetworkRequest::LoadControl`: automatic or manual cookie/auth handling.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { LoadControl } from "@netreply/netreply";
 * equal(LoadControl.Automatic, 0);
 * ```
 *
 * @module
 */

/**
 * Qt's `QNetworkRequest::LoadControl`: automatic or manual cookie/auth handling.
 *
 * @example Keep one request's cookies out of the jar
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Attribute, LoadControl, NetworkAccessManager, NetworkRequest } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/" }).reply(200, "", { headers: { "set-cookie": "a=1" } }).times(2);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * // Manual: this request's Set-Cookie is not stored in the jar.
 * const request = new NetworkRequest("https://api.test/", {
 *   attributes: { [Attribute.CookieSaveControlAttribute]: LoadControl.Manual },
 * });
 * await nam.get(request).done;
 * equal(nam.cookieJar()?.allCookies().length, 0);
 * await nam.get("https://api.test/").done;
 * equal(nam.cookieJar()?.allCookies().length, 1);
 * ```
 */
export const LoadControl = {
  Automatic: 0,
  Manual: 1,
} as const;

/** One of the {@linkcode LoadControl} numbers. */
export type LoadControl = typeof LoadControl[keyof typeof LoadControl];
