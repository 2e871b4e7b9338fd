/**
 * Load: 20 000 requests, 256 in flight, on each transport, against a server
 * in its own process. Every response carries its request's id: none may be
 * lost, duplicated or crossed; each reply finishes exactly once (and the
 * manager's finished comes once per reply); the heap after a garbage
 * collection comes back to where it was after a warm-up (needs
 * `--v8-flags=--expose-gc`, which the test:reliability task passes).
 */

import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError, networkErrorName } from "../../mod.ts";
import { startChildServer } from "./child_server.ts";
import { TRANSPORTS } from "./fault_harness.ts";

const REQUESTS = 20_000;
const IN_FLIGHT = 256;
const WARM_UP = 2_000;
/** Turns a hang into a failure (the run takes 20-40 s on 2 busy cores); never a speed check. */
const DEADLINE_MS = 150_000;
/** Generous: the pools, caches and compiled code of a warm manager are allowed to settle. */
const HEAP_GROWTH_LIMIT = 8 * 1024 * 1024;

const decoder = new TextDecoder();

/** Requests ids `0..count-1`, `IN_FLIGHT` at a time; returns how often each id came back. */
async function runBatch(nam: NetworkAccessManager, base: URL, count: number): Promise<Uint16Array> {
  const seen = new Uint16Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const id = next++;
      const reply = nam.get(new URL(`?id=${id}`, base));
      let finished = 0;
      reply.addEventListener("finished", () => finished++);
      await reply.done;
      assert.equal(reply.error(), NetworkError.NoError, `id ${id}: ${networkErrorName(reply.error())}`);
      assert.equal(finished, 1, `id ${id} finished ${finished} times`);
      const body = decoder.decode(reply.readAll());
      assert.equal(reply.rawHeader("x-id"), body, `id ${id}: the body and x-id disagree`);
      const answered = Number(body);
      assert.ok(Number.isInteger(answered) && answered >= 0 && answered < count, `id ${id}: body ${body}`);
      seen[answered]++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return seen;
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, "run with --v8-flags=--expose-gc");
  gc();
  gc();
  return Deno.memoryUsage().heapUsed;
}

for (const transport of TRANSPORTS) {
  Deno.test(`load: ${REQUESTS} requests, ${IN_FLIGHT} in flight, none lost or duplicated (${transport})`, async () => {
    await using server = await startChildServer();
    await using nam = new NetworkAccessManager({ transport, proxy: null });
    let managerFinished = 0;
    nam.addEventListener("finished", () => managerFinished++);
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<"hung">((resolve) => deadline = setTimeout(() => resolve("hung"), DEADLINE_MS));
    const run = async () => {
      await runBatch(nam, server.url, WARM_UP);
      const before = heapAfterGc();
      const seen = await runBatch(nam, server.url, REQUESTS);
      return { before, seen, after: heapAfterGc() };
    };
    const running = run();
    const ended = await Promise.race([running, hung]);
    clearTimeout(deadline);
    if (ended === "hung") {
      await nam.close(); // fails every reply still running, so the batch ends
      await running.catch(() => {});
      assert.fail(`the load did not finish within ${DEADLINE_MS / 1000} s`);
    }
    const { before, seen, after } = ended;
    const wrong = [...seen.entries()].filter(([, times]) => times !== 1);
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} ids not answered exactly once ([id, times])`);
    assert.equal(managerFinished, WARM_UP + REQUESTS);
    assert.ok(
      after - before < HEAP_GROWTH_LIMIT,
      `heap grew by ${((after - before) / 1024 / 1024).toFixed(1)} MiB (limit ${
        HEAP_GROWTH_LIMIT / 1024 / 1024
      } MiB)`,
    );
  });
}
