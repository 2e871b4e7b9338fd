import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { SslErrorKind } from "../../src/core/ssl_error_kind.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import type { UserQuestion } from "../../src/transport/transport.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import { caCertificate, serveHttps } from "../support/servers.ts";

// Reading the peer chain of a refused certificate goes through node:tls, which needs --allow-sys.
const canInspect = (await Deno.permissions.query({ name: "sys" })).state === "granted";

/** An https server that records the client port of every request (one port = one connection). */
function countingServer(certificate?: "selfsigned") {
  const ports = new Set<number>();
  const server = serveHttps((_request, info) => {
    ports.add(info.remoteAddr.port);
    return new Response("secure");
  }, { certificate });
  return { server, ports };
}

Deno.test("https: a verified connection is pooled; encrypted only on the new connection", async () => {
  const { server, ports } = countingServer();
  await using _ = server;
  const transport = new SocketTransport();
  try {
    const request = exchangeRequest(server.url, {
      proxy: null,
      sslConfiguration: { caCertificates: [caCertificate()] },
    });
    const first = await runExchange(transport, request);
    const second = await runExchange(transport, request);
    assert.deepEqual(first.trace, [
      "connecting",
      "encrypted",
      "requestSent",
      "responseHead(200)",
      "data",
      "end",
    ]);
    assert.deepEqual(second.trace, ["requestSent", "responseHead(200)", "data", "end"]);
    assert.equal(ports.size, 1);
  } finally {
    await transport.close();
  }
});

Deno.test("https: another CA list is another pool key", async () => {
  const { server, ports } = countingServer();
  await using _ = server;
  const transport = new SocketTransport();
  try {
    const ca = caCertificate();
    await runExchange(
      transport,
      exchangeRequest(server.url, { proxy: null, sslConfiguration: { caCertificates: [ca] } }),
    );
    const other = await runExchange(
      transport,
      exchangeRequest(server.url, { proxy: null, sslConfiguration: { caCertificates: [ca, ca] } }),
    );
    assert.equal(other.trace[0], "connecting");
    assert.equal(ports.size, 2);
  } finally {
    await transport.close();
  }
});

Deno.test("https: certificate errors nobody ignores fail with SslHandshakeFailedError", async () => {
  const { server, ports } = countingServer("selfsigned");
  await using _ = server;
  const transport = new SocketTransport();
  try {
    const result = await runExchange(transport, exchangeRequest(server.url, { proxy: null }));
    assert.equal(result.error?.code, NetworkError.SslHandshakeFailedError);
    assert.match(result.error?.message ?? "", /^SSL handshake failed: /);
    assert.equal(ports.size, 0);
  } finally {
    await transport.close();
  }
});

Deno.test({
  name: "https: certificate errors the user ignores: the exchange proceeds, the connection is never pooled",
  ignore: !canInspect,
  async fn() {
    const { server, ports } = countingServer("selfsigned");
    await using _ = server;
    const transport = new SocketTransport();
    try {
      const asked: UserQuestion[] = [];
      const request = exchangeRequest(server.url, {
        proxy: null,
        answer: (question) => asked.push(question) > 0,
      });
      const first = await runExchange(transport, request);
      const second = await runExchange(transport, request);
      for (const result of [first, second]) {
        assert.equal(result.error, undefined);
        assert.equal(result.trace[0], "connecting");
        assert.match(result.trace[1], /^sslErrors\(/);
        assert.equal(result.trace[2], "encrypted");
      }
      assert.equal(asked.length, 2);
      assert.ok(
        asked[0].kind === "sslErrors" &&
          asked[0].errors.some((e) => e.kind === SslErrorKind.SelfSignedCertificate),
      );
      assert.equal(ports.size, 2);
    } finally {
      await transport.close();
    }
  },
});

Deno.test({
  name: "https: certificate errors the user does not ignore: SslHandshakeFailedError listing them",
  ignore: !canInspect,
  async fn() {
    const { server } = countingServer("selfsigned");
    await using _ = server;
    const transport = new SocketTransport();
    try {
      const result = await runExchange(transport, exchangeRequest(server.url, { proxy: null }));
      assert.match(result.trace[1], /^sslErrors\(/);
      assert.equal(result.error?.code, NetworkError.SslHandshakeFailedError);
      const question = result.events.find((e) => e.type === "ask");
      assert.ok(question?.type === "ask" && question.question.kind === "sslErrors");
      const detail = question.question.errors.map((e) => e.message).join("; ");
      assert.equal(result.error?.message, `SSL handshake failed: ${detail}`);
    } finally {
      await transport.close();
    }
  },
});

Deno.test("https: aborting inside encrypted sends nothing", async () => {
  let requests = 0;
  await using server = serveHttps(() => {
    requests++;
    return new Response("secure");
  });
  const transport = new SocketTransport();
  try {
    const controller = new AbortController();
    const events = transport.exchange(
      exchangeRequest(server.url, { proxy: null, sslConfiguration: { caCertificates: [caCertificate()] } }),
      controller.signal,
    );
    assert.equal((await events.next()).value?.type, "connecting");
    assert.equal((await events.next()).value?.type, "encrypted");
    controller.abort();
    const next = await events.next();
    assert.ok(next.value?.type === "error" && next.value.code === NetworkError.OperationCanceledError);
    assert.equal((await events.next()).done, true);
    assert.equal(requests, 0);
  } finally {
    await transport.close();
  }
});
