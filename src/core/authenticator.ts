/**
 * {@linkcode Authenticator}: credentials asked for by a server or proxy
 * (Qt's QAuthenticator). Filled by `authenticationRequired` listeners.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { Authenticator } from "@netreply/netreply";
 * const auth = new Authenticator({ realm: "api", scheme: "Basic" });
 * equal(auth.isNull(), true);
 * auth.user = "me";
 * equal(auth.isNull(), false);
 * ```
 *
 * @module
 */

/**
 * Credentials for one realm; empty user and password mean "give up".
 *
 * @example Answer a Basic challenge
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/me" }).reply((call) =>
 *   call.headers.value("authorization") === "Basic YW5uOnB3"
 *     ? { status: 200, body: "hello ann" }
 *     : { status: 401, headers: { "www-authenticate": 'Basic realm="api"' } }
 * ).persist();
 * await using nam = new NetworkAccessManager({ transport: mock });
 * nam.addEventListener("authenticationRequired", ({ authenticator }) => {
 *   equal(authenticator.realm, "api");
 *   equal(authenticator.isNull(), true);
 *   authenticator.user = "ann";
 *   authenticator.password = "pw";
 * });
 * equal(await nam.get("https://api.test/me").text(), "hello ann");
 * ```
 */
export class Authenticator {
  /** The user name to send. */
  user = "";
  /** The password to send. */
  password = "";
  /** The realm of the challenge. */
  readonly realm: string;
  /** The scheme of the challenge, e.g. `"Basic"`. */
  readonly scheme: string;
  /** The challenge's other parameters. */
  readonly options: Record<string, string>;

  /** Creates an empty authenticator for a challenge. */
  constructor(init: { realm?: string; scheme?: string; options?: Record<string, string> } = {}) {
    this.realm = init.realm ?? "";
    this.scheme = init.scheme ?? "";
    this.options = { ...init.options };
  }

  /** Whether nothing was filled in. */
  isNull(): boolean {
    return this.user === "" && this.password === "";
  }
}
