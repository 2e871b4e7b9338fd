/**
 * Running one conformance row (scenarios.ts) on a manager and checking the
 * reply against the row's expectations; shared by the hermetic harnesses and
 * the interop run against httpbin and nginx.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Attribute, type NetworkAccessManager, type NetworkReply, NetworkRequest } from "../../mod.ts";
import type { Scenario } from "./scenarios.ts";
import { describe, matchesSequence, recordTrace, type TraceEntry } from "./trace.ts";

/** A finished row: the reply and every event it dispatched, in order. */
export interface ScenarioOutcome {
  readonly reply: NetworkReply;
  readonly trace: readonly TraceEntry[];
}

/** What a row expects once the reply has finished. */
export type ScenarioExpectation = Scenario["expect"];

function send(nam: NetworkAccessManager, scenario: Scenario, request: NetworkRequest): NetworkReply {
  switch (scenario.method ?? "GET") {
    case "GET":
      return nam.get(request);
    case "HEAD":
      return nam.head(request);
    case "DELETE":
      return nam.deleteResource(request);
    case "POST":
      return nam.post(request, scenario.body);
    case "PUT":
      return nam.put(request, scenario.body);
  }
  throw new Error(`Cannot send scenario "${scenario.name}": unknown method ${scenario.method}`);
}

// Listeners go on before the first event can fire: none fires inside get() and friends.
function act(reply: NetworkReply, scenario: Scenario): void {
  switch (scenario.act) {
    case "abortOnFirstReadyRead":
      reply.addEventListener("readyRead", () => reply.abort(), { once: true });
      break;
    case "closeOnMetaDataChanged":
      reply.addEventListener("metaDataChanged", () => reply.close(), { once: true });
      break;
    case "allowRedirect":
      reply.addEventListener("redirected", () => reply.redirectAllowed());
      break;
    case "abortOnRedirected":
      reply.addEventListener("redirected", () => reply.abort());
      break;
  }
}

/**
 * Sends the row's request for `url` with the row's policies on `nam`, does
 * what the row's `act` says and waits for the end. Checks that no event is
 * dispatched inside the call that created the reply, and that `abort()` right
 * away finishes it synchronously.
 */
export async function runScenario(
  nam: NetworkAccessManager,
  scenario: Scenario,
  url: URL,
): Promise<ScenarioOutcome> {
  const request = new NetworkRequest(url, {
    redirectPolicy: scenario.redirectPolicy,
    maximumRedirectsAllowed: scenario.maximumRedirectsAllowed,
    transferTimeout: scenario.transferTimeout,
  });
  const reply = send(nam, scenario, request);
  const trace = recordTrace(reply, nam);
  assert.equal(trace.length, 0, "An event was dispatched inside the call that created the reply");
  act(reply, scenario);
  if (scenario.act === "abortRightAway") {
    reply.abort();
    assert.ok(reply.isFinished(), "abort() did not finish the reply synchronously");
  }
  await reply.done;
  return { reply, trace };
}

/**
 * Checks a finished row against `expected`: the event sequence, the error,
 * one `finished` and at most one `errorOccurred`, the body, the final path,
 * the status, the upload progress and a final downloadProgress of (n, n).
 * Returns the body as text.
 */
export function assertScenarioOutcome(
  { reply, trace }: ScenarioOutcome,
  expected: ScenarioExpectation,
): string {
  assert.ok(
    matchesSequence(trace, expected.sequence),
    `events: ${describe(trace)}\nexpected: ${expected.sequence}`,
  );
  assert.equal(reply.error(), expected.error, `error ${reply.error()}: ${reply.errorString()}`);
  assert.equal(trace.filter((e) => e.type === "finished").length, 1);
  assert.ok(trace.filter((e) => e.type === "errorOccurred").length <= 1);
  const body = new TextDecoder().decode(reply.readAll());
  if (expected.body !== undefined) assert.equal(body, expected.body);
  if (expected.path !== undefined) assert.equal(reply.url().pathname, expected.path);
  if (expected.status !== undefined) {
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), expected.status);
  }
  if (expected.uploads !== undefined) {
    assert.deepEqual(
      trace.filter((e) => e.type === "uploadProgress").map((e) => e.detail),
      expected.uploads,
    );
  }
  const last = trace.filter((e) => e.type === "downloadProgress").at(-1);
  assert.ok(
    last && last.detail.split(",")[0] === last.detail.split(",")[1],
    "final downloadProgress is not (n, n)",
  );
  return body;
}
