import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import { checkedTransport } from "../../testing.ts";
import type { ExchangeBody } from "../../src/transport/transport.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
const direct = { proxy: null } as const;
const bytes = new TextEncoder().encode("body");

/**
 * A server that answers the first request on connection 0 and keeps it
 * alive, then closes every connection on the next request without a byte of
 * answer — except the connections listed in `answering`.
 */
function staleServer(answering: readonly number[] = []) {
  let answered = false;
  return startRawHttpServer(async (exchange) => {
    const connection = exchange.request.connection;
    if ((connection === 0 && !answered) || answering.includes(connection)) {
      answered = true;
      return await exchange.write(OK);
    }
    exchange.close();
  }, { keepAlive: true });
}

Deno.test("a GET on a kept-alive connection the server closed is re-sent on a new one", async () => {
  await using server = staleServer([1]);
  const transport = checkedTransport(new SocketTransport());
  try {
    await runExchange(transport, exchangeRequest(server.url, direct));
    const result = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.equal(result.error, undefined);
    // The re-send repeats nothing the consumer already saw (one requestSent, no second connecting).
    assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "data", "end"]);
    assert.equal(server.connectionCount, 2);
  } finally {
    await transport.close();
  }
});

Deno.test("re-sends stop after 3: RemoteHostClosedError", async () => {
  await using server = staleServer();
  const transport = checkedTransport(new SocketTransport());
  try {
    await runExchange(transport, exchangeRequest(server.url, direct));
    const result = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.equal(result.error?.code, NetworkError.RemoteHostClosedError);
    assert.equal(result.error?.message, "Connection closed");
    assert.equal(server.connectionCount, 4); // the kept-alive one and 3 re-sends
    assert.equal(server.requests.length, 5);
  } finally {
    await transport.close();
  }
});

const cases: { name: string; method: string; body: () => ExchangeBody | null; code?: NetworkError }[] = [
  { name: "PUT with a fixed body is re-sent", method: "PUT", body: () => ({ kind: "bytes", bytes }) },
  { name: "HEAD is re-sent", method: "HEAD", body: () => null },
  {
    name: "PUT with a blob body is re-sent",
    method: "PUT",
    body: () => ({ kind: "blob", blob: new Blob([bytes]) }),
  },
  {
    name: "POST is not re-sent: RemoteHostClosedError",
    method: "POST",
    body: () => ({ kind: "bytes", bytes }),
    code: NetworkError.RemoteHostClosedError,
  },
  {
    name: "a custom verb is not re-sent: RemoteHostClosedError",
    method: "PATCH",
    body: () => null,
    code: NetworkError.RemoteHostClosedError,
  },
  {
    name: "PUT with a stream body cannot be re-sent: ContentReSendError",
    method: "PUT",
    body: () => ({ kind: "stream", stream: new Blob([bytes]).stream() }),
    code: NetworkError.ContentReSendError,
  },
];

for (const { name, method, body, code } of cases) {
  Deno.test(name, async () => {
    await using server = staleServer([1]);
    const transport = checkedTransport(new SocketTransport());
    try {
      await runExchange(transport, exchangeRequest(server.url, direct));
      const result = await runExchange(
        transport,
        exchangeRequest(server.url, { ...direct, method, body: body() }),
      );
      assert.equal(result.error?.code, code);
      if (code === undefined) {
        const uploads = result.trace.filter((step) => step.startsWith("uploadProgress"));
        assert.deepEqual(uploads, body() === null ? [] : ["uploadProgress(0,4)", "uploadProgress(4,4)"]);
        assert.equal(result.trace.filter((step) => step === "requestSent").length, 1);
        assert.equal(server.connectionCount, 2);
        assert.equal(server.requests.at(-1)?.method, method);
        if (body() !== null) assert.deepEqual(server.requests.at(-1)?.body, bytes);
      } else {
        assert.equal(server.connectionCount, 1);
        const expected = code === NetworkError.ContentReSendError
          ? "Cannot re-send the request body after the connection closed: a stream body cannot be replayed"
          : "Connection closed";
        assert.equal(result.error?.message, expected);
      }
    } finally {
      await transport.close();
    }
  });
}

Deno.test("a new connection closed before an answer is not re-sent", async () => {
  await using server = startRawHttpServer((exchange) => exchange.close(), { keepAlive: true });
  const transport = checkedTransport(new SocketTransport());
  try {
    const result = await runExchange(transport, exchangeRequest(server.url, direct));
    assert.equal(result.error?.code, NetworkError.RemoteHostClosedError);
    assert.equal(server.connectionCount, 1);
  } finally {
    await transport.close();
  }
});
