/**
 * Checks every workflow in `.github/workflows/` (tools/workflow_problems.ts)
 * and exits with 1 when one has a problem, printing each.
 *
 * Run: `deno task check:workflows` from the repository root.
 *
 * @module
 */

import { workflowProblems } from "./workflow_problems.ts";

const DIRECTORY = ".github/workflows";

const files = [...Deno.readDirSync(DIRECTORY)]
  .filter((entry) => entry.isFile && /\.ya?ml$/.test(entry.name))
  .map((entry) => `${DIRECTORY}/${entry.name}`)
  .sort();
let failed = files.length === 0;
if (failed) console.log(`${DIRECTORY} has no workflow`);
for (const file of files) {
  const problems = workflowProblems(Deno.readTextFileSync(file));
  for (const problem of problems) console.log(`${file}: ${problem}`);
  console.log(`${file}: ${problems.length === 0 ? "ok" : `${problems.length} problem(s)`}`);
  failed ||= problems.length > 0;
}
if (failed) Deno.exit(1);
