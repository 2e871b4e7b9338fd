import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { LiveRuns } from "../../src/live_runs.ts";

Deno.test("LiveRuns: a deleted run leaves, the last run takes its slot, the others stay", () => {
  const runs = new LiveRuns<string>();
  const [a, b, c, d] = ["a", "b", "c", "d"].map((owner) => runs.add(owner));
  runs.delete(b);
  deepEqual(runs.owners().sort(), ["a", "c", "d"]);
  runs.delete(a);
  runs.delete(d);
  deepEqual(runs.owners(), ["c"]);
  equal(runs.size, 1);
  runs.delete(c);
  equal(runs.size, 0);
  deepEqual(runs.owners(), []);
});

Deno.test("LiveRuns: deleting a run twice, or a run of another registry, changes nothing", () => {
  const runs = new LiveRuns<string>();
  const other = new LiveRuns<string>();
  const a = runs.add("a");
  runs.add("b");
  const stranger = other.add("x");
  runs.delete(a);
  runs.delete(a);
  runs.delete(stranger);
  deepEqual(runs.owners(), ["b"]);
  deepEqual(other.owners(), ["x"]);
});

Deno.test("LiveRuns: settledPromises() are the runs' own, set after add()", async () => {
  const runs = new LiveRuns<number>();
  const run = runs.add(1);
  let settle!: () => void;
  run.settled = new Promise<void>((resolve) => settle = resolve);
  const [promise] = runs.settledPromises();
  equal(promise, run.settled);
  settle();
  await promise;
});

Deno.test("LiveRuns: owners() and settledPromises() are copies", () => {
  const runs = new LiveRuns<string>();
  runs.add("a");
  runs.owners().push("b");
  runs.settledPromises().length = 0;
  deepEqual(runs.owners(), ["a"]);
  equal(runs.settledPromises().length, 1);
});

Deno.test("LiveRuns: a run added while another is deleted keeps every index right", () => {
  const runs = new LiveRuns<number>();
  const added = Array.from({ length: 50 }, (_, i) => runs.add(i));
  for (let i = 0; i < 50; i += 2) runs.delete(added[i]);
  const more = Array.from({ length: 10 }, (_, i) => runs.add(100 + i));
  for (let i = 1; i < 50; i += 2) runs.delete(added[i]);
  deepEqual(runs.owners().sort((x, y) => x - y), more.map((run) => run.owner));
  for (const run of more) runs.delete(run);
  equal(runs.size, 0);
});
