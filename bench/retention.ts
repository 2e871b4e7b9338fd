/**
 * The retention check, run by the benchmark in a fresh process with
 * `--v8-flags=--expose-gc`: after `--count` finished replies (half read with
 * `bytes()`, half left unread after `await reply.done`), a full GC must leave
 * the heap where it was — the manager keeps nothing of a finished reply but
 * its last hop (`#lastHop` in `src/manager.ts`), which the warm-up's last
 * request already left.
 * Prints `{"heapDeltaBytes":N,...}` (heap used after minus before).
 *
 * @module
 */

import { NetworkAccessManager } from "../mod.ts";
import { flagValue, requiredFlag } from "./cli_flags.ts";
import type { BenchTransport } from "./clients/netreply.ts";
import { exposedGc } from "./exposed_gc.ts";
import { runInFlight } from "./measure.ts";

/** What the check prints. */
export interface RetentionResult {
  /** Heap used after the replies minus before, after full GCs. */
  readonly heapDeltaBytes: number;
  /** Heap used before. */
  readonly heapBeforeBytes: number;
  /** How many replies finished. */
  readonly replies: number;
}

const IN_FLIGHT = 16;

async function collectGarbage(): Promise<number> {
  const gc = exposedGc();
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return Deno.memoryUsage().heapUsed;
}

async function finishReplies(nam: NetworkAccessManager, url: string, count: number): Promise<void> {
  await runInFlight(
    async (i) => {
      const reply = nam.get(url);
      if (i % 2 === 0) await reply.bytes();
      else await reply.done;
    },
    count,
    IN_FLIGHT,
  );
}

if (import.meta.main) {
  const url = requiredFlag(Deno.args, "url");
  const count = Number(requiredFlag(Deno.args, "count"));
  const transport = (flagValue(Deno.args, "transport") ?? "fetch") as BenchTransport;
  const nam = new NetworkAccessManager({ proxy: null, transport });
  await finishReplies(nam, url, 500); // warm-up: JIT, connection pool, lazily created state
  const heapBeforeBytes = await collectGarbage();
  await finishReplies(nam, url, count);
  const heapAfter = await collectGarbage();
  await nam.close();
  const result: RetentionResult = {
    heapDeltaBytes: heapAfter - heapBeforeBytes,
    heapBeforeBytes,
    replies: count,
  };
  console.log(JSON.stringify(result));
}
