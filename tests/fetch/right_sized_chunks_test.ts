/**
 * Right-sized chunks on the fetch transport: a body Deno decodes arrives in
 * small chunks, and each is handed out in a buffer of its own size rather than
 * in the 64 KiB buffer a default reader allocates for it; large reads are
 * handed out as they are; errors and cancellation pass through.
 */
import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { concatBytes } from "../../src/core/concat_bytes.ts";
import { openChunkReader } from "../../src/transport/fetch/right_sized_chunks.ts";

/** A byte stream that hands out `chunks` one pull at a time, into whatever buffer it is given. */
function byteStream(chunks: readonly Uint8Array[], error?: Error): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (next === chunks.length) {
        if (error !== undefined) return controller.error(error);
        controller.close();
        return controller.byobRequest?.respond(0);
      }
      const chunk = chunks[next++];
      const view = controller.byobRequest!.view as Uint8Array;
      view.set(chunk);
      controller.byobRequest!.respond(chunk.byteLength);
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const reader = openChunkReader(stream);
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

Deno.test("openChunkReader: small reads come in buffers of their own size, large ones as they were read", async () => {
  const small = new Uint8Array(4096).fill(1);
  const large = new Uint8Array(40_000).fill(2);
  const chunks = await readAll(byteStream([small, small, large, small]));
  deepEqual(chunks.map((chunk) => chunk.byteLength), [4096, 4096, 40_000, 4096]);
  deepEqual(chunks.map((chunk) => chunk.buffer.byteLength), [4096, 4096, 64 * 1024, 4096]);
  deepEqual(concatBytes(chunks), concatBytes([small, small, large, small]));
});

Deno.test("openChunkReader: a chunk handed out stays intact while later chunks are read", async () => {
  const chunks = await readAll(byteStream([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])]));
  deepEqual(chunks, [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])]);
});

Deno.test("openChunkReader: the stream's error rejects the read, after the chunks before it", async () => {
  const reader = openChunkReader(byteStream([new Uint8Array([7])], new Error("cut short")));
  deepEqual((await reader.read()).value, new Uint8Array([7]));
  let thrown: unknown;
  await reader.read().catch((error) => thrown = error);
  equal((thrown as Error).message, "cut short");
});

Deno.test("openChunkReader: cancel() cancels the stream with nothing read ahead", async () => {
  let pulls = 0;
  let cancelled = false;
  const stream = new ReadableStream({
    type: "bytes",
    pull(controller) {
      pulls++;
      (controller.byobRequest!.view as Uint8Array)[0] = 9;
      controller.byobRequest!.respond(1);
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  const reader = openChunkReader(stream);
  deepEqual((await reader.read()).value, new Uint8Array([9]));
  equal(pulls, 1);
  await reader.cancel();
  equal(cancelled, true);
});

Deno.test("openChunkReader: a stream that is not a byte stream is read with its default reader", async () => {
  const chunks = await readAll(ReadableStream.from([new Uint8Array([1]), new Uint8Array([2, 3])]));
  deepEqual(chunks, [new Uint8Array([1]), new Uint8Array([2, 3])]);
});

Deno.test("openChunkReader: a gzip body Deno decodes comes in right-sized chunks, byte-exact", async () => {
  const text = new TextEncoder().encode("netreply right-sized chunks ".repeat(20_000));
  const gzipped = new Uint8Array(gzipSync(text));
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(gzipped, { headers: { "content-encoding": "gzip" } }),
  );
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  const chunks = await readAll(response.body!);
  deepEqual(concatBytes(chunks), text);
  for (const chunk of chunks) {
    // Either a chunk of its own size, or a read that filled at least half of the 64 KiB scratch buffer.
    equal(
      chunk.buffer.byteLength === chunk.byteLength || chunk.byteLength * 2 >= chunk.buffer.byteLength,
      true,
    );
  }
});
