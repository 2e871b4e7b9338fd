/**
 * Reading a response body in chunks that hold only the bytes that arrived.
 *
 * A byte stream read with a default reader allocates a zero-filled buffer of
 * its `autoAllocateChunkSize` for every chunk (64 KiB for Deno's fetch
 * bodies), however few bytes the runtime then puts in it. Deno hands out a
 * body it decodes (gzip, br) in chunks of about 4 KiB, so a default reader
 * zero-fills 16 times the bytes it delivers, and every 4 KiB chunk keeps its
 * 64 KiB buffer alive for as long as the caller holds it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { openChunkReader } from "./right_sized_chunks.ts";
 * const body = new Response("hello").body!;
 * const reader = openChunkReader(body);
 * const { value } = await reader.read();
 * equal(new TextDecoder().decode(value), "hello");
 * equal(value!.buffer.byteLength, 5); // not a 64 KiB buffer
 * await reader.cancel();
 * ```
 *
 * @module
 */

/** The scratch buffer's size: Deno's own `autoAllocateChunkSize` for fetch bodies, so full reads stay as large. */
const SCRATCH_BYTES = 64 * 1024;

/** What a body source needs of a reader: a `ReadableStreamDefaultReader` has it too. */
export interface ChunkReader {
  /** The next chunk, or `done` at the end. Rejects with the stream's error. */
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Releases the stream and cancels it. */
  cancel(): Promise<void>;
}

/**
 * A "byob" reader over a reused scratch buffer. A read that fills at least
 * half of it is handed out as it is, and a fresh scratch buffer takes its
 * place; a smaller one is copied out into a chunk of its own size, and the
 * scratch buffer is read into again. Nothing is read before `read()` is
 * called.
 */
class RightSizedChunkReader implements ChunkReader {
  readonly #reader: ReadableStreamBYOBReader;
  #scratch: Uint8Array<ArrayBuffer> | undefined;

  constructor(reader: ReadableStreamBYOBReader) {
    this.#reader = reader;
  }

  read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    const scratch = this.#scratch ?? new Uint8Array(SCRATCH_BYTES);
    this.#scratch = undefined;
    return this.#reader.read(scratch).then(this.#took);
  }

  readonly #took = (result: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>) => {
    const value = result.value;
    if (result.done || value === undefined) return result;
    // The read transferred the scratch buffer: `value.buffer` is the same memory, now usable again.
    if (value.byteLength * 2 >= value.buffer.byteLength) return result;
    this.#scratch = new Uint8Array(value.buffer);
    return { done: false as const, value: value.slice() };
  };

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}

/**
 * A chunk reader for a response body: right-sized chunks through a "byob"
 * reader where the stream is a byte stream (every body of the runtime's
 * fetch), else the stream's default reader.
 *
 * @param stream The body; the reader locks it.
 * @returns The reader.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { openChunkReader } from "./right_sized_chunks.ts";
 * // Not a byte stream: its own default reader.
 * const reader = openChunkReader(ReadableStream.from([new Uint8Array(3)]));
 * equal((await reader.read()).value?.byteLength, 3);
 * equal((await reader.read()).done, true);
 * ```
 */
export function openChunkReader(stream: ReadableStream<Uint8Array>): ChunkReader {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    return stream.getReader();
  }
  return new RightSizedChunkReader(byob);
}
