/**
 * The side-by-side benchmark: netreply (on its fetch and its socket
 * transport) against the runtime's fetch, ky, ofetch, axios (fetch
 * adapter), wretch and a raw socket, every client driven through its own
 * streaming and progress API, against a loopback server in a separate
 * process. Interleaved rounds in a seeded shuffled
 * order; ratios to raw fetch per round; medians and ranges; targets checked.
 *
 * Run: `deno task bench` (full; writes bench/RESULTS.md) or
 * `deno task bench:quick` (every scenario once, tiny; writes nothing and
 * fails only when the benchmark cannot run). `--rounds=N` changes the number
 * of rounds; `--note=TEXT` adds a note about the run; `--no-gc` leaves out
 * the full GC between samples. See bench/README.md.
 *
 * @module
 */

import { NetworkAccessManager } from "../mod.ts";
import type { BenchClient } from "./clients/client.ts";
import { BASELINE, createClients } from "./clients/client_list.ts";
import { type BenchTransport, NETREPLY_TRANSPORTS, netreplyName } from "./clients/netreply.ts";
import { type BenchConfig, benchConfig } from "./config.ts";
import { formatNumber } from "./format.ts";
import { machineInfo } from "./machine_info.ts";
import { measureConcurrent, measureSequential, measureTransfer } from "./measure.ts";
import { READ_STYLES, type ReadStyle } from "./read_styles.ts";
import { Results, type Sample } from "./results.ts";
import { renderResults } from "./results_markdown.ts";
import type { RetentionResult } from "./retention.ts";
import {
  CLIENT_SCENARIOS,
  CONCURRENT,
  DOWNLOAD,
  GZIP,
  readStyleScenarios,
  RETENTION,
  type ScenarioDef,
  SEQUENTIAL,
  SLOW_CONSUMER,
  UPLOAD,
} from "./scenarios.ts";
import { seededRandom, shuffled } from "./seeded_random.ts";
import type { SlowConsumerResult } from "./slow_consumer.ts";
import { formatMarkdown, runScript, type ServerProcess, startServer } from "./subprocess.ts";
import { checkTargets, type TargetCheck } from "./targets.ts";

const MIB = 1024 * 1024;

/** The server's URLs and the sizes of its small bodies. */
interface Endpoints {
  readonly small: string;
  readonly smallLength: number;
  readonly json: string;
  readonly jsonLength: number;
  readonly jsonLarge: string;
  readonly big: string;
  readonly gzip: string;
  readonly upload: string;
  readonly slow: string;
}

async function endpoints(origin: string, config: BenchConfig): Promise<Endpoints> {
  const length = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    return (await response.bytes()).byteLength;
  };
  return {
    small: `${origin}/small`,
    smallLength: await length(`${origin}/small`),
    json: `${origin}/json`,
    jsonLength: await length(`${origin}/json`),
    jsonLarge: `${origin}/json?bytes=${config.readStyleLargeBytes}`,
    big: `${origin}/big?bytes=${config.downloadBytes}`,
    gzip: `${origin}/gzip`,
    upload: `${origin}/upload`,
    slow: `${origin}/big?bytes=${config.slowConsumerBytes}`,
  };
}

/** How long a sample waits after the full GC, so that the GC's background sweeping ends before it starts. */
const SETTLE_MS = 25;

/**
 * V8's full garbage collection, which `--v8-flags=--expose-gc` puts on
 * `globalThis`; `deno task bench` and `bench:quick` pass that flag.
 */
function exposedGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") {
    throw new Error(
      "bench/main.ts needs --v8-flags=--expose-gc to collect garbage between samples (run it with " +
        "`deno task bench`, or pass --no-gc)",
    );
  }
  return gc;
}

/** Runs measurements with a time limit, racing the server's death; records failures. */
class Runner {
  readonly #results: Results;
  readonly #timeoutMs: number;
  readonly #serverDied: Promise<never>;
  readonly #collectGarbage: (() => void) | undefined;

  constructor(results: Results, config: BenchConfig, server: ServerProcess) {
    this.#results = results;
    this.#timeoutMs = config.measurementTimeoutMs;
    this.#collectGarbage = config.collectBetweenSamples ? exposedGc() : undefined;
    this.#serverDied = server.died.then((message) => {
      throw new Error(message || "the server stopped");
    });
    this.#serverDied.catch(() => {});
  }

  /**
   * A full GC, then a pause for its background sweeping (unless `--no-gc`):
   * what comes next starts on a clean heap and does not collect the garbage
   * of what ran before it (a 256 MiB download, another client's requests).
   */
  async settle(): Promise<void> {
    if (this.#collectGarbage === undefined) return;
    this.#collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }

  /** Runs `work`; on success records its sample (unless `round` is -1, a warm-up) and returns it. */
  async run(
    scenario: ScenarioDef,
    row: string,
    round: number,
    work: () => Promise<Sample>,
  ): Promise<Sample | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result after ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    const attempt = work();
    attempt.catch(() => {});
    try {
      const sample = await Promise.race([attempt, timeout, this.#serverDied]);
      if (round >= 0) this.#results.record(scenario, row, round, sample);
      return sample;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#results.fail(scenario, row, message);
      console.error(`  ! ${scenario.id} / ${row}: ${message}`);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What one client does in one scenario, or `undefined` where it cannot. */
type ClientWork = (client: BenchClient) => (() => Promise<Sample>) | undefined;

function clientWork(config: BenchConfig, urls: Endpoints, uploadBody: Uint8Array<ArrayBuffer>) {
  const work = new Map<ScenarioDef, ClientWork>();
  work.set(SEQUENTIAL, (c) => {
    if (!c.smallGet) return undefined;
    return async () => ({
      ...await measureSequential(c, urls.small, config.sequentialRequests, urls.smallLength),
    });
  });
  work.set(CONCURRENT, (c) => {
    if (!c.smallGet) return undefined;
    return async () => ({
      reqPerSec: await measureConcurrent(
        c,
        urls.small,
        config.concurrentRequests,
        config.inFlight,
        urls.smallLength,
      ),
    });
  });
  work.set(DOWNLOAD, (c) => {
    const download = c.download?.bind(c);
    if (!download) return undefined;
    return async () => ({
      ...await measureTransfer(
        c,
        "the download",
        (progress) => download(urls.big, progress),
        config.downloadBytes,
        c.countsHead === true,
        c.reportsProgress.download,
      ),
    });
  });
  work.set(GZIP, (c) => {
    const download = c.decodedDownload?.bind(c);
    if (!download) return undefined;
    return async () => ({
      ...await measureTransfer(
        c,
        "the gzip download",
        (progress) => download(urls.gzip, progress),
        config.gzipBytes,
        false,
        c.reportsProgress.download,
      ),
    });
  });
  work.set(UPLOAD, (c) => {
    const upload = c.upload?.bind(c);
    if (!upload) return undefined;
    return async () => ({
      ...await measureTransfer(
        c,
        "the upload",
        (progress) => upload(urls.upload, uploadBody, progress),
        uploadBody.byteLength,
        false,
        c.reportsProgress.upload,
      ),
    });
  });
  return work;
}

/**
 * Times every read style over `requests` requests, the styles taking turns
 * `block` requests at a time, so that drift within a round (the machine, the
 * allocator, the server) reaches them alike. A style that fails is recorded
 * as failed by the runner and left out of later turns.
 *
 * @returns The requests made and the seconds they took, per style that did not fail.
 */
async function readStylesInTurns(
  runner: Runner,
  scenario: ScenarioDef,
  nam: NetworkAccessManager,
  styles: readonly ReadStyle[],
  work: { url: string; requests: number; length: number; block: number },
): Promise<Map<string, { requests: number; seconds: number }>> {
  // Once before all the turns, not before each block: a collection between blocks of 50 requests would land
  // its aftermath (the collector's background work, code to compile again) in every block.
  await runner.settle();
  const totals = new Map<string, { requests: number; seconds: number }>();
  const failed = new Set<string>();
  for (let done = 0; done < work.requests; done += work.block) {
    const count = Math.min(work.block, work.requests - done);
    for (const style of styles) {
      if (failed.has(style.name)) continue;
      const sample = await runner.run(scenario, style.name, -1, async () => ({
        seconds: await readStyleSample(nam, style.run, work.url, count, work.length),
      }));
      if (sample === undefined) {
        failed.add(style.name);
        totals.delete(style.name);
        continue;
      }
      const total = totals.get(style.name) ?? { requests: 0, seconds: 0 };
      totals.set(style.name, { requests: total.requests + count, seconds: total.seconds + sample.seconds });
    }
  }
  return totals;
}

async function readStyleSample(
  nam: NetworkAccessManager,
  run: (nam: NetworkAccessManager, url: string) => Promise<number>,
  url: string,
  count: number,
  length: number,
): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const got = await run(nam, url);
    if (got !== length) throw new Error(`read ${got} bytes, expected ${length}`);
  }
  return (performance.now() - start) / 1000;
}

function headline(sample: Sample | undefined, scenario: ScenarioDef): string {
  if (sample === undefined) return "error";
  const metric = scenario.metrics[0];
  return `${formatNumber(sample[metric.id], metric.digits)} ${metric.label}`;
}

async function main(): Promise<number> {
  const started = performance.now();
  const config = benchConfig(Deno.args);
  const machine = machineInfo();
  console.log(
    `netreply bench, ${
      config.quick ? "quick" : "full"
    } run: ${config.rounds} round(s), Deno ${machine.deno}, ` +
      `${machine.cpu}, ${machine.cores} cores`,
  );
  const server = await startServer(config.gzipBytes);
  if (server.deno !== machine.deno) {
    console.warn(`warning: the server runs Deno ${server.deno}, the benchmark Deno ${machine.deno}`);
  }
  const managers = new Map<BenchTransport, NetworkAccessManager>();
  const manager = (transport: BenchTransport) => {
    let nam = managers.get(transport);
    if (!nam) managers.set(transport, nam = new NetworkAccessManager({ proxy: null, transport }));
    return nam;
  };
  const results = new Results();
  const retention = new Map<string, RetentionResult>();
  let retentionLeak = false;
  try {
    const urls = await endpoints(server.origin, config);
    const clients = createClients(manager);
    const runner = new Runner(results, config, server);
    const uploadBody = new Uint8Array(config.uploadBytes).fill(0x75);
    const work = clientWork(config, urls, uploadBody);
    const styleScenarios = NETREPLY_TRANSPORTS.map((t) => ({ transport: t, ...readStyleScenarios(t) }));
    for (const scenario of CLIENT_SCENARIOS) {
      results.declareRows(scenario, clients.map((c) => c.name));
    }
    results.declareRows(SLOW_CONSUMER, [BASELINE, ...NETREPLY_TRANSPORTS.map(netreplyName)]);
    for (const { small, large } of styleScenarios) {
      results.declareRows(small, READ_STYLES.map((s) => s.name));
      results.declareRows(large, READ_STYLES.map((s) => s.name));
    }

    if (config.warmUp) {
      console.log("warm-up");
      const warm = clientWork(
        { ...config, sequentialRequests: 300, concurrentRequests: 640, downloadBytes: 32 * MIB },
        { ...urls, big: `${server.origin}/big?bytes=${32 * MIB}` },
        new Uint8Array(8 * MIB).fill(0x75), // its own buffer: axios sends a view's whole buffer
      );
      for (const client of clients) {
        for (const [scenario, what] of warm) {
          const job = what(client);
          if (job) await runner.run(scenario, client.name, -1, job);
        }
      }
      for (const { transport, small } of styleScenarios) {
        for (const style of READ_STYLES) {
          await runner.run(small, style.name, -1, async () => ({
            seconds: await readStyleSample(manager(transport), style.run, urls.json, 100, urls.jsonLength),
          }));
        }
      }
    }

    const random = seededRandom(config.seed);
    for (let round = 0; round < config.rounds; round++) {
      const order = shuffled(clients, random);
      const prefix = `round ${round + 1}/${config.rounds}`;
      console.log(`${prefix}: ${order.map((c) => c.name).join(", ")}`);
      for (const scenario of CLIENT_SCENARIOS) {
        const line: string[] = [];
        for (const client of order) {
          const job = work.get(scenario)!(client);
          if (!job) continue;
          await runner.settle();
          line.push(
            `${client.name} ${headline(await runner.run(scenario, client.name, round, job), scenario)}`,
          );
        }
        console.log(`  ${scenario.id}: ${line.join(" · ")}`);
      }

      const slowRows = shuffled([undefined, ...NETREPLY_TRANSPORTS], random);
      const slowLine: string[] = [];
      for (const transport of slowRows) {
        const row = transport === undefined ? BASELINE : netreplyName(transport);
        const args = [
          `--client=${transport === undefined ? "fetch" : "netreply"}`,
          `--transport=${transport ?? "fetch"}`,
          `--url=${urls.slow}`,
          `--bytes=${config.slowConsumerBytes}`,
          `--warm-bytes=${config.slowConsumerWarmBytes}`,
        ];
        const sample = await runner.run(SLOW_CONSUMER, row, round, async () => {
          const result = await runScript<SlowConsumerResult>("./slow_consumer.ts", args, ["--expose-gc"]);
          return { growthMiB: result.growthBytes / MIB, seconds: result.seconds };
        });
        slowLine.push(`${row} ${headline(sample, SLOW_CONSUMER)}`);
      }
      console.log(`  ${SLOW_CONSUMER.id}: ${slowLine.join(" · ")}`);

      for (const { transport, small, large } of styleScenarios) {
        const nam = manager(transport);
        const line: string[] = [];
        const styles = shuffled(READ_STYLES, random);
        const turns = (scenario: ScenarioDef, url: string, requests: number, length: number, block: number) =>
          readStylesInTurns(runner, scenario, nam, styles, { url, requests, length, block });
        const smallSeconds = await turns(small, urls.json, config.readStyleRequests, urls.jsonLength, 50);
        const largeSeconds = await turns(
          large,
          urls.jsonLarge,
          config.readStyleLargeRequests,
          config.readStyleLargeBytes,
          1,
        );
        for (const style of styles) {
          const smallTime = smallSeconds.get(style.name);
          const largeTime = largeSeconds.get(style.name);
          const a = smallTime && { reqPerSec: smallTime.requests / smallTime.seconds };
          const b = largeTime && {
            mibPerSec: largeTime.requests * config.readStyleLargeBytes / MIB / largeTime.seconds,
          };
          if (a) results.record(small, style.name, round, a);
          if (b) results.record(large, style.name, round, b);
          line.push(`${style.name} ${headline(a, small)}, ${headline(b, large)}`);
        }
        console.log(`  read styles (${transport}): ${line.join(" · ")}`);
      }
    }

    for (const transport of NETREPLY_TRANSPORTS) {
      const row = netreplyName(transport);
      await runner.run(RETENTION, row, -1, async () => {
        const result = await runScript<RetentionResult>(
          "./retention.ts",
          [`--url=${urls.small}`, `--count=${config.retentionReplies}`, `--transport=${transport}`],
          ["--expose-gc"],
        );
        retention.set(row, result);
        return { heapDeltaKiB: result.heapDeltaBytes / 1024 };
      });
      const result = retention.get(row);
      if (result) {
        const kib = formatNumber(result.heapDeltaBytes / 1024, 0);
        console.log(`retention (${row}): ${result.replies} replies, heap delta ${kib} KiB`);
        if (result.heapDeltaBytes > config.retentionLimitBytes) {
          retentionLeak = true;
          console.error(
            `\n!!! RETENTION: ${row} kept ${kib} KiB of heap after ${result.replies} finished replies ` +
              `(limit ${formatNumber(config.retentionLimitBytes / 1024, 0)} KiB) !!!\n`,
          );
        }
      }
    }

    const clientNotes = clients.flatMap((c) => (c.note ? [c.note] : []));
    const targets = new Map<string, TargetCheck[]>(
      NETREPLY_TRANSPORTS.map((t) => [
        netreplyName(t),
        checkTargets(results, t, retention.get(netreplyName(t)), config.retentionLimitBytes),
      ]),
    );
    const report = await formatMarkdown(renderResults({
      config,
      machine,
      results,
      scenarios: [
        ...CLIENT_SCENARIOS,
        SLOW_CONSUMER,
        ...styleScenarios.flatMap(({ small, large }) => [small, large]),
      ],
      baseline: BASELINE,
      targets,
      retention,
      notes: [
        ...(config.note === undefined ? [] : [config.note]),
        config.collectBetweenSamples
          ? "A full GC and a pause of 25 ms went before each client's sample and before each read-style scenario."
          : "Run with --no-gc: no full GC between samples.",
        ...clientNotes,
        "ky, axios and wretch wrap a response body in a stream of their own to report download progress " +
        "(wretch also the request body for upload progress); that cost is part of their figures.",
        "netreply on its fetch transport and raw fetch share the runtime's connection pool with ky, ofetch, " +
        "axios and wretch (all call the global fetch); netreply (socket) and the raw socket open their own " +
        "connections.",
      ],
      seconds: (performance.now() - started) / 1000,
    }));
    console.log(`\n${report}`);
    if (!config.quick) {
      const path = new URL("./RESULTS.md", import.meta.url);
      await Deno.writeTextFile(path, report);
      console.log(`wrote ${path.pathname}`);
    }
  } finally {
    for (const nam of managers.values()) await nam.close();
    await server.close();
  }

  const failures = results.failures();
  console.log(`\nfinished in ${formatNumber((performance.now() - started) / 1000, 0)} s`);
  if (failures.length > 0) {
    console.error(`The benchmark could not run everything (${failures.length} failure(s)):`);
    for (const failure of failures) console.error(`  ${failure}`);
    return 1;
  }
  if (retentionLeak && !config.quick) return 1;
  return 0;
}

if (import.meta.main) Deno.exit(await main());
