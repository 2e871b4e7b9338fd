import assert from "node:assert/strict";
import { concatBytes } from "../../src/core/concat_bytes.ts";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { NetworkError } from "../../src/core/network_error.ts";
import { Http1Connection } from "../../src/transport/socket/http1_connection.ts";
import { headerOf, startRawHttpServer } from "../support/raw_http_server.ts";
import { bodyBytes, collect, connectLoopback, failureOf, shape, wireRequest } from "./_connection_support.ts";

async function compress(format: CompressionFormat, bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream(format),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function response(head: string, body: Uint8Array): Uint8Array {
  return concatBytes([new TextEncoder().encode(head), body]);
}

const text = new TextEncoder().encode("netreply decodes what the server encodes. ".repeat(200));

Deno.test("Decoding: gzip and deflate bodies arrive decoded, Content-Length moves to originalContentLength", async (t) => {
  for (const coding of ["gzip", "deflate"] as const) {
    await t.step(coding, async () => {
      const encoded = await compress(coding, text);
      await using server = startRawHttpServer(
        response(
          `HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}\r\nContent-Length: ${encoded.length}\r\n\r\n`,
          encoded,
        ),
        { keepAlive: true },
      );
      const connection = new Http1Connection(await connectLoopback(server.port));
      try {
        const events = await collect(connection, wireRequest(server.port, { decompress: true }));
        assert.equal(shape(events), "requestSent responseHead data* end");
        const head = events.find((event) => event.type === "responseHead");
        assert.ok(head?.type === "responseHead");
        assert.equal(head.head.headers.contains("content-length"), false);
        assert.equal(head.head.headers.value("content-encoding"), coding);
        assert.equal(head.head.originalContentLength, encoded.length);
        assert.deepEqual(bodyBytes(events), text);
        const wire = events.reduce((n, event) => n + (event.type === "data" ? event.wireBytes : 0), 0);
        assert.equal(wire, encoded.length);
        assert.equal(connection.reusable, true);
        const accepted = headerOf(server.requests[0], "accept-encoding") ?? "";
        assert.match(accepted, /gzip/);
      } finally {
        connection.close();
      }
    });
  }
});

Deno.test("Decoding: chunked gzip decodes; without decompress or with an unknown coding the body is as it came", async (t) => {
  const encoded = await compress("gzip", text);
  const half = encoded.length >> 1;
  const chunked = response(
    `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n${half.toString(16)}\r\n`,
    encoded.subarray(0, half),
  );
  const rest = response(`\r\n${(encoded.length - half).toString(16)}\r\n`, encoded.subarray(half));
  const chunkedBody = new Uint8Array([...chunked, ...rest, ...new TextEncoder().encode("\r\n0\r\n\r\n")]);
  const cases = [
    { name: "chunked gzip", bytes: chunkedBody, decompress: true, expected: text },
    {
      name: "decompress off",
      bytes: response(
        `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}\r\n\r\n`,
        encoded,
      ),
      decompress: false,
      expected: encoded,
    },
    {
      name: "a Range request (a range of an encoded body does not decode)",
      bytes: response(
        `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}\r\n\r\n`,
        encoded,
      ),
      decompress: true,
      headers: [["range", "bytes=0-"]] as [string, string][],
      expected: encoded,
    },
    {
      name: "unknown coding",
      bytes: response(
        "HTTP/1.1 200 OK\r\nContent-Encoding: compress\r\nContent-Length: 3\r\n\r\n",
        text.subarray(0, 3),
      ),
      decompress: true,
      expected: text.subarray(0, 3),
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using server = startRawHttpServer(c.bytes);
      const connection = new Http1Connection(await connectLoopback(server.port));
      try {
        const headers = new HttpHeaders("headers" in c ? c.headers : []);
        const events = await collect(
          connection,
          wireRequest(server.port, { decompress: c.decompress, headers }),
        );
        assert.equal(shape(events), "requestSent responseHead data* end");
        assert.deepEqual(bodyBytes(events), c.expected);
        if (!c.decompress || "headers" in c) {
          assert.equal(headerOf(server.requests[0], "accept-encoding"), undefined);
        }
      } finally {
        connection.close();
      }
    });
  }
});

Deno.test("Decoding: a user Accept-Encoding is sent as set and disables decoding", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const headers = new HttpHeaders([["accept-encoding", "identity"]]);
    await collect(connection, wireRequest(server.port, { headers, decompress: false }));
    assert.equal(headerOf(server.requests[0], "accept-encoding"), "identity");
    assert.deepEqual(headers.toListOfPairs(), [["accept-encoding", "identity"]]);
  } finally {
    connection.close();
  }
});

Deno.test("Decoding failures: a bomb and a truncated body fail with UnknownContentError", async (t) => {
  const zeros = new Uint8Array(4 * 1024 * 1024);
  const bomb = await compress("gzip", zeros);
  const encoded = await compress("gzip", text);
  const truncated = encoded.subarray(0, encoded.length - 10);
  const cases = [
    {
      name: "bomb",
      bytes: response(
        `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`,
        bomb,
      ),
      threshold: 64 * 1024,
      message:
        /^Decompression failed: the gzip body decodes to more than 40 times its size .*decompressedSafetyCheckThreshold \(65536 bytes\)/,
    },
    {
      name: "truncated close-delimited gzip",
      bytes: response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", truncated),
      threshold: -1,
      message: /^Decompression failed: the gzip body is truncated/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using server = startRawHttpServer(c.bytes);
      const connection = new Http1Connection(await connectLoopback(server.port));
      try {
        const events = await collect(
          connection,
          wireRequest(server.port, { decompress: true, decompressedSafetyCheckThreshold: c.threshold }),
        );
        const failure = failureOf(events);
        assert.equal(failure?.code, NetworkError.UnknownContentError);
        assert.match(failure?.message ?? "", c.message);
        assert.equal(connection.closed, true);
      } finally {
        connection.close();
      }
    });
  }
});

Deno.test("Decoding: the bomb guard is off at -1", async () => {
  const zeros = new Uint8Array(1024 * 1024);
  const bomb = await compress("gzip", zeros);
  await using server = startRawHttpServer(
    response(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`, bomb),
  );
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const events = await collect(connection, wireRequest(server.port, { decompress: true }));
    assert.equal(shape(events), "requestSent responseHead data* end");
    assert.equal(bodyBytes(events).length, zeros.length);
  } finally {
    connection.close();
  }
});
