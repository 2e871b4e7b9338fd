/**
 * Qt's self-contained network autotests about response framing and
 * Content-Encoding (tst_qnetworkreply.cpp) on the socket transport, which
 * parses and decodes the bytes itself: `new NetworkAccessManager({ transport:
 * "socket", proxy: null })` against raw loopback servers writing exact bytes.
 * qt_autotests_socket_test.ts holds the wire and parsing-error tests,
 * qt_autotests_socket_connections_test.ts the connection tests;
 * tests/QT_AUTOTESTS.md maps every ✱ test to its ports.
 */
import assert from "node:assert/strict";
import { Attribute, KnownHeader, NetworkAccessManager, NetworkError, NetworkRequest } from "../../mod.ts";
import { describe, matchesSequence, OK_TAIL, recordTrace } from "../conformance/trace.ts";
import * as qt from "../support/qt_scenarios.ts";
import { headerOf, startRawHttpServer } from "../support/raw_http_server.ts";
import { assertFailed, assertGetFails, countEvents } from "../support/reply_checks.ts";

const decoder = new TextDecoder();

function socketManager(): NetworkAccessManager {
  return new NetworkAccessManager({ transport: "socket", proxy: null });
}

// ---- Framing Qt accepts ---------------------------------------------------------

Deno.test("ioGetFromHttpStatusInformational (socket): 1xx interim responses are skipped, their headers dropped", (t) =>
  qt.statusInformational(t, "socket"));

Deno.test("ioGetFromHttpNoHeaders (socket): a status line only, then close, is a 200 with no body", async () => {
  await using server = startRawHttpServer("HTTP/1.0 200 OK\r\n\r\n");
  await using nam = socketManager();
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  assert.equal(await reply.text(), "");
  assert.equal(reply.error(), NetworkError.NoError);
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
  assert.deepEqual(reply.rawHeaderPairs(), []);
  assert.ok(
    matchesSequence(trace, `socketStartedConnecting requestSent metaDataChanged DATA ${OK_TAIL}`),
    describe(trace),
  );
});

Deno.test("ioGetFromHttpWithoutContentLength (socket): a body delimited by the close arrives whole", async () => {
  const body = "Hello, no length. ".repeat(1000);
  await using server = startRawHttpServer(async (exchange) => {
    await exchange.write("HTTP/1.0 200 OK\r\n\r\n");
    for (let at = 0; at < body.length; at += 4000) await exchange.write(body.slice(at, at + 4000));
    exchange.close();
  });
  await using nam = socketManager();
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  assert.equal(await reply.text(), body);
  assert.equal(reply.error(), NetworkError.NoError);
  assert.equal(reply.header(KnownHeader.ContentLengthHeader), undefined);
  assert.equal(
    trace.filter((entry) => entry.type === "downloadProgress").at(-1)?.detail,
    `${body.length},${body.length}`,
  );
});

Deno.test("qtbug27161httpHeaderMayBeDamaged (socket): a response split at every byte across two writes parses the same", () =>
  qt.headerMayBeDamaged("socket"));

Deno.test("connectToIPv6Address (socket): http://[::1]:port/ works, Host is [::1]:port", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6", {
    hostname: "::1",
  });
  await using nam = socketManager();
  const reply = nam.get(server.url);
  assert.equal(await reply.text(), "v6");
  assert.equal(reply.error(), NetworkError.NoError);
  assert.equal(headerOf(server.requests[0], "host"), `[::1]:${server.port}`);
});

// ---- Content-Encoding ---------------------------------------------------------------

const payload = "Content-Encoding test payload. ".repeat(100);

Deno.test("contentEncoding (socket): gzip and deflate are decoded and announced; a user Accept-Encoding turns decoding off", async (t) => {
  await using nam = socketManager();
  for (const coding of ["gzip", "deflate"] as const) {
    await t.step(coding, async () => {
      const encoded = await qt.compress(payload, coding);
      await using server = startRawHttpServer(
        qt.rawResponse(
          `HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}\r\nContent-Length: ${encoded.length}`,
          encoded,
        ),
      );
      const reply = nam.get(server.url);
      assert.equal(await reply.text(), payload);
      assert.equal(reply.error(), NetworkError.NoError);
      assert.equal(reply.hasRawHeader("content-length"), false);
      assert.equal(reply.attribute(Attribute.OriginalContentLengthAttribute), encoded.length);
      assert.equal(reply.rawHeader("content-encoding"), coding);
      assert.match(headerOf(server.requests[0], "accept-encoding") ?? "", new RegExp(`\\b${coding}\\b`));
    });
  }
  await t.step("a user Accept-Encoding is sent as set and the body stays encoded", async () => {
    const encoded = await qt.compress(payload, "gzip");
    await using server = startRawHttpServer(
      qt.rawResponse(
        `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}`,
        encoded,
      ),
    );
    const reply = nam.get(new NetworkRequest(server.url, { headers: { "accept-encoding": "gzip" } }));
    await reply.done;
    assert.equal(headerOf(server.requests[0], "accept-encoding"), "gzip");
    assert.deepEqual(reply.readAll(), encoded);
    assert.equal(reply.header(KnownHeader.ContentLengthHeader), encoded.length);
  });
});

const bombSize = 12 * 1024 * 1024; // beyond the default 10 MiB threshold

Deno.test("contentEncodingError (socket): a bomb is UnknownContentError; threshold -1 lets it through (contentEncodingBigPayload, bounded)", async (t) => {
  const bomb = await qt.compress(new Uint8Array(bombSize), "gzip");
  await using server = startRawHttpServer(
    qt.rawResponse(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}`, bomb),
    { keepAlive: true },
  );
  await using nam = socketManager();
  await t.step("default threshold", async () => {
    const reply = nam.get(server.url);
    const trace = recordTrace(reply, nam);
    await reply.done;
    // How far decoding got when the guard tripped depends on how the bytes were read.
    assert.match(
      reply.errorString(),
      /^Decompression failed: the gzip body decodes to more than 40 times its size \(\d+ bytes from \d+\) beyond decompressedSafetyCheckThreshold \(10485760 bytes\); raise the threshold or set it to -1 to allow it$/,
    );
    assertFailed(reply, trace, NetworkError.UnknownContentError, reply.errorString());
  });
  await t.step("threshold -1 (contentEncodingBigPayload)", async () => {
    const reply = nam.get(new NetworkRequest(server.url, { decompressedSafetyCheckThreshold: -1 }));
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.equal(reply.bytesAvailable(), bombSize);
  });
});

Deno.test("compressedHttpReplyBrokenGzip (socket): corrupt gzip is UnknownContentError", async () => {
  // A gzip header followed by bytes that are no valid deflate stream.
  const broken = Uint8Array.from([
    0x1f,
    0x8b,
    0x08,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x03,
    0xff,
    0xff,
    0x00,
    0x00,
  ]);
  await using server = startRawHttpServer(
    qt.rawResponse(`HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${broken.length}`, broken),
  );
  await using nam = socketManager();
  await assertGetFails(
    nam,
    server.url,
    NetworkError.UnknownContentError,
    "Decompression failed: corrupt deflate stream",
  );
});

Deno.test("qtbug12908compressedHttpReply (socket): a valid gzip of 16 KiB of zeros decodes", () =>
  qt.compressedHttpReply("socket"));

Deno.test("qtbug18232gzipContentLengthZero, qtbug22660gzipNoContentLengthEmptyContent (socket): empty gzip bodies succeed", async (t) => {
  await using nam = socketManager();
  const rows = [
    {
      name: "qtbug18232: Content-Length: 0",
      bytes: "HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n",
    },
    { name: "qtbug22660: no length, closed", bytes: "HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\n\r\n" },
  ];
  for (const row of rows) {
    await t.step(row.name, async () => {
      await using server = startRawHttpServer(row.bytes);
      const reply = nam.get(server.url);
      const trace = recordTrace(reply, nam);
      assert.equal(await reply.text(), "");
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(countEvents(trace, "errorOccurred"), 0);
    });
  }
});

Deno.test("notFoundWithCompression (socket): a 404 with a gzip body is ContentNotFoundError with the decoded body", async () => {
  const encoded = await qt.compress("not found, but compressed", "gzip");
  await using server = startRawHttpServer(
    qt.rawResponse(
      `HTTP/1.1 404 Not Found\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}`,
      encoded,
    ),
  );
  await using nam = socketManager();
  const { reply } = await assertGetFails(
    nam,
    server.url,
    NetworkError.ContentNotFoundError,
    `Error transferring ${server.url.href} - server replied: Not Found`,
  );
  assert.equal(decoder.decode(reply.readAll()), "not found, but compressed");
});

Deno.test("downloadProgressWithContentEncoding (socket): progress counts decoded bytes, total -1 until (n, n)", async () => {
  const big = "decoded progress ".repeat(20_000);
  const encoded = await qt.compress(big, "gzip");
  await using server = startRawHttpServer(async (exchange) => {
    await exchange.write(
      qt.rawResponse(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}`),
    );
    for (let at = 0; at < encoded.length; at += 1024) await exchange.write(encoded.subarray(at, at + 1024));
  });
  await using nam = socketManager();
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  assert.equal((await reply.text()).length, big.length);
  const progress = trace.filter((entry) => entry.type === "downloadProgress").map((entry) =>
    entry.detail.split(",").map(Number)
  );
  const received = progress.map(([n]) => n);
  assert.deepEqual(received, [...received].sort((a, b) => a - b), "progress never shrinks");
  assert.deepEqual(progress.at(-1), [big.length, big.length]);
  for (const [, total] of progress.slice(0, -1)) assert.equal(total, -1);
});
