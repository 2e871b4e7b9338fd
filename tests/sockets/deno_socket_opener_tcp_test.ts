import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { denoSocketOpener } from "../../src/transport/sockets/deno_socket_opener.ts";
import { loadSocketOpener } from "../../src/transport/sockets/load_socket_opener.ts";
import { classifyStreamError, SocketOpenError } from "../../src/transport/sockets/socket_opener.ts";
import { closedPort } from "../support/servers.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A loopback TCP server that answers each connection with `reply(received)` and closes. */
function echoServer(reply: (received: string) => Uint8Array): { port: number; done: Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const done = (async () => {
    const conn = await listener.accept();
    listener.close();
    const buffer = new Uint8Array(1024);
    const count = await conn.read(buffer) ?? 0;
    const answer = reply(decoder.decode(buffer.subarray(0, count)));
    for (let written = 0; written < answer.length;) written += await conn.write(answer.subarray(written));
    conn.close();
  })();
  return { port: listener.addr.port, done };
}

async function readAll(read: () => Promise<Uint8Array | null>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for (let chunk = await read(); chunk !== null; chunk = await read()) chunks.push(chunk);
  return chunks;
}

Deno.test("loadSocketOpener gives the Deno opener on Deno, memoized", async () => {
  const opener = await loadSocketOpener();
  assert.equal(opener, denoSocketOpener);
  assert.equal(opener.name, "deno");
  assert.equal(await loadSocketOpener(), opener);
});

Deno.test("connect: write and read round trip, end of stream is null, close is idempotent", async () => {
  const server = echoServer((received) => encoder.encode(`echo:${received}`));
  const stream = await denoSocketOpener.connect({
    hostname: "127.0.0.1",
    port: server.port,
    signal: new AbortController().signal,
  });
  await stream.write(encoder.encode("ping"));
  const chunks = await readAll(() => stream.read());
  assert.equal(chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join(""), "echo:ping");
  assert.equal(await stream.read(), null);
  stream.close();
  stream.close();
  assert.equal(await stream.read(), null);
  await server.done;
});

Deno.test("connect: a large answer arrives whole, in reads of at most 64 KiB", async () => {
  const size = 1024 * 1024 + 17;
  const server = echoServer(() => new Uint8Array(size).fill(7));
  const stream = await denoSocketOpener.connect({
    hostname: "127.0.0.1",
    port: server.port,
    signal: new AbortController().signal,
  });
  await stream.write(encoder.encode("go"));
  const chunks = await readAll(() => stream.read());
  stream.close();
  await server.done;
  assert.equal(chunks.reduce((total, chunk) => total + chunk.length, 0), size);
  assert.ok(chunks.every((chunk) => chunk.length <= 64 * 1024 && chunk.every((byte) => byte === 7)));
});

Deno.test("connect: a refused port is ConnectionRefusedError with Qt's message", async () => {
  const error = await denoSocketOpener.connect({
    hostname: "127.0.0.1",
    port: closedPort(),
    signal: new AbortController().signal,
  }).then(() => assert.fail("connected"), (e: unknown) => e);
  assert.ok(error instanceof SocketOpenError);
  assert.equal(error.code, NetworkError.ConnectionRefusedError);
  assert.equal(error.message, "Connection refused");
  assert.ok(error.cause instanceof Deno.errors.ConnectionRefused);
});

Deno.test("connect: an unknown host is HostNotFoundError naming it", async () => {
  const error = await denoSocketOpener.connect({
    hostname: "netreply-nohost.invalid",
    port: 80,
    signal: new AbortController().signal,
  }).then(() => assert.fail("connected"), (e: unknown) => e);
  assert.ok(error instanceof SocketOpenError);
  assert.equal(error.code, NetworkError.HostNotFoundError);
  assert.equal(error.message, "Host netreply-nohost.invalid not found");
});

Deno.test("connect: an aborted signal rejects with its reason, before and while connecting", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const before = new AbortController();
    const reason = new Error("gave up");
    before.abort(reason);
    await assert.rejects(
      denoSocketOpener.connect({ hostname: "127.0.0.1", port: listener.addr.port, signal: before.signal }),
      (e) => e === reason,
    );
    const during = new AbortController();
    const pending = denoSocketOpener.connect({
      hostname: "127.0.0.1",
      port: listener.addr.port,
      signal: during.signal,
    });
    during.abort(reason);
    await pending.then((stream) => {
      stream.close();
      assert.fail("connect resolved after the abort");
    }, (e) => assert.equal(e, reason));
  } finally {
    listener.close();
  }
});

Deno.test("connect: an abort just as the connection is made leaves no connection open", async () => {
  // Deno 2.9.6's own Deno.connect leaks the connection in this race; the sanitizers catch a leak.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) accepted.push(conn);
  })();
  let connected = 0;
  let aborted = 0;
  for (let batch = 0; batch < 40; batch++) {
    await Promise.all(Array.from({ length: 10 }, async (_, i) => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new Error("gave up")), (batch + i) % 12);
      try {
        const stream = await denoSocketOpener.connect({
          hostname: "127.0.0.1",
          port: listener.addr.port,
          signal: controller.signal,
        });
        connected++;
        stream.close();
      } catch (error) {
        assert.equal((error as Error).message, "gave up");
        aborted++;
      } finally {
        clearTimeout(timer);
      }
    }));
  }
  listener.close();
  await accepting;
  for (const conn of accepted) conn.close();
  assert.equal(connected + aborted, 400);
});

const streamErrors: readonly (readonly [string, unknown, number, string])[] = [
  [
    "Deno reset",
    new Deno.errors.ConnectionReset("Connection reset by peer (os error 104)"),
    2,
    "Connection closed",
  ],
  ["Deno broken pipe", new Deno.errors.BrokenPipe("Broken pipe (os error 32)"), 2, "Connection closed"],
  [
    "Node ECONNRESET",
    Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
    2,
    "Connection closed",
  ],
  ["unknown", new Error("something odd"), 99, "something odd"],
];

Deno.test("classifyStreamError: resets and broken pipes are RemoteHostClosedError, the rest keeps its text", () => {
  for (const [name, error, code, message] of streamErrors) {
    const classified = classifyStreamError(error);
    assert.deepEqual([classified.code, classified.message, classified.cause], [code, message, error], name);
  }
  const already = new SocketOpenError(NetworkError.TimeoutError, "Operation timed out");
  assert.equal(classifyStreamError(already), already);
});
