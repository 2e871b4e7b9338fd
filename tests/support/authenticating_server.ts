/**
 * A protected resource for authentication tests: answers 401 with a Basic or
 * Digest challenge (RFC 7617, RFC 7616) until a request carries the right
 * credentials, and checks a Digest answer by recomputing its `response`
 * with src/core/digest_auth.ts (and that `nc` grows per nonce). Transport-free:
 * {@linkcode AuthenticatingServer.answer} is called from a MockTransport
 * callback or a loopback server's handler ({@linkcode serveAuthenticating}).
 *
 * @example
 * ```ts
 * import { AuthenticatingServer } from "./authenticating_server.ts";
 * const server = new AuthenticatingServer({ scheme: "Basic", realm: "r", user: "ann", password: "pw" });
 * const answer = await server.answer("GET", new URL("http://h.test/"), "Basic YW5uOnB3");
 * console.log(answer.status, server.log); // 200 ["Basic ann"]
 * ```
 *
 * @module
 */

import { parseAuthChallenges } from "../../src/core/auth_challenge.ts";
import { basicAuthorization } from "../../src/core/basic_auth.ts";
import {
  type DigestAlgorithm,
  digestAuthorization,
  parseDigestChallenge,
} from "../../src/core/digest_auth.ts";
import { serveHttp, type TestServer } from "./servers.ts";

/** The protection space and the one account it accepts. */
export interface ProtectionSpace {
  readonly scheme: "Basic" | "Digest" | "Bearer";
  readonly realm: string;
  readonly user: string;
  readonly password: string;
  /** Digest only; absent: no `algorithm` parameter (MD5). */
  readonly algorithm?: DigestAlgorithm;
}

/** A response as the server gives it. */
export interface AuthAnswer {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: string;
}

/** The body of every 401. */
export const UNAUTHORIZED_BODY = "please log in";

/** The protected resource; see the module documentation. */
export class AuthenticatingServer {
  /**
   * One entry per request: `none` (no Authorization), `Basic <user>` or
   * `Digest <user> nc=<nc>` (accepted), `stale` (a Digest answer with an old
   * nonce), `refused` (anything else).
   */
  readonly log: string[] = [];
  readonly #space: ProtectionSpace;
  #nonce = 1;
  readonly #counts = new Map<string, number>();

  /** Serves `space`. */
  constructor(space: ProtectionSpace) {
    this.#space = space;
  }

  /** Issues a new nonce: answers with the old one get a `stale=true` challenge. */
  renewNonce(): void {
    this.#nonce++;
  }

  /** Answers one request; `body` is echoed on success after the user name. */
  async answer(method: string, url: URL, authorization: string | undefined, body = ""): Promise<AuthAnswer> {
    const verdict = authorization === undefined ? "none" : await this.#check(method, url, authorization);
    this.log.push(verdict);
    if (verdict !== "none" && verdict !== "stale" && verdict !== "refused") {
      return {
        status: 200,
        headers: [["content-type", "text/plain"]],
        body: `hello ${this.#space.user}${body}`,
      };
    }
    return {
      status: 401,
      headers: [["www-authenticate", this.#challenge(verdict === "stale")], ["content-type", "text/plain"]],
      body: UNAUTHORIZED_BODY,
    };
  }

  #challenge(stale: boolean): string {
    const { scheme, realm, algorithm } = this.#space;
    if (scheme !== "Digest") return `${scheme} realm="${realm}"`;
    const fields = [`realm="${realm}"`, `qop="auth"`, `nonce="nonce-${this.#nonce}"`, `opaque="op"`];
    if (algorithm !== undefined) fields.push(`algorithm=${algorithm}`);
    if (stale) fields.push("stale=true");
    return `Digest ${fields.join(", ")}`;
  }

  async #check(method: string, url: URL, authorization: string): Promise<string> {
    const { scheme, realm, user, password, algorithm } = this.#space;
    if (scheme === "Basic") {
      return authorization === basicAuthorization(user, password) ? `Basic ${user}` : "refused";
    }
    const [answer] = parseAuthChallenges(authorization);
    const params = answer?.params ?? {};
    if (answer?.scheme !== "Digest" || params.username !== user || params.realm !== realm) return "refused";
    if (params.uri !== `${url.pathname}${url.search}` || params.opaque !== "op") return "refused";
    const nc = Number.parseInt(params.nc ?? "", 16);
    if (!(nc > (this.#counts.get(params.nonce) ?? 0))) return "refused"; // a replayed nc
    const challenge = parseDigestChallenge({
      scheme: "Digest",
      params: { realm, nonce: params.nonce ?? "", qop: "auth", ...(algorithm ? { algorithm } : {}) },
    });
    const expected = await digestAuthorization({
      challenge,
      user,
      password,
      method,
      uri: params.uri,
      nc,
      cnonce: params.cnonce,
    });
    if (/response="([0-9a-f]+)"/.exec(expected)?.[1] !== params.response) return "refused";
    this.#counts.set(params.nonce, nc);
    if (params.nonce !== `nonce-${this.#nonce}`) return "stale";
    return `Digest ${user} nc=${params.nc}`;
  }
}

/**
 * A loopback HTTP server in front of `server` (the request body is read to
 * its end before answering, and echoed on success).
 *
 * @example
 * ```ts
 * import { AuthenticatingServer, serveAuthenticating } from "./authenticating_server.ts";
 * const server = new AuthenticatingServer({ scheme: "Basic", realm: "r", user: "ann", password: "pw" });
 * await using http = serveAuthenticating(server);
 * console.log((await fetch(http.url).then(async (r) => [r.status, await r.text()]))); // [401, "please log in"]
 * ```
 */
export function serveAuthenticating(server: AuthenticatingServer): TestServer {
  return serveHttp(async (request) => {
    const body = await request.text();
    const answer = await server.answer(
      request.method,
      new URL(request.url),
      request.headers.get("authorization") ?? undefined,
      body,
    );
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
}
