/**
 * Summarises a V8 CPU profile (`.cpuprofile`, as `deno run --cpu-prof`
 * writes it) as Markdown: self time aggregated by function (name and
 * location) and by category (runtime file or netreply module), top N each.
 * Self time is the sum of the sampling intervals (`timeDeltas`) of the
 * samples that landed in a function.
 *
 * Run: `deno run --allow-read=DIR bench/summarize_cpu_profile.ts DIR_OR_FILE [--top=N]`
 * (a directory means its newest `.cpuprofile`); bench/profile_small_gets.ts
 * uses it after profiling.
 *
 * @module
 */

import { flagValue } from "./cli_flags.ts";

/** The part of a V8 `.cpuprofile` the summary reads. */
export interface CpuProfile {
  /** Call-tree nodes. */
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }[];
  /** The node id of each sample. */
  readonly samples: readonly number[];
  /** Microseconds since the previous sample, per sample. */
  readonly timeDeltas: readonly number[];
}

/** Self time of one function or category. */
export interface SelfTime {
  /** The function ("name (file:line)") or category. */
  readonly name: string;
  /** Self time in ms. */
  readonly ms: number;
  /** Share of all sampled time, 0 to 1. */
  readonly share: number;
  /** Share of the busy (not idle) time, 0 to 1; 0 for idle itself. */
  readonly busyShare: number;
}

const IDLE = "idle (waiting for I/O)";

/** A profile's self time, aggregated. */
export interface ProfileSummary {
  /** All sampled time in ms. */
  readonly totalMs: number;
  /** Sampled time not idle, in ms. */
  readonly busyMs: number;
  /** By function, largest first. */
  readonly functions: readonly SelfTime[];
  /** By category, largest first. */
  readonly categories: readonly SelfTime[];
}

function shortUrl(url: string): string {
  if (url === "") return "";
  if (url.startsWith("ext:") || url.startsWith("node:")) return url;
  const src = url.indexOf("/src/");
  if (src >= 0) return url.slice(src + 1);
  const npm = url.indexOf("/registry.npmjs.org/");
  if (npm >= 0) return `npm:${url.slice(npm + 20)}`;
  return url.slice(url.lastIndexOf("/") + 1);
}

const STREAM_PIPES =
  /TransformStream|transformAlgorithm|pipeThrough|pipeTo|PipeTo|WritableStream|writableStream/;

/**
 * The category a frame's self time counts toward: V8's own entries (GC,
 * program, idle), a part of the runtime (streams, fetch, events, URL,
 * permissions, WebIDL), or a netreply module.
 *
 * @param functionName The frame's function name.
 * @param url The frame's script URL.
 * @returns The category's name.
 */
export function categoryOf(functionName: string, url: string): string {
  if (url === "") {
    if (functionName === "(garbage collector)") return "GC";
    if (functionName === "(program)") return "V8/native (program)";
    if (functionName === "(idle)") return IDLE;
    if (
      functionName.startsWith("op_fetch") || functionName === "op_read" || functionName === "op_try_close"
    ) {
      return "fetch/resource ops (native)";
    }
    if (functionName.startsWith("op_url_")) return "URL parsing";
    if (functionName === "op_query_permission") return "permission queries";
    if (functionName.startsWith("RegExp:")) return "RegExp";
    return `native: ${functionName || "(anonymous)"}`;
  }
  const short = shortUrl(url);
  if (short.startsWith("ext:deno_web/06_streams.js")) {
    return STREAM_PIPES.test(functionName)
      ? "streams: TransformStream/WritableStream/pipe"
      : "streams: ReadableStream, readers, controllers";
  }
  if (short.startsWith("ext:deno_web/02_event.js")) return "event dispatch (EventTarget)";
  if (short.startsWith("ext:deno_web/03_abort_signal.js")) return "AbortSignal (incl. AbortSignal.any)";
  if (short.startsWith("ext:deno_web/00_url.js")) return "URL parsing";
  if (short.startsWith("ext:deno_webidl/")) return "WebIDL conversions";
  if (short.startsWith("ext:runtime/10_permissions.js")) return "permission queries";
  if (short.startsWith("ext:deno_fetch/")) return "Deno fetch (JS side)";
  if (short.startsWith("ext:core/")) return "Deno core (ops, promises)";
  if (short.startsWith("ext:")) {
    return `Deno ${short.slice(4, short.indexOf("/") > 0 ? short.indexOf("/") : undefined)}`;
  }
  if (short.startsWith("src/")) return `netreply ${short}`;
  return short;
}

/**
 * Aggregates a profile's self time.
 *
 * @param profile The parsed `.cpuprofile`.
 * @returns Totals by function and by category.
 */
export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byCategory = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!frame || us <= 0) return;
    totalUs += us;
    const where = frame.url ? ` (${shortUrl(frame.url)}:${frame.lineNumber + 1})` : "";
    const name = `${frame.functionName || "(anonymous)"}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const category = categoryOf(frame.functionName, frame.url);
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
  });
  const busyUs = totalUs - (byCategory.get(IDLE) ?? 0);
  const sorted = (map: Map<string, number>, idle: string): SelfTime[] =>
    [...map].map(([name, us]) => ({
      name,
      ms: us / 1000,
      share: totalUs > 0 ? us / totalUs : 0,
      busyShare: name === idle || busyUs <= 0 ? 0 : us / busyUs,
    })).sort((a, b) => b.ms - a.ms);
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    functions: sorted(byFunction, "(idle)"),
    categories: sorted(byCategory, IDLE),
  };
}

function markdownTable(title: string, rows: readonly SelfTime[]): string {
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  const lines = [`| ${title} | self ms | of all | of busy |`, "| --- | --: | --: | --: |"];
  for (const row of rows) {
    const busy = row.busyShare > 0 ? percent(row.busyShare) : "—";
    lines.push(
      `| ${row.name.replaceAll("|", "\\|")} | ${row.ms.toFixed(0)} | ${percent(row.share)} | ${busy} |`,
    );
  }
  return lines.join("\n");
}

/**
 * Renders the top `top` functions and categories as Markdown tables.
 *
 * @param summary The aggregated profile.
 * @param top How many rows per table.
 * @returns The Markdown.
 */
export function renderSummary(summary: ProfileSummary, top: number): string {
  return [
    `Sampled time: ${summary.totalMs.toFixed(0)} ms, of which busy (not idle): ${
      summary.busyMs.toFixed(0)
    } ms.`,
    "",
    markdownTable("category", summary.categories.slice(0, top)),
    "",
    markdownTable("function (self time)", summary.functions.slice(0, top)),
    "",
  ].join("\n");
}

/**
 * The profile to read: `path` itself, or the newest `.cpuprofile` in it when it is a directory.
 *
 * @param path A `.cpuprofile` file or a directory.
 * @returns The file's path.
 * @throws If a directory holds no `.cpuprofile`.
 */
export async function newestProfile(path: string): Promise<string> {
  if (!(await Deno.stat(path)).isDirectory) return path;
  let newest: { path: string; mtime: number } | undefined;
  for await (const entry of Deno.readDir(path)) {
    if (!entry.isFile || !entry.name.endsWith(".cpuprofile")) continue;
    const file = `${path}/${entry.name}`;
    const mtime = (await Deno.stat(file)).mtime?.getTime() ?? 0;
    if (!newest || mtime > newest.mtime) newest = { path: file, mtime };
  }
  if (!newest) throw new Error(`No .cpuprofile in ${path}`);
  return newest.path;
}

if (import.meta.main) {
  const target = Deno.args.find((arg) => !arg.startsWith("--"));
  if (target === undefined) {
    console.error("Usage: summarize_cpu_profile.ts DIR_OR_FILE [--top=N]");
    Deno.exit(2);
  }
  const top = Number(flagValue(Deno.args, "top") ?? 20);
  const file = await newestProfile(target);
  const profile = JSON.parse(await Deno.readTextFile(file)) as CpuProfile;
  console.log(`Profile: ${file.slice(file.lastIndexOf("/") + 1)}\n`);
  console.log(renderSummary(summarizeProfile(profile), top));
}
