/**
 * A stream body's chunks on the wire (RFC 9112 §7.1): small chunks go out
 * copied into one write with their size line and CRLF; chunks of
 * UNCOPIED_CHUNK_SIZE bytes and more are written as they are, the CRLF after
 * them travelling with the next write. Either way the bytes on the wire are
 * the canonical chunked encoding, and the connection can carry the next
 * request.
 */

import assert from "node:assert/strict";
import { concatBytes } from "../../src/core/concat_bytes.ts";
import { RequestWriter, UNCOPIED_CHUNK_SIZE } from "../../src/transport/socket/_request_writer.ts";
import { Http1Connection } from "../../src/transport/socket/http1_connection.ts";
import type { ByteStream } from "../../src/transport/sockets/socket_opener.ts";
import { collect, connectLoopback, progressOf, shape, wireRequest } from "./_connection_support.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";

const encoder = new TextEncoder();

function streamOfChunks(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]);
      else controller.close();
    },
  });
}

function patterned(size: number, seed: number): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i * 7 + seed) % 251);
}

/** The chunked encoding of `chunks`, written out the plain way. */
function chunkedEncoding(chunks: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const chunk of chunks) {
    if (chunk.byteLength === 0) continue;
    parts.push(encoder.encode(`${chunk.byteLength.toString(16)}\r\n`), chunk, encoder.encode("\r\n"));
  }
  parts.push(encoder.encode("0\r\n\r\n"));
  return concatBytes(parts);
}

const CHUNKS = [
  patterned(5, 1),
  patterned(UNCOPIED_CHUNK_SIZE, 2),
  patterned(UNCOPIED_CHUNK_SIZE - 1, 3),
  patterned(70_000, 4),
  patterned(70_000, 5),
  patterned(3, 6),
  patterned(20_000, 7),
];

Deno.test("RequestWriter: large stream chunks are written as they are, and the wire is canonical chunked", async () => {
  const writes: Uint8Array[] = [];
  const stream: ByteStream = {
    read: () => Promise.resolve(null),
    write: (bytes) => {
      writes.push(bytes);
      return Promise.resolve();
    },
    close: () => {},
  };
  const head = encoder.encode("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
  const writer = new RequestWriter(stream, head, { kind: "stream", stream: streamOfChunks(CHUNKS) });
  const progress: number[] = [];
  for (let event = await writer.next(); event !== undefined; event = await writer.next()) {
    progress.push(event.bytesSent);
  }
  const wire = concatBytes(writes);
  assert.deepEqual(wire, concatBytes([head, chunkedEncoding(CHUNKS)]));
  for (const chunk of CHUNKS) {
    const uncopied = writes.includes(chunk);
    assert.equal(uncopied, chunk.byteLength >= UNCOPIED_CHUNK_SIZE, `chunk of ${chunk.byteLength} bytes`);
  }
  // (0, -1) when the head goes out (with the first chunk), then the running total per chunk, then (n, n).
  let sent = 0;
  const expected = [0, ...CHUNKS.map((chunk) => sent += chunk.byteLength), sent];
  assert.deepEqual(progress, expected);
});

Deno.test("Http1Connection: a stream body ending with a large chunk leaves the connection ready for the next request", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", {
    keepAlive: true,
  });
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    for (
      const chunks of [CHUNKS, [patterned(3, 8), patterned(40_000, 9)], [patterned(UNCOPIED_CHUNK_SIZE, 10)]]
    ) {
      const events = await collect(
        connection,
        wireRequest(server.port, {
          method: "POST",
          body: { kind: "stream", stream: streamOfChunks(chunks) },
        }),
      );
      assert.equal(shape(events).endsWith("requestSent responseHead data* end"), true, shape(events));
      const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
      assert.deepEqual(progressOf(events).at(-1), [total, total]);
      const request = await server.nextRequest();
      assert.deepEqual(request.body, concatBytes([...chunks]));
      assert.equal(connection.reusable, true);
    }
    assert.equal(connection.exchanges, 3);
    assert.equal(server.connectionCount, 1);
  } finally {
    connection.close();
  }
});
