/**
 * The benchmark's scenarios and their metrics, as the results tables show
 * them. Client scenarios compare against raw fetch; the read-style scenarios
 * (one pair per netreply transport) compare against the fastest style.
 *
 * @module
 */

import type { BenchTransport } from "./clients/netreply.ts";

/** One figure a scenario produces. */
export interface MetricDef {
  /** The key in a sample. */
  readonly id: string;
  /** The column heading. */
  readonly label: string;
  /** Whether a higher or a lower figure is better. */
  readonly better: "higher" | "lower";
  /** Decimals shown. */
  readonly digits: number;
}

/** One scenario: a table in the results. */
export interface ScenarioDef {
  /** A stable key. */
  readonly id: string;
  /** The table heading. */
  readonly title: string;
  /** What is measured, for the results file. */
  readonly description: string;
  /** The figures, in column order. */
  readonly metrics: readonly MetricDef[];
  /** What ratios divide by: the raw-fetch row, or the best row of the same round. */
  readonly ratioTo: "baseline" | "fastest";
}

const reqPerSec: MetricDef = { id: "reqPerSec", label: "req/s", better: "higher", digits: 0 };
const mibPerSec: MetricDef = { id: "mibPerSec", label: "MiB/s", better: "higher", digits: 0 };
const cpuMsPerMib: MetricDef = { id: "cpuMsPerMib", label: "CPU ms/MiB", better: "lower", digits: 2 };

/** Small GETs one after another. */
export const SEQUENTIAL: ScenarioDef = {
  id: "sequential",
  title: "Small GET, sequential",
  description:
    "Small GETs one after another on a kept-alive connection: throughput, latency percentiles of " +
    "the individual requests, and the client process's CPU time (user + system) per request.",
  metrics: [
    reqPerSec,
    { id: "p50Ms", label: "p50 ms", better: "lower", digits: 3 },
    { id: "p99Ms", label: "p99 ms", better: "lower", digits: 3 },
    { id: "cpuUsPerReq", label: "CPU µs/req", better: "lower", digits: 1 },
  ],
  ratioTo: "baseline",
};

/** Small GETs, 64 at a time. */
export const CONCURRENT: ScenarioDef = {
  id: "concurrent",
  title: "Small GET, 64 in flight",
  description: "The same small GETs with 64 outstanding at any time.",
  metrics: [reqPerSec],
  ratioTo: "baseline",
};

/** The big download. */
export const DOWNLOAD: ScenarioDef = {
  id: "download",
  title: "Download (256 MiB) with a progress listener",
  description:
    "One large body with a Content-Length, read to the end and discarded as it arrives, with the " +
    "client's download-progress listener attached.",
  metrics: [mibPerSec, cpuMsPerMib],
  ratioTo: "baseline",
};

/** The gzip download. */
export const GZIP: ScenarioDef = {
  id: "gzip",
  title: "gzip download (decoded MiB/s)",
  description: "A gzip-encoded body (64 MiB decoded, about 2:1) that the client decodes; throughput counts " +
    "decoded bytes.",
  metrics: [mibPerSec, cpuMsPerMib],
  ratioTo: "baseline",
};

/** The upload. */
export const UPLOAD: ScenarioDef = {
  id: "upload",
  title: "Upload (64 MiB) with a progress listener",
  description: "One POST of a 64 MiB Uint8Array to a sink that reads and discards it, with the client's " +
    "upload-progress listener attached.",
  metrics: [mibPerSec, cpuMsPerMib],
  ratioTo: "baseline",
};

/** The slow consumer. */
export const SLOW_CONSUMER: ScenarioDef = {
  id: "slowConsumer",
  title: "Slow consumer, RSS growth",
  description:
    "256 MiB read at 1 MiB per 10 ms, each sample in a fresh process: raw fetch reading its body " +
    "reader slowly, netreply with `setReadBufferSize(65536)` reading with `read()` on `readyRead`. The " +
    "figure is the peak RSS above the RSS just before the request.",
  metrics: [{ id: "growthMiB", label: "RSS growth MiB", better: "lower", digits: 1 }],
  ratioTo: "baseline",
};

/** The retention check: reported in its own section, not as a table of rounds. */
export const RETENTION: ScenarioDef = {
  id: "retention",
  title: "Retention",
  description: "10 000 finished replies, then the heap after full GCs minus before, in a fresh process.",
  metrics: [{ id: "heapDeltaKiB", label: "heap delta KiB", better: "lower", digits: 0 }],
  ratioTo: "baseline",
};

/** The client scenarios, in table order. */
export const CLIENT_SCENARIOS: readonly ScenarioDef[] = [SEQUENTIAL, CONCURRENT, DOWNLOAD, GZIP, UPLOAD];

/**
 * The read-style scenarios of one netreply transport.
 *
 * @param transport The transport.
 * @returns The small-body and the large-body scenario.
 */
export function readStyleScenarios(transport: BenchTransport): { small: ScenarioDef; large: ScenarioDef } {
  const suffix = transport === "fetch" ? "" : ` (${transport} transport)`;
  return {
    small: {
      id: `readStyles:${transport}:small`,
      title: `netreply read styles, small JSON body${suffix}`,
      description:
        "The same small JSON GET (about 90 bytes) read each way netreply offers, one request after " +
        "another; ratios are to the style with the best median, in the same round.",
      metrics: [reqPerSec],
      ratioTo: "fastest",
    },
    large: {
      id: `readStyles:${transport}:large`,
      title: `netreply read styles, 16 MiB JSON body${suffix}`,
      description:
        "A 16 MiB JSON document (one long string literal) read each way; ratios are to the style " +
        "with the best median, in the same round. `text()` and `json()` also decode (and parse) the 16 MiB.",
      metrics: [mibPerSec],
      ratioTo: "fastest",
    },
  };
}
