/**
 * One slow-consumer sample, run by the benchmark in a fresh process (so the
 * heap and RSS start clean) with `--v8-flags=--expose-gc`: downloads
 * `--bytes` from `--url`, consuming 1 MiB every 10 ms, and prints
 * `{"growthBytes":N,...}` — how far RSS (`Deno.memoryUsage().rss`) rose above
 * its level just before the request.
 *
 * - `--client=fetch`: the runtime's fetch, reading the body's reader slowly.
 * - `--client=netreply --transport=T`: `reply.setReadBufferSize(65536)`,
 *   reading with `read()` as `readyRead` arrives.
 *
 * So that the figure is what the client holds, not garbage: the same paced
 * download of `--warm-bytes` runs first (the runtime's steady-state buffers
 * are then part of the baseline), and a full GC runs on every tick, before
 * the 10 ms pause; RSS is sampled after the pause.
 *
 * @module
 */

import { NetworkAccessManager, NetworkError, type NetworkReply } from "../mod.ts";
import { flagValue, requiredFlag } from "./cli_flags.ts";
import type { BenchTransport } from "./clients/netreply.ts";
import { exposedGc } from "./exposed_gc.ts";

const MIB = 1024 * 1024;
const PACE_BYTES = MIB;
const PACE_MS = 10;
const READ_BUFFER_SIZE = 64 * 1024;

/** What one sample prints. */
export interface SlowConsumerResult {
  /** Peak RSS minus RSS before the request. */
  readonly growthBytes: number;
  /** RSS before the request. */
  readonly baselineBytes: number;
  /** Bytes read. */
  readonly bytes: number;
  /** Wall time of the download in seconds. */
  readonly seconds: number;
}

/** Reads up to `max` bytes, waiting for data if needed; -1 at the end of the body. */
type ReadUpTo = (max: number) => Promise<number>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function collectGarbage(): void {
  exposedGc()();
}

/** Consumes {@linkcode PACE_BYTES} per tick until the end; calls `sample` after each pause. */
async function paced(readUpTo: ReadUpTo, sample: () => void): Promise<number> {
  let total = 0;
  for (;;) {
    let tick = 0;
    while (tick < PACE_BYTES) {
      const n = await readUpTo(PACE_BYTES - tick);
      if (n < 0) return total + tick;
      tick += n;
    }
    total += tick;
    collectGarbage();
    await sleep(PACE_MS);
    sample();
  }
}

async function fetchSlowly(url: string, sample: () => void): Promise<number> {
  const response = await fetch(url);
  if (!response.ok || response.body === null) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const reader = response.body.getReader();
  return await paced(async () => {
    const { done, value } = await reader.read();
    return done ? -1 : value.byteLength;
  }, sample);
}

/**
 * Waits for the next `readyRead` or `finished`. Both listeners go when either
 * fires: a `finished` listener left behind on every wait would keep one
 * closure per wait alive until the end of the download (about 2 MiB of heap
 * over 256 MiB), which the RSS figure would count against netreply.
 */
function nextSignal(reply: NetworkReply): Promise<void> {
  return new Promise((resolve) => {
    const heard = new AbortController();
    const wake = () => {
      heard.abort();
      resolve();
    };
    reply.addEventListener("readyRead", wake, { signal: heard.signal });
    reply.addEventListener("finished", wake, { signal: heard.signal });
  });
}

async function netreplySlowly(nam: NetworkAccessManager, url: string, sample: () => void): Promise<number> {
  const reply = nam.get(url);
  reply.setReadBufferSize(READ_BUFFER_SIZE);
  const total = await paced(async (max) => {
    while (reply.bytesAvailable() === 0) {
      if (reply.isFinished()) return -1;
      await nextSignal(reply);
    }
    return reply.read(max).byteLength;
  }, sample);
  if (reply.error() !== NetworkError.NoError) throw new Error(`netreply ${url}: ${reply.errorString()}`);
  return total;
}

if (import.meta.main) {
  const client = requiredFlag(Deno.args, "client");
  const url = new URL(requiredFlag(Deno.args, "url"));
  const expected = Number(requiredFlag(Deno.args, "bytes"));
  const warmBytes = Number(flagValue(Deno.args, "warm-bytes") ?? 32 * MIB);
  const transport = (flagValue(Deno.args, "transport") ?? "fetch") as BenchTransport;
  const nam = new NetworkAccessManager({ proxy: null, transport });
  const download = (target: string, sample: () => void) =>
    client === "fetch" ? fetchSlowly(target, sample) : netreplySlowly(nam, target, sample);

  const warmUrl = new URL(url);
  warmUrl.searchParams.set("bytes", String(warmBytes));
  await download(warmUrl.href, () => {});
  collectGarbage();
  await sleep(PACE_MS);
  const baselineBytes = Deno.memoryUsage().rss;
  let peak = baselineBytes;
  const start = performance.now();
  const bytes = await download(url.href, () => {
    peak = Math.max(peak, Deno.memoryUsage().rss);
  });
  const seconds = (performance.now() - start) / 1000;
  await nam.close();
  if (bytes !== expected) throw new Error(`${client}: read ${bytes} bytes, expected ${expected}`);
  const result: SlowConsumerResult = { growthBytes: peak - baselineBytes, baselineBytes, bytes, seconds };
  console.log(JSON.stringify(result));
}
