/**
 * Content-Encoding on the fetch transport: who decodes, the Content-Length
 * move, the archive-bomb guard, corrupt and empty bodies (Qt's automatic
 * decompression and its safety check; Qt's contentEncoding*, compressed*, qtbug18232, qtbug22660,
 * notFoundWithCompression).
 */
import assert from "node:assert/strict";
import { brotliCompressSync } from "node:zlib";
import { NetworkError } from "../../src/core/network_error.ts";
import { acceptEncoding } from "../../src/http1/accept_encoding.ts";
import { BombGuard } from "../../src/http1/bomb_guard.ts";
import { createBodyDecoder, DecodingError } from "../../src/http1/content_decoding.ts";
import { createBodySource, planDecoding } from "../../src/transport/fetch/decoding.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { runtimeDecodes } from "../../src/transport/fetch/runtime.ts";
import { concatBytes } from "../../src/core/concat_bytes.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const denoDecodes = (coding: string) => runtimeDecodes("deno", coding);

async function compress(data: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream(format),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A raw response: head lines, then the body bytes. */
function response(head: string, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes([encoder.encode(`${head}\r\n\r\n`), body]);
}

const text = "The quick brown fox jumps over the lazy dog. ".repeat(200);
const BODY_READ_FAILED =
  "Connection closed before the end of the body, or the body's framing was invalid (the runtime reports both alike)";
const plain = encoder.encode(text);

Deno.test("planDecoding: who decodes what", () => {
  const rows: [string | null, boolean, ReturnType<typeof planDecoding>][] = [
    [null, true, { by: "none" }],
    ["", true, { by: "none" }],
    ["gzip", true, { by: "runtime", coding: "gzip" }],
    ["GZIP", true, { by: "runtime", coding: "gzip" }],
    ["gzip", false, { by: "runtime", coding: "gzip" }], // the runtime decodes regardless
    ["br", true, { by: "runtime", coding: "br" }],
    ["deflate", true, { by: "netreply", coding: "deflate" }],
    [" Deflate ", true, { by: "netreply", coding: "deflate" }],
    ["deflate", false, { by: "none" }],
    ["zstd", true, { by: "none" }], // no zstd DecompressionStream on Deno 2.9.6
    ["gzip, br", true, { by: "none" }],
    ["x-gzip", true, { by: "none" }],
    ["identity", true, { by: "none" }],
  ];
  for (const [contentEncoding, decompress, expected] of rows) {
    assert.deepEqual(
      planDecoding(contentEncoding, denoDecodes, decompress),
      expected,
      String(contentEncoding),
    );
  }
  // Bun decodes zstd itself.
  assert.deepEqual(planDecoding("zstd", (c) => runtimeDecodes("bun", c), true), {
    by: "runtime",
    coding: "zstd",
  });
});

Deno.test("acceptEncoding: the runtime's codings plus what DecompressionStream has, in Qt's order", () => {
  assert.equal(acceptEncoding(denoDecodes), "br, gzip, deflate");
  assert.equal(acceptEncoding((c) => runtimeDecodes("bun", c)), "zstd, br, gzip, deflate");
});

Deno.test("BombGuard: ratio limits per coding, only beyond the threshold, -1 disables", () => {
  const guard = new BombGuard(1000, "gzip");
  assert.equal(guard.check(1000, 1), undefined, "not beyond the threshold yet");
  assert.equal(guard.check(4000, 100), undefined, "40:1 is allowed");
  assert.equal(
    guard.check(4001, 100),
    "Decompression failed: the gzip body decodes to more than 40 times its size (4001 bytes from 100) beyond " +
      "decompressedSafetyCheckThreshold (1000 bytes); raise the threshold or set it to -1 to allow it",
  );
  assert.equal(new BombGuard(1000, "br").check(4001, 100), undefined, "br allows 100:1");
  assert.match(new BombGuard(1000, "zstd").check(10001, 100) ?? "", /more than 100 times/);
  assert.equal(new BombGuard(-1, "gzip").check(1e12, 1), undefined);
});

Deno.test("createBodySource (netreply decodes): zlib and raw deflate, one byte at a time, encoded bytes counted", async () => {
  for (const format of ["deflate", "deflate-raw"] as const) {
    const encoded = await compress(plain, format);
    let i = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < encoded.length) controller.enqueue(encoded.slice(i, ++i));
        else controller.close();
      },
    });
    const body = createBodySource(source, { by: "netreply", coding: "deflate" });
    const chunks: Uint8Array[] = [];
    for (let chunk = await body.read(); chunk !== null; chunk = await body.read()) chunks.push(chunk);
    assert.equal(decoder.decode(concatBytes(chunks)), text, format);
    assert.equal(body.sourceBytes, encoded.length);
    await body.cancel();
  }
});

Deno.test("createBodyDecoder: a corrupt stream is a DecodingError, a source failure is rethrown", async () => {
  const corrupt = createBodyDecoder(
    new Blob([encoder.encode("not deflate at all")]).stream().getReader(),
    "deflate",
  );
  await assert.rejects(corrupt.read(), (e: unknown) => e instanceof DecodingError);
  await corrupt.cancel();

  const failure = new Error("connection lost");
  const encoded = await compress(plain, "gzip");
  let sent = false;
  const broken = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return controller.error(failure);
      controller.enqueue(encoded.slice(0, 20));
      sent = true;
    },
  });
  const decoding = createBodyDecoder(broken.getReader(), "gzip");
  await assert.rejects(async () => {
    while (await decoding.read() !== null) { /* drain */ }
  }, (e: unknown) => e === failure);
  await decoding.cancel();
});

/** Decodes `encoded` fed in `chunkSize` pieces: the decoded bytes, and the error if one ended it. */
async function decodeAll(
  encoded: Uint8Array,
  coding: string,
  chunkSize = 1000,
): Promise<{ decoded: Uint8Array; error?: unknown }> {
  let offset = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= encoded.length) return controller.close();
      controller.enqueue(encoded.slice(offset, offset += chunkSize));
    },
  });
  const decoding = createBodyDecoder(source.getReader(), coding);
  const chunks: Uint8Array[] = [];
  try {
    for (let chunk = await decoding.read(); chunk !== null; chunk = await decoding.read()) chunks.push(chunk);
    return { decoded: concatBytes(chunks) };
  } catch (error) {
    return { decoded: concatBytes(chunks), error };
  } finally {
    await decoding.cancel();
  }
}

Deno.test("createBodyDecoder: every truncated stream is a DecodingError naming the truncation", async (t) => {
  // Deno 2.9.6's DecompressionStream ends quietly when zlib or raw deflate input
  // stops early (gzip and brotli fail at close): netreply checks those ends itself.
  const random = new Uint8Array(100_000);
  for (let i = 0; i < random.length; i += 65_536) crypto.getRandomValues(random.subarray(i, i + 65_536));
  const streams: [string, string, Uint8Array, RegExp][] = [
    ["zlib", "deflate", await compress(random, "deflate"), /^the deflate body is truncated: it ends without/],
    [
      "raw deflate",
      "deflate",
      await compress(random, "deflate-raw"),
      /^the deflate body is truncated: it ends inside/,
    ],
    [
      "gzip",
      "gzip",
      await compress(random, "gzip"),
      /^the gzip body is truncated \(or its check value is wrong\): /,
    ],
    [
      "br",
      "br",
      new Uint8Array(brotliCompressSync(random)),
      /^the br body is truncated \(or its check value is wrong\): /,
    ],
  ];
  for (const [name, coding, encoded, message] of streams) {
    await t.step(name, async () => {
      const whole = await decodeAll(encoded, coding);
      assert.equal(whole.error, undefined);
      assert.deepEqual(whole.decoded, random);
      for (const cut of [1, 2, 4, 5, 100, encoded.length >> 1, encoded.length - 3]) {
        const { decoded, error } = await decodeAll(encoded.subarray(0, encoded.length - cut), coding);
        assert.ok(error instanceof DecodingError, `${name} cut by ${cut}: ${error}`);
        assert.match(error.message, message, `${name} cut by ${cut}`);
        assert.deepEqual(decoded, random.subarray(0, decoded.length), "what came first was right");
      }
    });
  }
});

Deno.test("createBodyDecoder: a raw deflate stream that ends exactly at a chunk boundary is complete", async () => {
  const encoded = await compress(plain, "deflate-raw");
  for (const chunkSize of [1, 7, encoded.length]) {
    const { decoded, error } = await decodeAll(encoded, "deflate", chunkSize);
    assert.equal(error, undefined, `chunks of ${chunkSize}`);
    assert.equal(decoder.decode(decoded), text);
  }
});

Deno.test("createBodyDecoder: data after the end of the compressed stream is a DecodingError", async () => {
  const encoded = await compress(plain, "deflate");
  const { error } = await decodeAll(concatBytes([encoded, encoder.encode("trailing junk")]), "deflate");
  assert.ok(error instanceof DecodingError);
});

/** Serves one canned response and runs one GET through a fresh transport. */
async function exchangeWith(raw: Uint8Array, overrides: Parameters<typeof exchangeRequest>[1] = {}) {
  await using server = startRawHttpServer(raw);
  const transport = new FetchTransport();
  try {
    return await runExchange(transport, exchangeRequest(server.url, overrides));
  } finally {
    await transport.close();
  }
}

Deno.test("fetch transport: gzip decoded by the runtime, Content-Length moved out of the head", async () => {
  const gzip = await compress(plain, "gzip");
  const result = await exchangeWith(
    response(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gzip.length}`, gzip),
  );
  assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "data", "end"]);
  assert.equal(decoder.decode(result.body), text);
  assert.equal(result.head?.headers.value("content-encoding"), "gzip", "Content-Encoding is kept");
  assert.equal(result.head?.headers.contains("content-length"), false);
  assert.equal(result.head?.originalContentLength, gzip.length);
});

Deno.test("fetch transport: br decoded by the runtime", async () => {
  const br = new Uint8Array(brotliCompressSync(plain));
  const result = await exchangeWith(
    response(`HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: ${br.length}`, br),
  );
  assert.equal(decoder.decode(result.body), text);
  assert.equal(result.head?.originalContentLength, br.length);
});

Deno.test("fetch transport: deflate (zlib and raw) decoded by netreply, wire bytes counted", async () => {
  for (const format of ["deflate", "deflate-raw"] as const) {
    const encoded = await compress(plain, format);
    const result = await exchangeWith(
      response(`HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: ${encoded.length}`, encoded),
    );
    assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "data", "end"], format);
    assert.equal(decoder.decode(result.body), text, format);
    assert.equal(result.head?.headers.contains("content-length"), false, format);
    assert.equal(result.head?.originalContentLength, encoded.length, format);
    const wire = result.events.reduce((n, e) => e.type === "data" ? n + e.wireBytes : n, 0);
    assert.equal(wire, encoded.length, format);
  }
});

Deno.test("fetch transport: with decompress off, deflate passes through with its Content-Length", async () => {
  const encoded = await compress(plain, "deflate");
  const result = await exchangeWith(
    response(`HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: ${encoded.length}`, encoded),
    { decompress: false },
  );
  assert.deepEqual(result.body, encoded);
  assert.equal(result.head?.headers.value("content-length"), String(encoded.length));
  assert.equal(result.head?.originalContentLength, undefined);
});

Deno.test("fetch transport: zstd and multi-token encodings pass through untouched", async () => {
  const zstdLike = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4]);
  for (const coding of ["zstd", "gzip, br"]) {
    const result = await exchangeWith(
      response(
        `HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}\r\nContent-Length: ${zstdLike.length}`,
        zstdLike,
      ),
    );
    assert.deepEqual(result.body, zstdLike, coding);
    assert.equal(result.head?.headers.value("content-length"), String(zstdLike.length), coding);
    assert.equal(result.error, undefined, coding);
  }
});

Deno.test("fetch transport: a 404 with a gzip body is decoded (notFoundWithCompression)", async () => {
  const gzip = await compress(encoder.encode("404 not found, decoded"), "gzip");
  const result = await exchangeWith(
    response(`HTTP/1.1 404 Not Found\r\nContent-Encoding: gzip\r\nContent-Length: ${gzip.length}`, gzip),
  );
  assert.equal(result.head?.status, 404);
  assert.equal(decoder.decode(result.body), "404 not found, decoded");
  assert.equal(result.error, undefined, "the HTTP status is the reply's business");
});

Deno.test("fetch transport: empty gzip bodies succeed (qtbug18232, qtbug22660)", async (t) => {
  await t.step("Content-Length: 0", async () => {
    const result = await exchangeWith(
      response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0"),
    );
    assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "end"]);
    assert.equal(result.head?.originalContentLength, 0);
  });
  await t.step("no length, closed", async () => {
    const result = await exchangeWith(
      response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close"),
    );
    assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "end"]);
    assert.equal(result.body.length, 0);
  });
  await t.step("deflate (netreply), no length, closed", async () => {
    const result = await exchangeWith(
      response("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nConnection: close"),
    );
    assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "end"]);
  });
});

Deno.test("fetch transport: corrupt bodies fail with UnknownContentError (compressedHttpReplyBrokenGzip)", async (t) => {
  await t.step("gzip, decoded by the runtime", async () => {
    const result = await exchangeWith(
      response(
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10",
        encoder.encode("abcdefghij"),
      ),
    );
    assert.deepEqual(result.trace, [
      "requestSent",
      "responseHead(200)",
      `error(${NetworkError.UnknownContentError})`,
    ]);
    assert.equal(result.error?.message, "Decompression failed: Invalid gzip header");
  });
  await t.step("deflate, decoded by netreply", async () => {
    const result = await exchangeWith(
      response(
        "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: 10",
        encoder.encode("abcdefghij"),
      ),
    );
    assert.equal(result.error?.code, NetworkError.UnknownContentError);
    assert.equal(result.error?.message, "Decompression failed: corrupt deflate stream");
  });
});

Deno.test("fetch transport: a deflate body cut short is RemoteHostClosedError, not a decoding error", async () => {
  const random = crypto.getRandomValues(new Uint8Array(60_000));
  const encoded = await compress(random, "deflate");
  await using server = startRawHttpServer(async (exchange) => {
    await exchange.write(response(
      `HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: ${encoded.length}`,
      encoded.slice(0, 30_000),
    ));
    exchange.close();
  });
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(server.url));
  assert.equal(result.error?.code, NetworkError.RemoteHostClosedError);
  assert.equal(result.error?.message, BODY_READ_FAILED);
  assert.ok(
    result.body.length > 0 && result.body.length < random.length,
    "the bytes decoded so far came first",
  );
  assert.deepEqual(result.body, random.slice(0, result.body.length));
  await transport.close();
});

const bombSize = 12 * 1024 * 1024; // beyond the default 10 MiB threshold
const zeros = new Uint8Array(bombSize);

Deno.test("fetch transport: a deflate bomb decoded by netreply fails with UnknownContentError (contentEncodingError)", async () => {
  const bomb = await compress(zeros, "deflate");
  const head = `HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: ${bomb.length}`;
  const result = await exchangeWith(response(head, bomb));
  assert.equal(result.error?.code, NetworkError.UnknownContentError);
  assert.match(result.error?.message ?? "", /decompressedSafetyCheckThreshold \(10485760 bytes\)/);
  assert.ok(result.body.length <= bombSize);

  const allowed = await exchangeWith(response(head, bomb), { decompressedSafetyCheckThreshold: -1 });
  assert.equal(allowed.error, undefined, "threshold -1 turns the guard off (contentEncodingBigPayload)");
  assert.equal(allowed.body.length, bombSize);
});

Deno.test("fetch transport: a gzip bomb the runtime decodes is caught against Content-Length", async () => {
  const bomb = await compress(zeros, "gzip");
  const result = await exchangeWith(
    response(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}`, bomb),
  );
  assert.equal(result.error?.code, NetworkError.UnknownContentError);
  assert.match(
    result.error?.message ?? "",
    /^Decompression failed: the gzip body decodes to more than 40 times/,
  );
});
