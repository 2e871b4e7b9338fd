/**
 * `deno task cache-tests --suite=DIR [--transport=fetch|socket|both] [--id=TEST]`: scores
 * netreply's `MemoryCache` on the public cache-tests suite (github.com/http-tests/cache-tests,
 * the selection browsers run) from a checkout in DIR, and prints the score and the failures.
 * With `--id`, runs that test (and what it depends on) and prints its exchanges.
 *
 * @module
 */

import { type CacheTestsArguments, parseArguments, USAGE } from "./arguments.ts";
import { formatReport, runSuite } from "./run_suite.ts";
import { loadSuites } from "./suite.ts";

async function main(args: readonly string[]): Promise<number> {
  let options: CacheTestsArguments;
  try {
    options = parseArguments(args);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const suites = await loadSuites(options.suite);
    for (const transport of options.transports) {
      const report = await runSuite(suites, {
        transport,
        id: options.id,
        trace: (line) => console.log(line),
      });
      console.log(formatReport(suites, report));
    }
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
