/**
 * This tree against another checkout of netreply, on sequential small GETs
 * in one process: raw fetch, the other tree's manager and this tree's take
 * turns a few hundred requests at a time, so that drift reaches all three
 * alike, and each round's figures are divided by raw fetch's of the same
 * round. It prints medians of CPU (user + system of the process) and wall
 * time per request. This is how bench/README.md's "Second pass" judged a
 * change to the request path; the full benchmark is too coarse for 5%.
 *
 * ```sh
 * git worktree add /tmp/netreply-before HEAD~3
 * deno run --allow-net=127.0.0.1 --allow-run=deno --allow-read=/tmp/netreply-before \
 *   bench/compare_small_gets.ts --baseline=/tmp/netreply-before
 * git worktree remove /tmp/netreply-before
 * ```
 *
 * Flags: `--baseline=DIR` (required: a checkout whose `mod.ts` is imported),
 * `--rounds=N` (default 80), `--requests=N` per turn (default 250),
 * `--transport=fetch|socket` (default `fetch`).
 *
 * @module
 */

import process from "node:process";
import { NetworkAccessManager } from "../mod.ts";
import { flagValue, requiredFlag } from "./cli_flags.ts";
import { median } from "./stats.ts";
import { startServer } from "./subprocess.ts";

/** What the other tree's `mod.ts` must offer: the manager, as every version of netreply has it. */
interface BaselineModule {
  readonly NetworkAccessManager: new (options: { proxy: null; transport: string }) => {
    get(url: string): { bytes(): Promise<Uint8Array> };
    close(): Promise<void>;
  };
}

async function main(args: readonly string[]): Promise<void> {
  const baselineDir = requiredFlag(args, "baseline");
  const rounds = Number(flagValue(args, "rounds") ?? 80);
  const requests = Number(flagValue(args, "requests") ?? 250);
  const transport = (flagValue(args, "transport") ?? "fetch") as "fetch" | "socket";
  const baseline = await import(
    new URL("mod.ts", new URL(`file://${baselineDir.replace(/\/?$/, "/")}`)).href
  ) as BaselineModule;

  await using server = await startServer(1024 * 1024);
  const url = `${server.origin}/small`;
  const before = new baseline.NetworkAccessManager({ proxy: null, transport });
  await using after = new NetworkAccessManager({ proxy: null, transport });
  const clients: [string, () => Promise<unknown>][] = [
    ["raw fetch", async () => await (await fetch(url)).bytes()],
    ["baseline", () => before.get(url).bytes()],
    ["this tree", () => after.get(url).bytes()],
  ];
  const cpu = new Map<string, number[]>();
  const wall = new Map<string, number[]>();
  for (const [, get] of clients) for (let i = 0; i < 1000; i++) await get();
  for (let round = 0; round < rounds; round++) {
    for (const [name, get] of clients) {
      const cpuStart = process.cpuUsage();
      const wallStart = performance.now();
      for (let i = 0; i < requests; i++) await get();
      const used = process.cpuUsage(cpuStart);
      wall.set(name, [...wall.get(name) ?? [], (performance.now() - wallStart) * 1000 / requests]);
      cpu.set(name, [...cpu.get(name) ?? [], (used.user + used.system) / requests]);
    }
  }
  await before.close();

  const ratio = (figures: Map<string, number[]>, name: string) => {
    const raw = figures.get("raw fetch")!;
    return median(figures.get(name)!.map((value, round) => value / raw[round]));
  };
  console.log(`${rounds} rounds of ${requests} sequential small GETs per client, ${transport} transport\n`);
  console.log("| | CPU µs/req | ÷ raw fetch | wall µs/req | ÷ raw fetch |");
  console.log("| --- | --: | --: | --: | --: |");
  for (const [name] of clients) {
    console.log(
      `| ${name} | ${median(cpu.get(name)!).toFixed(1)} | ${ratio(cpu, name).toFixed(2)}× | ` +
        `${median(wall.get(name)!).toFixed(1)} | ${ratio(wall, name).toFixed(2)}× |`,
    );
  }
}

if (import.meta.main) await main(Deno.args);
