/**
 * What a full garbage collection costs each client afterwards: sequential
 * small GETs by raw fetch, the fetch floor and netreply on each transport,
 * taking turns, once in a process that runs a full GC (`gc()`) before every
 * sample, as `deno task bench` does, and once in a process that never does.
 * Each mode runs in its own fresh process, because what a collection costs
 * lasts longer than a sample: V8 keeps an object shape only while some
 * object has it, and at a full collection throws away the optimized code
 * that embedded a shape that died. The processes alternate, `--pairs` times.
 *
 * ```sh
 * deno task bench:gc                 # 2 pairs of processes, 8 rounds of 2 000 requests each
 * deno task bench:gc --pairs=3 --rounds=6 --requests=1000
 * ```
 *
 * Prints, per mode, the median over the processes of each client's median
 * req/s and CPU µs per request, and the same divided by raw fetch's of the
 * same round.
 *
 * @module
 */

import { NetworkAccessManager } from "../mod.ts";
import { flagValue, passedFlags } from "./cli_flags.ts";
import type { BenchClient } from "./clients/client.ts";
import { fetchFloorClient } from "./clients/fetch_floor.ts";
import { NETREPLY_TRANSPORTS, netreplyClient } from "./clients/netreply.ts";
import { RAW_FETCH, rawFetchClient } from "./clients/raw_fetch.ts";
import { measureSequential } from "./measure.ts";
import { median } from "./stats.ts";
import { runScript, startServer } from "./subprocess.ts";

/** One client's figures in one process: medians over the rounds. */
interface ClientFigures {
  readonly reqPerSec: number;
  readonly cpuUsPerReq: number;
  /** Per round ÷ raw fetch's, then the median. */
  readonly reqPerSecRatio: number;
  readonly cpuRatio: number;
}

type ProcessResult = Record<string, ClientFigures>;

const WARM_UP = 1000;

async function workload(args: readonly string[]): Promise<void> {
  const url = flagValue(args, "url")!;
  const rounds = Number(flagValue(args, "rounds") ?? 8);
  const requests = Number(flagValue(args, "requests") ?? 2000);
  const collect = args.includes("--collect");
  const gc = (globalThis as { gc?: () => void }).gc;
  if (collect && gc === undefined) throw new Error("--collect needs --v8-flags=--expose-gc");
  const managers = NETREPLY_TRANSPORTS.map((transport) =>
    new NetworkAccessManager({ proxy: null, transport })
  );
  const clients: BenchClient[] = [
    rawFetchClient(),
    fetchFloorClient(),
    ...managers.map((nam, i) => netreplyClient(nam, NETREPLY_TRANSPORTS[i])),
  ];
  const length = (await (await fetch(url)).bytes()).byteLength;
  for (const client of clients) await measureSequential(client, url, WARM_UP, length);
  const samples = new Map(clients.map((client) => [client.name, [] as { reqPerSec: number; cpu: number }[]]));
  for (let round = 0; round < rounds; round++) {
    for (const client of clients) {
      if (collect) gc!();
      const sample = await measureSequential(client, url, requests, length);
      samples.get(client.name)!.push({ reqPerSec: sample.reqPerSec, cpu: sample.cpuUsPerReq });
    }
  }
  for (const nam of managers) await nam.close();
  const raw = samples.get(RAW_FETCH)!;
  const result: ProcessResult = {};
  for (const [name, list] of samples) {
    result[name] = {
      reqPerSec: median(list.map((s) => s.reqPerSec)),
      cpuUsPerReq: median(list.map((s) => s.cpu)),
      reqPerSecRatio: median(list.map((s, i) => s.reqPerSec / raw[i].reqPerSec)),
      cpuRatio: median(list.map((s, i) => s.cpu / raw[i].cpu)),
    };
  }
  console.log(JSON.stringify(result));
}

async function main(args: readonly string[]): Promise<void> {
  const pairs = Number(flagValue(args, "pairs") ?? 2);
  const passed = passedFlags(args, ["rounds", "requests"]);
  await using server = await startServer(1024 * 1024);
  const url = `${server.origin}/small`;
  const modes = [
    { name: "a full GC before each sample", flags: ["--collect"] },
    { name: "no full GC", flags: [] },
  ];
  const results = new Map<string, ProcessResult[]>(modes.map((mode) => [mode.name, []]));
  for (let pair = 0; pair < pairs; pair++) {
    for (const mode of modes) {
      const result = await runScript<ProcessResult>(
        "./after_full_gc.ts",
        ["--workload", `--url=${url}`, ...mode.flags, ...passed],
        ["--expose-gc"],
      );
      results.get(mode.name)!.push(result);
    }
  }
  console.log(`sequential small GETs, ${pairs} process(es) per mode; medians over the processes\n`);
  console.log("| mode | client | req/s | ÷ raw fetch | CPU µs/req | ÷ raw fetch |");
  console.log("| --- | --- | --: | --: | --: | --: |");
  for (const mode of modes) {
    const runs = results.get(mode.name)!;
    for (const name of Object.keys(runs[0])) {
      const of = (figure: keyof ClientFigures) => median(runs.map((run) => run[name][figure]));
      console.log(
        `| ${mode.name} | ${name} | ${of("reqPerSec").toFixed(0)} | ${of("reqPerSecRatio").toFixed(2)}× | ` +
          `${of("cpuUsPerReq").toFixed(1)} | ${of("cpuRatio").toFixed(2)}× |`,
      );
    }
  }
}

if (import.meta.main) {
  if (Deno.args.includes("--workload")) await workload(Deno.args);
  else await main(Deno.args);
}
