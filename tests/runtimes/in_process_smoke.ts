/**
 * The smoke suite's entry for the runtimes that can listen: it starts the
 * smoke server in-process on 127.0.0.1 and runs the checks of
 * smoke_checks.ts against it, on the fetch transport and on the socket
 * transport (`Deno.connect` on Deno, node:net and node:tls through the Node
 * opener on Node and Bun). Deno runs it from source; run_smoke.sh transpiles
 * it for Node and Bun, which then load netreply from the npm build. Exits
 * non-zero when a check failed.
 *
 * @module
 */

import process from "node:process";
import { runSmokeChecks, type SmokeRuntime } from "./smoke_checks.ts";
import { startSmokeServer } from "./smoke_server.ts";

/** The runtime this runs on, from the globals each one has. */
function currentRuntime(): SmokeRuntime {
  if ("Deno" in globalThis) return "deno";
  return "Bun" in globalThis ? "bun" : "node";
}

const server = await startSmokeServer();
const runtime = currentRuntime();
try {
  const label = runtime === "node" ? `node ${process.versions.node}` : runtime;
  const { failed } = await runSmokeChecks(label, {
    runtime,
    base: server.base,
    httpsBase: server.httpsBase,
    caCertificate: server.caCertificate,
    selfSignedBase: server.selfSignedBase,
    closedPort: server.closedPort,
  });
  process.exitCode = failed === 0 ? 0 : 1;
} finally {
  await server.close();
}
