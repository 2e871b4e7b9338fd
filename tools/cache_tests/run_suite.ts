/**
 * Runs the browser selection of the suite through a {@linkcode NetworkAccessManager} with a fresh
 * {@linkcode MemoryCache} on one transport, tests in chunks running side by side (as the suite's
 * client does), and prints the score and the failures.
 *
 * @module
 */

import { MemoryCache, NetworkAccessManager } from "../../mod.ts";
import { startOriginServer } from "./origin_server.ts";
import { type RawResult, type Score, score } from "./results.ts";
import { runTest } from "./run_test.ts";
import { selectedForBrowser, type SuiteSpec, type TestSpec } from "./suite.ts";

/** Options of one scored run. */
export interface RunOptions {
  readonly transport: "fetch" | "socket";
  /** Only this test (and the tests it depends on). */
  readonly id?: string;
  /** The `pause_after` pause in ms; default 3000, the suite's. */
  readonly pauseMs?: number;
  /** Tests run side by side; default 50, the suite's. */
  readonly chunkSize?: number;
  /** Receives the exchanges of the tests when `id` is given. */
  readonly trace?: (line: string) => void;
}

/** The results of a run and its score. */
export interface RunReport {
  readonly transport: string;
  readonly results: ReadonlyMap<string, RawResult>;
  readonly score: Score;
}

/** The tests a run selects: the browser selection, or one test with what it depends on. */
export function selectTests(suites: readonly SuiteSpec[], id?: string): TestSpec[] {
  const selected = suites.flatMap((suite) => suite.tests).filter(selectedForBrowser);
  if (id === undefined) return selected;
  const byId = new Map(selected.map((test) => [test.id, test]));
  if (!byId.has(id)) {
    throw new RangeError(`Cannot run test ${JSON.stringify(id)}: no such test in the browser selection`);
  }
  const wanted = new Set<string>();
  const add = (testId: string) => {
    if (wanted.has(testId) || !byId.has(testId)) return;
    wanted.add(testId);
    byId.get(testId)!.depends_on?.forEach(add);
  };
  add(id);
  return selected.filter((test) => wanted.has(test.id));
}

/** Runs the selected tests on one transport. */
export async function runSuite(suites: readonly SuiteSpec[], options: RunOptions): Promise<RunReport> {
  const tests = selectTests(suites, options.id);
  const results = new Map<string, RawResult>();
  await using server = startOriginServer();
  await using manager = new NetworkAccessManager({
    transport: options.transport,
    cache: new MemoryCache(),
    proxy: null,
    transferTimeout: 10_000,
  });
  const context = {
    manager,
    server,
    pauseMs: options.pauseMs ?? 3000,
    trace: options.id ? options.trace : undefined,
  };
  const chunkSize = options.chunkSize ?? 50;
  for (let i = 0; i < tests.length; i += chunkSize) {
    const chunk = tests.slice(i, i + chunkSize);
    const outcomes = await Promise.all(chunk.map((test) => runTest(test, context)));
    chunk.forEach((test, j) => results.set(test.id, outcomes[j]));
  }
  return { transport: options.transport, results, score: score(suites, results) };
}

/** The report of a run as text: the score, then every test that did not pass or say yes, with its reason. */
export function formatReport(suites: readonly SuiteSpec[], report: RunReport): string {
  const { scored, required, optimal, checks, verdicts } = report.score;
  const names = new Map(suites.flatMap((suite) => suite.tests.map((test) => [test.id, test.name] as const)));
  const lines = [
    `transport ${report.transport}: ${scored.passed} / ${scored.total} scored tests passed ` +
    `(required ${required.passed} / ${required.total}, optimal ${optimal.passed} / ${optimal.total}); ` +
    `checks: ${checks.yes} yes, ${checks.no} no${checks.other ? `, ${checks.other} not answered` : ""}`,
  ];
  const shown = [...verdicts].filter(([, verdict]) => verdict !== "pass" && verdict !== "yes");
  for (const [id, verdict] of shown.sort(([a], [b]) => a.localeCompare(b))) {
    const result = report.results.get(id)!;
    const reason = result === true ? "" : ` — ${result[0]}: ${result[1]}`;
    lines.push(`  ${verdict.padEnd(15)} ${id}${reason}`);
    lines.push(`  ${"".padEnd(15)} (${names.get(id)})`);
  }
  return lines.join("\n");
}
