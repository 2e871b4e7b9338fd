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
import { concatBytes } from "../../src/core/concat_bytes.ts";
import { describe, matchesSequence, OK_TAIL, recordTrace } from "../conformance/trace.ts";
import { headerOf, startRawHttpServer } from "../support/raw_http_server.ts";
import { assertFailed, countEvents } from "../support/reply_checks.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function socketManager(): NetworkAccessManager {
  return new NetworkAccessManager({ transport: "socket", proxy: null });
}

async function compress(bytes: string | Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const input = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
  const stream = new Blob([input as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream(format),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A response: `head` (lines without the blank line) and body bytes. */
function rawResponse(head: string, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes([encoder.encode(`${head}\r\n\r\n`), body]);
}

// ---- Framing Qt accepts ---------------------------------------------------------

Deno.test("ioGetFromHttpStatusInformational (socket): 1xx interim responses are skipped, their headers dropped", async (t) => {
  await using nam = socketManager();
  const rows: readonly (readonly [string, string, number])[] = [
    ["normal", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200],
    ["minimal", "HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200],
    ["minimal2", "HTTP/1.1 100 Continue\n\nHTTP/1.0 200 OK\r\n\r\n", 200],
    ["minimal3", "HTTP/1.1 100 Continue\n\nHTTP/1.0 200 OK\n\n", 200],
    ["minimal+404", "HTTP/1.1 100 Continue\n\nHTTP/1.0 204 No Content\r\n\r\n", 204],
    [
      "with_headers",
      "HTTP/1.1 100 Continue\r\nBla: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      200,
    ],
    ["with_headers2", "HTTP/1.1 100 Continue\nBla: x\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200],
    [
      "133, unknown, with headers",
      "HTTP/1.1 133 Whatever\r\nBla: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      200,
    ],
    [
      "179, bare LF, with headers",
      "HTTP/1.1 179 Whatever\nBla: x\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      200,
    ],
  ];
  for (const [name, bytes, status] of rows) {
    await t.step(name, async () => {
      await using server = startRawHttpServer(bytes);
      const reply = nam.get(server.url);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(reply.url().href, server.url.href);
      assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), status);
      assert.equal(reply.hasRawHeader("bla"), false);
      assert.equal(countEvents(trace, "metaDataChanged"), 1, "one response head, the final one");
    });
  }
});

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

Deno.test("qtbug27161httpHeaderMayBeDamaged (socket): a response split at every byte across two writes parses the same", async () => {
  const response = "HTTP/1.0 200 OK\r\nServer: bogus\r\nContent-Length: 3\r\n\r\nABC";
  let split = 1;
  await using server = startRawHttpServer(async (exchange) => {
    await exchange.write(response.slice(0, split));
    await exchange.pause(5); // lets the first write arrive alone (Qt waits 100 ms)
    await exchange.write(response.slice(split));
  });
  await using nam = socketManager();
  for (; split < response.length; split++) {
    const reply = nam.get(server.url);
    const trace = recordTrace(reply, nam);
    await reply.done;
    const at = `split at ${split}`;
    assert.equal(reply.error(), NetworkError.NoError, `${at}: ${reply.errorString()}`);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200, at);
    assert.equal(reply.header(KnownHeader.ContentLengthHeader), 3, at);
    assert.equal(reply.rawHeader("Content-length"), "3", at);
    assert.equal(reply.rawHeader("Server"), "bogus", at);
    assert.equal(decoder.decode(reply.readAll()), "ABC", at);
    assert.equal(countEvents(trace, "finished"), 1, at);
  }
  assert.equal(server.requests.length, response.length - 1);
});

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
      const encoded = await compress(payload, coding);
      await using server = startRawHttpServer(
        rawResponse(
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
    const encoded = await compress(payload, "gzip");
    await using server = startRawHttpServer(
      rawResponse(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}`, encoded),
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
  const bomb = await compress(new Uint8Array(bombSize), "gzip");
  await using server = startRawHttpServer(
    rawResponse(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}`, bomb),
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
    rawResponse(`HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${broken.length}`, broken),
  );
  await using nam = socketManager();
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  await reply.done;
  assertFailed(
    reply,
    trace,
    NetworkError.UnknownContentError,
    "Decompression failed: corrupt deflate stream",
  );
});

Deno.test("qtbug12908compressedHttpReply (socket): a valid gzip of 16 KiB of zeros decodes", async () => {
  // Qt's bytes: dd if=/dev/zero bs=16384 count=1 | gzip (with a file name in the header).
  const gzip = Uint8Array.from(
    atob("H4sICDdDaUwAA3F0YnVnLTEyOTA4AO3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"),
    (c) => c.charCodeAt(0),
  );
  assert.equal(gzip.length, 63);
  await using server = startRawHttpServer(
    rawResponse("HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 63", gzip),
  );
  await using nam = socketManager();
  const reply = nam.get(server.url);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(reply.bytesAvailable(), 16384);
  assert.deepEqual(reply.readAll(), new Uint8Array(16384));
  assert.equal(reply.attribute(Attribute.OriginalContentLengthAttribute), 63);
});

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
  const encoded = await compress("not found, but compressed", "gzip");
  await using server = startRawHttpServer(
    rawResponse(
      `HTTP/1.1 404 Not Found\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}`,
      encoded,
    ),
  );
  await using nam = socketManager();
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  await reply.done;
  assertFailed(
    reply,
    trace,
    NetworkError.ContentNotFoundError,
    `Error transferring ${server.url.href} - server replied: Not Found`,
  );
  assert.equal(decoder.decode(reply.readAll()), "not found, but compressed");
});

Deno.test("downloadProgressWithContentEncoding (socket): progress counts decoded bytes, total -1 until (n, n)", async () => {
  const big = "decoded progress ".repeat(20_000);
  const encoded = await compress(big, "gzip");
  await using server = startRawHttpServer(async (exchange) => {
    await exchange.write(
      rawResponse(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}`),
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
