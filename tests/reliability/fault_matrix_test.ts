/**
 * The fault matrix: every row of fault_rows.ts on fetch and on socket. Each
 * case ends in the row's NetworkError for that transport with one finished,
 * at most one errorOccurred and nothing after finished (runFaultCase), within
 * a per-case deadline; the test sanitizers check that nothing leaked. A row
 * that "hangs" on a transport is watched, aborted, and must end cleanly then.
 */

import assert from "node:assert/strict";
import { NetworkError, networkErrorName } from "../../mod.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";
import { runFaultCase, TRANSPORTS } from "./fault_harness.ts";
import { FAULT_ROWS, type FaultRow, type ScriptedServer } from "./fault_rows.ts";

function serve(row: FaultRow): ScriptedServer {
  if (row.serve) return row.serve();
  if (row.respond === undefined) throw new TypeError(`Fault row "${row.name}" has neither respond nor serve`);
  return startRawHttpServer(row.respond, row.serverOptions);
}

const nameOf = (expected: NetworkError | "hangs") =>
  expected === "hangs" ? "hangs" : networkErrorName(expected);

for (const row of FAULT_ROWS) {
  for (const transport of TRANSPORTS) {
    Deno.test(`fault matrix: ${row.name} (${transport})`, async () => {
      const expected = row.expected[transport];
      await using server = serve(row);
      const outcome = await runFaultCase(transport, server.url, {
        ...row.options,
        expectHang: expected === "hangs",
      });
      const got = outcome.hung ? "hangs" : networkErrorName(outcome.code);
      assert.equal(got, nameOf(expected), `${transport}: "${outcome.errorString}"`);
      if (outcome.hung) assert.equal(outcome.code, NetworkError.OperationCanceledError);
      if (row.body !== undefined) assert.equal(outcome.body, row.body);
      if (row.options?.followUp) assert.equal(outcome.followUpBody, "fine");
    });
  }
}
