/**
 * Runs a benchmark script again in a child Deno under V8's CPU profiler
 * (`--cpu-prof`) with `--workload` added to its arguments, then prints the
 * profile's self time by category and by function: the shared half of
 * `profile_small_gets.ts` and `profile_download.ts` (bench/README.md, "Where
 * the time goes").
 *
 * @module
 */

import { flagValue } from "./cli_flags.ts";
import { type CpuProfile, newestProfile, renderSummary, summarizeProfile } from "./summarize_cpu_profile.ts";

/** Where profiles go unless `--out=DIR` says otherwise (reading them needs `--allow-read` there). */
export const DEFAULT_PROFILE_DIR = "/tmp/netreply-prof";

/**
 * Runs `script` with `--workload` and the caller's arguments (minus `--out`
 * and `--top`) under the profiler, then summarises the newest profile in
 * `--out` (default {@linkcode DEFAULT_PROFILE_DIR}) with `--top` rows per
 * table (default 20).
 *
 * @param script The script's URL (`import.meta.url`).
 * @param args The caller's arguments.
 */
export async function runProfiledChild(script: string, args: readonly string[]): Promise<void> {
  const out = flagValue(args, "out") ?? DEFAULT_PROFILE_DIR;
  const top = Number(flagValue(args, "top") ?? 20);
  const passed = args.filter((arg) => !arg.startsWith("--out=") && !arg.startsWith("--top="));
  const status = await new Deno.Command("deno", {
    args: [
      "run",
      "--no-prompt",
      "--allow-net=127.0.0.1",
      "--allow-run=deno",
      "--cpu-prof",
      `--cpu-prof-dir=${out}`,
      script,
      "--workload",
      ...passed,
    ],
    cwd: new URL("../", import.meta.url),
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!status.success) throw new Error(`The profiled run exited with code ${status.code}`);
  const file = await newestProfile(out);
  const profile = JSON.parse(await Deno.readTextFile(file)) as CpuProfile;
  console.log(`\nProfile: ${file}\n`);
  console.log(renderSummary(summarizeProfile(profile), top));
}
