/**
 * One measurement of one client in one scenario: wall time, per-request
 * latency and the process's CPU time (user + system, all threads, from
 * `process.cpuUsage()`), with a check that every transfer delivered the
 * expected number of bytes.
 *
 * @module
 */

import process from "node:process";
import type { BenchClient, ProgressSink } from "./clients/client.ts";
import { quantile } from "./stats.ts";

const MIB = 1024 * 1024;

/** Sequential small GETs. */
export interface SequentialResult {
  /** Requests per second. */
  readonly reqPerSec: number;
  /** Median latency in ms. */
  readonly p50Ms: number;
  /** 99th-percentile latency in ms. */
  readonly p99Ms: number;
  /** Client CPU time per request in µs. */
  readonly cpuUsPerReq: number;
}

/** A bulk transfer. */
export interface TransferResult {
  /** Throughput in MiB/s (of the nominal body size). */
  readonly mibPerSec: number;
  /** Client CPU time per MiB in ms. */
  readonly cpuMsPerMib: number;
}

function cpuMicros(since: ReturnType<typeof process.cpuUsage>): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

function expectBytes(
  client: BenchClient,
  what: string,
  got: number,
  expected: number,
  atLeast: boolean,
): void {
  if (atLeast ? got < expected : got !== expected) {
    throw new Error(
      `${client.name}: ${what} delivered ${got} bytes, expected ${atLeast ? "≥ " : ""}${expected}`,
    );
  }
}

/**
 * Runs `count` small GETs one after another.
 *
 * @param client The client; must have `smallGet`.
 * @param url The small body's URL.
 * @param count How many requests.
 * @param bodyLength The expected body length.
 * @returns Throughput, latency percentiles and CPU per request.
 */
export async function measureSequential(
  client: BenchClient,
  url: string,
  count: number,
  bodyLength: number,
): Promise<SequentialResult> {
  const get = client.smallGet!.bind(client);
  const latencies = new Float64Array(count);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const length = await get(url);
    latencies[i] = performance.now() - t0;
    if (length !== bodyLength) expectBytes(client, "a small GET", length, bodyLength, false);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuUs = cpuMicros(cpu);
  const sorted = [...latencies];
  return {
    reqPerSec: count / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    cpuUsPerReq: cpuUs / count,
  };
}

/**
 * Runs `count` small GETs with `inFlight` of them outstanding at any time.
 *
 * @param client The client; must have `smallGet`.
 * @param url The small body's URL.
 * @param count How many requests.
 * @param inFlight How many at once.
 * @param bodyLength The expected body length.
 * @returns Requests per second.
 */
export async function measureConcurrent(
  client: BenchClient,
  url: string,
  count: number,
  inFlight: number,
  bodyLength: number,
): Promise<number> {
  const get = client.smallGet!.bind(client);
  const start = performance.now();
  await runInFlight(
    async () => {
      const length = await get(url);
      if (length !== bodyLength) expectBytes(client, "a small GET", length, bodyLength, false);
    },
    count,
    inFlight,
  );
  return count / ((performance.now() - start) / 1000);
}

/**
 * Makes `count` calls of `call`, `inFlight` outstanding at any time; each
 * call gets its index (in the order they start).
 *
 * @param call One request.
 * @param count How many calls.
 * @param inFlight How many at once.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { runInFlight } from "./measure.ts";
 * let calls = 0;
 * await runInFlight(async () => { calls++; }, 10, 3);
 * equal(calls, 10);
 * ```
 */
export async function runInFlight(
  call: (index: number) => Promise<unknown>,
  count: number,
  inFlight: number,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await call(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/**
 * Runs one bulk transfer and times it.
 *
 * @param client The client, for messages.
 * @param what What the transfer is, for messages.
 * @param transfer Starts the transfer with a progress sink; resolves to the byte count.
 * @param bytes The nominal body size (the throughput's numerator).
 * @param atLeast Whether the count may exceed `bytes` (a raw socket counts the response head).
 * @param requireProgress Whether the client's progress listener must have been called.
 * @returns Throughput and CPU per MiB.
 */
export async function measureTransfer(
  client: BenchClient,
  what: string,
  transfer: (progress: ProgressSink) => Promise<number>,
  bytes: number,
  atLeast: boolean,
  requireProgress: boolean,
): Promise<TransferResult> {
  let progressCalls = 0;
  const progress: ProgressSink = () => {
    progressCalls++;
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  const got = await transfer(progress);
  const seconds = (performance.now() - start) / 1000;
  const cpuUs = cpuMicros(cpu);
  expectBytes(client, what, got, bytes, atLeast);
  if (requireProgress && progressCalls === 0) {
    throw new Error(`${client.name}: ${what} finished without calling its progress listener`);
  }
  return { mibPerSec: bytes / MIB / seconds, cpuMsPerMib: cpuUs / 1000 / (bytes / MIB) };
}
