/**
 * Renders a run as Markdown: the header with the machine, the targets with
 * met/not-met marks, one table per scenario, and the notes.
 *
 * @module
 */

import type { BenchConfig } from "./config.ts";
import { formatNumber, formatRatio, formatSpread } from "./format.ts";
import type { MachineInfo } from "./machine_info.ts";
import type { Results } from "./results.ts";
import type { RetentionResult } from "./retention.ts";
import type { ScenarioDef } from "./scenarios.ts";
import type { TargetCheck } from "./targets.ts";

const MIB = 1024 * 1024;

/** Everything a results file shows. */
export interface RunReport {
  /** The configuration the run used. */
  readonly config: BenchConfig;
  /** Where it ran. */
  readonly machine: MachineInfo;
  /** The samples. */
  readonly results: Results;
  /** The scenarios, in table order. */
  readonly scenarios: readonly ScenarioDef[];
  /** The baseline row's name. */
  readonly baseline: string;
  /** The target checks per netreply row (e.g. "netreply"). */
  readonly targets: ReadonlyMap<string, readonly TargetCheck[]>;
  /** The retention results per netreply row. */
  readonly retention: ReadonlyMap<string, RetentionResult>;
  /** Footnotes on how clients are driven. */
  readonly notes: readonly string[];
  /** Wall time of the run in seconds. */
  readonly seconds: number;
}

/** A Markdown table; `align` has one letter per column, "l" or "r" (default: first left, the rest right). */
function table(header: readonly string[], rows: readonly (readonly string[])[], align?: string): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const rule = header.map((_, i) => ((align?.[i] ?? (i === 0 ? "l" : "r")) === "l" ? "---" : "--:"));
  return [line(header), line(rule), ...rows.map(line)].join("\n");
}

function mark(met: boolean | undefined): string {
  if (met === undefined) return "— not measured";
  return met ? "✅ met" : "❌ not met";
}

function scenarioTable(report: RunReport, scenario: ScenarioDef): string {
  const { results, baseline } = report;
  const fastest = scenario.ratioTo === "fastest" ? results.fastest(scenario, scenario.metrics[0]) : undefined;
  const reference = scenario.ratioTo === "baseline" ? `÷ ${baseline}` : `÷ ${fastest ?? "fastest"}`;
  const header = ["", ...scenario.metrics.flatMap((m) => [m.label, reference])];
  const rows = results.rows(scenario).map((row) => {
    const failed = results.failed(scenario, row);
    const cells = scenario.metrics.flatMap((metric) => {
      const { figure, ratio } = results.summary(scenario, row, metric, baseline);
      if (figure === undefined) return [failed ? "error" : "—", failed ? "error" : "—"];
      const isBaseline = row === (scenario.ratioTo === "baseline" ? baseline : fastest);
      return [formatSpread(figure, metric.digits), isBaseline ? "1" : formatRatio(ratio)];
    });
    return [row, ...cells];
  });
  return `## ${scenario.title}\n\n${scenario.description}\n\n${table(header, rows)}\n`;
}

/**
 * Renders the report as a Markdown document.
 *
 * @param report The run.
 * @returns The document.
 */
export function renderResults(report: RunReport): string {
  const { config, machine } = report;
  const out: string[] = [];
  out.push("# netreply benchmark results\n");
  if (config.quick) {
    out.push(
      "**Quick run**: every scenario once at reduced sizes, to check that the benchmark runs. These " +
        "figures are not meaningful; run `deno task bench` for real ones.\n",
    );
  }
  out.push(
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores, ${machine.target}), ` +
      `Deno ${machine.deno}, V8 ${machine.v8}. The run took ${formatNumber(report.seconds, 0)} s.\n`,
  );
  out.push(
    `Sizes: ${config.sequentialRequests} sequential and ${config.concurrentRequests} concurrent small GETs ` +
      `per client per round; download ${config.downloadBytes / MIB} MiB; gzip ${
        config.gzipBytes / MIB
      } MiB ` +
      `decoded; upload ${config.uploadBytes / MIB} MiB; slow consumer ${
        config.slowConsumerBytes / MIB
      } MiB; ` +
      `read styles ${config.readStyleRequests} small and ${config.readStyleLargeRequests} × ` +
      `${config.readStyleLargeBytes / MIB} MiB requests per style per round; retention ` +
      `${config.retentionReplies.toLocaleString("en-US")} replies.\n`,
  );
  out.push(
    `The server runs in its own process on 127.0.0.1. ${config.rounds} interleaved round(s); in each, every ` +
      `client runs every scenario, in an order shuffled with a fixed seed (0x${config.seed.toString(16)}). ` +
      "Figures are medians over the rounds with the interquartile range (p25–p75); a ratio is the client's " +
      "figure divided by raw fetch's in the same round, shown as the median (p25–p75) of those per-round " +
      "ratios. For req/s and MiB/s higher is better; for latency, CPU and RSS lower is better. Regenerate with `npx -y deno@2.9.6 task bench`; " +
      "[README.md](README.md) explains the scenarios.\n",
  );
  for (const [row, checks] of report.targets) {
    out.push(`## Targets: ${row}\n`);
    const withFloor = checks.some((c) => c.floor !== undefined);
    if (withFloor) {
      out.push(
        "The fetch floor column is the same measure for raw fetch called as netreply's contract needs it " +
          '(README.md, "The clients"): where the floor misses a target, no client that keeps the contract ' +
          "on the runtime's fetch meets it.\n",
      );
    }
    out.push(
      table(
        ["target", "median (IQR)", "range", ...(withFloor ? ["fetch floor"] : []), ""],
        checks.map((
          c,
        ) => [c.target, c.measured, c.range, ...(withFloor ? [c.floor ?? ""] : []), mark(c.met)]),
        withFloor ? "lrrrl" : "lrrl",
      ),
    );
    out.push("");
  }
  for (const scenario of report.scenarios) out.push(scenarioTable(report, scenario));
  out.push("## Retention\n");
  out.push(
    "Finished replies must leave nothing behind in the manager: in a fresh process with `--expose-gc`, half " +
      "read with `bytes()` and half left unread after `await reply.done`, 16 in flight; heap used after full " +
      "GCs, after minus before.\n",
  );
  out.push(table(
    ["", "replies", "heap before", "heap delta"],
    [...report.retention].map(([row, r]) => [
      row,
      r.replies.toLocaleString("en-US"),
      `${formatNumber(r.heapBeforeBytes / MIB, 1)} MiB`,
      `${formatNumber(r.heapDeltaBytes / 1024, 0)} KiB`,
    ]),
  ));
  out.push("");
  const failures = report.results.failures();
  if (report.notes.length > 0 || failures.length > 0) {
    out.push("## Notes\n");
    for (const note of report.notes) out.push(`- ${note}`);
    for (const failure of failures) out.push(`- failed: ${failure}`);
    out.push("");
  }
  return out.join("\n");
}
