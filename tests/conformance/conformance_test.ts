/**
 * The conformance table (scenarios.ts) run on every transport harness:
 * the reply must show Qt's event sequence, error, body and status.
 */

import assert from "node:assert/strict";
import { Attribute, type NetworkReply, NetworkRequest } from "../../mod.ts";
import type { Harness } from "./harness.ts";
import { mockHarness } from "./mock_harness.ts";
import { fetchHarness } from "./fetch_harness.ts";
import type { Scenario } from "./scenarios.ts";
import { SCENARIOS } from "./scenarios.ts";
import { describe, matchesSequence, recordTrace } from "./trace.ts";

const HARNESSES: readonly Harness[] = [mockHarness, fetchHarness];

function send(
  run: { nam: import("../../mod.ts").NetworkAccessManager },
  scenario: Scenario,
  request: NetworkRequest,
) {
  switch (scenario.method ?? "GET") {
    case "GET":
      return run.nam.get(request);
    case "HEAD":
      return run.nam.head(request);
    case "DELETE":
      return run.nam.deleteResource(request);
    case "POST":
      return run.nam.post(request, scenario.body);
    case "PUT":
      return run.nam.put(request, scenario.body);
  }
  throw new Error(`unknown method ${scenario.method}`);
}

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

for (const harness of HARNESSES) {
  for (const scenario of SCENARIOS) {
    Deno.test(`conformance [${harness.name}] ${scenario.name}`, async () => {
      const run = await harness.start(scenario);
      try {
        const request = new NetworkRequest(new URL(scenario.path ?? "/", run.base), {
          redirectPolicy: scenario.redirectPolicy,
          maximumRedirectsAllowed: scenario.maximumRedirectsAllowed,
          transferTimeout: scenario.transferTimeout,
        });
        const reply = send(run, scenario, request);
        const trace = recordTrace(reply, run.nam);
        assert.equal(trace.length, 0, "no event inside the call that created the reply");
        act(reply, scenario);
        if (scenario.act === "abortRightAway") {
          reply.abort();
          assert.ok(reply.isFinished(), "abort() finishes synchronously");
        }
        await reply.done;
        const expected = scenario.expect;
        assert.ok(
          matchesSequence(trace, expected.sequence),
          `events: ${describe(trace)}\nexpected: ${expected.sequence}`,
        );
        assert.equal(reply.error(), expected.error, `error ${reply.error()}: ${reply.errorString()}`);
        assert.equal(trace.filter((e) => e.type === "finished").length, 1);
        assert.ok(trace.filter((e) => e.type === "errorOccurred").length <= 1);
        if (expected.body !== undefined) {
          assert.equal(new TextDecoder().decode(reply.readAll()), expected.body);
        }
        if (expected.path !== undefined) assert.equal(reply.url().pathname, expected.path);
        if (expected.status !== undefined) {
          assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), expected.status);
        }
        if (expected.methods !== undefined) assert.deepEqual(run.methods(), expected.methods);
        if (expected.uploads !== undefined) {
          assert.deepEqual(
            trace.filter((e) => e.type === "uploadProgress").map((e) => e.detail),
            expected.uploads,
          );
        }
        const last = trace.filter((e) => e.type === "downloadProgress").at(-1);
        assert.ok(
          last && last.detail.split(",")[0] === last.detail.split(",")[1],
          "final downloadProgress is (n, n)",
        );
      } finally {
        await run.close();
      }
    });
  }
}
