/**
 * Backpressure on the socket transport, measured in bytes, not time: a
 * server offers 64 MiB; while the consumer holds back, the server manages to
 * write less than what was taken (or the reply's readBufferSize) + 16 MiB —
 * the kernel's buffers, nothing queued by netreply — and then every byte
 * arrives intact.
 */
import assert from "node:assert/strict";
import { NetworkAccessManager } from "../../mod.ts";
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

/** A raw server writing a 64 MiB patterned body to its first connection, counting the bytes it got out. */
function startPatternServer() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let serverConn: Deno.Conn | undefined;
  const server = {
    port: listener.addr.port,
    written: 0,
    /** Resolves once the server's writes have stalled (the count stops moving). */
    async stalled(): Promise<void> {
      let last = -1;
      for (let stable = 0; stable < 5;) {
        await sleep(40);
        stable = server.written === last ? stable + 1 : 0;
        last = server.written;
      }
    },
    async close(): Promise<void> {
      serverConn?.close();
      await served;
      listener.close();
    },
  };
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
          server.written += n;
        }
      }
    } catch {
      // The client closed the connection.
    }
  })();
  return server;
}

/** Checks received bytes against the pattern, chunk by chunk. */
class PatternCheck {
  received = 0;
  mismatch = -1;
  add(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      if (this.mismatch < 0 && bytes[i] !== expectedByte(this.received + i)) {
        this.mismatch = this.received + i;
      }
    }
    this.received += bytes.length;
  }
}

Deno.test("Backpressure: a consumer that stops pulling stops the server; draining then delivers every byte", async () => {
  const server = startPatternServer();
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const events = connection.exchange(wireRequest(server.port), new AbortController().signal);
    const check = new PatternCheck();
    const take = async (): Promise<string> => {
      const step = await events.next();
      if (step.done) return "done";
      if (step.value.type === "data") check.add(step.value.bytes);
      return step.value.type;
    };
    assert.equal(await take(), "requestSent");
    assert.equal(await take(), "responseHead");
    for (let i = 0; i < 3; i++) assert.equal(await take(), "data");

    await server.stalled();
    assert.ok(
      server.written < check.received + SLACK,
      `the server wrote ${server.written} bytes while the consumer took ${check.received}: reads ran ahead`,
    );
    assert.ok(server.written < BODY_SIZE);

    let type = "data";
    while (type === "data") type = await take();
    assert.equal(type, "end");
    assert.equal(check.received, BODY_SIZE);
    assert.equal(check.mismatch, -1, `byte ${check.mismatch} differs`);
    assert.equal(connection.reusable, true);
  } finally {
    connection.close();
    await server.close();
  }
});

Deno.test("Backpressure: a reply with readBufferSize 64 KiB that nobody reads holds the server back; then every byte arrives", async () => {
  const server = startPatternServer();
  try {
    await using nam = new NetworkAccessManager({ transport: "socket", proxy: null });
    const reply = nam.get(`http://127.0.0.1:${server.port}/`);
    reply.setReadBufferSize(64 * 1024);
    await new Promise((resolve) => reply.addEventListener("readyRead", resolve, { once: true }));

    await server.stalled();
    assert.ok(
      server.written < 64 * 1024 + SLACK,
      `the server wrote ${server.written} bytes while the reply held at most 64 KiB: reads ran ahead`,
    );
    // The pump stops once the limit is reached, so the buffer holds at most one read (≤ 64 KiB) beyond it.
    assert.ok(reply.bytesAvailable() <= 2 * 64 * 1024, `${reply.bytesAvailable()} bytes buffered`);

    const check = new PatternCheck();
    for await (const chunk of reply) check.add(chunk);
    assert.equal(reply.error(), 0, reply.errorString());
    assert.equal(check.received, BODY_SIZE);
    assert.equal(check.mismatch, -1, `byte ${check.mismatch} differs`);
  } finally {
    await server.close();
  }
});
