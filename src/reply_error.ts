/**
 * {@linkcode NetworkReplyError}: what `reply.bytes()`, `text()`, `json()` and
 * `reply.body` reject with when the reply failed.
 *
 * @module
 */

import type { NetworkError } from "./core/network_error.ts";
import type { NetworkReply } from "./reply.ts";

/**
 * A failed reply as an `Error`: {@linkcode NetworkReplyError.code} is
 * `reply.error()` and the message is `reply.errorString()`.
 *
 * @example
 * ```ts
 * import { NetworkAccessManager, NetworkError, NetworkReplyError } from "@netreply/netreply";
 * await using nam = new NetworkAccessManager();
 * try {
 *   await nam.get("ftp://example.test/").text();
 * } catch (error) {
 *   if (error instanceof NetworkReplyError) {
 *     console.log(error.code === NetworkError.ProtocolUnknownError); // true
 *   }
 * }
 * ```
 */
export class NetworkReplyError extends Error {
  /** The reply's error code. */
  readonly code: NetworkError;
  /** The reply that failed. */
  readonly reply: NetworkReply;

  /** Creates the error for a finished, failed reply. */
  constructor(reply: NetworkReply) {
    super(reply.errorString());
    this.name = "NetworkReplyError";
    this.code = reply.error();
    this.reply = reply;
  }
}
