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
 * `fetch`), `--in-flight=N` (N requests outstanding at a time, as in the
 * 64-in-flight scenario; default 1, one after another), `--client=fetch` (`await (await fetch(url)).bytes()` instead,
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
import { runInFlight } from "./measure.ts";
import { runProfiledChild } from "./profiled_child.ts";
import { startServer } from "./subprocess.ts";

const WARM_UP = 1000;

async function workload(
  requests: number,
  client: string,
  transport: BenchTransport,
  inFlight: number,
): Promise<void> {
  await using server = await startServer(1024 * 1024);
  await using nam = new NetworkAccessManager({ proxy: null, transport });
  const url = `${server.origin}/small`;
  const get = client === "fetch"
    ? async () => await (await fetch(url)).bytes()
    : async () => await nam.get(url).bytes();
  await runInFlight(get, WARM_UP, inFlight);
  const start = performance.now();
  await runInFlight(get, requests, inFlight);
  const seconds = (performance.now() - start) / 1000;
  const how = inFlight === 1 ? "sequential" : `${inFlight} in flight`;
  console.log(
    `${client === "fetch" ? client : netreplyName(transport)}: ${requests} small GETs (${how}) in ${
      seconds.toFixed(2)
    } s, ${(requests / seconds).toFixed(0)} req/s`,
  );
}

if (import.meta.main) {
  const requests = Number(flagValue(Deno.args, "requests") ?? 20_000);
  const client = flagValue(Deno.args, "client") ?? "netreply";
  const transport = (flagValue(Deno.args, "transport") ?? "fetch") as BenchTransport;
  const inFlight = Number(flagValue(Deno.args, "in-flight") ?? 1);
  if (Deno.args.includes("--workload")) await workload(requests, client, transport, inFlight);
  else await runProfiledChild(import.meta.url, Deno.args);
}
