/**
 * Test outcomes and the score, as cache-tests.fyi reads them: a test passes, fails (an optional
 * fail for an `optimal` test), fails in setup, has a failed dependency, or saw a retry; `check`
 * tests only answer yes or no and are not scored.
 *
 * @module
 */

import type { SuiteSpec, TestSpec } from "./suite.ts";

/** What running a test produced: `true`, or the failure's kind and message. */
export type RawResult = true | [kind: string, message: string];

/** How a test is shown. */
export type Verdict =
  | "pass"
  | "fail"
  | "optional_fail"
  | "yes"
  | "no"
  | "setup_fail"
  | "dependency_fail"
  | "retry"
  | "untested";

/** The verdict for one test, honouring `depends_on` (a dependency that did not pass or say yes). */
export function verdict(
  tests: ReadonlyMap<string, TestSpec>,
  results: ReadonlyMap<string, RawResult>,
  id: string,
): Verdict {
  const test = tests.get(id);
  const result = results.get(id);
  if (test === undefined || result === undefined) return "untested";
  for (const dependency of test.depends_on ?? []) {
    const outcome = verdict(tests, results, dependency);
    if (outcome !== "pass" && outcome !== "yes") return "dependency_fail";
  }
  if (result !== true && result[0] === "Setup") return result[1] === "retry" ? "retry" : "setup_fail";
  const kind = test.kind ?? "required";
  if (kind === "check") return result === true ? "yes" : "no";
  if (result === true) return "pass";
  return kind === "optimal" ? "optional_fail" : "fail";
}

/** Counts of one kind of test. */
export interface KindScore {
  readonly total: number;
  readonly passed: number;
}

/** The score of a run: required and optimal tests are scored; checks are counted apart. */
export interface Score {
  readonly scored: KindScore;
  readonly required: KindScore;
  readonly optimal: KindScore;
  readonly checks: { readonly yes: number; readonly no: number; readonly other: number };
  readonly verdicts: ReadonlyMap<string, Verdict>;
}

/** Scores the results of the tests that ran. */
export function score(suites: readonly SuiteSpec[], results: ReadonlyMap<string, RawResult>): Score {
  const tests = new Map(suites.flatMap((suite) => suite.tests.map((test) => [test.id, test] as const)));
  const verdicts = new Map<string, Verdict>();
  const required = { total: 0, passed: 0 };
  const optimal = { total: 0, passed: 0 };
  const checks = { yes: 0, no: 0, other: 0 };
  for (const id of results.keys()) {
    const test = tests.get(id)!;
    const outcome = verdict(tests, results, id);
    verdicts.set(id, outcome);
    const kind = test.kind ?? "required";
    if (kind === "check") {
      if (outcome === "yes") checks.yes++;
      else if (outcome === "no") checks.no++;
      else checks.other++;
      continue;
    }
    const counts = kind === "optimal" ? optimal : required;
    counts.total++;
    if (outcome === "pass") counts.passed++;
  }
  const scored = { total: required.total + optimal.total, passed: required.passed + optimal.passed };
  return { scored, required, optimal, checks, verdicts };
}
