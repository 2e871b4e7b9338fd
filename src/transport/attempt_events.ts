/**
 * {@linkcode AttemptEvents}: keeps the events of an exchange that is sent
 * more than once (a re-send after a kept-alive connection closed) inside the
 * Transport contract's order, `connecting`* `ask`* `encrypted`?
 * `uploadProgress`* `requestSent` `responseHead` ...: what a later attempt
 * repeats is left out, what is new goes through.
 *
 * A re-send after `requestSent` therefore shows nothing until its response
 * head (no second `connecting`, `encrypted` or `requestSent`), and upload
 * progress never goes backwards: a re-sent body reports only bytes beyond
 * what the failed attempt reported (or the same count with a new total, as a
 * stream body's last report does).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { AttemptEvents } from "@netreply/netreply/transport";
 * const events = new AttemptEvents();
 * equal(events.admit({ type: "connecting" }), true);
 * equal(events.admit({ type: "requestSent" }), true);
 * // the connection closed before an answer; the re-send on a new connection:
 * equal(events.admit({ type: "connecting" }), false);
 * equal(events.admit({ type: "requestSent" }), false);
 * ```
 *
 * @module
 */

import type { ExchangeEvent } from "./transport.ts";

const CONNECTING = 0;
const UPLOADING = 1;
const REQUEST_SENT = 2;

/**
 * What the consumer of one exchange has seen so far, over every attempt.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { AttemptEvents } from "@netreply/netreply/transport";
 * // A retried attempt: its connection events are not shown again.
 * const seen = new AttemptEvents();
 * equal(seen.admit({ type: "connecting" }), true);
 * equal(seen.admit({ type: "requestSent" }), true);
 * equal(seen.admit({ type: "connecting" }), false);
 * equal(seen.admit({ type: "requestSent" }), false);
 * ```
 */
export class AttemptEvents {
  #stage = CONNECTING;
  #encrypted = false;
  #bytesSent = -1;
  #bytesTotal = -1;

  /** Whether a TLS question may still be put to the user (not after `encrypted` or `requestSent`). */
  get mayAskSslErrors(): boolean {
    return !this.#encrypted && this.#stage < REQUEST_SENT;
  }

  /** Whether `event` may be passed on now; records it when it may. */
  admit(event: ExchangeEvent): boolean {
    switch (event.type) {
      case "connecting":
        return this.#stage === CONNECTING && !this.#encrypted;
      case "encrypted":
        if (this.#encrypted || this.#stage !== CONNECTING) return false;
        this.#encrypted = true;
        return true;
      case "uploadProgress": {
        // A stream's last report repeats its running count with the total now known: (n, -1), (n, n).
        const repeated = event.bytesSent < this.#bytesSent ||
          (event.bytesSent === this.#bytesSent && event.bytesTotal === this.#bytesTotal);
        if (this.#stage > UPLOADING || repeated) return false;
        this.#stage = UPLOADING;
        this.#bytesSent = event.bytesSent;
        this.#bytesTotal = event.bytesTotal;
        return true;
      }
      case "requestSent":
        if (this.#stage >= REQUEST_SENT) return false;
        this.#stage = REQUEST_SENT;
        return true;
      default:
        return true;
    }
  }
}
