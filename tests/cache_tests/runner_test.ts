// The cache-tests runner (tools/cache_tests/) on a tiny suite of its own, in the suite's format.
import assert from "node:assert/strict";
import { parseArguments } from "../../tools/cache_tests/arguments.ts";
import { formatReport, runSuite, selectTests } from "../../tools/cache_tests/run_suite.ts";
import { checkSuites, loadSuites } from "../../tools/cache_tests/suite.ts";

const fixture = new URL("./fixture_suite", import.meta.url).pathname;

for (const transport of ["fetch", "socket"] as const) {
  Deno.test(`cache-tests runner on ${transport}: scores the fixture suite as cache-tests.fyi does`, async () => {
    const suites = await loadSuites(fixture);
    const report = await runSuite(suites, { transport, pauseMs: 1500 });
    assert.deepEqual(Object.fromEntries(report.score.verdicts), {
      "fixture-max-age": "pass",
      "fixture-no-store": "pass",
      "fixture-etag": "pass",
      "fixture-magic-expires": "pass",
      "fixture-wrong-expectation": "fail",
      "fixture-dependent": "dependency_fail",
      "fixture-setup-failure": "setup_fail",
      "fixture-check": "no",
    });
    assert.deepEqual(report.score.required, { total: 5, passed: 2 });
    assert.deepEqual(report.score.optimal, { total: 2, passed: 2 });
    assert.deepEqual(report.score.scored, { total: 7, passed: 4 });
    assert.deepEqual(report.score.checks, { yes: 0, no: 1, other: 0 });
    assert.deepEqual(report.results.get("fixture-wrong-expectation"), [
      "Assertion",
      "Response 2 comes from cache",
    ]);
    assert.deepEqual(report.results.get("fixture-setup-failure"), [
      "Setup",
      "Response 1 status is 200, not 201",
    ]);
    const text = formatReport(suites, report);
    assert.match(
      text,
      new RegExp(`^transport ${transport}: 4 / 7 scored tests passed \\(required 2 / 5, optimal 2 / 2\\)`),
    );
    assert.match(text, / fail {12}fixture-wrong-expectation — Assertion: Response 2 comes from cache/);
    assert.doesNotMatch(text, /fixture-max-age/);
  });
}

Deno.test("cache-tests runner: --id selects a test and what it depends on", async () => {
  const suites = await loadSuites(fixture);
  assert.deepEqual(selectTests(suites, "fixture-etag").map((test) => test.id), [
    "fixture-max-age",
    "fixture-etag",
  ]);
  assert.throws(
    () => selectTests(suites, "fixture-browser-skip"),
    {
      name: "RangeError",
      message: 'Cannot run test "fixture-browser-skip": no such test in the browser selection',
    },
  );
});

Deno.test("cache-tests runner: a malformed suite is refused with the reason", async () => {
  const cases: [unknown, string][] = [
    [{}, "Cannot load the suite: its index must export an array of suites, got object"],
    [[{ id: "s" }], "Cannot load the suite: suite 0 has no tests array"],
    [[{ id: "s", tests: [{ name: "n" }] }], 'Cannot load the suite: a test of suite "s" has no string id'],
    [[{ id: "s", tests: [{ id: "t", requests: [] }] }], 'Cannot load the suite: test "t" has no requests'],
    [
      [{ id: "s", tests: [{ id: "t", requests: [{}] }, { id: "t", requests: [{}] }] }],
      'Cannot load the suite: duplicate test id "t"',
    ],
  ];
  for (const [suites, message] of cases) {
    assert.throws(() => checkSuites(suites), { name: "TypeError", message });
  }
  await assert.rejects(loadSuites("tests/cache_tests/no_such_dir"), (error: Error) => {
    assert.match(
      error.message,
      /^Cannot load the suite from .*tests\/cache_tests\/no_such_dir\/tests\/index\.mjs: /,
    );
    return true;
  });
});

Deno.test("cache-tests runner: the command line, and a clear error for each bad argument", () => {
  assert.deepEqual(parseArguments(["--suite=../cache-tests"]), {
    suite: "../cache-tests",
    transports: ["fetch", "socket"],
  });
  assert.deepEqual(parseArguments(["--transport=socket", "--suite=s", "--id=vary-match"]), {
    suite: "s",
    transports: ["socket"],
    id: "vary-match",
  });
  const cases: [string[], string][] = [
    [[], "Missing --suite=DIR (a checkout of https://github.com/http-tests/cache-tests)"],
    [["--suite=s", "--fast"], 'Unknown argument "--fast"'],
    [["--suite=s", "--transport=h2"], 'Unknown transport "h2": use fetch, socket or both'],
    [["--suite=a", "--suite=b"], "--suite is given twice"],
    [["--suite="], "--suite needs a value"],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseArguments(args), { name: "TypeError", message });
  }
});
