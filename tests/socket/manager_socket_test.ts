import assert from "node:assert/strict";
import { Attribute, NetworkAccessManager, NetworkError, NetworkRequest } from "../../mod.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";
import { serveHttps } from "../support/servers.ts";

const canInspect = (await Deno.permissions.query({ name: "sys" })).state === "granted";

function socketManager(): NetworkAccessManager {
  return new NetworkAccessManager({ transport: new SocketTransport(), proxy: null });
}

/** Event types of a reply, in order, for the given types. */
function recorder(reply: EventTarget, types: readonly string[]): string[] {
  const seen: string[] = [];
  for (const type of types) reply.addEventListener(type, () => seen.push(type));
  return seen;
}

const ACTIVITY = ["socketStartedConnecting", "encrypted", "requestSent", "metaDataChanged", "finished"];

Deno.test("manager: a second request on the kept-alive connection has no socketStartedConnecting (Qt moreActivitySignals)", async () => {
  await using server = startRawHttpServer(
    "HTTP/1.1 200 Fine Thanks\r\nX-Request-ID: 7\r\nContent-Length: 2\r\n\r\nok",
    {
      keepAlive: true,
    },
  );
  await using nam = socketManager();
  const first = nam.get(server.url);
  const firstSeen = recorder(first, ACTIVITY);
  assert.equal(await first.text(), "ok");
  const second = nam.get(server.url);
  const secondSeen = recorder(second, ACTIVITY);
  await second.done;
  assert.deepEqual(firstSeen, ["socketStartedConnecting", "requestSent", "metaDataChanged", "finished"]);
  assert.deepEqual(secondSeen, ["requestSent", "metaDataChanged", "finished"]);
  assert.equal(first.attribute(Attribute.HttpReasonPhraseAttribute), "Fine Thanks");
  assert.equal(server.connectionCount, 1);
});

Deno.test("manager: connectToHost pre-opens the connection the next get() uses", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", {
    keepAlive: true,
  });
  await using nam = socketManager();
  nam.connectToHost("127.0.0.1", server.port);
  while (server.connectionCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const reply = nam.get(server.url);
  const seen = recorder(reply, ACTIVITY);
  await reply.done;
  assert.deepEqual(seen, ["requestSent", "metaDataChanged", "finished"]);
  assert.equal(server.connectionCount, 1);
});

Deno.test("manager: clearConnectionCache makes the next request connect again", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", {
    keepAlive: true,
  });
  await using nam = socketManager();
  await nam.get(server.url).done;
  nam.clearConnectionCache();
  const reply = nam.get(server.url);
  const seen = recorder(reply, ACTIVITY);
  await reply.done;
  assert.equal(seen[0], "socketStartedConnecting");
  assert.equal(server.connectionCount, 2);
});

Deno.test("manager: Qt resendRequest — get/head/put re-sent after a kept-alive drop, post fails", async () => {
  for (
    const [method, expected] of [
      ["GET", NetworkError.NoError],
      ["HEAD", NetworkError.NoError],
      ["PUT", NetworkError.NoError],
      ["POST", NetworkError.RemoteHostClosedError],
    ] as const
  ) {
    let first = true;
    await using server = startRawHttpServer(async (exchange) => {
      if (first || exchange.request.connection > 0) {
        first = false;
        return await exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      }
      exchange.close(); // the kept-alive connection dies under the second request
    }, { keepAlive: true });
    await using nam = socketManager();
    await nam.get(server.url).done;
    const request = new NetworkRequest(server.url);
    const reply = method === "GET"
      ? nam.get(request)
      : method === "HEAD"
      ? nam.head(request)
      : method === "PUT"
      ? nam.put(request, "data")
      : nam.post(request, "data");
    await reply.done;
    assert.equal(reply.error(), expected, `${method}: ${reply.errorString()}`);
    if (expected !== NetworkError.NoError) assert.equal(reply.errorString(), "Connection closed");
  }
});

Deno.test({
  name: "manager: ignoreSslErrors() in the sslErrors listener lets the request through",
  ignore: !canInspect,
  async fn() {
    await using server = serveHttps(() => new Response("secure"), { certificate: "selfsigned" });
    await using nam = socketManager();
    const reply = nam.get(server.url);
    const seen = recorder(reply, [
      "socketStartedConnecting",
      "sslErrors",
      "encrypted",
      "requestSent",
      "finished",
    ]);
    reply.addEventListener("sslErrors", () => reply.ignoreSslErrors());
    assert.equal(await reply.text(), "secure");
    assert.deepEqual(seen, ["socketStartedConnecting", "sslErrors", "encrypted", "requestSent", "finished"]);
    assert.equal(reply.attribute(Attribute.ConnectionEncryptedAttribute), true);
  },
});

Deno.test("manager: abort() while waiting for a connection is OperationCanceledError", async () => {
  await using server = startRawHttpServer((exchange) => exchange.closed, { keepAlive: true });
  await using nam = new NetworkAccessManager({
    transport: new SocketTransport({ maxConnectionsPerHost: 1 }),
    proxy: null,
  });
  const busy = nam.get(server.url);
  await server.nextRequest();
  const waiting = nam.get(server.url);
  waiting.abort();
  await waiting.done;
  assert.equal(waiting.error(), NetworkError.OperationCanceledError);
  assert.equal(waiting.errorString(), "Operation canceled");
  busy.abort();
  await busy.done;
});

Deno.test("manager: header names keep their wire case with rawHeaderPairs({ originalCase }), lookups stay case-blind", async () => {
  await using server = startRawHttpServer(
    'HTTP/1.1 200 OK\r\nX-Request-ID: 7\r\nETag: "v1"\r\ncontent-LENGTH: 2\r\n\r\nok',
  );
  await using nam = socketManager();
  const reply = nam.get(server.url);
  await reply.done;
  assert.deepEqual(reply.rawHeaderPairs({ originalCase: true }), [
    ["X-Request-ID", "7"],
    ["ETag", '"v1"'],
    ["content-LENGTH", "2"],
  ]);
  assert.deepEqual(reply.rawHeaderPairs(), [["x-request-id", "7"], ["etag", '"v1"'], [
    "content-length",
    "2",
  ]]);
  assert.equal(reply.rawHeader("x-request-id"), "7");
});

Deno.test("manager: a decoded body's Content-Length leaves the original-case names too", async () => {
  const gzipped = new Uint8Array(
    await new Response(new Blob(["hello"]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
  );
  const head =
    `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gzipped.length}\r\nX-After: 1\r\n\r\n`;
  const response = new Uint8Array([...new TextEncoder().encode(head), ...gzipped]);
  await using server = startRawHttpServer(response);
  await using nam = socketManager();
  const reply = nam.get(server.url);
  assert.equal(await reply.text(), "hello");
  assert.deepEqual(reply.rawHeaderPairs({ originalCase: true }), [["Content-Encoding", "gzip"], [
    "X-After",
    "1",
  ]]);
  assert.equal(reply.attribute(Attribute.OriginalContentLengthAttribute), gzipped.length);
});

Deno.test("manager: chunked trailers reach reply.trailers(), on a plain and on a decoded body", async (t) => {
  const gzipped = new Uint8Array(
    await new Response(new Blob(["zipped"]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  const chunk = (
    bytes: Uint8Array,
  ) => [...new TextEncoder().encode(`${bytes.length.toString(16)}\r\n`), ...bytes, 13, 10];
  const cases = [
    { name: "plain", encoding: "", body: new TextEncoder().encode("plain"), text: "plain" },
    { name: "gzip", encoding: "Content-Encoding: gzip\r\n", body: gzipped, text: "zipped" },
  ];
  for (const { name, encoding, body, text } of cases) {
    await t.step(name, async () => {
      const response = new Uint8Array([
        ...new TextEncoder().encode(
          `HTTP/1.1 200 OK\r\n${encoding}Transfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n`,
        ),
        ...chunk(body),
        ...new TextEncoder().encode("0\r\nX-Checksum: abc\r\nServer-Timing: db;dur=53\r\n\r\n"),
      ]);
      await using server = startRawHttpServer(response);
      await using nam = socketManager();
      const reply = nam.get(server.url);
      assert.equal(await reply.text(), text);
      assert.deepEqual([...reply.trailers()], [["x-checksum", "abc"], ["server-timing", "db;dur=53"]]);
    });
  }
});

Deno.test("manager: redirects reuse the kept-alive connection when the redirect's body has arrived (as Qt)", async () => {
  await using server = startRawHttpServer(async (exchange) => {
    const path = exchange.request.target;
    if (path === "/final") return await exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
    const next = path === "/r/2" ? "/r/1" : "/final";
    await exchange.write(`HTTP/1.1 302 Found\r\nLocation: ${next}\r\nContent-Length: 9\r\n\r\nmoved on.`);
  }, { keepAlive: true });
  await using nam = socketManager();
  const reply = nam.get(new URL("/r/2", server.url));
  let redirects = 0;
  reply.addEventListener("redirected", () => redirects++);
  assert.equal(await reply.text(), "done");
  assert.equal(redirects, 2);
  assert.deepEqual(server.requests.map((request) => request.target), ["/r/2", "/r/1", "/final"]);
  assert.equal(server.connectionCount, 1);
});

Deno.test("manager: a redirect whose body is still coming is left with its connection; the next hop connects anew", async () => {
  await using server = startRawHttpServer(async (exchange) => {
    if (exchange.request.target === "/final") {
      return await exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
    }
    // Ten of the hundred announced bytes: the rest would only come later.
    await exchange.write("HTTP/1.1 302 Found\r\nLocation: /final\r\nContent-Length: 100\r\n\r\n0123456789");
    await exchange.closed;
  }, { keepAlive: true });
  await using nam = socketManager();
  const reply = nam.get(new URL("/start", server.url));
  assert.equal(await reply.text(), "done");
  assert.equal(server.connectionCount, 2);
});
