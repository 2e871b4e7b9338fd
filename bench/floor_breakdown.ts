/**
 * Where the fetch floor comes from: raw `fetch`, then raw `fetch` with each
 * thing netreply's contract needs from it added one at a time, then netreply
 * itself, taking turns in one process against the benchmark server. Each
 * step is one requirement of the contract (docs in bench/README.md, "What the
 * contract costs on fetch"):
 *
 * - `redirect: "manual"`: the manager follows redirects itself, so that each
 *   hop is a `redirected` signal under the request's redirect policy;
 * - an abort signal: `abort()`, the transfer timeout and `close()` must stop a
 *   fetch that has no response yet;
 * - the `Accept-Encoding` netreply sends (`deflate`, which Deno does not ask
 *   for, is decoded by netreply);
 * - a streaming read instead of `bytes()`: the bytes received before a body
 *   is cut short stay readable, `readyRead` fires as bytes arrive and the
 *   inactivity timer sees them; for a small body of known length this is one
 *   "byob" read of that length, the cheapest streaming read Deno offers.
 *
 * The last step is `bench/clients/fetch_floor.ts`, the benchmark's "fetch
 * floor" row. Between it and netreply comes netreply's fetch transport alone:
 * its exchange pulled event by event, as the manager pulls it, without the
 * manager, the policy layers or a reply, so that the two halves of
 * netreply's own cost show apart. For the gzip download the floor is raw fetch's decoded body
 * through a counting `TransformStream`, as netreply's download progress is
 * counted.
 *
 * Figures are per round, divided by raw fetch's of the same round, then the
 * median over rounds: CPU (user + system of the process) per request, and for
 * sequential requests req/s and the p50 and p99 of per-request latency; with
 * `--in-flight=N`, req/s with N outstanding; with `--gzip`, decoded MiB/s.
 *
 * ```sh
 * deno task bench:floor
 * deno task bench:floor --in-flight=64
 * deno task bench:floor --gzip --rounds=15
 * ```
 *
 * Flags: `--rounds=N` (default 40), `--requests=N` per turn (default 250;
 * 1 body per turn with `--gzip`), `--in-flight=N` (default 1: one after
 * another), `--gzip` (the 64 MiB gzip download instead of small GETs).
 *
 * @module
 */

import process from "node:process";
import { FetchTransport, NetworkAccessManager } from "../mod.ts";
import { countingStream } from "../src/transport/counting_stream.ts";
import { flagValue } from "./cli_flags.ts";
import { drain } from "./clients/client.ts";
import { ACCEPT_ENCODING, fetchFloorClient } from "./clients/fetch_floor.ts";
import { exchangeOnly } from "./clients/exchange_only.ts";
import { runInFlight } from "./measure.ts";
import { median, quantile } from "./stats.ts";
import { startServer } from "./subprocess.ts";

const MIB = 1024 * 1024;
const GZIP_BYTES = 64 * MIB;

/** One client: a name and how it fetches `url` to the end of the body. */
type Step = readonly [name: string, get: (url: string) => Promise<unknown>];

function smallGetSteps(manager: NetworkAccessManager, transport: FetchTransport): Step[] {
  const floor = fetchFloorClient();
  return [
    ["raw fetch, bytes()", async (url) => await (await fetch(url)).bytes()],
    ["+ redirect: manual", async (url) => await (await fetch(url, { redirect: "manual" })).bytes()],
    ["+ abort signal", async (url) => {
      const controller = new AbortController();
      return await (await fetch(url, { redirect: "manual", signal: controller.signal })).bytes();
    }],
    ["+ Accept-Encoding", async (url) => {
      const controller = new AbortController();
      const init: RequestInit = {
        redirect: "manual",
        signal: controller.signal,
        headers: [["accept-encoding", ACCEPT_ENCODING]],
      };
      return await (await fetch(url, init)).bytes();
    }],
    ["+ streaming read (the fetch floor)", (url) => floor.smallGet!(url)],
    ["netreply's fetch transport alone", (url) => exchangeOnly(transport, url)],
    ["netreply on fetch", (url) => manager.get(url).bytes()],
  ];
}

function gzipSteps(manager: NetworkAccessManager): Step[] {
  return [
    ["raw fetch, reader loop", async (url) => await drain((await fetch(url)).body)],
    ["+ counting TransformStream (the floor)", async (url) => {
      let counted = 0;
      const body = (await fetch(url)).body!.pipeThrough(countingStream((total) => counted = total));
      await drain(body);
      return counted;
    }],
    ["netreply on fetch", async (url) => {
      let read = 0;
      for await (const chunk of manager.get(url)) read += chunk.byteLength;
      return read;
    }],
  ];
}

/** Per-turn figures of one client. */
interface Turn {
  readonly cpuPerRequest: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
}

async function turn(get: () => Promise<unknown>, requests: number, inFlight: number): Promise<Turn> {
  const latencies: number[] = [];
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  if (inFlight === 1) {
    for (let i = 0; i < requests; i++) {
      const start = performance.now();
      await get();
      latencies.push(performance.now() - start);
    }
  } else {
    await runInFlight(get, requests, inFlight);
  }
  const seconds = (performance.now() - wallStart) / 1000;
  const used = process.cpuUsage(cpuStart);
  return {
    cpuPerRequest: (used.user + used.system) / requests,
    requestsPerSecond: requests / seconds,
    p50: latencies.length > 0 ? quantile(latencies, 0.5) : NaN,
    p99: latencies.length > 0 ? quantile(latencies, 0.99) : NaN,
  };
}

async function main(args: readonly string[]): Promise<void> {
  const gzip = args.includes("--gzip");
  const rounds = Number(flagValue(args, "rounds") ?? 40);
  const requests = Number(flagValue(args, "requests") ?? (gzip ? 1 : 250));
  const inFlight = Number(flagValue(args, "in-flight") ?? 1);
  await using server = await startServer(gzip ? GZIP_BYTES : MIB);
  await using manager = new NetworkAccessManager({ proxy: null, transport: "fetch" });
  const url = `${server.origin}/${gzip ? "gzip" : "small"}`;
  const transport = new FetchTransport();
  await using _closeTransport = { [Symbol.asyncDispose]: () => transport.close() };
  const steps = gzip ? gzipSteps(manager) : smallGetSteps(manager, transport);

  for (const [, get] of steps) for (let i = 0; i < (gzip ? 2 : 1000); i++) await get(url);
  const turns = new Map<string, Turn[]>(steps.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, get] of steps) turns.get(name)!.push(await turn(() => get(url), requests, inFlight));
  }

  const base = turns.get(steps[0][0])!;
  const ratio = (name: string, figure: keyof Turn) =>
    median(turns.get(name)!.map((t, round) => t[figure] / base[round][figure])).toFixed(2);
  const mid = (name: string, figure: keyof Turn) => median(turns.get(name)!.map((t) => t[figure]));
  const what = gzip
    ? `the ${GZIP_BYTES / MIB} MiB gzip download`
    : inFlight === 1
    ? `${requests} sequential small GETs`
    : `${requests} small GETs, ${inFlight} in flight`;
  console.log(
    `${rounds} rounds of ${what} per client in turns; ratios are to the first row, round by round\n`,
  );
  if (gzip) {
    console.log("| client | decoded MiB/s | ÷ first | CPU ms/body | ÷ first |");
    console.log("| --- | --: | --: | --: | --: |");
    for (const [name] of steps) {
      const mibPerSecond = mid(name, "requestsPerSecond") * GZIP_BYTES / MIB;
      console.log(
        `| ${name} | ${mibPerSecond.toFixed(0)} | ${ratio(name, "requestsPerSecond")}× | ` +
          `${(mid(name, "cpuPerRequest") / 1000).toFixed(1)} | ${ratio(name, "cpuPerRequest")}× |`,
      );
    }
  } else if (inFlight === 1) {
    console.log("| client | CPU µs/req | ÷ first | req/s | ÷ first | p50 µs | ÷ first | p99 µs | ÷ first |");
    console.log("| --- | --: | --: | --: | --: | --: | --: | --: | --: |");
    for (const [name] of steps) {
      console.log(
        `| ${name} | ${mid(name, "cpuPerRequest").toFixed(1)} | ${ratio(name, "cpuPerRequest")}× | ` +
          `${mid(name, "requestsPerSecond").toFixed(0)} | ${ratio(name, "requestsPerSecond")}× | ` +
          `${(mid(name, "p50") * 1000).toFixed(0)} | ${ratio(name, "p50")}× | ` +
          `${(mid(name, "p99") * 1000).toFixed(0)} | ${ratio(name, "p99")}× |`,
      );
    }
  } else {
    console.log("| client | CPU µs/req | ÷ first | req/s | ÷ first |");
    console.log("| --- | --: | --: | --: | --: |");
    for (const [name] of steps) {
      console.log(
        `| ${name} | ${mid(name, "cpuPerRequest").toFixed(1)} | ${ratio(name, "cpuPerRequest")}× | ` +
          `${mid(name, "requestsPerSecond").toFixed(0)} | ${ratio(name, "requestsPerSecond")}× |`,
      );
    }
  }
}

if (import.meta.main) await main(Deno.args);
