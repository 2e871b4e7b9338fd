/**
 * The download profile of bench/README.md ("Where the time goes: the socket
 * transport") in one command: 256 MiB downloads against the benchmark
 * server in its own process, read the way the benchmark's download scenario
 * reads them (netreply: `readyRead` + `reply.read()` with a
 * `downloadProgress` listener), in a child Deno under V8's CPU profiler, then
 * summarised (self time by category and by function).
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 --allow-run=deno --allow-read=/tmp/netreply-prof \
 *   bench/profile_download.ts --transport=socket      # netreply on its socket transport
 * deno run ... bench/profile_download.ts --client=raw-socket   # the ceiling, for comparison
 * ```
 *
 * Flags: `--downloads=N` (default 4; one more runs first as a warm-up),
 * `--transport=fetch|socket` (default `socket`), `--client=raw-socket` (the
 * benchmark's raw socket instead), `--top=N`, `--out=DIR` as for
 * `profile_small_gets.ts`. `--workload` runs the measured loop itself,
 * without profiling: that is what the child runs.
 *
 * @module
 */

import { NetworkAccessManager } from "../mod.ts";
import { flagValue } from "./cli_flags.ts";
import type { BenchClient } from "./clients/client.ts";
import { type BenchTransport, netreplyClient, netreplyName } from "./clients/netreply.ts";
import { rawSocketClient } from "./clients/raw_socket.ts";
import { runProfiledChild } from "./profiled_child.ts";
import { startServer } from "./subprocess.ts";

const MIB = 1024 * 1024;
const DOWNLOAD_BYTES = 256 * MIB;

async function workload(downloads: number, client: string, transport: BenchTransport): Promise<void> {
  await using server = await startServer(MIB);
  await using nam = new NetworkAccessManager({ proxy: null, transport });
  const bench: BenchClient = client === "raw-socket" ? rawSocketClient() : netreplyClient(nam, transport);
  const url = `${server.origin}/big?bytes=${DOWNLOAD_BYTES}`;
  let progressCalls = 0;
  const download = () => bench.download!(url, () => progressCalls++);
  await download();
  const start = performance.now();
  for (let i = 0; i < downloads; i++) {
    const got = await download();
    if (got < DOWNLOAD_BYTES) throw new Error(`${bench.name}: read ${got} bytes, expected ${DOWNLOAD_BYTES}`);
  }
  const seconds = (performance.now() - start) / 1000;
  const name = client === "raw-socket" ? bench.name : netreplyName(transport);
  console.log(
    `${name}: ${downloads} downloads of 256 MiB in ${seconds.toFixed(2)} s, ` +
      `${(downloads * DOWNLOAD_BYTES / MIB / seconds).toFixed(0)} MiB/s, ${progressCalls} progress calls`,
  );
}

if (import.meta.main) {
  const downloads = Number(flagValue(Deno.args, "downloads") ?? 4);
  const client = flagValue(Deno.args, "client") ?? "netreply";
  const transport = (flagValue(Deno.args, "transport") ?? "socket") as BenchTransport;
  if (Deno.args.includes("--workload")) await workload(downloads, client, transport);
  else await runProfiledChild(import.meta.url, Deno.args);
}
