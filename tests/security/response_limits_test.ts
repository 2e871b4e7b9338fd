/**
 * The limits on a response head, against a raw server on loopback. The
 * socket transport has Qt's: at most 100 fields, 100 KiB per field line and
 * 256 KiB for the head, checked as the bytes arrive, so a head that never
 * ends is refused at 256 KiB instead of being buffered. The fetch transport
 * has the runtime's (Deno: 100 fields, about 400 KiB for the head; no
 * limit of its own per line), which it cannot change. Either way a head
 * beyond the limit is a ProtocolFailure, never memory spent without bound.
 */

import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError } from "../../mod.ts";
import { type RawResponder, stallAfter, startRawHttpServer } from "../support/raw_http_server.ts";

/** `count` header fields of `size` bytes each, CRLFs included. */
function fields(count: number, size = 16): string {
  return Array.from({ length: count }, (_, i) => {
    const name = `X-F${i}: `;
    return `${name}${"v".repeat(size - name.length - 2)}\r\n`;
  }).join("");
}

const KiB = 1024;
const head = (fieldLines: string) => `HTTP/1.1 200 OK\r\n${fieldLines}Content-Length: 2\r\n\r\nok`;
/** A reply's outcome: its error code and errorString(). */
interface Outcome {
  readonly code: NetworkError;
  readonly message: string;
}
const OK: Outcome = { code: NetworkError.NoError, message: "Unknown error" };
const tooLarge: Outcome = {
  code: NetworkError.ProtocolFailure,
  message: "Data corrupted: message head is too large",
};
const protocolFailure = (message: string): Outcome => ({ code: NetworkError.ProtocolFailure, message });

const cases: [name: string, respond: RawResponder, socket: Outcome, fetch: Outcome][] = [
  ["100 fields", head(fields(99)), OK, OK],
  [
    "101 fields",
    head(fields(100)),
    protocolFailure("Response header has more than the limit of 100 fields (maxFields)"),
    tooLarge,
  ],
  [
    "a field line over 100 KiB",
    head(fields(1, 100 * KiB + 3)),
    protocolFailure("Response header line is longer than the limit of 102400 bytes (maxFieldSize)"),
    OK,
  ],
  [
    "a head over 256 KiB",
    head(fields(3, 90 * KiB)),
    protocolFailure("Response header section is larger than the limit of 262144 bytes (maxHeaderSize)"),
    OK,
  ],
  [
    "a head that never ends",
    stallAfter(`HTTP/1.1 200 OK\r\n${fields(42, 10 * KiB)}`),
    protocolFailure("Response header section is larger than the limit of 262144 bytes (maxHeaderSize)"),
    tooLarge,
  ],
];

for (const transport of ["socket", "fetch"] as const) {
  for (const [name, respond, onSocket, onFetch] of cases) {
    const expected = transport === "socket" ? onSocket : onFetch;
    const outcome = expected.code === NetworkError.NoError ? "accepted" : "a ProtocolFailure";
    Deno.test(`[${transport}] response head limits: ${name} is ${outcome}`, async () => {
      await using server = startRawHttpServer(respond);
      await using nam = new NetworkAccessManager({ transport, proxy: null });
      const reply = nam.get(server.url);
      await reply.done;
      assert.deepEqual({ code: reply.error(), message: reply.errorString() }, expected);
      assert.equal(
        new TextDecoder().decode(reply.readAll()),
        expected.code === NetworkError.NoError ? "ok" : "",
      );
    });
  }
}
