/**
 * The "Where the time goes" profile of bench/README.md in one command:
 * sequential small GETs, `await nam.get(url).bytes()`, against the benchmark
 * server in its own process, run in a child Deno under V8's CPU profiler
 * (`--cpu-prof`), then summarised (self time by category and by function).
 *
 * ```sh
 * deno task bench:profile                       # netreply, 20 000 requests
 * deno task bench:profile --transport=socket     # netreply on its socket transport
 * deno task bench:profile --client=fetch        # the same loop on raw fetch
 * ```
 *
 * Flags: `--requests=N` (default 20 000; 1 000 more run first as a warm-up),
 * `--transport=socket` (netreply's manager on that transport; default
 * `fetch`), `--client=fetch` (`await (await fetch(url)).bytes()` instead,
 * for a baseline), `--top=N` rows per table (default 20), `--out=DIR` where the
 * `.cpuprofile` goes (default /tmp/netreply-prof; reading it needs
 * `--allow-read` there). `--workload` runs the measured loop itself, without
 * profiling: that is what the child runs.
 *
 * @module
 */

import { NetworkAccessManager } from "../mod.ts";
import { flagValue } from "./cli_flags.ts";
import { type BenchTransport, netreplyName } from "./clients/netreply.ts";
import { runProfiledChild } from "./profiled_child.ts";
import { startServer } from "./subprocess.ts";

const WARM_UP = 1000;

async function workload(requests: number, client: string, transport: BenchTransport): Promise<void> {
  await using server = await startServer(1024 * 1024);
  await using nam = new NetworkAccessManager({ proxy: null, transport });
  const url = `${server.origin}/small`;
  const get = client === "fetch"
    ? async () => await (await fetch(url)).bytes()
    : async () => await nam.get(url).bytes();
  for (let i = 0; i < WARM_UP; i++) await get();
  const start = performance.now();
  for (let i = 0; i < requests; i++) await get();
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${client === "fetch" ? client : netreplyName(transport)}: ${requests} sequential small GETs in ${
      seconds.toFixed(2)
    } s, ${(requests / seconds).toFixed(0)} req/s`,
  );
}

if (import.meta.main) {
  const requests = Number(flagValue(Deno.args, "requests") ?? 20_000);
  const client = flagValue(Deno.args, "client") ?? "netreply";
  const transport = (flagValue(Deno.args, "transport") ?? "fetch") as BenchTransport;
  if (Deno.args.includes("--workload")) await workload(requests, client, transport);
  else await runProfiledChild(import.meta.url, Deno.args);
}
