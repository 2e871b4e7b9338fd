// Every entry point in deno.json's exports is covered by the documentation-example task (`deno task
// test:doc`), so an entry point added later cannot ship examples that never ran.

import assert from "node:assert/strict";
import denoConfig from "../../deno.json" with { type: "json" };

Deno.test("deno task test:doc runs the examples of every entry point in deno.json's exports", () => {
  const docTask = denoConfig.tasks["test:doc"].split(" ");
  const missing = Object.values(denoConfig.exports).filter((path) =>
    !docTask.includes(path.replace(/^\.\//, ""))
  );
  assert.deepEqual(missing, []);
});
