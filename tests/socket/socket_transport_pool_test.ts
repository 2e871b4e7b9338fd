import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import { type RawExchange, startRawHttpServer } from "../support/raw_http_server.ts";

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
const direct = { proxy: null } as const;

Deno.test("two sequential GETs share one kept-alive connection; connecting only on the first", async () => {
  await using server = startRawHttpServer(OK, { keepAlive: true });
  const transport = new SocketTransport();
  try {
    const first = await runExchange(transport, exchangeRequest(server.url, direct));
    const second = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.deepEqual(first.trace, ["connecting", "requestSent", "responseHead(200)", "data", "end"]);
    assert.deepEqual(second.trace, ["requestSent", "responseHead(200)", "data", "end"]);
    assert.equal(server.connectionCount, 1);
  } finally {
    await transport.close();
  }
});

Deno.test("10 parallel GETs open at most 6 connections (Qt's httpConnectionCount)", async () => {
  const held: RawExchange[] = [];
  let release!: () => void;
  const allHeld = new Promise<void>((resolve) => release = resolve);
  await using server = startRawHttpServer(async (exchange) => {
    held.push(exchange);
    if (held.length === 6) release();
    await allHeld;
    await exchange.write(OK);
  }, { keepAlive: true });
  const transport = new SocketTransport();
  try {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => runExchange(transport, exchangeRequest(server.url, direct))),
    );
    assert.ok(results.every((result) => result.error === undefined));
    assert.equal(server.connectionCount, 6);
    assert.equal(results.filter((result) => result.trace[0] === "connecting").length, 6);
  } finally {
    await transport.close();
  }
});

Deno.test("maxConnectionsPerHost 1 serializes exchanges on one connection", async () => {
  await using server = startRawHttpServer(OK, { keepAlive: true });
  const transport = new SocketTransport({ maxConnectionsPerHost: 1 });
  try {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runExchange(transport, exchangeRequest(server.url, direct))),
    );
    assert.ok(results.every((result) => result.error === undefined));
    assert.equal(server.connectionCount, 1);
  } finally {
    await transport.close();
  }
});

Deno.test("an idle connection expires after idleTimeout", async () => {
  await using server = startRawHttpServer(OK, { keepAlive: true });
  const transport = new SocketTransport({ idleTimeout: 1 });
  try {
    await runExchange(transport, exchangeRequest(server.url, direct));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.equal(second.trace[0], "connecting");
    assert.equal(server.connectionCount, 2);
  } finally {
    await transport.close();
  }
});

Deno.test("ConnectionCacheExpiryTimeoutSeconds 0 closes the connection after the exchange", async () => {
  await using server = startRawHttpServer(OK, { keepAlive: true });
  const transport = new SocketTransport();
  try {
    const options = { http2Allowed: false, connectionCacheExpiry: 0 };
    await runExchange(transport, exchangeRequest(server.url, { ...direct, options }));
    const second = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.equal(second.trace[0], "connecting");
    assert.equal(server.connectionCount, 2);
  } finally {
    await transport.close();
  }
});

Deno.test("Connection: close from the server means a new connection next time", async () => {
  await using server = startRawHttpServer(
    "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
    { keepAlive: true },
  );
  const transport = new SocketTransport();
  try {
    await runExchange(transport, exchangeRequest(server.url, direct));
    const second = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.equal(second.error, undefined);
    assert.equal(second.trace[0], "connecting");
    assert.equal(server.connectionCount, 2);
  } finally {
    await transport.close();
  }
});

Deno.test("clearConnectionCache closes idle connections", async () => {
  await using server = startRawHttpServer(OK, { keepAlive: true });
  const transport = new SocketTransport();
  try {
    await runExchange(transport, exchangeRequest(server.url, direct));
    transport.clearConnectionCache();
    const second = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.equal(second.trace[0], "connecting");
    assert.equal(server.connectionCount, 2);
  } finally {
    await transport.close();
  }
});

Deno.test("connectToHost pools a connection: the next GET sends no connecting", async () => {
  await using server = startRawHttpServer(OK, { keepAlive: true });
  const transport = new SocketTransport();
  try {
    transport.connectToHost(server.url);
    // The pre-connect is asynchronous; wait until the server has accepted it.
    while (server.connectionCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "data", "end"]);
    assert.equal(server.connectionCount, 1);
  } finally {
    await transport.close();
  }
});

Deno.test("close() fails an in-flight exchange promptly and later exchanges too", async () => {
  await using server = startRawHttpServer((exchange) => exchange.closed, { keepAlive: true });
  const transport = new SocketTransport();
  const pending = runExchange(transport, exchangeRequest(server.url, direct));
  await server.nextRequest();
  await transport.close();
  const result = await pending;
  assert.equal(result.error?.code, NetworkError.OperationCanceledError);
  assert.equal(result.error?.message, "Operation canceled");
  const later = await runExchange(transport, exchangeRequest(server.url, direct));
  assert.equal(later.error?.code, NetworkError.OperationCanceledError);
});

Deno.test("close() rejects exchanges waiting for a connection", async () => {
  await using server = startRawHttpServer((exchange) => exchange.closed, { keepAlive: true });
  const transport = new SocketTransport({ maxConnectionsPerHost: 1 });
  const busy = runExchange(transport, exchangeRequest(server.url, direct));
  const waiting = runExchange(transport, exchangeRequest(server.url, direct));
  await server.nextRequest();
  await transport.close();
  for (const result of await Promise.all([busy, waiting])) {
    assert.equal(result.error?.code, NetworkError.OperationCanceledError);
  }
  assert.equal(server.connectionCount, 1);
});

Deno.test("aborting an exchange waiting for a connection reports the abort and frees nothing else", async () => {
  await using server = startRawHttpServer(OK, { keepAlive: true });
  const transport = new SocketTransport({ maxConnectionsPerHost: 1 });
  try {
    const controller = new AbortController();
    controller.abort();
    const aborted = await runExchange(transport, exchangeRequest(server.url, direct), controller.signal);
    assert.equal(aborted.error?.code, NetworkError.OperationCanceledError);
    const after = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.equal(after.error, undefined);
  } finally {
    await transport.close();
  }
});
