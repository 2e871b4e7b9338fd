/**
 * The conformance table (scenarios.ts) run on every transport harness:
 * the reply must show Qt's event sequence, error, body and status.
 */

import assert from "node:assert/strict";
import type { Harness } from "./harness.ts";
import { mockHarness } from "./mock_harness.ts";
import { fetchHarness } from "./fetch_harness.ts";
import { socketHarness } from "./socket_harness.ts";
import { assertScenarioOutcome, runScenario } from "./run_scenario.ts";
import { SCENARIOS } from "./scenarios.ts";

const HARNESSES: readonly Harness[] = [mockHarness, fetchHarness, socketHarness];

for (const harness of HARNESSES) {
  for (const scenario of SCENARIOS) {
    Deno.test(`conformance [${harness.name}] ${scenario.name}`, async () => {
      const run = await harness.start(scenario);
      try {
        const outcome = await runScenario(run.nam, scenario, new URL(scenario.path ?? "/", run.base));
        assertScenarioOutcome(outcome, scenario.expect);
        const { methods } = scenario.expect;
        if (methods !== undefined) assert.deepEqual(run.methods(), methods);
      } finally {
        await run.close();
      }
    });
  }
}
