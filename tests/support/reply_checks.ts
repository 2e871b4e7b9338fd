/**
 * Checks on a reply's recorded events (tests/conformance/trace.ts) that the
 * Qt ports share: how often an event came, the upload reports, and the whole
 * error path of a failed reply (code, message, one errorOccurred, one
 * finished of each kind), after a GET or any request.
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
import type { NetworkAccessManager, NetworkError, NetworkReply, NetworkRequest } from "../../mod.ts";
import { describe, recordTrace, type TraceEntry } from "../conformance/trace.ts";

/** How many events of `type` the trace holds (`nam:finished` for the manager's). */
export function countEvents(trace: readonly TraceEntry[], type: string): number {
  return trace.filter((entry) => entry.type === type).length;
}

/** The uploadProgress reports of a trace as [sent, total] pairs. */
export function uploadReports(trace: readonly TraceEntry[]): [number, number][] {
  return trace.filter((entry) => entry.type === "uploadProgress").map((entry) => {
    const [sent, total] = entry.detail.split(",").map(Number);
    return [sent, total];
  });
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

/** Gets `request` on `nam`, waits for the reply and asserts its error path ({@linkcode assertFailed}). */
export async function assertGetFails(
  nam: NetworkAccessManager,
  request: NetworkRequest | URL | string,
  code: NetworkError,
  message: string,
): Promise<{ reply: NetworkReply; trace: TraceEntry[] }> {
  const reply = nam.get(request);
  const trace = recordTrace(reply, nam);
  await reply.done;
  assertFailed(reply, trace, code, message);
  return { reply, trace };
}
