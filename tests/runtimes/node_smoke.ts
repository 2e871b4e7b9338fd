/**
 * The smoke suite's Node and Bun entry: bundled to plain ESM (see
 * run_smoke.sh), it starts the smoke server in-process on 127.0.0.1 and runs
 * the checks of smoke_checks.ts against it, on the fetch transport and on the
 * socket transport (node:net and node:tls through the Node opener). Exits
 * non-zero when one failed.
 *
 * @module
 */

import process from "node:process";
import { runSmokeChecks } from "./smoke_checks.ts";
import { startSmokeServer } from "./smoke_server.ts";

const server = await startSmokeServer();
const runtime = "Bun" in globalThis ? "bun" : "node";
try {
  const label = runtime === "bun" ? "bun" : `node ${process.versions.node}`;
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
