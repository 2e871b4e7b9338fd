/**
 * The benchmark's sizes and counts: the full run that writes RESULTS.md, and
 * the quick run (`--quick`) that runs every scenario tiny, once, to prove the
 * benchmark still runs.
 *
 * @module
 */

import { flagValue } from "./cli_flags.ts";

const MIB = 1024 * 1024;

/** Sizes and counts of one benchmark run. */
export interface BenchConfig {
  /** Whether this is the quick run (no RESULTS.md, figures not meaningful). */
  readonly quick: boolean;
  /** Interleaved rounds. */
  readonly rounds: number;
  /** The seed of the PRNG that orders the clients in each round. */
  readonly seed: number;
  /** Whether a warm-up pass runs before the first round. */
  readonly warmUp: boolean;
  /** Small GETs per client per round, one after another. */
  readonly sequentialRequests: number;
  /** Small GETs per client per round with {@linkcode BenchConfig.inFlight} outstanding. */
  readonly concurrentRequests: number;
  /** Requests outstanding at once in the concurrent scenario. */
  readonly inFlight: number;
  /** Bytes of the big download. */
  readonly downloadBytes: number;
  /** Decoded bytes of the gzip download. */
  readonly gzipBytes: number;
  /** Bytes of the upload. */
  readonly uploadBytes: number;
  /** Bytes of the slow-consumer download. */
  readonly slowConsumerBytes: number;
  /** Bytes of the paced download each slow-consumer process runs before its baseline. */
  readonly slowConsumerWarmBytes: number;
  /** Requests per read style per round on the small JSON body. */
  readonly readStyleRequests: number;
  /** Bytes of the large JSON body for the read styles. */
  readonly readStyleLargeBytes: number;
  /** Requests per read style per round on the large JSON body. */
  readonly readStyleLargeRequests: number;
  /** Finished replies in the retention check. */
  readonly retentionReplies: number;
  /** Heap growth in bytes above which the retention check fails. */
  readonly retentionLimitBytes: number;
  /** Milliseconds one measurement may take before it counts as hung. */
  readonly measurementTimeoutMs: number;
  /** What the person running the benchmark says about the run (`--note=...`), first in the notes. */
  readonly note?: string;
  /**
   * Whether a full GC (and a pause for its background work) goes before each
   * client's sample and each read-style scenario; `--no-gc` turns it off, to
   * see what it changes.
   */
  readonly collectBetweenSamples: boolean;
}

const FULL: BenchConfig = {
  quick: false,
  rounds: 11,
  seed: 0x6e7271,
  warmUp: true,
  sequentialRequests: 2000,
  concurrentRequests: 4000,
  inFlight: 64,
  downloadBytes: 256 * MIB,
  gzipBytes: 64 * MIB,
  uploadBytes: 64 * MIB,
  slowConsumerBytes: 256 * MIB,
  slowConsumerWarmBytes: 32 * MIB,
  readStyleRequests: 1000,
  readStyleLargeBytes: 16 * MIB,
  readStyleLargeRequests: 6,
  retentionReplies: 10_000,
  retentionLimitBytes: MIB,
  measurementTimeoutMs: 180_000,
  collectBetweenSamples: true,
};

const QUICK: BenchConfig = {
  ...FULL,
  quick: true,
  rounds: 1,
  warmUp: false,
  sequentialRequests: 50,
  concurrentRequests: 256,
  downloadBytes: 8 * MIB,
  gzipBytes: 4 * MIB,
  uploadBytes: 4 * MIB,
  slowConsumerBytes: 8 * MIB,
  slowConsumerWarmBytes: 2 * MIB,
  readStyleRequests: 20,
  readStyleLargeBytes: MIB,
  readStyleLargeRequests: 2,
  retentionReplies: 1000,
  measurementTimeoutMs: 30_000,
};

/**
 * The configuration `args` ask for: `--quick` (or `BENCH_QUICK=1` where env
 * access is granted) for the quick run, `--rounds=N` to change the number of
 * rounds, `--note=TEXT` for a note about the run (e.g. what else the machine
 * was doing), `--no-gc` for no full GC between samples.
 *
 * @param args The program's arguments.
 * @returns The configuration.
 */
export function benchConfig(args: readonly string[]): BenchConfig {
  let quick = args.includes("--quick");
  if (!quick && Deno.permissions.querySync({ name: "env", variable: "BENCH_QUICK" }).state === "granted") {
    quick = Deno.env.get("BENCH_QUICK") === "1";
  }
  const note = flagValue(args, "note");
  let base = note === undefined ? (quick ? QUICK : FULL) : { ...(quick ? QUICK : FULL), note };
  if (args.includes("--no-gc")) base = { ...base, collectBetweenSamples: false };
  const rounds = flagValue(args, "rounds");
  if (rounds === undefined) return base;
  const n = Number(rounds);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`--rounds must be a positive integer, got ${rounds}`);
  }
  return { ...base, rounds: n };
}
