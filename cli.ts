/**
 * `netreply`: a curl-like command-line client built on netreply's public
 * API. `-o`, `-X`, `-H`, `-d`/`--data-binary`/`--json`, `-L` and
 * `--redirect-policy`, `--timeout`, `--cacert`, `-k`, `--transport`,
 * `--proxy`, `-I`, `-v`; a progress meter on stderr; exit codes by
 * NetworkError (see docs/cli.md, or `--help`).
 *
 * ```sh
 * deno run -A jsr:@netreply/netreply/cli -L -o page.html https://example.com/
 * deno run --allow-net=127.0.0.1:8000 cli.ts -v http://127.0.0.1:8000/
 * ```
 *
 * @example Run it from code: the exit code comes back
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli } from "@netreply/netreply/cli";
 *
 * assert.equal(await runCli(["--version"]), 0);
 * assert.equal(await runCli(["--timeout", "soon", "http://127.0.0.1/"]), 2); // a usage error
 * ```
 *
 * @module
 */

import { runCli } from "./cli/run_cli.ts";

export { runCli };
export { ExitCode } from "./cli/exit_codes.ts";

if (import.meta.main) Deno.exitCode = await runCli(Deno.args);
