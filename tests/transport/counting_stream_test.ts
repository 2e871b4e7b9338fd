import assert from "node:assert/strict";
import { countingStream } from "../../src/transport/counting_stream.ts";

Deno.test("countingStream: passes chunks through and reports running totals and the end", async () => {
  const totals: number[] = [];
  let end = -1;
  const source = new Blob(["ab", "cde"]).stream();
  const counted = source.pipeThrough(
    countingStream({ onChunk: (n) => totals.push(n), onEnd: (n) => end = n }),
  );
  assert.equal(await new Response(counted).text(), "abcde");
  assert.equal(totals.at(-1), 5);
  assert.equal(end, 5);
});

Deno.test("countingStream: counts when the consumer pulls, not when the source produces", async () => {
  let counted = 0;
  let produced = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      produced++;
      controller.enqueue(new Uint8Array(10));
    },
  }, { highWaterMark: 0 });
  const reader = source.pipeThrough(countingStream((n) => counted = n)).getReader();
  await reader.read();
  assert.equal(counted, 10);
  assert.ok(produced <= 3, `the pipe pulled ${produced} chunks for one read`);
  await reader.cancel();
});

Deno.test("countingStream: a failing source does not report an end", async () => {
  let ended = false;
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(new Error("source failed"));
    },
  });
  const reader = source.pipeThrough(countingStream({ onEnd: () => ended = true })).getReader();
  await assert.rejects(reader.read(), { message: "source failed" });
  assert.equal(ended, false);
});
