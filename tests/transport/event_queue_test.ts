import assert from "node:assert/strict";
import { EventQueue } from "../../src/transport/event_queue.ts";

Deno.test("EventQueue: items come out in order, a taker waits for the next push", async () => {
  const queue = new EventQueue<number>();
  queue.push(1);
  queue.push(2);
  assert.equal(await queue.take(), 1);
  assert.equal(await queue.take(), 2);
  const waiting = queue.take();
  queue.push(3);
  assert.equal(await waiting, 3);
});

Deno.test("EventQueue: merge coalesces with the last queued item only", async () => {
  const queue = new EventQueue<string>((last, next) =>
    last.startsWith("p") && next.startsWith("p") ? next : undefined
  );
  queue.push("p1");
  queue.push("p2");
  queue.push("end");
  queue.push("p3");
  assert.deepEqual([await queue.take(), await queue.take(), await queue.take()], ["p2", "end", "p3"]);
});

Deno.test("EventQueue: two takers at once is a programming error", async () => {
  const queue = new EventQueue<number>();
  const first = queue.take();
  await assert.rejects(queue.take(), { message: "Cannot take from an EventQueue twice at once" });
  queue.push(1);
  assert.equal(await first, 1);
});
