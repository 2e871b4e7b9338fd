/**
 * A response whose first five bytes are not "HTTP/" fails at once, line end
 * or not (Qt's QHttpNetworkReply does the same), with a message that does not
 * depend on how the bytes were split across reads.
 */
import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { parseChunks, wire } from "./_parse_outcome.ts";

const EXPECTED = 'expected "HTTP/1.x", a three-digit status code and a reason phrase';

const rows: { bytes: string; close: boolean; message?: string; code?: NetworkError }[] = [
  // No line end ever comes: the five bytes decide.
  { bytes: "Hello World", close: false, message: `Invalid status line starting "Hello": ${EXPECTED}` },
  { bytes: "\r\nSecond line", close: false, message: `Invalid status line starting "Secon": ${EXPECTED}` },
  { bytes: "HTTX/1.1 200 OK", close: false, message: `Invalid status line starting "HTTX/": ${EXPECTED}` },
  // A whole line: quoted from the same five bytes, or whole when shorter.
  { bytes: "Hello\r\n", close: false, message: `Invalid status line starting "Hello": ${EXPECTED}` },
  { bytes: "ICY\r\nSecond line", close: false, message: `Invalid status line "ICY": ${EXPECTED}` },
  { bytes: "HTT\r\n", close: false, message: `Invalid status line "HTT": ${EXPECTED}` },
  // A start that may still be HTTP waits for its end; a close then is a truncated response.
  {
    bytes: "HTTP/1.1 20",
    close: true,
    code: NetworkError.RemoteHostClosedError,
    message: "Connection closed",
  },
  { bytes: "HTTP", close: false },
];

Deno.test("ResponseParser: the first five bytes not being HTTP/ fail at once, whatever the split", () => {
  for (const row of rows) {
    const bytes = wire(row.bytes);
    const error = row.message === undefined
      ? undefined
      : { code: row.code ?? NetworkError.ProtocolFailure, message: row.message };
    const expected = { heads: [], body: "", eventsAfterDone: 0, ...(error && { error }) };
    for (let at = 0; at <= bytes.length; at++) {
      const { outcome } = parseChunks({ method: "GET" }, [bytes.slice(0, at), bytes.slice(at)], row.close);
      assert.deepEqual(outcome, expected, `${JSON.stringify(row.bytes)} split at ${at}`);
    }
    const bytewise = Array.from(bytes, (byte) => new Uint8Array([byte]));
    const { outcome } = parseChunks({ method: "GET" }, bytewise, row.close);
    assert.deepEqual(outcome, expected, `${JSON.stringify(row.bytes)} one byte at a time`);
  }
});
