/**
 * {@linkcode NetworkReplyError}: what `reply.bytes()`, `text()`, `json()` and
 * `reply.body` reject with when the reply failed.
 *
 * @module
 */

import { Attribute } from "./core/attribute.ts";
import { type NetworkError, networkErrorName } from "./core/network_error.ts";
import { standardVerb } from "./core/operation.ts";
import type { NetworkReply } from "./reply.ts";

/**
 * What a {@linkcode NetworkReplyError} carries besides its reply.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkReplyError } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/teapot" }).reply(418, "short and stout");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * try {
 *   await nam.get("https://api.test/teapot").text();
 * } catch (error) {
 *   if (!(error instanceof NetworkReplyError)) throw error;
 *   equal(new TextDecoder().decode(error.body), "short and stout"); // what the reader consumed
 * }
 * ```
 */
export interface NetworkReplyErrorInit {
  /** What the rejected reader had consumed (an HTTP error's body included); default empty. */
  readonly body?: Uint8Array;
  /** The runtime's own error behind the failure, where there is one. */
  readonly cause?: unknown;
}

/** The method of the reply's last hop: the standard one of its operation, else the custom verb. */
function methodOf(reply: NetworkReply): string {
  const verb = reply.request().attribute(Attribute.CustomVerbAttribute);
  return standardVerb(reply.operation()) ?? (typeof verb === "string" ? verb : "request");
}

/**
 * A failed reply as an `Error`: {@linkcode NetworkReplyError.code} is
 * `reply.error()`, the message names the method, the URL, the code and
 * `reply.errorString()` (which stays Qt's), e.g.
 * `GET http://api.test/x failed with ContentNotFoundError: Error transferring http://api.test/x - server replied: Not Found`.
 * {@linkcode NetworkReplyError.body} keeps what the rejected reader had
 * read, so an HTTP error's body stays readable after `text()` rejects.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError, NetworkReplyError } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 *
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://api.test/tea" }).reply(418, "short and stout");
 * await using nam = new NetworkAccessManager({ transport: mock });
 * const error = await nam.get("http://api.test/tea").text().catch((error) => error);
 * assert.ok(error instanceof NetworkReplyError);
 * assert.equal(error.code, NetworkError.ProtocolInvalidOperationError);
 * assert.equal(new TextDecoder().decode(error.body), "short and stout");
 * assert.equal(error.reply.status, 418);
 * assert.match(error.message, /^GET http:\/\/api\.test\/tea failed with ProtocolInvalidOperationError: /);
 * ```
 */
export class NetworkReplyError extends Error {
  /** The reply's error code. */
  readonly code: NetworkError;
  /** The reply that failed. */
  readonly reply: NetworkReply;
  /**
   * What the rejected reader had consumed: the whole body received for
   * `bytes()`, `text()` and `json()` (an HTTP error's body included); empty
   * for `reply.body` and `for await`, which handed their chunks out already.
   */
  readonly body: Uint8Array;

  /** Creates the error for a finished, failed reply. */
  constructor(reply: NetworkReply, init: NetworkReplyErrorInit = {}) {
    const code = reply.error();
    super(
      `${methodOf(reply)} ${reply.url().href} failed with ${networkErrorName(code)}: ${reply.errorString()}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = "NetworkReplyError";
    this.code = code;
    this.reply = reply;
    this.body = init.body ?? new Uint8Array(0);
  }
}
