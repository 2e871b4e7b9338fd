/**
 * The Basic `Proxy-Authorization` value (RFC 7617) for the credentials in a
 * proxy URL ({@linkcode proxyAuthorization}).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { proxyAuthorization } from "./proxy_authorization.ts";
 * equal(proxyAuthorization(new URL("http://ann:s%20cret@127.0.0.1:3128")), "Basic YW5uOnMgY3JldA==");
 * equal(proxyAuthorization(new URL("http://127.0.0.1:3128")), undefined);
 * ```
 *
 * @module
 */

import { basicAuthorization } from "../../core/basic_auth.ts";

/**
 * `Basic <base64(user:password)>` from the proxy URL's user info
 * (percent-decoded, UTF-8), or `undefined` when it has none.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { proxyAuthorization } from "./proxy_authorization.ts";
 * equal(proxyAuthorization(new URL("http://ann@127.0.0.1:3128")), "Basic YW5uOg==");
 * ```
 */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === "" && proxy.password === "") return undefined;
  return basicAuthorization(decodeURIComponent(proxy.username), decodeURIComponent(proxy.password));
}
