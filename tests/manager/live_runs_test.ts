import assert, { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { LiveRuns } from "../../src/live_runs.ts";

const started = () => Promise.resolve();

Deno.test("LiveRuns: a deleted run leaves, the last run takes its slot, the others stay", () => {
  const runs = new LiveRuns<string>();
  const [a, b, c, d] = ["a", "b", "c", "d"].map((owner) => runs.add(owner, started));
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
  const a = runs.add("a", started);
  runs.add("b", started);
  const stranger = other.add("x", started);
  runs.delete(a);
  runs.delete(a);
  runs.delete(stranger);
  deepEqual(runs.owners(), ["b"]);
  deepEqual(other.owners(), ["x"]);
});

Deno.test("LiveRuns: add() starts the run with its handle and keeps the promise it returns", async () => {
  const runs = new LiveRuns<number>();
  let settle!: () => void;
  let handle: unknown;
  const run = runs.add(1, (given) => {
    handle = given;
    return new Promise<void>((resolve) => settle = resolve);
  });
  equal(handle, run);
  const [promise] = runs.settledPromises();
  equal(promise, run.settled);
  settle();
  await promise;
});

Deno.test("LiveRuns: a run that ends inside its start is gone", () => {
  const runs = new LiveRuns<string>();
  runs.add("a", (run) => {
    runs.delete(run);
    return Promise.resolve();
  });
  equal(runs.size, 0);
});

Deno.test("LiveRuns: a start that throws leaves no run behind", () => {
  const runs = new LiveRuns<string>();
  const failure = new Error("cannot start");
  assert.throws(() =>
    runs.add("a", () => {
      throw failure;
    }), (thrown) => thrown === failure);
  equal(runs.size, 0);
});

Deno.test("LiveRuns: owners() and settledPromises() are copies", () => {
  const runs = new LiveRuns<string>();
  runs.add("a", started);
  runs.owners().push("b");
  runs.settledPromises().length = 0;
  deepEqual(runs.owners(), ["a"]);
  equal(runs.settledPromises().length, 1);
});

Deno.test("LiveRuns: runs added while others are deleted keep every index right", () => {
  const runs = new LiveRuns<number>();
  const added = Array.from({ length: 50 }, (_, i) => runs.add(i, started));
  for (let i = 0; i < 50; i += 2) runs.delete(added[i]);
  const more = Array.from({ length: 10 }, (_, i) => runs.add(100 + i, started));
  for (let i = 1; i < 50; i += 2) runs.delete(added[i]);
  deepEqual(runs.owners().sort((x, y) => x - y), more.map((run) => run.owner));
  for (const run of more) runs.delete(run);
  equal(runs.size, 0);
});
