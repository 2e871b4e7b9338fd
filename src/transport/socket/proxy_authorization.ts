/**
 * {@linkcode proxyAuthorization}: the Basic `Proxy-Authorization` value
 * (RFC 7617) for the credentials in a proxy URL.
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
 * `Basic <base64(user:password)>` from the proxy URL's user info
 * (percent-decoded, UTF-8), or `undefined` when it has none.
 */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === "" && proxy.password === "") return undefined;
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  const bytes = new TextEncoder().encode(credentials);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
