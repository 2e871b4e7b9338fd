/**
 * The fault matrix: one row per way a server can misbehave, written as exact
 * bytes by a raw loopback server, with the NetworkError each transport must
 * end in. Every row runs on fetch and on socket through runFaultCase, which
 * also checks one finished, at most one errorOccurred and no hang; the test
 * sanitizers check that nothing leaked. Where fetch (Deno's hyper) cannot
 * keep the contract, the row pins what it does and docs/reliability.md says why.
 */

import assert from "node:assert/strict";
import { NetworkError, networkErrorName } from "../../mod.ts";
import { type RawResponder, startRawHttpServer } from "../support/raw_http_server.ts";
import { type FaultCaseOptions, runFaultCase, type TransportName, TRANSPORTS } from "./fault_harness.ts";

/** One misbehaving server and what each transport must make of it. */
interface FaultRow {
  readonly name: string;
  readonly respond: RawResponder;
  readonly expected: Readonly<Record<TransportName, NetworkError>>;
  readonly options?: FaultCaseOptions;
}

const both = (code: NetworkError): Record<TransportName, NetworkError> => ({ fetch: code, socket: code });

const ROWS: readonly FaultRow[] = [
  {
    name: "garbage status line",
    respond: "HTTX/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
    expected: both(NetworkError.ProtocolFailure),
  },
  {
    name: "close during the head",
    respond: "HTTP/1.1 200 OK\r\nContent-Len",
    expected: both(NetworkError.RemoteHostClosedError),
  },
  {
    name: "close in a Content-Length body",
    respond: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this",
    expected: both(NetworkError.RemoteHostClosedError),
  },
];

for (const row of ROWS) {
  for (const transport of TRANSPORTS) {
    Deno.test(`fault matrix: ${row.name} (${transport})`, async () => {
      await using server = startRawHttpServer(row.respond);
      const outcome = await runFaultCase(transport, server.url, row.options);
      assert.equal(
        networkErrorName(outcome.code),
        networkErrorName(row.expected[transport]),
        `${transport}: "${outcome.errorString}"`,
      );
    });
  }
}
