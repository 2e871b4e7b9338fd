/**
 * Bytes allocated per small GET, and where: sequential small GETs against
 * the benchmark server in its own process, run in a child Deno under V8's
 * sampling heap profiler (through the inspector protocol), then the sampled
 * bytes per request by the netreply function that allocated them (the
 * innermost frame in this repository) and by the allocating function itself.
 * Unlike CPU time, allocation per request hardly moves between runs, so a
 * change to the request path can be judged by it on a noisy machine
 * (bench/README.md, "Where the time goes").
 *
 * ```sh
 * deno task bench:alloc                      # netreply on fetch, 10 000 requests
 * deno task bench:alloc --client=fetch       # raw fetch, for the baseline
 * deno task bench:alloc --client=floor       # the benchmark's fetch floor
 * deno task bench:alloc --client=transport   # netreply's fetch transport alone, no manager or reply
 * deno task bench:alloc --transport=socket   # netreply on its socket transport
 * deno task bench:alloc --style="body reader" # netreply read another way (bench/read_styles.ts)
 * ```
 *
 * Flags: `--requests=N` (default 10 000, after 2 000 unrecorded),
 * `--client=netreply|fetch|floor|transport`, `--transport=fetch|socket`, `--style=NAME`
 * (netreply reads the small body that way instead of `bytes()`), `--top=N`
 * rows per table (default 25). `--workload` runs the measured loop itself:
 * that is what the child runs.
 *
 * @module
 */

import { FetchTransport, NetworkAccessManager } from "../mod.ts";
import { flagValue } from "./cli_flags.ts";
import { exchangeOnly } from "./clients/exchange_only.ts";
import { fetchFloorClient } from "./clients/fetch_floor.ts";
import type { BenchTransport } from "./clients/netreply.ts";
import { READ_STYLES } from "./read_styles.ts";
import { startServer } from "./subprocess.ts";

const WARM_UP = 2000;
const START = "netreply-alloc: start";
const END = "netreply-alloc: end";
const ROOT = new URL("../", import.meta.url).href;

/** A node of V8's sampling heap profile (`HeapProfiler.stopSampling`). */
interface HeapNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

async function workload(
  requests: number,
  client: string,
  transport: BenchTransport,
  styleName: string,
): Promise<void> {
  const style = READ_STYLES.find((candidate) => candidate.name === styleName);
  if (style === undefined) {
    throw new RangeError(
      `--style=${styleName} is not a read style: ${
        READ_STYLES.map((candidate) => candidate.name).join(", ")
      }`,
    );
  }
  await using server = await startServer(1024 * 1024);
  await using nam = new NetworkAccessManager({ proxy: null, transport });
  const url = `${server.origin}/small`;
  const floor = fetchFloorClient();
  const fetchTransport = new FetchTransport();
  await using _closeTransport = { [Symbol.asyncDispose]: () => fetchTransport.close() };
  const get = client === "fetch"
    ? async () => await (await fetch(url)).bytes()
    : client === "floor"
    ? () => floor.smallGet!(url)
    : client === "transport"
    ? () => exchangeOnly(fetchTransport, url)
    : () => style.run(nam, url);
  for (let i = 0; i < WARM_UP; i++) await get();
  console.log(START);
  for (let i = 0; i < requests; i++) await get();
  console.log(END);
}

/**
 * `name (file)`, the file relative to the repository where it is in it; an
 * anonymous function gets its line too (of the JavaScript the runtime runs:
 * for a TypeScript file, types stripped, so near the source line, not on it).
 */
function frameName(node: HeapNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = (url.startsWith(ROOT) ? url.slice(ROOT.length) : url) || "native";
  return functionName ? `${functionName} (${file})` : `(anonymous) (${file}:${lineNumber + 1})`;
}

/** Sampled bytes by allocating function and by the innermost frame in this repository. */
function attribute(
  root: HeapNode,
): { total: number; byFunction: Map<string, number>; bySite: Map<string, number> } {
  const byFunction = new Map<string, number>();
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, site: string) => {
    const own = node.callFrame.url.startsWith(ROOT) && !node.callFrame.url.startsWith(`${ROOT}bench/`);
    const here = own ? frameName(node) : site;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const name = frameName(node);
      byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
      bySite.set(here, (bySite.get(here) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(root, "(outside netreply: the runtime, the benchmark)");
  return { total, byFunction, bySite };
}

function table(title: string, entries: Map<string, number>, requests: number, top: number): string {
  const rows = [...entries].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `| ${title} | bytes/req |`,
    "| --- | --: |",
    ...rows.map(([name, bytes]) => `| ${name} | ${Math.round(bytes / requests)} |`),
  ].join("\n");
}

/** Starts the child under the inspector, samples between its markers, prints the tables. */
async function profile(args: readonly string[]): Promise<void> {
  const requests = Number(flagValue(args, "requests") ?? 10_000);
  const top = Number(flagValue(args, "top") ?? 25);
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--no-prompt",
      "--allow-net=127.0.0.1",
      "--allow-run=deno",
      "--inspect-wait=127.0.0.1:0",
      import.meta.url,
      "--workload",
      ...args.filter((arg) => !arg.startsWith("--top=")),
    ],
    cwd: new URL("../", import.meta.url),
    stdin: "null",
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  // "Debugger listening on ws://127.0.0.1:PORT/ID" comes first on stderr.
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let address: string | undefined;
  while (address === undefined) {
    const { done, value } = await stderr.read();
    if (done) throw new Error(`The child did not open its inspector: ${text}`);
    text += value;
    address = /ws:\/\/\S+/.exec(text)?.[0];
  }
  void (async () => {
    while (!(await stderr.read()).done); // drained: the child must never block on a full pipe
  })();

  const socket = new WebSocket(address);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`Cannot connect to the child's inspector at ${address}`));
  });
  let id = 0;
  const replies = new Map<number, (result: unknown) => void>();
  let started!: () => void;
  let ended!: () => void;
  const start = new Promise<void>((resolve) => started = resolve);
  const end = new Promise<void>((resolve) => ended = resolve);
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.id !== undefined) replies.get(data.id)?.(data.result);
    if (data.method === "Runtime.consoleAPICalled") {
      const said = data.params.args.map((arg: { value?: unknown }) => arg.value).join(" ");
      if (said === START) started();
      if (said === END) ended();
    }
  };
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      replies.set(++id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("Runtime.enable");
  await send("Runtime.runIfWaitingForDebugger");
  await start;
  await send("HeapProfiler.startSampling", {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await end;
  const { profile: heap } = await send("HeapProfiler.stopSampling") as { profile: { head: HeapNode } };
  socket.close();
  const status = await child.status;
  if (!status.success) throw new Error(`The profiled run exited with code ${status.code}`);

  const { total, byFunction, bySite } = attribute(heap.head);
  console.log(`\nSampled allocation: ${Math.round(total / requests)} bytes per request\n`);
  console.log(
    table("netreply function that allocated (innermost frame in this repository)", bySite, requests, top),
  );
  console.log();
  console.log(table("allocating function", byFunction, requests, top));
}

if (import.meta.main) {
  if (Deno.args.includes("--workload")) {
    await workload(
      Number(flagValue(Deno.args, "requests") ?? 10_000),
      flagValue(Deno.args, "client") ?? "netreply",
      (flagValue(Deno.args, "transport") ?? "fetch") as BenchTransport,
      flagValue(Deno.args, "style") ?? "bytes()",
    );
  } else {
    await profile(Deno.args);
  }
}
