// The workflow check behind `deno task check:workflows` (tools/workflow_problems.ts): a valid workflow has
// no problems, and each way a workflow file can be wrong is named.

import assert from "node:assert/strict";
import { workflowProblems } from "../../tools/workflow_problems.ts";

const STEPS = "    runs-on: ubuntu-24.04\n    steps:\n      - run: bash .ci/run\n";

Deno.test("workflowProblems: a job on a runner and a reusable workflow's job are fine", () => {
  assert.deepEqual(workflowProblems(`on:\n  push:\n    tags: ["v*"]\njobs:\n  test:\n${STEPS}`), []);
  assert.deepEqual(workflowProblems("on: push\njobs:\n  ci:\n    uses: ./.github/workflows/ci.yml\n"), []);
});

const broken: [string, string, string[]][] = [
  ["an empty file", "", ["a workflow is one YAML document, found 0"]],
  ["two documents", "---\non: push\n---\non: push\n", ["a workflow is one YAML document, found 2"]],
  ["an unclosed flow sequence", "on: [push\n", [
    "YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ]],
  ["a duplicate key", `on: push\non: pull_request\njobs:\n  test:\n${STEPS}`, [
    "YAML: Map keys must be unique",
  ]],
  ["a list", "- 1\n", ["a workflow is a mapping, got [1]"]],
  ["no trigger", `jobs:\n  test:\n${STEPS}`, ['"on" is missing: nothing would start the workflow']],
  ["no jobs", "on: push\n", ['"jobs" must be a mapping of job ids to jobs, got undefined']],
  ["empty jobs", "on: push\njobs: {}\n", ['"jobs" must be a mapping of job ids to jobs, got {}']],
  ["a job that is a number", "on: push\njobs:\n  test: 1\n", ['job "test" must be a mapping, got 1']],
  ["a job with no runner and no steps", "on: push\njobs:\n  test:\n    name: x\n", [
    'job "test" has neither "runs-on" nor "uses"',
    'job "test" has no "steps"',
  ]],
  ["a job with an empty steps list", "on: push\njobs:\n  test:\n    runs-on: x\n    steps: []\n", [
    'job "test" has no "steps"',
  ]],
];

for (const [what, text, problems] of broken) {
  Deno.test(`workflowProblems: ${what}`, () => {
    assert.deepEqual(workflowProblems(text), problems);
  });
}
