/**
 * The Basic `Proxy-Authorization` value (RFC 7617) for the credentials in a
 * proxy URL ({@linkcode proxyAuthorization}) or given by the user
 * ({@linkcode basicCredentials}).
 *
 * @example
 * ```ts
 * import { proxyAuthorization } from "./proxy_authorization.ts";
 * console.log(proxyAuthorization(new URL("http://ann:s%20cret@127.0.0.1:3128"))); // Basic YW5uOnMgY3JldA==
 * console.log(proxyAuthorization(new URL("http://127.0.0.1:3128"))); // undefined
 * ```
 *
 * @module
 */

/**
 * `Basic <base64(user:password)>`, the pair encoded as UTF-8 (RFC 7617 §2.1).
 *
 * @example
 * ```ts
 * import { basicCredentials } from "./proxy_authorization.ts";
 * console.log(basicCredentials("ann", "s3cret")); // Basic YW5uOnMzY3JldA==
 * ```
 */
export function basicCredentials(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * `Basic <base64(user:password)>` from the proxy URL's user info
 * (percent-decoded, UTF-8), or `undefined` when it has none.
 *
 * @example
 * ```ts
 * import { proxyAuthorization } from "./proxy_authorization.ts";
 * console.log(proxyAuthorization(new URL("http://ann@127.0.0.1:3128"))); // Basic YW5uOg==
 * ```
 */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === "" && proxy.password === "") return undefined;
  return basicCredentials(decodeURIComponent(proxy.username), decodeURIComponent(proxy.password));
}
