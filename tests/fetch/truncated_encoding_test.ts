/**
 * Compressed bodies whose compressed data stops early while the HTTP framing
 * is complete (the exact Content-Length of what was sent, a chunked body with
 * its last chunk, or a close-delimited body): always UnknownContentError
 * naming the truncation, after the bytes that decoded, never a quiet success.
 *
 * netreply decodes deflate itself (Deno 2.9.6's DecompressionStream ends
 * quietly on truncated zlib and raw deflate data, so netreply checks the end:
 * the zlib Adler-32 trailer, and for raw deflate that the stream refuses a
 * byte after its end); the runtime decodes gzip and br and reports their
 * truncation itself ("unexpected end of file", "reached unexpected EOF").
 */
import assert from "node:assert/strict";
import { brotliCompressSync } from "node:zlib";
import { NetworkError } from "../../src/core/network_error.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";
import { compress, framed, type Framing, framingName } from "./encoded_bodies.ts";

const random = new Uint8Array(150_000);
for (let i = 0; i < random.length; i += 65_536) crypto.getRandomValues(random.subarray(i, i + 65_536));

const FRAMINGS: readonly Framing[] = ["length", "chunked", "close"];

interface Stream {
  readonly name: string;
  readonly coding: string;
  readonly encoded: Uint8Array;
  readonly message: string | RegExp;
}

const streams: readonly Stream[] = [
  {
    name: "zlib (netreply decodes)",
    coding: "deflate",
    encoded: await compress(random, "deflate"),
    message: "Decompression failed: the deflate body is truncated: it ends without the Adler-32 trailer of " +
      "its zlib stream",
  },
  {
    name: "raw deflate (netreply decodes)",
    coding: "deflate",
    encoded: await compress(random, "deflate-raw"),
    message: "Decompression failed: the deflate body is truncated: it ends inside its last deflate block",
  },
  {
    name: "gzip (the runtime decodes)",
    coding: "gzip",
    encoded: await compress(random, "gzip"),
    message: "Decompression failed: the gzip body is truncated (unexpected end of file)",
  },
  {
    name: "br (the runtime decodes)",
    coding: "br",
    encoded: new Uint8Array(brotliCompressSync(random)),
    message: "Decompression failed: the br body is truncated (reached unexpected EOF)",
  },
];

Deno.test("fetch transport: a compressed body cut short inside complete framing is UnknownContentError", async (t) => {
  const transport = new FetchTransport();
  for (const stream of streams) {
    for (const framing of FRAMINGS) {
      await t.step(`${stream.name}, ${framingName(framing)}`, async () => {
        for (const cut of [1, 4, stream.encoded.length >> 1]) {
          const body = stream.encoded.subarray(0, stream.encoded.length - cut);
          await using server = startRawHttpServer(
            framed(`HTTP/1.1 200 OK\r\nContent-Encoding: ${stream.coding}`, body, framing),
          );
          const result = await runExchange(transport, exchangeRequest(server.url));
          const what = `cut by ${cut}`;
          assert.equal(result.error?.code, NetworkError.UnknownContentError, what);
          if (typeof stream.message === "string") assert.equal(result.error?.message, stream.message, what);
          else assert.match(result.error?.message ?? "", stream.message, what);
          assert.deepEqual(result.trace.slice(0, 2), ["requestSent", "responseHead(200)"], what);
          assert.ok(result.trace.length <= 4, `${what}: ${result.trace}`);
          assert.equal(result.events.filter((e) => e.type === "error").length, 1, what);
          assert.ok(result.body.length < random.length || cut <= 4, what);
          assert.deepEqual(result.body, random.subarray(0, result.body.length), `${what}: a correct prefix`);
        }
      });
    }
  }
  await transport.close();
});

Deno.test("fetch transport: the same compressed bodies complete decode in every framing", async (t) => {
  const transport = new FetchTransport();
  for (const stream of streams) {
    for (const framing of FRAMINGS) {
      await t.step(`${stream.name}, ${framingName(framing)}`, async () => {
        await using server = startRawHttpServer(
          framed(`HTTP/1.1 200 OK\r\nContent-Encoding: ${stream.coding}`, stream.encoded, framing),
        );
        const result = await runExchange(transport, exchangeRequest(server.url));
        assert.equal(result.error, undefined);
        assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "data", "end"]);
        assert.deepEqual(result.body, random);
      });
    }
  }
  await transport.close();
});
