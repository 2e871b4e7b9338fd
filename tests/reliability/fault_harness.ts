/**
 * Runs one request against a misbehaving loopback server on one transport
 * and checks what every fault must end in: exactly one `finished` (of the
 * reply and of the manager), at most one `errorOccurred` and no event after
 * `finished`, within a per-case deadline. The caller compares the code.
 *
 * @example
 * ```ts
 * import { NetworkError } from "../../mod.ts";
 * import { startRawHttpServer } from "../support/raw_http_server.ts";
 * import { runFaultCase } from "./fault_harness.ts";
 * await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
 * const outcome = await runFaultCase("socket", server.url);
 * console.assert(outcome.code === NetworkError.NoError);
 * ```
 *
 * @module
 */

import assert from "node:assert/strict";
import { NetworkAccessManager, type NetworkError, networkErrorName, NetworkRequest } from "../../mod.ts";
import { describe, recordTrace, type TraceEntry } from "../conformance/trace.ts";
import { countEvents } from "../support/reply_checks.ts";

/** The transports every fault runs on. */
export const TRANSPORTS = ["fetch", "socket"] as const;
/** One of {@linkcode TRANSPORTS}. */
export type TransportName = typeof TRANSPORTS[number];

/** A case that has not finished by then is a hang, and fails. */
export const CASE_DEADLINE_MS = 10_000;

/** Options of one fault case. */
export interface FaultCaseOptions {
  readonly method?: "GET" | "HEAD";
  /** The request's transferTimeout (ms); 0 = off. */
  readonly transferTimeout?: number;
  /** Extra request header fields. */
  readonly headers?: Record<string, string>;
}

/** How a fault case ended. */
export interface FaultOutcome {
  readonly code: NetworkError;
  readonly errorString: string;
  /** The body bytes the reply delivered. */
  readonly bodyLength: number;
  readonly trace: readonly TraceEntry[];
}

/**
 * Sends one request to `url` with a fresh manager on `transport`, waits for
 * the reply (at most {@linkcode CASE_DEADLINE_MS}) and asserts the shape
 * every fault shares; closes the manager before returning.
 */
export async function runFaultCase(
  transport: TransportName,
  url: URL,
  options: FaultCaseOptions = {},
): Promise<FaultOutcome> {
  await using nam = new NetworkAccessManager({ transport, proxy: null });
  const request = new NetworkRequest(url, {
    transferTimeout: options.transferTimeout ?? 0,
    headers: options.headers ?? {},
  });
  const reply = options.method === "HEAD" ? nam.head(request) : nam.get(request);
  const trace = recordTrace(reply, nam);
  let bodyLength = 0;
  reply.addEventListener("readyRead", () => bodyLength += reply.readAll().length);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) => timer = setTimeout(() => resolve("hung"), CASE_DEADLINE_MS));
  const ended = await Promise.race([reply.done, hung]);
  clearTimeout(timer);
  if (ended === "hung") {
    reply.abort();
    assert.fail(`${transport}: no finished after ${CASE_DEADLINE_MS} ms: ${describe(trace)}`);
  }
  bodyLength += reply.readAll().length;
  // Anything dispatched after finished would land here, after a turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const code = reply.error();
  const at = `${transport}, ${networkErrorName(code)} "${reply.errorString()}": ${describe(trace)}`;
  assert.equal(countEvents(trace, "finished"), 1, at);
  assert.equal(countEvents(trace, "nam:finished"), 1, at);
  assert.equal(countEvents(trace, "errorOccurred"), code === 0 ? 0 : 1, at);
  assert.equal(trace.at(-1)?.type, "finished", at);
  return { code, errorString: reply.errorString(), bodyLength, trace };
}
