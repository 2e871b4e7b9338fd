/**
 * What each client's small GETs leave for V8's minor collections: bytes per
 * request still on the heap after two minor collections (`gc({ type:
 * "minor" })`, twice) that a full collection then frees. Garbage that
 * survives a scavenge is copied, and after a second one promoted to the old
 * generation: it makes every scavenge slower and the old generation fill, so
 * it shows in CPU time and in the latency tail of a long run. Unlike CPU
 * time it hardly moves between runs of the same code, so a change to the
 * request path can be judged by it on a noisy machine (bench/README.md,
 * "Seventh pass").
 *
 * Each client runs in a fresh process (with `--expose-gc`) against the
 * benchmark server: a warm-up, then rounds of one full collection, a batch
 * of sequential GETs small enough that no scavenge runs inside it, two
 * minor collections, one full collection; the median over the rounds is
 * printed.
 *
 * ```sh
 * deno task bench:survivors
 * deno task bench:survivors --batch=100 --rounds=9
 * ```
 *
 * Flags: `--batch=N` requests per round (default 200), `--rounds=N`
 * (default 5).
 *
 * @module
 */

import { FetchTransport, NetworkAccessManager } from "../mod.ts";
import { bareTransport } from "./clients/bare_transport.ts";
import type { BenchClient } from "./clients/client.ts";
import { flagValue, passedFlags } from "./cli_flags.ts";
import { exchangeOnly } from "./clients/exchange_only.ts";
import { fetchFloorClient } from "./clients/fetch_floor.ts";
import { type BenchTransport, netreplyClient } from "./clients/netreply.ts";
import { rawFetchClient } from "./clients/raw_fetch.ts";
import { exposedGc } from "./exposed_gc.ts";
import { median } from "./stats.ts";
import { runScript, startServer } from "./subprocess.ts";

const WARM_UP = 3000;

/** One client's figures: bytes per request, medians over the rounds. */
interface Survivors {
  /** Heap growth over the batch, before any collection: about what a request allocates. */
  readonly allocated: number;
  /** What is left after two minor collections. */
  readonly afterMinor: number;
  /** What is left after a full collection (about 0 when nothing is kept). */
  readonly afterFull: number;
}

/** The clients, in table order: each makes one GET of `url` and reads it to the end. */
const CLIENTS: Readonly<Record<string, (url: string) => (() => Promise<unknown>) & AsyncDisposable>> = {
  "raw fetch": (url) => smallGets(rawFetchClient(), url),
  "fetch floor": (url) => smallGets(fetchFloorClient(), url),
  "netreply's fetch transport alone": (url) => {
    const transport = new FetchTransport();
    return disposable(() => exchangeOnly(transport, url), () => transport.close());
  },
  "netreply": (url) => netreplySmallGets("fetch", url),
  "netreply (socket)": (url) => netreplySmallGets("socket", url),
  "netreply on a transport with no I/O": () => {
    const nam = new NetworkAccessManager({ transport: bareTransport() });
    return disposable(() => nam.get("http://bare.test/").bytes(), () => nam.close());
  },
};

/** `client`'s small GETs of `url`. */
function smallGets(client: BenchClient, url: string): (() => Promise<unknown>) & AsyncDisposable {
  return disposable(() => client.smallGet!(url));
}

/** netreply's small GETs of `url` on `transport`, through the benchmark's netreply client. */
function netreplySmallGets(
  transport: BenchTransport,
  url: string,
): (() => Promise<unknown>) & AsyncDisposable {
  const nam = new NetworkAccessManager({ proxy: null, transport });
  const client = netreplyClient(nam, transport);
  return disposable(() => client.smallGet!(url), () => nam.close());
}

function disposable(
  get: () => Promise<unknown>,
  close: () => Promise<void> = () => Promise.resolve(),
): (() => Promise<unknown>) & AsyncDisposable {
  return Object.assign(get, { [Symbol.asyncDispose]: close });
}

async function workload(args: readonly string[]): Promise<void> {
  const gc = exposedGc();
  const batch = Number(flagValue(args, "batch") ?? 200);
  const rounds = Number(flagValue(args, "rounds") ?? 5);
  await using get = CLIENTS[flagValue(args, "client")!](flagValue(args, "url")!);
  for (let i = 0; i < WARM_UP; i++) await get();
  const used = () => Deno.memoryUsage().heapUsed;
  const samples: Survivors[] = [];
  for (let round = 0; round < rounds; round++) {
    gc({ type: "major" });
    const base = used();
    for (let i = 0; i < batch; i++) await get();
    const allocated = used() - base;
    gc({ type: "minor" });
    gc({ type: "minor" });
    const afterMinor = used() - base;
    gc({ type: "major" });
    samples.push({
      allocated: allocated / batch,
      afterMinor: afterMinor / batch,
      afterFull: (used() - base) / batch,
    });
  }
  const of = (figure: keyof Survivors) => median(samples.map((sample) => sample[figure]));
  console.log(
    JSON.stringify({ allocated: of("allocated"), afterMinor: of("afterMinor"), afterFull: of("afterFull") }),
  );
}

async function main(args: readonly string[]): Promise<void> {
  const passed = passedFlags(args, ["batch", "rounds"]);
  await using server = await startServer(1024 * 1024);
  const url = `${server.origin}/small`;
  console.log(
    "Sequential small GETs, each client in a fresh process; bytes per request, medians over the rounds\n",
  );
  console.log("| client | heap growth over a batch | left after two minor GCs | left after a full GC |");
  console.log("| --- | --: | --: | --: |");
  for (const client of Object.keys(CLIENTS)) {
    const result = await runScript<Survivors>(
      "./minor_gc_survivors.ts",
      ["--workload", `--client=${client}`, `--url=${url}`, ...passed],
      ["--expose-gc"],
    );
    console.log(
      `| ${client} | ${result.allocated.toFixed(0)} | ${result.afterMinor.toFixed(0)} | ${
        result.afterFull.toFixed(0)
      } |`,
    );
  }
}

if (import.meta.main) {
  if (Deno.args.includes("--workload")) await workload(Deno.args);
  else await main(Deno.args);
}
