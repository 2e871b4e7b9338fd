/**
 * The archive-bomb guard on the fetch transport against real bombs served by
 * raw loopback servers, in every framing (Qt's decompression safety check; Qt's
 * contentEncodingError and contentEncodingBigPayload).
 *
 * Where netreply decodes (deflate on Deno) it counts the encoded bytes and
 * applies Qt's ratio. Where the runtime decodes (gzip, br) it hides the
 * encoded bytes: the ratio is taken against a declared Content-Length, and
 * without one the decoded size is capped at the ratio limit times
 * decompressedSafetyCheckThreshold. A Content-Length larger than the body the
 * server sends is believed: Deno ends the decoded body at the end of the
 * compressed stream without reporting the missing bytes.
 *
 * The threshold is lowered to 64 KiB so that each bomb is a few MiB.
 */
import assert from "node:assert/strict";
import { brotliCompressSync, constants } from "node:zlib";
import { NetworkError } from "../../src/core/network_error.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { exchangeRequest, type ExchangeResult, runExchange } from "../support/exchange.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";
import { compress, framed, type Framing, framingName, textBytes } from "./encoded_bodies.ts";

const THRESHOLD = 64 * 1024;
const zeros = new Uint8Array(16 * 1024 * 1024);
const bombs: Record<string, Uint8Array> = {
  gzip: await compress(zeros, "gzip"),
  br: new Uint8Array(brotliCompressSync(zeros)),
};
const LIMITS: Record<string, number> = { gzip: 40, br: 100, deflate: 40 };
const FAILED_TRACE = [
  "requestSent",
  "responseHead(200)",
  "data",
  `error(${NetworkError.UnknownContentError})`,
];

/** Serves `bytes` once and runs one GET with the lowered threshold (or `threshold`). */
async function serve(bytes: Uint8Array, threshold = THRESHOLD): Promise<ExchangeResult> {
  await using server = startRawHttpServer(bytes);
  const transport = new FetchTransport();
  try {
    return await runExchange(
      transport,
      exchangeRequest(server.url, { decompressedSafetyCheckThreshold: threshold }),
    );
  } finally {
    await transport.close();
  }
}

function unknownSizeMessage(coding: string): string {
  const limit = LIMITS[coding];
  return `Decompression failed: the ${coding} body decodes to more than ${limit * THRESHOLD} bytes ` +
    `(${limit} times decompressedSafetyCheckThreshold, ${THRESHOLD} bytes) and its encoded size cannot be ` +
    "checked (no Content-Length, and the runtime decodes it); raise the threshold or set it to -1 to allow it";
}

function ratioMessage(coding: string, encoded: number): RegExp {
  return new RegExp(
    `^Decompression failed: the ${coding} body decodes to more than ${LIMITS[coding]} times its size ` +
      `\\(\\d+ bytes from ${encoded}\\) beyond decompressedSafetyCheckThreshold \\(${THRESHOLD} bytes\\); ` +
      "raise the threshold or set it to -1 to allow it$",
  );
}

Deno.test("fetch transport: a bomb the runtime decodes without a Content-Length stops at the cap", async (t) => {
  for (const [coding, bomb] of Object.entries(bombs)) {
    for (const framing of ["chunked", "close"] as const) {
      await t.step(`${coding}, ${framing}`, async () => {
        const result = await serve(framed(`HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}`, bomb, framing));
        assert.deepEqual(result.trace, FAILED_TRACE);
        assert.equal(result.error?.message, unknownSizeMessage(coding));
        const cap = LIMITS[coding] * THRESHOLD;
        assert.ok(result.body.length <= cap, `delivered ${result.body.length} of at most ${cap}`);
      });
    }
  }
});

Deno.test("fetch transport: a bomb the runtime decodes is measured against its Content-Length, exact or short", async (t) => {
  for (const [coding, bomb] of Object.entries(bombs)) {
    await t.step(`${coding}, exact`, async () => {
      const result = await serve(framed(`HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}`, bomb, "length"));
      assert.deepEqual(result.trace, FAILED_TRACE);
      assert.match(result.error?.message ?? "", ratioMessage(coding, bomb.length));
    });
  }
  await t.step("gzip, Content-Length shorter than the body", async () => {
    // The runtime reads only the declared bytes, and the ratio is taken against them.
    const short = Math.floor(bombs.gzip.length / 2);
    const result = await serve(
      framed("HTTP/1.1 200 OK\r\nContent-Encoding: gzip", bombs.gzip, { declared: short }),
    );
    assert.deepEqual(result.trace, FAILED_TRACE);
    assert.match(result.error?.message ?? "", ratioMessage("gzip", short));
  });
  await t.step("br, Content-Length shorter than the body", async () => {
    // 16 MiB of zeros is a 27-byte br stream: its first half decodes to nothing yet.
    const short = Math.floor(bombs.br.length / 2);
    const result = await serve(
      framed("HTTP/1.1 200 OK\r\nContent-Encoding: br", bombs.br, { declared: short }),
    );
    assert.deepEqual(result.trace, [
      "requestSent",
      "responseHead(200)",
      `error(${NetworkError.UnknownContentError})`,
    ]);
    assert.equal(
      result.error?.message,
      "Decompression failed: the br body is truncated (reached unexpected EOF)",
    );
  });
});

Deno.test("fetch transport: a Content-Length larger than the bomb is believed (documented)", async (t) => {
  // The runtime decodes the whole compressed stream and ends the body there,
  // without reporting the bytes the Content-Length still promised.
  const decoded = 4 * 1024 * 1024;
  const bomb = await compress(new Uint8Array(decoded), "gzip");
  await t.step("declared large enough for the ratio: the bomb passes", async () => {
    const declared = Math.ceil(decoded / 40);
    const result = await serve(framed("HTTP/1.1 200 OK\r\nContent-Encoding: gzip", bomb, { declared }));
    assert.equal(result.error, undefined);
    assert.equal(result.body.length, decoded);
  });
  await t.step("declared too small for the ratio: caught", async () => {
    const declared = Math.floor(decoded / 100);
    const result = await serve(framed("HTTP/1.1 200 OK\r\nContent-Encoding: gzip", bomb, { declared }));
    assert.deepEqual(result.trace, FAILED_TRACE);
    assert.match(result.error?.message ?? "", ratioMessage("gzip", declared));
  });
});

Deno.test("fetch transport: a deflate bomb netreply decodes is measured against the bytes it counted, in every framing", async (t) => {
  const bomb = await compress(zeros, "deflate");
  for (const framing of ["length", "chunked", "close", { declared: 1 << 30 }] as Framing[]) {
    await t.step(framingName(framing), async () => {
      const result = await serve(framed("HTTP/1.1 200 OK\r\nContent-Encoding: deflate", bomb, framing));
      assert.equal(result.error?.code, NetworkError.UnknownContentError);
      assert.match(
        result.error?.message ?? "",
        /^Decompression failed: the deflate body decodes to more than 40 times its size \(\d+ bytes from \d+\)/,
      );
      assert.equal(result.trace.at(-1), `error(${NetworkError.UnknownContentError})`);
    });
  }
});

Deno.test("fetch transport: legitimate compressed bodies pass in every framing", async (t) => {
  const body = textBytes(2 * 1024 * 1024); // 2 MiB, below the 2.5 MiB cap, about 1.6:1
  const encoded: Record<string, Uint8Array> = {
    gzip: await compress(body, "gzip"),
    br: new Uint8Array(brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })),
    deflate: await compress(body, "deflate"),
  };
  for (const [coding, bytes] of Object.entries(encoded)) {
    for (const framing of ["length", "chunked", "close"] as Framing[]) {
      await t.step(`${coding}, ${framingName(framing)}`, async () => {
        const result = await serve(framed(`HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}`, bytes, framing));
        assert.equal(result.error, undefined);
        assert.deepEqual(result.body, body);
      });
    }
  }
});

Deno.test("fetch transport: decompressedSafetyCheckThreshold -1 lets a chunked bomb through (contentEncodingBigPayload)", async () => {
  const decoded = 4 * 1024 * 1024;
  const bomb = await compress(new Uint8Array(decoded), "gzip");
  const result = await serve(framed("HTTP/1.1 200 OK\r\nContent-Encoding: gzip", bomb, "chunked"), -1);
  assert.equal(result.error, undefined);
  assert.equal(result.body.length, decoded);
});
