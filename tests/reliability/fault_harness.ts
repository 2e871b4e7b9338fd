/**
 * Runs one request against a misbehaving loopback server on one transport
 * and checks what every fault must end in: exactly one `finished` (of the
 * reply and of the manager), at most one `errorOccurred` and nothing after
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
import {
  NetworkAccessManager,
  NetworkError,
  networkErrorName,
  type NetworkReply,
  NetworkRequest,
} from "../../mod.ts";
import { describe, recordTrace, type TraceEntry } from "../conformance/trace.ts";
import { countEvents } from "../support/reply_checks.ts";

/** The transports every fault runs on. */
export const TRANSPORTS = ["fetch", "socket"] as const;
/** One of {@linkcode TRANSPORTS}. */
export type TransportName = typeof TRANSPORTS[number];

/** A case that has not finished by then is a hang. */
export const CASE_DEADLINE_MS = 10_000;
/** How long a reply expected to hang is watched before it is aborted. */
export const HANG_WATCH_MS = 1_500;

const decoder = new TextDecoder();

/** Options of one fault case. */
export interface FaultCaseOptions {
  readonly method?: "GET" | "HEAD";
  /** The request's transferTimeout (ms); 0 = off. */
  readonly transferTimeout?: number;
  /** The request's decompressedSafetyCheckThreshold (bytes). */
  readonly decompressedSafetyCheckThreshold?: number;
  /**
   * After the reply, GET `again` on the same manager (the connection may be
   * reused) and return its body: nothing the server sent after the first
   * answer may show up in it.
   */
  readonly followUp?: boolean;
  /**
   * The reply is expected not to end by itself: watch it for
   * {@linkcode HANG_WATCH_MS}, then abort it (OperationCanceledError).
   */
  readonly expectHang?: boolean;
}

/** How a fault case ended. */
export interface FaultOutcome {
  readonly code: NetworkError;
  readonly errorString: string;
  /** The body the reply delivered, as UTF-8. */
  readonly body: string;
  /** The follow-up reply's body (with `followUp`). */
  readonly followUpBody?: string;
  /** Whether the reply was still running when the hang watch ended (with `expectHang`). */
  readonly hung: boolean;
  readonly trace: readonly TraceEntry[];
}

/** Resolves with `reply` once it finished, or with "late" after `ms`. */
async function finishedWithin(reply: NetworkReply, ms: number): Promise<"finished" | "late"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), ms));
  const ended = await Promise.race([reply.done.then(() => "finished" as const), late]);
  clearTimeout(timer);
  return ended;
}

/** Reads a reply to its end, within the deadline; fails the test on a hang. */
async function finishReply(
  reply: NetworkReply,
  transport: TransportName,
  expectHang: boolean,
): Promise<boolean> {
  if (expectHang && await finishedWithin(reply, HANG_WATCH_MS) === "late") {
    reply.abort();
    return true;
  }
  if (await finishedWithin(reply, CASE_DEADLINE_MS) === "late") {
    reply.abort();
    assert.fail(`${transport}: no finished after ${CASE_DEADLINE_MS} ms`);
  }
  return false;
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
    decompressedSafetyCheckThreshold: options.decompressedSafetyCheckThreshold,
  });
  const reply = options.method === "HEAD" ? nam.head(request) : nam.get(request);
  const trace = recordTrace(reply, nam);
  const chunks: Uint8Array[] = [];
  reply.addEventListener("readyRead", () => chunks.push(reply.readAll()));
  let after = 0;
  reply.addEventListener("finished", () => {
    // Counts every event dispatched after finished (none may be).
    for (
      const type of ["readyRead", "errorOccurred", "downloadProgress", "readChannelFinished", "finished"]
    ) {
      reply.addEventListener(type as "finished", () => after++);
    }
  });
  const hung = await finishReply(reply, transport, options.expectHang ?? false);
  chunks.push(reply.readAll());
  // Anything dispatched after finished would come within a turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const code = reply.error();
  const at = `${transport}, ${networkErrorName(code)} "${reply.errorString()}": ${describe(trace)}`;
  assert.equal(countEvents(trace, "finished"), 1, at);
  assert.equal(countEvents(trace, "nam:finished"), 1, at);
  assert.equal(countEvents(trace, "errorOccurred"), code === NetworkError.NoError ? 0 : 1, at);
  assert.equal(after, 0, `events after finished: ${at}`);
  if (code !== NetworkError.NoError && !hung) {
    // A clear error: Qt's generic text would say nothing about what went wrong.
    assert.notEqual(reply.errorString(), "Unknown error", at);
    assert.notEqual(reply.errorString(), "", at);
  }
  const body = decoder.decode(
    new Uint8Array(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer()),
  );
  let followUpBody: string | undefined;
  if (options.followUp) {
    const again = nam.get(new URL("again", url));
    await finishReply(again, transport, false);
    assert.equal(again.error(), NetworkError.NoError, `follow-up: ${again.errorString()}`);
    followUpBody = decoder.decode(again.readAll());
  }
  return { code, errorString: reply.errorString(), body, followUpBody, hung, trace };
}
