/**
 * The public SocketTransport (mod.ts): its pool limits are honoured end to
 * end, and a bad option is a RangeError naming it, thrown before anything
 * is loaded or opened.
 */
import assert from "node:assert/strict";
import { NetworkAccessManager, SocketTransport } from "../../mod.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";

Deno.test("SocketTransport({ maxConnectionsPerHost: 2 }): five parallel GETs share two connections", async () => {
  const held: (() => void)[] = [];
  let release!: () => void;
  const twoArrived = new Promise<void>((resolve) => release = resolve);
  await using server = startRawHttpServer(async (exchange) => {
    // The first two answers wait until both connections carry a request: a third connection could only
    // be opened meanwhile, when the limit is not kept.
    if (held.length < 2) {
      await new Promise<void>((resolve) => {
        held.push(resolve);
        if (held.length === 2) release();
      });
    }
    await exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  }, { keepAlive: true });
  await using nam = new NetworkAccessManager({
    transport: new SocketTransport({ maxConnectionsPerHost: 2 }),
    proxy: null,
  });
  const replies = Array.from({ length: 5 }, () => nam.get(server.url));
  await twoArrived;
  for (const resume of held) resume();
  assert.deepEqual(await Promise.all(replies.map((reply) => reply.text())), ["ok", "ok", "ok", "ok", "ok"]);
  assert.equal(server.connectionCount, 2);
  assert.equal(server.requests.length, 5);
});

Deno.test("SocketTransport: a bad option is a RangeError naming it and its value", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ maxConnectionsPerHost: 0 }, "SocketTransport: maxConnectionsPerHost must be an integer ≥ 1, got 0"],
    [
      { maxConnectionsPerHost: 1.5 },
      "SocketTransport: maxConnectionsPerHost must be an integer ≥ 1, got 1.5",
    ],
    [
      { maxConnectionsPerHost: "6" },
      "SocketTransport: maxConnectionsPerHost must be an integer ≥ 1, got string",
    ],
    [{ idleTimeout: -1 }, "SocketTransport: idleTimeout must be an integer ≥ 0, got -1"],
    [{ idleTimeout: Number.NaN }, "SocketTransport: idleTimeout must be an integer ≥ 0, got NaN"],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => new SocketTransport(options), { name: "RangeError", message });
  }
});

Deno.test("SocketTransport: idleTimeout 0 keeps no idle connection, so each request connects anew", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", {
    keepAlive: true,
  });
  await using nam = new NetworkAccessManager({
    transport: new SocketTransport({ idleTimeout: 0 }),
    proxy: null,
  });
  const connecting: number[] = [];
  for (let i = 0; i < 2; i++) {
    const reply = nam.get(server.url);
    let seen = 0;
    reply.addEventListener("socketStartedConnecting", () => seen++);
    assert.equal(await reply.text(), "ok");
    connecting.push(seen);
  }
  assert.deepEqual(connecting, [1, 1]);
  assert.equal(server.connectionCount, 2);
});
