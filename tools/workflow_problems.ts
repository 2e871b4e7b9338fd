/**
 * What is wrong with a GitHub Actions workflow file, as far as can be told
 * without GitHub: it must be one YAML 1.2 document without errors, warnings
 * or duplicate keys, a mapping with `on` and `jobs`, and every job must
 * either run steps on a runner (`runs-on` and a non-empty `steps` list) or
 * call a reusable workflow (`uses`). Pure: tools/check_workflows.ts reads the
 * files.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { workflowProblems } from "./workflow_problems.ts";
 *
 * const ok = "on: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n";
 * deepEqual(workflowProblems(ok), []);
 * deepEqual(workflowProblems("on: push\n"), ['"jobs" must be a mapping of job ids to jobs, got undefined']);
 * ```
 *
 * @module
 */

import { isMap, isSeq, parseAllDocuments } from "yaml";

/**
 * The problems of a workflow file, one sentence each; empty when it has none.
 *
 * @param text The file's text.
 * @returns What is wrong, in the order found.
 */
export function workflowProblems(text: string): string[] {
  const documents = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(documents) || documents.length !== 1) {
    const count = Array.isArray(documents) ? documents.length : 0;
    return [`a workflow is one YAML document, found ${count}`];
  }
  const [document] = documents;
  const messages = [...document.errors, ...document.warnings].map((issue) => `YAML: ${issue.message}`);
  if (messages.length > 0) return messages;
  const root = document.contents;
  if (!isMap(root)) return [`a workflow is a mapping, got ${describe(document.toJS())}`];
  const problems: string[] = [];
  if (!root.has("on")) problems.push('"on" is missing: nothing would start the workflow');
  const jobs = root.get("jobs", true);
  if (!isMap(jobs) || jobs.items.length === 0) {
    problems.push(`"jobs" must be a mapping of job ids to jobs, got ${describe(jobs?.toJSON())}`);
    return problems;
  }
  for (const { key, value } of jobs.items) {
    const id = String((key as { value?: unknown })?.value ?? key);
    if (!isMap(value)) {
      problems.push(
        `job "${id}" must be a mapping, got ${describe((value as { toJSON?: () => unknown })?.toJSON?.())}`,
      );
      continue;
    }
    if (value.has("uses")) continue;
    if (!value.has("runs-on")) problems.push(`job "${id}" has neither "runs-on" nor "uses"`);
    const steps = value.get("steps", true);
    if (!isSeq(steps) || steps.items.length === 0) problems.push(`job "${id}" has no "steps"`);
  }
  return problems;
}

/** A parsed value as an error message shows it. */
function describe(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}
