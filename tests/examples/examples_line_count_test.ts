// Each netreply example takes no more lines than its ky twin, counting lines of code only (not blank lines, not
// comments), and examples/README.md's table shows the counts as they are.

import assert from "node:assert/strict";
import { EXAMPLE_TASKS, EXAMPLES_DIR } from "./example_tasks.ts";

/** Lines that are neither blank nor comments (`//` lines, and `/* … *\/` blocks on their own lines). */
export function linesOfCode(source: string): number {
  let count = 0;
  let inBlock = false;
  for (const raw of source.split("\n")) {
    const line = raw.trim();
    if (inBlock) {
      inBlock = !line.includes("*/");
      continue;
    }
    if (line.startsWith("/*")) {
      inBlock = !line.includes("*/");
      continue;
    }
    if (line !== "" && !line.startsWith("//")) count++;
  }
  return count;
}

Deno.test("linesOfCode counts code, not blank lines or comments", () => {
  const source = [
    "// a comment",
    "import ky from 'ky';",
    "",
    "/** a block",
    " * comment */",
    "/* one line */",
    "const a = 1; // trailing comments count as code",
    "  ",
  ].join("\n");
  assert.equal(linesOfCode(source), 2);
});

const readme = Deno.readTextFileSync(new URL("README.md", EXAMPLES_DIR));

for (const { file, task } of EXAMPLE_TASKS) {
  Deno.test(`examples: ${task} takes no more lines with netreply than with ky; the README says so`, () => {
    const netreply = linesOfCode(Deno.readTextFileSync(new URL(file, EXAMPLES_DIR)));
    const ky = linesOfCode(Deno.readTextFileSync(new URL(`ky/${file}`, EXAMPLES_DIR)));
    assert.ok(netreply <= ky, `${file}: netreply ${netreply} lines, ky ${ky}`);
    const row = readme.split("\n").find((line) => line.startsWith("|") && line.includes(`(${file})`));
    assert.ok(row !== undefined, `examples/README.md has no row for ${file}`);
    const cells = row.split("|").map((cell) => cell.trim()).filter((cell) => cell !== "");
    assert.deepEqual(cells.slice(-2), [String(netreply), String(ky)], `the README row of ${file}`);
  });
}
