/**
 * What one contiguous buffer of a large body costs, against reading the same
 * body chunk by chunk: raw fetch's reader loop and its `bytes()`, and
 * netreply's `for await`, `bytes()` and `readAll()` after `done`, on a 16 MiB
 * body, taking turns (the order reversed every other round); then the same
 * copy with no network at all: 16 MiB of 56 KiB chunks copied into a fresh
 * `Uint8Array`, timed each time.
 *
 * A style that hands out the runtime's chunks reuses memory the allocator
 * already has; a style that returns one buffer allocates 16 MiB, which the
 * runtime maps fresh, and every 4 KiB page of it faults on first write. The
 * second part shows that cost without fetch or netreply in the way
 * (bench/README.md, "Third pass").
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 --allow-run=deno bench/contiguous_reads.ts [--rounds=21]
 * ```
 *
 * @module
 */

import { NetworkAccessManager } from "../mod.ts";
import { flagValue } from "./cli_flags.ts";
import { drain } from "./clients/client.ts";
import { median, quantile } from "./stats.ts";
import { startServer } from "./subprocess.ts";

const MIB = 1024 * 1024;
const BODY_BYTES = 16 * MIB;
const CHUNK_BYTES = 56 * 1024;

/** Copies `chunks` into one fresh buffer; returns the milliseconds it took. */
function copyIntoFreshBuffer(chunks: readonly Uint8Array[], size: number): number {
  const start = performance.now();
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return performance.now() - start;
}

async function main(args: readonly string[]): Promise<void> {
  const rounds = Number(flagValue(args, "rounds") ?? 21);
  await using server = await startServer(MIB);
  await using manager = new NetworkAccessManager({ proxy: null, transport: "fetch" });
  const url = `${server.origin}/big?bytes=${BODY_BYTES}`;
  const styles: [string, () => Promise<number>][] = [
    ["raw fetch, reader loop", async () => await drain((await fetch(url)).body)],
    ["raw fetch, bytes()", async () => (await (await fetch(url)).bytes()).byteLength],
    ["netreply, for await", async () => {
      let total = 0;
      for await (const chunk of manager.get(url)) total += chunk.byteLength;
      return total;
    }],
    ["netreply, bytes()", async () => (await manager.get(url).bytes()).byteLength],
    ["netreply, readAll() after done", async () => {
      const reply = manager.get(url);
      await reply.done;
      return reply.readAll().byteLength;
    }],
  ];
  for (const [, read] of styles) await read();
  const times = new Map<string, number[]>(styles.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, read] of round % 2 === 0 ? styles : [...styles].reverse()) {
      const start = performance.now();
      const bytes = await read();
      times.get(name)!.push(performance.now() - start);
      if (bytes !== BODY_BYTES) throw new Error(`${name} read ${bytes} bytes, expected ${BODY_BYTES}`);
    }
  }
  console.log(`${rounds} rounds of a ${BODY_BYTES / MIB} MiB body per style, in turns\n`);
  console.log("| style | median ms | p25 | p75 |");
  console.log("| --- | --: | --: | --: |");
  for (const [name, values] of times) {
    console.log(
      `| ${name} | ${median(values).toFixed(1)} | ${quantile(values, 0.25).toFixed(1)} | ` +
        `${quantile(values, 0.75).toFixed(1)} |`,
    );
  }

  const chunks = Array.from(
    { length: Math.floor(BODY_BYTES / CHUNK_BYTES) },
    () => new Uint8Array(CHUNK_BYTES),
  );
  const size = chunks.length * CHUNK_BYTES;
  const copies: number[] = [];
  for (let i = 0; i < 30; i++) {
    copies.push(copyIntoFreshBuffer(chunks, size));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  console.log(
    `\n${(size / MIB).toFixed(1)} MiB of ${CHUNK_BYTES / 1024} KiB chunks copied into a fresh buffer, ` +
      `30 times (ms): ${copies.map((ms) => ms.toFixed(1)).join(" ")}`,
  );
}

if (import.meta.main) await main(Deno.args);
