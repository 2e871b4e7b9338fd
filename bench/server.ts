/**
 * The benchmark's HTTP server, run in its own process so that its CPU time is
 * not counted against the clients: `deno run --allow-net=127.0.0.1
 * bench/server.ts [--gzip-bytes=N]`. It listens on 127.0.0.1 with an
 * ephemeral port and prints one JSON line, `{"port":N,"deno":"x.y.z"}`, on
 * stdout once it is ready; it runs until it is killed.
 *
 * Routes (every response carries `cache-control: no-transform`, so Deno.serve
 * never compresses on its own):
 * - `GET /small` — a 32-byte body.
 * - `GET /json` — a JSON object of about 100 bytes; `GET /json?bytes=N` — a
 *   JSON document of N bytes (one long string literal, cheap to parse).
 * - `GET /big?bytes=N` — N bytes with a Content-Length, streamed from one
 *   reused buffer.
 * - `GET /gzip` — a body compressed once at start-up (`--gzip-bytes`
 *   decoded, default 64 MiB of word-like text, about 3:1), sent with
 *   `content-encoding: gzip` and the compressed Content-Length.
 * - `POST /upload` — reads and discards the request body; replies with the
 *   byte count as text.
 *
 * @module
 */

import { compressibleText } from "./compressible_text.ts";

const MIB = 1024 * 1024;
const CHUNK = new Uint8Array(256 * 1024).fill(0x61);
const SMALL = new TextEncoder().encode("hello from the netreply bench!\n\n");
const SMALL_JSON = new TextEncoder().encode(
  JSON.stringify({ ok: true, name: "netreply", items: [1, 2, 3, 4, 5], note: "a small JSON body" }),
);
const BASE_HEADERS = { "cache-control": "no-transform" };

function flag(name: string, fallback: number): number {
  const prefix = `--${name}=`;
  const arg = Deno.args.find((a) => a.startsWith(prefix));
  return arg === undefined ? fallback : Number(arg.slice(prefix.length));
}

async function gzip(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const compressed = new Blob([data]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/** N bytes from the reused chunk; the chunk is never modified, so enqueuing it again is safe. */
function repeated(total: number): ReadableStream<Uint8Array> {
  let left = total;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      const n = Math.min(left, CHUNK.byteLength);
      left -= n;
      controller.enqueue(n === CHUNK.byteLength ? CHUNK : CHUNK.subarray(0, n));
    },
  }, { highWaterMark: 0 });
}

/** A JSON string literal of exactly `total` bytes (at least 2). */
function jsonOfSize(total: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(Math.max(2, total)).fill(0x62);
  bytes[0] = 0x22;
  bytes[bytes.length - 1] = 0x22;
  return bytes;
}

async function discard(body: ReadableStream<Uint8Array> | null): Promise<number> {
  if (body === null) return 0;
  let total = 0;
  for await (const chunk of body) total += chunk.byteLength;
  return total;
}

const gzipBody = await gzip(compressibleText(flag("gzip-bytes", 64 * MIB)));
const jsonCache = new Map<number, Uint8Array<ArrayBuffer>>();

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
  const url = new URL(request.url);
  switch (url.pathname) {
    case "/small":
      return new Response(SMALL, { headers: { ...BASE_HEADERS, "content-type": "text/plain" } });
    case "/json": {
      const size = url.searchParams.get("bytes");
      let body = SMALL_JSON;
      if (size !== null) {
        const n = Number(size);
        body = jsonCache.get(n) ?? jsonOfSize(n);
        jsonCache.set(n, body);
      }
      return new Response(body, {
        headers: { ...BASE_HEADERS, "content-type": "application/json" },
      });
    }
    case "/big": {
      const total = Number(url.searchParams.get("bytes") ?? 256 * MIB);
      return new Response(repeated(total), {
        headers: {
          ...BASE_HEADERS,
          "content-type": "application/octet-stream",
          "content-length": String(total),
        },
      });
    }
    case "/gzip":
      return new Response(gzipBody, {
        headers: {
          ...BASE_HEADERS,
          "content-type": "application/octet-stream",
          "content-encoding": "gzip",
          "content-length": String(gzipBody.byteLength),
        },
      });
    case "/upload": {
      const received = await discard(request.body);
      return new Response(String(received), { headers: { ...BASE_HEADERS, "content-type": "text/plain" } });
    }
    default:
      return new Response("not found\n", { status: 404, headers: BASE_HEADERS });
  }
});

console.log(JSON.stringify({ port: server.addr.port, deno: Deno.version.deno }));
await server.finished;
