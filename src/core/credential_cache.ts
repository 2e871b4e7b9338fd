/**
 * {@linkcode CredentialCache}: credentials that worked, kept per origin and
 * realm so later requests in the same protection space can send them before
 * being challenged (Qt's authentication cache, cleared by
 * `clearAccessCache()`).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { CredentialCache } from "./credential_cache.ts";
 * const cache = new CredentialCache();
 * cache.store(new URL("https://h.test/docs/a.html"), { scheme: "Basic", realm: "docs", user: "ann", password: "pw" });
 * equal(cache.lookup(new URL("https://h.test/docs/b/c.html"))?.user, "ann");
 * equal(cache.lookup(new URL("https://h.test/other")), undefined);
 * ```
 *
 * @module
 */

import type { AuthChallenge } from "./auth_challenge.ts";

/** Credentials that answered a challenge. */
export interface StoredCredential {
  /** The scheme they answered, e.g. `"Basic"` or `"Digest"` (compared case-insensitively). */
  readonly scheme: string;
  /** The realm of the challenge. */
  readonly realm: string;
  /** The user name. */
  readonly user: string;
  /** The password. */
  readonly password: string;
  /** The challenge answered, kept for a pre-emptive Digest answer (its nonce and `domain`). */
  readonly challenge?: AuthChallenge;
}

/** One protection space of an origin: its realm, credentials and path prefixes. */
interface Space {
  credential: StoredCredential;
  prefixes: string[];
}

/**
 * Credentials by protection space: an origin (WHATWG, so `http://h` and
 * `http://h:80` are one) and a realm (RFC 9110 §11.5), covering the paths
 * where the credentials worked:
 *
 * - Basic (RFC 7617 §2.2): every path at or below the directory of a
 *   request that succeeded (`/docs/a.html` covers `/docs/…`).
 * - Digest (RFC 7616 §3.3): the URIs of the challenge's `domain` on the
 *   same origin, as prefixes; without `domain`, the whole origin.
 *
 * Pure: no timers and no I/O; entries stay until forgotten or cleared.
 */
export class CredentialCache {
  /** origin → realm → space; Map order is storing order, the latest last. */
  readonly #origins = new Map<string, Map<string, Space>>();

  /**
   * Remembers `credential` after a request to `url` succeeded with it,
   * replacing earlier credentials for that origin and realm and widening
   * their protection space by `url`'s. A TypeError for a URL without an
   * origin (`data:`, `file:`…), which has no protection space.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CredentialCache } from "./credential_cache.ts";
   * const cache = new CredentialCache();
   * const basic = { scheme: "Basic", realm: "r", user: "ann", password: "pw" };
   * cache.store(new URL("http://h.test/a/x"), basic);
   * cache.store(new URL("http://h.test/b/y"), { ...basic, password: "new" });
   * equal(cache.lookup(new URL("http://h.test:80/a/z"))?.password, "new");
   * try {
   *   cache.store(new URL("data:,x"), basic);
   * } catch (error) {
   *   equal((error as Error).message, "Cannot store credentials for data:,x: the URL has no origin");
   * }
   * ```
   */
  store(url: URL, credential: StoredCredential): void {
    const origin = url.origin;
    if (origin === "null") {
      throw new TypeError(`Cannot store credentials for ${url.href}: the URL has no origin`);
    }
    let realms = this.#origins.get(origin);
    if (realms === undefined) {
      realms = new Map();
      this.#origins.set(origin, realms);
    }
    const earlier = realms.get(credential.realm);
    realms.delete(credential.realm);
    // Every prefix is kept, even one below another: it makes the realm the more specific match there.
    const prefixes = [...new Set([...earlier?.prefixes ?? [], ...protectionSpacePrefixes(url, credential)])];
    realms.set(credential.realm, { credential: Object.freeze({ ...credential }), prefixes });
  }

  /**
   * Credentials to send pre-emptively with a request to `url`: those whose
   * protection space covers its path with the longest prefix (the latest
   * stored among equals), or `undefined`.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CredentialCache } from "./credential_cache.ts";
   * const cache = new CredentialCache();
   * cache.store(new URL("http://h.test/"), { scheme: "Basic", realm: "site", user: "all", password: "1" });
   * cache.store(new URL("http://h.test/admin/"), { scheme: "Basic", realm: "admin", user: "root", password: "2" });
   * equal(cache.lookup(new URL("http://h.test/admin/users"))?.user, "root");
   * equal(cache.lookup(new URL("http://h.test/index.html"))?.user, "all");
   * equal(cache.lookup(new URL("https://h.test/index.html")), undefined);
   * ```
   */
  lookup(url: URL): StoredCredential | undefined {
    if (this.#origins.size === 0) return undefined;
    let best: Space | undefined;
    let bestLength = -1;
    for (const space of this.#origins.get(url.origin)?.values() ?? []) {
      for (const prefix of space.prefixes) {
        if (prefix.length >= bestLength && url.pathname.startsWith(prefix)) {
          best = space;
          bestLength = prefix.length;
        }
      }
    }
    return best?.credential;
  }

  /**
   * Credentials for `realm` on `url`'s origin, wherever they worked: what
   * to try on a challenge naming that realm before asking the user.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CredentialCache } from "./credential_cache.ts";
   * const cache = new CredentialCache();
   * cache.store(new URL("http://h.test/a/"), { scheme: "Basic", realm: "r", user: "ann", password: "pw" });
   * equal(cache.lookupRealm(new URL("http://h.test/b/"), "r")?.user, "ann");
   * equal(cache.lookupRealm(new URL("http://h.test/b/"), "R"), undefined);
   * ```
   */
  lookupRealm(url: URL, realm: string): StoredCredential | undefined {
    return this.#origins.get(url.origin)?.get(realm)?.credential;
  }

  /**
   * Forgets the credentials that failed: for `realm` on `url`'s origin, or
   * without a realm those {@linkcode lookup} gives for `url`. Forgetting
   * what is not there does nothing.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CredentialCache } from "./credential_cache.ts";
   * const cache = new CredentialCache();
   * cache.store(new URL("http://h.test/"), { scheme: "Basic", realm: "r", user: "ann", password: "old" });
   * cache.forget(new URL("http://h.test/x"));
   * equal(cache.lookup(new URL("http://h.test/x")), undefined);
   * ```
   */
  forget(url: URL, realm?: string): void {
    const realms = this.#origins.get(url.origin);
    if (realms === undefined) return;
    const forgotten = realm ?? this.lookup(url)?.realm;
    if (forgotten === undefined) return;
    realms.delete(forgotten);
    if (realms.size === 0) this.#origins.delete(url.origin);
  }

  /**
   * Forgets everything (Qt's `clearAccessCache()`).
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { CredentialCache } from "./credential_cache.ts";
   * const cache = new CredentialCache();
   * cache.store(new URL("http://h.test/"), { scheme: "Basic", realm: "r", user: "ann", password: "pw" });
   * cache.clear();
   * equal(cache.lookupRealm(new URL("http://h.test/"), "r"), undefined);
   * ```
   */
  clear(): void {
    this.#origins.clear();
  }
}

/** The path prefixes `url` adds to `credential`'s protection space (see {@linkcode CredentialCache}). */
function protectionSpacePrefixes(url: URL, credential: StoredCredential): string[] {
  if (credential.scheme.toLowerCase() !== "digest") {
    return [url.pathname.slice(0, url.pathname.lastIndexOf("/") + 1) || "/"];
  }
  const domain = credential.challenge?.params.domain;
  if (domain === undefined) return ["/"];
  const prefixes: string[] = [];
  for (const uri of domain.split(/[ \t]+/)) {
    if (uri === "") continue;
    const resolved = parsedOrUndefined(uri, url);
    if (resolved?.origin === url.origin) prefixes.push(resolved.pathname);
  }
  return prefixes;
}

/** `uri` resolved against `base`; `undefined` for a bad URI from the server, which is skipped rather than thrown. */
function parsedOrUndefined(uri: string, base: URL): URL | undefined {
  try {
    return new URL(uri, base);
  } catch {
    return undefined;
  }
}
