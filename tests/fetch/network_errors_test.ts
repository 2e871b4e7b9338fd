/**
 * Connection-level outcomes on the fetch transport against raw servers:
 * refusals, closes and resets before and during the body, malformed
 * responses, DNS failure, and the framings Qt accepts (ioGetFromHttpBrokenServer
 * subset, ioGetFromHttpNoHeaders, ioGetFromHttpWithoutContentLength,
 * qtbug15311doubleContentLength).
 */
import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import { stallAfter, startRawHttpServer } from "../support/raw_http_server.ts";
import { closedPort } from "../support/servers.ts";

const decoder = new TextDecoder();
const BODY_READ_FAILED =
  "Connection closed before the end of the body, or the body's framing was invalid (the runtime reports both alike)";

Deno.test("fetch transport: a refused connection is ConnectionRefusedError", async () => {
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(`http://127.0.0.1:${closedPort()}/`));
  assert.deepEqual(result.trace, [`error(${NetworkError.ConnectionRefusedError})`]);
  assert.equal(result.error?.message, "Connection refused");
  await transport.close();
});

Deno.test("fetch transport: an unknown host is HostNotFoundError", async () => {
  // The one DNS lookup of the suite: a .invalid name (RFC 6761), which must be in --allow-net.
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest("http://netreply-nohost.invalid/"));
  assert.deepEqual(result.trace, [`error(${NetworkError.HostNotFoundError})`]);
  assert.equal(result.error?.message, "Host netreply-nohost.invalid not found");
  await transport.close();
});

Deno.test("fetch transport: a server that closes without answering is RemoteHostClosedError", async () => {
  await using server = startRawHttpServer((exchange) => exchange.close());
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(server.url));
  assert.deepEqual(result.trace, [`error(${NetworkError.RemoteHostClosedError})`]);
  assert.equal(result.error?.message, "Connection closed");
  await transport.close();
});

Deno.test("fetch transport: a body cut short delivers the bytes received, then RemoteHostClosedError", async (t) => {
  const transport = new FetchTransport();
  const cases: Record<string, string> = {
    "Content-Length": "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(5000),
    "chunked": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n",
  };
  for (const [name, bytes] of Object.entries(cases)) {
    await t.step(name, async () => {
      await using server = startRawHttpServer(bytes);
      const result = await runExchange(transport, exchangeRequest(server.url));
      assert.deepEqual(result.trace, [
        "requestSent",
        "responseHead(200)",
        "data",
        `error(${NetworkError.RemoteHostClosedError})`,
      ]);
      assert.equal(result.error?.message, BODY_READ_FAILED);
      assert.equal(result.body.length, name === "chunked" ? 16 : 5000);
    });
  }
  await transport.close();
});

Deno.test("fetch transport: invalid chunk framing from a peer that stays connected names both causes", async (t) => {
  // Measured on Deno 2.9.6: an invalid chunk size line, a chunk without its
  // CRLF and a chunk size that overflows fail the body read with the same
  // bare "error reading a body from connection" as a close mid-body, at once,
  // while the server still holds the connection open. The message says both.
  const transport = new FetchTransport();
  const head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const cases: Record<string, [string, string]> = {
    "an invalid chunk size line": [`${head}3\r\nabc\r\nzz\r\nxyz\r\n0\r\n\r\n`, "abc"],
    "a chunk without its CRLF": [`${head}3\r\nabcXY3\r\ndef\r\n0\r\n\r\n`, "abc"],
    "a chunk size that overflows": [`${head}ffffffffffffffffff\r\nabc`, ""],
  };
  for (const [name, [bytes, delivered]] of Object.entries(cases)) {
    await t.step(name, async () => {
      await using server = startRawHttpServer(stallAfter(bytes));
      const result = await runExchange(transport, exchangeRequest(server.url));
      assert.deepEqual(result.trace, [
        "requestSent",
        "responseHead(200)",
        ...(delivered ? ["data"] : []),
        `error(${NetworkError.RemoteHostClosedError})`,
      ]);
      assert.equal(result.error?.message, BODY_READ_FAILED);
      assert.equal(decoder.decode(result.body), delivered);
    });
  }
  await transport.close();
});

Deno.test("fetch transport: a reset during the body is RemoteHostClosedError", async () => {
  // Closing a socket with unread input makes Linux send RST instead of FIN.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(1)); // leave the rest of the request unread
    await conn.write(new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial"));
    conn.close();
  })();
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(`http://127.0.0.1:${listener.addr.port}/`));
  await serving;
  listener.close();
  assert.equal(result.error?.code, NetworkError.RemoteHostClosedError);
  assert.equal(result.error?.message, BODY_READ_FAILED);
  assert.ok(result.body.length <= "partial".length);
  await transport.close();
});

Deno.test("fetch transport: malformed responses fail with exactly one error (ioGetFromHttpBrokenServer)", async (t) => {
  const transport = new FetchTransport();
  const cases: Record<string, [string, NetworkError, string]> = {
    "garbage": [
      "Bla bla bla bla bla\r\n\r\n",
      NetworkError.ProtocolFailure,
      "Data corrupted: invalid HTTP version parsed",
    ],
    "bad version": [
      "HTTP/1.x 200 OK\r\n\r\n",
      NetworkError.ProtocolFailure,
      "Data corrupted: invalid HTTP version parsed",
    ],
    "bad status": [
      "HTTP/1.1 abc OK\r\n\r\n",
      NetworkError.ProtocolFailure,
      "Data corrupted: invalid HTTP status-code parsed",
    ],
    "truncated status line": ["HTTP/1.1 20", NetworkError.RemoteHostClosedError, "Connection closed"],
    "truncated headers": [
      "HTTP/1.1 200 OK\r\nContent-Le",
      NetworkError.RemoteHostClosedError,
      "Connection closed",
    ],
  };
  for (const [name, [bytes, code, message]] of Object.entries(cases)) {
    await t.step(name, async () => {
      await using server = startRawHttpServer(bytes);
      const result = await runExchange(transport, exchangeRequest(server.url));
      assert.deepEqual(result.trace, [`error(${code})`]);
      assert.equal(result.error?.message, message);
    });
  }
  await transport.close();
});

Deno.test("fetch transport: framings Qt accepts", async (t) => {
  const transport = new FetchTransport();
  await t.step("status line only, then close (ioGetFromHttpNoHeaders)", async () => {
    await using server = startRawHttpServer("HTTP/1.1 200 OK\r\n\r\n");
    const result = await runExchange(transport, exchangeRequest(server.url));
    assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "end"]);
  });
  await t.step("body delimited by close (ioGetFromHttpWithoutContentLength)", async () => {
    await using server = startRawHttpServer(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nHello World, no length",
    );
    const result = await runExchange(transport, exchangeRequest(server.url));
    assert.equal(result.error, undefined);
    assert.equal(decoder.decode(result.body), "Hello World, no length");
  });
  await t.step("duplicate Content-Length (qtbug15311doubleContentLength)", async () => {
    await using server = startRawHttpServer(
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nABC",
    );
    const result = await runExchange(transport, exchangeRequest(server.url));
    assert.equal(result.error, undefined);
    assert.equal(result.head?.headers.value("content-length"), "3, 3");
    assert.equal(decoder.decode(result.body), "ABC");
  });
  await t.step("interim 1xx responses are skipped (ioGetFromHttpStatusInformational)", async () => {
    await using server = startRawHttpServer(
      "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    );
    const result = await runExchange(transport, exchangeRequest(server.url));
    assert.equal(result.head?.status, 200);
    assert.equal(result.head?.headers.contains("x-interim"), false);
    assert.equal(decoder.decode(result.body), "ok");
  });
  await transport.close();
});
