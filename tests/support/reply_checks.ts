/**
 * Checks on a reply's recorded events (tests/conformance/trace.ts) that the
 * Qt ports share: how often an event came, and the whole error path of a
 * failed reply (code, message, one errorOccurred, one finished of each kind).
 *
 * @example
 * ```ts
 * import { NetworkAccessManager, NetworkError } from "../../mod.ts";
 * import { recordTrace } from "../conformance/trace.ts";
 * import { assertFailed } from "./reply_checks.ts";
 * await using nam = new NetworkAccessManager({ transport: "socket", proxy: null });
 * const reply = nam.get("http://127.0.0.1:1/");
 * const trace = recordTrace(reply, nam);
 * await reply.done;
 * assertFailed(reply, trace, NetworkError.ConnectionRefusedError, reply.errorString());
 * ```
 *
 * @module
 */

import assert from "node:assert/strict";
import type { NetworkError, NetworkReply } from "../../mod.ts";
import { describe, type TraceEntry } from "../conformance/trace.ts";

/** How many events of `type` the trace holds (`nam:finished` for the manager's). */
export function countEvents(trace: readonly TraceEntry[], type: string): number {
  return trace.filter((entry) => entry.type === type).length;
}

/**
 * Asserts the error path of a finished reply: the code, the message, one
 * errorOccurred, one finished and one manager finished.
 */
export function assertFailed(
  reply: NetworkReply,
  trace: readonly TraceEntry[],
  code: NetworkError,
  message: string,
): void {
  assert.equal(reply.error(), code, `error ${reply.error()}: ${reply.errorString()}`);
  assert.equal(reply.errorString(), message);
  assert.equal(countEvents(trace, "errorOccurred"), 1, describe(trace));
  assert.equal(countEvents(trace, "finished"), 1, describe(trace));
  assert.equal(countEvents(trace, "nam:finished"), 1, describe(trace));
  assert.ok(reply.isFinished());
}
