/**
 * The performance targets netreply is held to, checked against a run's
 * medians. Each transport has its own:
 *
 * - fetch transport: throughput at least 0.95× raw fetch (latency at most
 *   1/0.95×), p99 at most 1.5×, CPU per small GET at most 1.1×, slow-consumer
 *   RSS growth no more than raw fetch's and at most 8 MiB.
 * - socket transport (its own HTTP/1.1 engine, so it is held to beat fetch):
 *   small GETs, sequential and 64 in flight, at least 1.0× raw fetch; the
 *   256 MiB download at least 0.8× the raw socket (the physical ceiling); the
 *   gzip download and the upload at least 1.0× raw fetch; slow-consumer RSS
 *   growth at most 8 MiB.
 *
 * Both: every read style within 10% of the fastest (on the 16 MiB body only
 * the styles that just read: `text()` and `json()` also decode and parse
 * it), and no heap retained after 10 000 finished replies.
 *
 * @module
 */

import { BASELINE, CEILING } from "./clients/client_list.ts";
import { FETCH_FLOOR } from "./clients/fetch_floor.ts";
import { type BenchTransport, netreplyName } from "./clients/netreply.ts";
import { formatNumber, formatRange, formatRatio } from "./format.ts";
import { READ_STYLES } from "./read_styles.ts";
import type { Results } from "./results.ts";
import type { RetentionResult } from "./retention.ts";
import {
  CONCURRENT,
  DOWNLOAD,
  GZIP,
  readStyleScenarios,
  type ScenarioDef,
  SEQUENTIAL,
  SLOW_CONSUMER,
  UPLOAD,
} from "./scenarios.ts";

const MIB = 1024 * 1024;

/** One target and whether the run met it. */
export interface TargetCheck {
  /** What is required. */
  readonly target: string;
  /** What was measured (the median, with the IQR where there is one). */
  readonly measured: string;
  /** The full range over the rounds. */
  readonly range: string;
  /** Met, not met, or `undefined` when it could not be measured. */
  readonly met: boolean | undefined;
  /**
   * The fetch floor's median ratio on the same measure, for the fetch
   * transport's ratio targets: where the floor misses a target, no client that
   * keeps netreply's contract on the runtime's fetch can meet it.
   */
  readonly floor?: string;
}

function metricDef(scenario: ScenarioDef, id: string) {
  const metric = scenario.metrics.find((m) => m.id === id);
  if (!metric) throw new Error(`${scenario.id} has no metric ${id}`);
  return metric;
}

function ratioTarget(
  results: Results,
  row: string,
  scenario: ScenarioDef,
  metricId: string,
  bound: number,
  text: string,
  baseline: string = BASELINE,
  floorRow?: string,
): TargetCheck {
  const metric = metricDef(scenario, metricId);
  const { ratio } = results.summary(scenario, row, metric, baseline);
  const higher = metric.better === "higher";
  const met = ratio === undefined ? undefined : higher ? ratio.median >= bound : ratio.median <= bound;
  const check = { target: text, measured: formatRatio(ratio), range: formatRange(ratio, 2, "×"), met };
  if (floorRow === undefined) return check;
  const floor = results.summary(scenario, floorRow, metric, baseline).ratio;
  return { ...check, floor: floor === undefined ? "—" : `${floor.median.toFixed(2)}×` };
}

/** Slow-consumer RSS growth at most `limitMiB`, and, with `atMostBaseline`, at most raw fetch's. */
function slowConsumerTarget(
  results: Results,
  row: string,
  atMostBaseline: boolean,
  limitMiB: number,
): TargetCheck {
  const growth = metricDef(SLOW_CONSUMER, "growthMiB");
  const mine = results.summary(SLOW_CONSUMER, row, growth, BASELINE).figure;
  const theirs = results.summary(SLOW_CONSUMER, BASELINE, growth, BASELINE).figure;
  const target = atMostBaseline
    ? `slow consumer RSS growth ≤ raw fetch's and ≤ ${limitMiB} MiB`
    : `slow consumer RSS growth ≤ ${limitMiB} MiB`;
  if (!mine || (atMostBaseline && !theirs)) return { target, measured: "—", range: "—", met: undefined };
  return {
    target,
    measured: `${formatNumber(mine.median, 1)} MiB` +
      (theirs ? ` (raw fetch ${formatNumber(theirs.median, 1)} MiB)` : ""),
    range: formatRange(mine, 1, " MiB") + (theirs ? ` (raw fetch ${formatRange(theirs, 1, " MiB")})` : ""),
    met: mine.median <= limitMiB && (!atMostBaseline || mine.median <= theirs!.median),
  };
}

/** The fetch transport's throughput, latency, CPU and memory targets, each beside the fetch floor's figure. */
function fetchTransportTargets(results: Results, row: string): TargetCheck[] {
  const target = (scenario: ScenarioDef, metricId: string, bound: number, text: string) =>
    ratioTarget(results, row, scenario, metricId, bound, text, BASELINE, FETCH_FLOOR);
  return [
    target(SEQUENTIAL, "reqPerSec", 0.95, "small GET sequential req/s ≥ 0.95× raw fetch"),
    target(SEQUENTIAL, "p50Ms", 1 / 0.95, "small GET sequential p50 ≤ 1.05× raw fetch (1/0.95)"),
    target(SEQUENTIAL, "p99Ms", 1.5, "small GET sequential p99 ≤ 1.5× raw fetch"),
    target(CONCURRENT, "reqPerSec", 0.95, "small GET 64 in flight req/s ≥ 0.95× raw fetch"),
    target(DOWNLOAD, "mibPerSec", 0.95, "256 MiB download MiB/s ≥ 0.95× raw fetch"),
    target(GZIP, "mibPerSec", 0.95, "gzip download decoded MiB/s ≥ 0.95× raw fetch"),
    target(UPLOAD, "mibPerSec", 0.95, "64 MiB upload MiB/s ≥ 0.95× raw fetch"),
    target(SEQUENTIAL, "cpuUsPerReq", 1.1, "client CPU per small GET ≤ 1.1× raw fetch"),
    slowConsumerTarget(results, row, true, 8),
  ];
}

/** The socket transport's targets: at least raw fetch, and the download near the raw socket. */
function socketTransportTargets(results: Results, row: string): TargetCheck[] {
  return [
    ratioTarget(results, row, SEQUENTIAL, "reqPerSec", 1, "small GET sequential req/s ≥ 1.0× raw fetch"),
    ratioTarget(results, row, CONCURRENT, "reqPerSec", 1, "small GET 64 in flight req/s ≥ 1.0× raw fetch"),
    ratioTarget(
      results,
      row,
      DOWNLOAD,
      "mibPerSec",
      0.8,
      `256 MiB download MiB/s ≥ 0.8× ${CEILING} (the ceiling)`,
      CEILING,
    ),
    ratioTarget(results, row, GZIP, "mibPerSec", 1, "gzip download decoded MiB/s ≥ 1.0× raw fetch"),
    ratioTarget(results, row, UPLOAD, "mibPerSec", 1, "64 MiB upload MiB/s ≥ 1.0× raw fetch"),
    slowConsumerTarget(results, row, false, 8),
  ];
}

/**
 * Checks every target for one netreply transport.
 *
 * @param results The run's samples.
 * @param transport The transport.
 * @param retention The retention check's result, if it ran.
 * @param retentionLimitBytes The retention bound.
 * @returns The checks, in a fixed order.
 */
export function checkTargets(
  results: Results,
  transport: BenchTransport,
  retention: RetentionResult | undefined,
  retentionLimitBytes: number,
): TargetCheck[] {
  const row = netreplyName(transport);
  const checks = transport === "socket"
    ? socketTransportTargets(results, row)
    : fetchTransportTargets(results, row);

  // On the large body, text() and json() also decode and parse 16 MiB, which the others do not.
  const styles = readStyleScenarios(transport);
  const readingOnly = new Set(READ_STYLES.filter((style) => !style.decodes).map((style) => style.name));
  const controls = READ_STYLES.filter((style) => style.repeats !== undefined);
  const isControl = new Set(controls.map((style) => style.name));
  for (
    const [scenario, which] of [[styles.small, "small body"], [
      styles.large,
      "16 MiB body, byte styles",
    ]] as const
  ) {
    const metric = scenario.metrics[0];
    const ratioOf = (style: string) => results.summary(scenario, style, metric, BASELINE).ratio;
    const rows = results.rows(scenario).filter((style) =>
      (scenario === styles.small || readingOnly.has(style)) && !isControl.has(style)
    );
    const ratios = rows.map((style) => ({ style, ratio: ratioOf(style) }));
    const measured = ratios.filter((r) => r.ratio !== undefined);
    const slowest = measured.sort((a, b) => a.ratio!.median - b.ratio!.median)[0];
    // The control runs the same code as a style: how far apart the two read is this run's noise.
    const control = controls.map((style) => {
      const repeated = ratioOf(style.repeats!)?.median;
      const repeat = ratioOf(style.name)?.median;
      return repeated === undefined || repeat === undefined
        ? ""
        : `control: ${style.repeats} at ${repeated.toFixed(2)}×, its repeat at ${repeat.toFixed(2)}×`;
    }).filter((note) => note !== "").join("; ");
    checks.push({
      target: `every read style within 10% of the fastest (${which})`,
      measured: slowest
        ? `slowest: ${slowest.style} at ${slowest.ratio!.median.toFixed(2)}×${control && ` (${control})`}`
        : "—",
      range: slowest ? formatRange(slowest.ratio, 2, "×") : "—",
      met: slowest ? measured.length === rows.length && slowest.ratio!.median >= 0.9 : undefined,
    });
  }

  checks.push({
    target: `retention: ${retention?.replies.toLocaleString("en-US") ?? "10,000"} finished replies leave ≤ ` +
      `${formatNumber(retentionLimitBytes / MIB, 0)} MiB of heap (~0)`,
    measured: retention ? `${formatNumber(retention.heapDeltaBytes / 1024, 0)} KiB heap delta` : "—",
    range: "one run",
    met: retention ? retention.heapDeltaBytes <= retentionLimitBytes : undefined,
  });
  return checks;
}
