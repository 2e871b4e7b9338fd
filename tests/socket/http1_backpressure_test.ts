import assert from "node:assert/strict";
import { Http1Connection } from "../../src/transport/socket/http1_connection.ts";
import { connectLoopback, wireRequest } from "./_connection_support.ts";

const BODY_SIZE = 64 * 1024 * 1024;
const PIECE = 256 * 1024;
const SLACK = 16 * 1024 * 1024;

/** The byte at offset `i` of the body: a pattern a shifted or lost piece cannot match. */
function expectedByte(i: number): number {
  return (i * 7 + (i >>> 16)) & 0xff;
}

function piece(offset: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = expectedByte(offset + i);
  return bytes;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

Deno.test("Backpressure: a consumer that stops pulling stops the server; draining then delivers every byte", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let written = 0;
  let serverConn: Deno.Conn | undefined;
  const served = (async () => {
    const conn = serverConn = await listener.accept();
    await conn.read(new Uint8Array(16 * 1024));
    const head = `HTTP/1.1 200 OK\r\nContent-Length: ${BODY_SIZE}\r\n\r\n`;
    await conn.write(new TextEncoder().encode(head));
    try {
      for (let offset = 0; offset < BODY_SIZE; offset += PIECE) {
        const bytes = piece(offset, PIECE);
        for (let at = 0; at < bytes.length;) {
          const n = await conn.write(bytes.subarray(at));
          at += n;
          written += n;
        }
      }
    } catch {
      // The test closed the connection.
    }
  })();
  const connection = new Http1Connection(await connectLoopback(listener.addr.port));
  try {
    const events = connection.exchange(wireRequest(listener.addr.port), new AbortController().signal);
    let received = 0;
    let mismatch = -1;
    const take = async (): Promise<string> => {
      const step = await events.next();
      if (step.done) return "done";
      if (step.value.type === "data") {
        const bytes = step.value.bytes;
        for (let i = 0; i < bytes.length; i++) {
          if (mismatch < 0 && bytes[i] !== expectedByte(received + i)) mismatch = received + i;
        }
        received += bytes.length;
      }
      return step.value.type;
    };
    assert.equal(await take(), "requestSent");
    assert.equal(await take(), "responseHead");
    for (let i = 0; i < 3; i++) assert.equal(await take(), "data");

    // Wait until the server's writes have stalled (its count stops moving), then compare.
    let last = -1;
    for (let stable = 0; stable < 5;) {
      await sleep(40);
      stable = written === last ? stable + 1 : 0;
      last = written;
    }
    assert.ok(
      written < received + SLACK,
      `the server wrote ${written} bytes while the consumer took ${received}: reads ran ahead`,
    );
    assert.ok(written < BODY_SIZE);

    let type = "data";
    while (type === "data") type = await take();
    assert.equal(type, "end");
    assert.equal(received, BODY_SIZE);
    assert.equal(mismatch, -1, `byte ${mismatch} differs`);
    assert.equal(connection.reusable, true);
  } finally {
    connection.close();
    serverConn?.close();
    await served;
    listener.close();
  }
});
