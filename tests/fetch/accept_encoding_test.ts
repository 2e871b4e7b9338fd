/**
 * A user-set Accept-Encoding (or a Range) on the fetch transport: which
 * bodies the runtime still decodes, and what netreply reports for them.
 *
 * How this was measured (and is re-measured by every run of this file): a raw
 * TCP server on loopback records the Accept-Encoding field lines of each
 * request and answers every request with the same encoded body (gzip, br or
 * deflate, with its exact Content-Length), whatever the request asked for.
 * The bytes fetch delivers are then compared with the encoded and the decoded
 * forms. On Deno 2.9.6 the outcome depends only on the request: gzip and br
 * are decoded for any Accept-Encoding (a single coding, a list, q-values,
 * `*`, an empty value, an unknown coding), except when the first
 * Accept-Encoding field is exactly `identity` in any letter case (not
 * `identity;q=1`, not `identity, gzip`) or when the request has a Range field
 * (Deno then sends `Accept-Encoding: identity` itself, replacing none the user
 * set). deflate is never decoded by Deno. `runtimeDecodesRequest` encodes
 * this table; a runtime that behaves differently fails the rows below.
 */
import assert from "node:assert/strict";
import { brotliCompressSync } from "node:zlib";
import { Attribute, KnownHeader, NetworkAccessManager, NetworkRequest } from "../../mod.ts";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { runtimeDecodesRequest } from "../../src/transport/fetch/runtime.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import { headerOf, startRawHttpServer } from "../support/raw_http_server.ts";
import { compress, framed } from "./encoded_bodies.ts";

const plain = new TextEncoder().encode("Accept-Encoding measurement body. ".repeat(100));
const encodings: Record<string, Uint8Array> = {
  gzip: await compress(plain, "gzip"),
  br: new Uint8Array(brotliCompressSync(plain)),
  deflate: await compress(plain, "deflate"),
};

interface Row {
  /** The request's own fields (none: netreply sets Accept-Encoding itself). */
  readonly fields: readonly (readonly [string, string])[];
  /** The Accept-Encoding field lines on the wire, joined by " | ". */
  readonly wire: string;
  /** Which codings come out decoded (by the runtime, or by netreply for deflate). */
  readonly decoded: readonly string[];
}

const RUNTIME = ["gzip", "br"];
const rows: readonly Row[] = [
  { fields: [], wire: "br, gzip, deflate", decoded: ["gzip", "br", "deflate"] },
  { fields: [["accept-encoding", "gzip"]], wire: "gzip", decoded: RUNTIME },
  { fields: [["accept-encoding", "br"]], wire: "br", decoded: RUNTIME },
  { fields: [["accept-encoding", "gzip, br"]], wire: "gzip, br", decoded: RUNTIME },
  { fields: [["accept-encoding", "deflate"]], wire: "deflate", decoded: RUNTIME },
  { fields: [["accept-encoding", "zstd"]], wire: "zstd", decoded: RUNTIME },
  { fields: [["accept-encoding", "*"]], wire: "*", decoded: RUNTIME },
  { fields: [["accept-encoding", "gzip;q=0"]], wire: "gzip;q=0", decoded: RUNTIME },
  { fields: [["accept-encoding", ""]], wire: "", decoded: RUNTIME },
  { fields: [["accept-encoding", "identity;q=1"]], wire: "identity;q=1", decoded: RUNTIME },
  { fields: [["accept-encoding", "identity, gzip"]], wire: "identity, gzip", decoded: RUNTIME },
  { fields: [["accept-encoding", "identity"]], wire: "identity", decoded: [] },
  { fields: [["accept-encoding", "IDENTITY"]], wire: "IDENTITY", decoded: [] },
  { fields: [["Accept-Encoding", "Identity"]], wire: "Identity", decoded: [] },
  {
    fields: [["accept-encoding", "identity"], ["accept-encoding", "gzip"]],
    wire: "identity | gzip",
    decoded: [],
  },
  {
    fields: [["accept-encoding", "gzip"], ["accept-encoding", "identity"]],
    wire: "gzip | identity",
    decoded: RUNTIME,
  },
  { fields: [["range", "bytes=0-"]], wire: "identity", decoded: [] },
  { fields: [["range", "bytes=0-"], ["accept-encoding", "gzip"]], wire: "gzip", decoded: [] },
];

function rowName(row: Row): string {
  return row.fields.length === 0
    ? "(none)"
    : row.fields.map(([n, v]) => `${n}: ${JSON.stringify(v)}`).join(" + ");
}

Deno.test("runtimeDecodesRequest: Deno's measured rule, other runtimes always", () => {
  for (const row of rows) {
    const headers = new HttpHeaders(row.fields.map(([n, v]) => [n, v] as [string, string]));
    assert.equal(runtimeDecodesRequest("deno", headers), row.decoded.includes("gzip"), rowName(row));
    assert.equal(runtimeDecodesRequest("node", headers), true, rowName(row));
  }
});

Deno.test("fetch transport: what a user Accept-Encoding or a Range leaves decoded, measured on the wire", async (t) => {
  const transport = new FetchTransport();
  for (const row of rows) {
    await t.step(rowName(row), async () => {
      for (const [coding, encoded] of Object.entries(encodings)) {
        await using server = startRawHttpServer(
          framed(`HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}`, encoded, "length"),
        );
        const headers = new HttpHeaders(row.fields.map(([n, v]) => [n, v] as [string, string]));
        // The manager turns netreply's decoding off when the user set Accept-Encoding.
        const decompress = !headers.contains("accept-encoding");
        const result = await runExchange(transport, exchangeRequest(server.url, { headers, decompress }));
        const what = `${rowName(row)}, ${coding} body`;
        assert.equal(result.error, undefined, what);
        const lines = server.requests[0].headers.filter(([name]) => name.toLowerCase() === "accept-encoding");
        assert.equal(lines.map(([, value]) => value).join(" | "), row.wire, what);
        const head = result.head;
        if (row.decoded.includes(coding)) {
          assert.deepEqual(result.body, plain, `${what}: decoded`);
          assert.equal(head?.headers.contains("content-length"), false, what);
          assert.equal(head?.originalContentLength, encoded.length, what);
        } else {
          assert.deepEqual(result.body, encoded, `${what}: delivered as sent`);
          assert.equal(head?.headers.value("content-length"), String(encoded.length), what);
          assert.equal(head?.originalContentLength, undefined, what);
        }
        assert.equal(head?.headers.value("content-encoding"), coding, what);
        assert.equal(
          headerOf(server.requests[0], "range"),
          row.fields.find(([n]) => n === "range")?.[1],
          what,
        );
      }
    });
  }
  await transport.close();
});

Deno.test("manager over fetch: Accept-Encoding: identity keeps a gzip body as sent, with its Content-Length", async () => {
  const encoded = encodings.gzip;
  await using server = startRawHttpServer(
    framed("HTTP/1.1 200 OK\r\nContent-Encoding: gzip", encoded, "length"),
  );
  await using nam = new NetworkAccessManager();
  const reply = nam.get(new NetworkRequest(server.url, { headers: { "accept-encoding": "identity" } }));
  const totals: number[] = [];
  reply.addEventListener("downloadProgress", (event) => totals.push(event.bytesTotal));
  await reply.done;
  assert.deepEqual(reply.readAll(), encoded);
  assert.equal(reply.header(KnownHeader.ContentLengthHeader), encoded.length);
  assert.equal(reply.attribute(Attribute.OriginalContentLengthAttribute), undefined);
  assert.ok(totals.length > 0 && totals.every((total) => total === encoded.length), `totals ${totals}`);
});
