/**
 * `deno task cache-tests --suite=DIR [--transport=fetch|socket|both] [--id=TEST]`: scores
 * netreply's `MemoryCache` on the public cache-tests suite (github.com/http-tests/cache-tests,
 * the selection browsers run) from a checkout in DIR, and prints the score and the failures.
 * With `--id`, runs that test (and what it depends on) and prints its exchanges.
 *
 * @module
 */

import { formatReport, runSuite } from "./run_suite.ts";
import { loadSuites } from "./suite.ts";

const usage = "Usage: deno task cache-tests --suite=DIR [--transport=fetch|socket|both] [--id=TEST]";

function option(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

async function main(args: readonly string[]): Promise<number> {
  const unknown = args.find((arg) => !/^--(suite|transport|id)=/.test(arg));
  if (unknown !== undefined) {
    console.error(`Unknown argument ${JSON.stringify(unknown)}\n${usage}`);
    return 2;
  }
  const dir = option(args, "suite");
  if (dir === undefined) {
    console.error(`Missing --suite=DIR (a checkout of https://github.com/http-tests/cache-tests)\n${usage}`);
    return 2;
  }
  const transportOption = option(args, "transport") ?? "both";
  if (!["fetch", "socket", "both"].includes(transportOption)) {
    console.error(
      `Unknown transport ${JSON.stringify(transportOption)}: use fetch, socket or both\n${usage}`,
    );
    return 2;
  }
  const transports = transportOption === "both"
    ? ["fetch", "socket"] as const
    : [transportOption as "fetch" | "socket"];
  const suites = await loadSuites(dir);
  const id = option(args, "id");
  for (const transport of transports) {
    const report = await runSuite(suites, { transport, id, trace: (line) => console.log(line) });
    console.log(formatReport(suites, report));
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
