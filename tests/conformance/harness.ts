/** What every transport harness provides to the conformance runner. */

import type { NetworkAccessManager } from "../../mod.ts";
import type { Scenario } from "./scenarios.ts";

/** One running scenario: a manager wired to servers (real or mocked) that behave as the row says. */
export interface HarnessRun {
  /** Base URL of the scenario's routes. */
  readonly base: URL;
  readonly nam: NetworkAccessManager;
  /** Methods the server saw, in order. */
  methods(): string[];
  /** Stops servers and closes the manager. */
  close(): Promise<void>;
}

/** A transport under test. */
export interface Harness {
  readonly name: string;
  start(scenario: Scenario): Promise<HarnessRun>;
}
