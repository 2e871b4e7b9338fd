/**
 * The Digest authentication scheme (RFC 7616, and RFC 2069 servers that send
 * no qop): reading a Digest challenge ({@linkcode parseDigestChallenge}),
 * counting requests per nonce ({@linkcode DigestNonceCounter}) and computing
 * the `Authorization` / `Proxy-Authorization` value
 * ({@linkcode digestAuthorization}).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { digestAuthorization, DigestNonceCounter, parseDigestChallenge } from "./digest_auth.ts";
 * const challenge = parseDigestChallenge({ scheme: "Digest", params: { realm: "r", nonce: "n", qop: "auth" } });
 * const counter = new DigestNonceCounter();
 * const value = await digestAuthorization({
 *   challenge, user: "u", password: "p", method: "GET", uri: "/", nc: counter.next(challenge.nonce), cnonce: "c",
 * });
 * equal(value.startsWith('Digest username="u", realm="r", uri="/", nonce="n", nc=00000001, cnonce="c"'), true);
 * ```
 *
 * @module
 */

import type { AuthChallenge } from "./auth_challenge.ts";
import { isHttpToken } from "./http_token.ts";
import { md5 } from "./md5.ts";

/** The Digest algorithms netreply answers (RFC 7616 §3.3 and §6.1; SHA-512-256 is not among them). */
export const DIGEST_ALGORITHMS = ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"] as const;

/** One of {@linkcode DIGEST_ALGORITHMS}. */
export type DigestAlgorithm = typeof DIGEST_ALGORITHMS[number];

/** What a Digest challenge asks for (RFC 7616 §3.3), checked to be answerable. */
export interface DigestChallenge {
  /** The protection space's name. */
  readonly realm: string;
  /** The server's nonce, echoed back and hashed. */
  readonly nonce: string;
  /** Echoed back unchanged when present. */
  readonly opaque?: string;
  /** The algorithm named by the server, canonically spelled; absent means MD5 (RFC 7616 §3.3), and is echoed as absent. */
  readonly algorithm?: DigestAlgorithm;
  /** `"auth"` when the server offers it; absent for an RFC 2069 server that sends no qop. */
  readonly qop?: "auth";
  /** Whether the previous nonce was refused only for being stale: retry with the new one, without asking the user (RFC 7616 §3.3). */
  readonly stale: boolean;
  /** Whether the server accepts hashed user names; netreply sends them unhashed, saying `userhash=false` (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
}

/**
 * The Digest parameters of `challenge`, or a TypeError saying why it cannot
 * be answered: not the Digest scheme; no `realm` or `nonce` (RFC 7616
 * §3.3); an algorithm other than {@linkcode DIGEST_ALGORITHMS}; a `qop`
 * list without `auth` (netreply does not do `auth-int`); or a `-sess`
 * algorithm without qop, whose cnonce could not be sent (RFC 7616 §3.4.2).
 *
 * Lenient as many clients are: the algorithm name and the `stale` and
 * `userhash` flags compare case-insensitively, and a missing qop means an
 * RFC 2069 server, answered without qop, nc and cnonce.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { parseDigestChallenge } from "./digest_auth.ts";
 * const challenge = parseDigestChallenge({
 *   scheme: "digest",
 *   params: { realm: "r", nonce: "n", qop: "auth, auth-int", algorithm: "sha-256", stale: "TRUE" },
 * });
 * equal(challenge.algorithm, "SHA-256");
 * equal(challenge.qop, "auth");
 * equal(challenge.stale, true);
 * try {
 *   parseDigestChallenge({ scheme: "Digest", params: { realm: "r", nonce: "n", algorithm: "SHA-512-256" } });
 * } catch (error) {
 *   equal((error as Error).message, 'Cannot answer Digest challenge for realm "r": algorithm "SHA-512-256" is not one of MD5, MD5-sess, SHA-256, SHA-256-sess');
 * }
 * ```
 */
export function parseDigestChallenge(challenge: AuthChallenge): DigestChallenge {
  const { params } = challenge;
  const realm = params.realm;
  const fail = (problem: string): never => {
    const space = realm === undefined ? "" : ` for realm ${JSON.stringify(realm)}`;
    throw new TypeError(`Cannot answer Digest challenge${space}: ${problem}`);
  };
  if (challenge.scheme.toLowerCase() !== "digest") fail(`the scheme is "${challenge.scheme}"`);
  if (realm === undefined) fail(`it has no "realm"`);
  const nonce = params.nonce ?? fail(`it has no "nonce"`);
  let algorithm: DigestAlgorithm | undefined;
  if (params.algorithm !== undefined) {
    const named = params.algorithm.toLowerCase();
    algorithm = DIGEST_ALGORITHMS.find((known) => known.toLowerCase() === named) ??
      fail(`algorithm "${params.algorithm}" is not one of ${DIGEST_ALGORITHMS.join(", ")}`);
  }
  let qop: "auth" | undefined;
  if (params.qop !== undefined) {
    const offered = params.qop.split(",").map((option) => option.trim().toLowerCase());
    if (!offered.includes("auth")) fail(`qop "${params.qop}" does not offer "auth"`);
    qop = "auth";
  } else if (algorithm?.endsWith("-sess")) {
    fail(`algorithm ${algorithm} needs qop to send a cnonce`);
  }
  return {
    realm: realm!,
    nonce,
    ...(params.opaque === undefined ? {} : { opaque: params.opaque }),
    ...(algorithm === undefined ? {} : { algorithm }),
    ...(qop === undefined ? {} : { qop }),
    stale: params.stale?.toLowerCase() === "true",
    userhash: params.userhash?.toLowerCase() === "true",
  };
}

/**
 * The nonce count (`nc`) for each nonce: 1 for the first request with a
 * nonce, then 2, 3… (RFC 7616 §3.4), so the server can tell a replay. Up to
 * `limit` nonces are remembered (the least recently used goes first); a
 * forgotten nonce starts again at 1, which at worst earns a fresh challenge.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { DigestNonceCounter } from "./digest_auth.ts";
 * const counter = new DigestNonceCounter();
 * equal(counter.next("a"), 1);
 * equal(counter.next("a"), 2);
 * equal(counter.next("b"), 1);
 * equal(counter.next("a"), 3);
 * ```
 */
export class DigestNonceCounter {
  readonly #counts = new Map<string, number>();
  readonly #limit: number;

  /** Creates a counter remembering up to `limit` nonces (a positive integer, 64 by default). */
  constructor(limit = 64) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(
        `Cannot create DigestNonceCounter: limit must be a positive integer, got ${limit}`,
      );
    }
    this.#limit = limit;
  }

  /**
   * The count for the next request with `nonce`. After 0xffffffff requests
   * (the most 8 hex digits hold) it stays there; the server will refuse it
   * and send a new nonce.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { DigestNonceCounter } from "./digest_auth.ts";
   * const counter = new DigestNonceCounter(1);
   * counter.next("a");
   * counter.next("b"); // "a" is forgotten
   * equal(counter.next("a"), 1);
   * ```
   */
  next(nonce: string): number {
    const count = Math.min((this.#counts.get(nonce) ?? 0) + 1, 0xffffffff);
    this.#counts.delete(nonce);
    this.#counts.set(nonce, count);
    if (this.#counts.size > this.#limit) this.#counts.delete(this.#counts.keys().next().value!);
    return count;
  }

  /**
   * Forgets every nonce.
   *
   * @example
   * ```ts
   * import { strictEqual as equal } from "node:assert/strict";
   * import { DigestNonceCounter } from "./digest_auth.ts";
   * const counter = new DigestNonceCounter();
   * counter.next("a");
   * counter.clear();
   * equal(counter.next("a"), 1);
   * ```
   */
  clear(): void {
    this.#counts.clear();
  }
}

/** What {@linkcode digestAuthorization} needs besides the challenge. */
export interface DigestAuthorizationInit {
  /** The challenge being answered. */
  readonly challenge: DigestChallenge;
  /** The user name, hashed as UTF-8. */
  readonly user: string;
  /** The password, hashed as UTF-8. */
  readonly password: string;
  /** The request method, e.g. `"GET"` (a token, RFC 9110 §9.1). */
  readonly method: string;
  /** The request-target as sent: `/dir/index.html?x=1`, or `host:port` for CONNECT (RFC 7616 §3.4). */
  readonly uri: string;
  /** The nonce count, 1 to 0xffffffff (from a {@linkcode DigestNonceCounter}); unused without qop. */
  readonly nc?: number;
  /** The client nonce; random when not given (RFC 7616 §3.4: it adds the client's randomness); unused without qop. */
  readonly cnonce?: string;
}

/**
 * The `Authorization` (or `Proxy-Authorization`) value answering a Digest
 * challenge (RFC 7616 §3.4): with qop=auth,
 * `response = H(H(A1):nonce:nc:cnonce:auth:H(A2))`; without qop (RFC 2069),
 * `H(H(A1):nonce:H(A2))`; where `A1 = user:realm:password` (for `-sess`
 * `H(user:realm:password):nonce:cnonce`) and `A2 = method:uri`. MD5 is
 * computed here; SHA-256 by WebCrypto, hence the promise.
 *
 * Parameters go in RFC 7616 §3.9.1's order. Quoted values escape `"` and
 * `\`. A user name that is not printable ASCII is sent as `username*`
 * (RFC 7616 §3.4.4, RFC 8187). TypeError for a method that is not a token,
 * or a uri, cnonce, realm, nonce or opaque with a control character (they
 * would break the header); RangeError for an nc outside 1…0xffffffff.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { digestAuthorization, parseDigestChallenge } from "./digest_auth.ts";
 * // RFC 7616 §3.9.1
 * const challenge = parseDigestChallenge({
 *   scheme: "Digest",
 *   params: {
 *     realm: "http-auth@example.org", qop: "auth, auth-int", algorithm: "MD5",
 *     nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
 *   },
 * });
 * const value = await digestAuthorization({
 *   challenge, user: "Mufasa", password: "Circle of Life", method: "GET", uri: "/dir/index.html",
 *   nc: 1, cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
 * });
 * equal(/response="([0-9a-f]+)"/.exec(value)?.[1], "8ca523f5e9506fed4657c9700eebdbec");
 * ```
 */
export async function digestAuthorization(init: DigestAuthorizationInit): Promise<string> {
  const { challenge, user, password, method, uri } = init;
  const algorithm = challenge.algorithm ?? "MD5";
  const hash = algorithm.startsWith("SHA-256") ? sha256Hex : md5Hex;
  if (!isHttpToken(method)) {
    throw new TypeError(`Cannot answer Digest challenge: method ${JSON.stringify(method)} is not a token`);
  }
  const fields: string[] = [
    usernameField(user),
    `realm=${quoted("realm", challenge.realm)}`,
    `uri=${quoted("uri", uri)}`,
  ];
  if (challenge.algorithm !== undefined) fields.push(`algorithm=${challenge.algorithm}`);
  fields.push(`nonce=${quoted("nonce", challenge.nonce)}`);
  let secret = await hash(`${user}:${challenge.realm}:${password}`);
  const hashedA2 = await hash(`${method}:${uri}`);
  let response: string;
  if (challenge.qop === undefined) {
    response = await hash(`${secret}:${challenge.nonce}:${hashedA2}`);
  } else {
    const nc = nonceCountText(init.nc ?? 1);
    const cnonce = init.cnonce ?? randomCnonce();
    fields.push(`nc=${nc}`, `cnonce=${quoted("cnonce", cnonce)}`, `qop=${challenge.qop}`);
    if (algorithm.endsWith("-sess")) secret = await hash(`${secret}:${challenge.nonce}:${cnonce}`);
    response = await hash(`${secret}:${challenge.nonce}:${nc}:${cnonce}:${challenge.qop}:${hashedA2}`);
  }
  fields.push(`response="${response}"`);
  if (challenge.opaque !== undefined) fields.push(`opaque=${quoted("opaque", challenge.opaque)}`);
  if (challenge.userhash) fields.push("userhash=false");
  return `Digest ${fields.join(", ")}`;
}

/** `username="…"`, or `username*=UTF-8''…` (RFC 8187 §3.2) for a name a quoted-string cannot carry as UTF-8. */
function usernameField(user: string): string {
  if (/^[\x20-\x7e]*$/.test(user)) return `username=${quoted("user", user)}`;
  // encodeURIComponent leaves ' ( ) * as they are, which are not attr-chars; a lone surrogate becomes U+FFFD, as in the hash.
  const encoded = encodeURIComponent(user.toWellFormed()).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `username*=UTF-8''${encoded}`;
}

/** `text` as a quoted-string (RFC 9110 §5.6.4); a TypeError naming `what` for a control character. */
function quoted(what: string, text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      const shown = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
      throw new TypeError(`Cannot answer Digest challenge: ${what} contains control character ${shown}`);
    }
  }
  return `"${text.replace(/["\\]/g, "\\$&")}"`;
}

/** `nc-value = 8LHEX` (RFC 7616 §3.4). */
function nonceCountText(nc: number): string {
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff) {
    throw new RangeError(
      `Cannot answer Digest challenge: nc must be an integer from 1 to 0xffffffff, got ${nc}`,
    );
  }
  return nc.toString(16).padStart(8, "0");
}

/** 16 random bytes as hex. */
function randomCnonce(): string {
  return hex(crypto.getRandomValues(new Uint8Array(16)));
}

function md5Hex(text: string): Promise<string> {
  return Promise.resolve(hex(md5(new TextEncoder().encode(text))));
}

async function sha256Hex(text: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

function hex(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += byte.toString(16).padStart(2, "0");
  return text;
}
