/**
 * Response body decoding for the fetch transport (Qt's automatic decompression,
 * §3.7): who decodes a body (the runtime, netreply through
 * `DecompressionStream`, or nobody) and the body readers over a `Response`.
 * The decoder and the archive-bomb guard are shared with the other
 * transports (`src/http1/`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { planDecoding } from "./decoding.ts";
 * const plan = planDecoding("deflate", (coding) => coding === "gzip" || coding === "br", true);
 * deepEqual(plan, { by: "netreply", coding: "deflate" });
 * ```
 *
 * @module
 */

import { canDecode, type ChunkSource, createBodyDecoder } from "../../http1/content_decoding.ts";
import { countingStream } from "../counting_stream.ts";
import { type ChunkReader, openChunkReader } from "./right_sized_chunks.ts";

/** Who turns the body into decoded bytes. */
export type DecodingPlan =
  | { readonly by: "none" }
  | { readonly by: "runtime"; readonly coding: string }
  | { readonly by: "netreply"; readonly coding: string };

const NO_DECODING: DecodingPlan = Object.freeze({ by: "none" });

/**
 * Decides who decodes a body with this `Content-Encoding`.
 *
 * Only a single token is decoded (Qt passes `gzip, br` and unknown tokens
 * through). What the runtime decodes for this request it decodes, even when
 * the user set Accept-Encoding (the caller says whether the runtime decodes
 * at all for the request, see `runtimeDecodesRequest`); the rest netreply
 * decodes when `decompress` is on and `DecompressionStream` has the format.
 *
 * @param contentEncoding The header value, or `null` when absent.
 * @param runtimeDecodes Whether the runtime's fetch decodes a (lower-case) coding for this request.
 * @param decompress Whether netreply should decode what the runtime leaves encoded.
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { planDecoding } from "./decoding.ts";
 * deepEqual(planDecoding("gzip", () => false, false), { by: "none" });
 * ```
 */
export function planDecoding(
  contentEncoding: string | null,
  runtimeDecodes: (coding: string) => boolean,
  decompress: boolean,
): DecodingPlan {
  if (contentEncoding === null) return NO_DECODING;
  const coding = contentEncoding.trim().toLowerCase();
  if (coding === "" || coding.includes(",")) return NO_DECODING;
  if (runtimeDecodes(coding)) return { by: "runtime", coding };
  if (decompress && canDecode(coding)) return { by: "netreply", coding };
  return NO_DECODING;
}

/** A response body as the transport delivers it, read one chunk at a time. */
export interface BodySource extends ChunkSource {
  /** The next chunk, or `null` at the end. Throws `DecodingError` or the response body's error. */
  read(): Promise<Uint8Array | null>;
  /** Bytes taken from the response body so far (still encoded where netreply decodes). */
  readonly sourceBytes: number;
  /** True once the last chunk was delivered and the next `read()` can only end (a known length, all read). */
  readonly complete?: boolean;
  /** Releases the source and cancels the response body. Never rejects. */
  cancel(): Promise<void>;
}

const ignore = (): void => {};
const RELEASED: Promise<void> = Promise.resolve();

/**
 * The response body pulled through a counting `TransformStream`, one chunk
 * per `read()`: a chunk is taken from the body only when asked for, written to
 * the counter and read back, so nothing is read ahead and the count is the
 * bytes taken from the runtime. The chunks are taken right-sized
 * ({@linkcode openChunkReader}).
 */
class CountedBody implements BodySource {
  #sourceBytes = 0;
  #done = false;
  readonly #source: ChunkReader;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #counted: ReadableStreamDefaultReader<Uint8Array>;

  constructor(stream: ReadableStream<Uint8Array>) {
    const counter = countingStream((total) => this.#sourceBytes = total);
    this.#source = openChunkReader(stream);
    this.#writer = counter.writable.getWriter();
    this.#counted = counter.readable.getReader();
  }

  get sourceBytes(): number {
    return this.#sourceBytes;
  }

  async read(): Promise<Uint8Array | null> {
    if (this.#done) return null;
    const { done, value } = await this.#source.read();
    if (done) {
      this.#done = true;
      return null;
    }
    // The write settles once the counter has passed the chunk on to the read below.
    this.#writer.write(value).catch(ignore);
    const counted = await this.#counted.read();
    return counted.done ? null : counted.value;
  }

  cancel(): Promise<void> {
    this.#done = true;
    return this.#source.cancel().catch(ignore);
  }
}

/**
 * A body of known length that nobody decodes, read straight into buffers of
 * the bytes still expected (a "byob" read): no per-chunk allocation beyond
 * the body itself and no stream pipeline, and each `read()` still delivers
 * what has arrived so far. Once the promised bytes are in, the body is
 * released without another read.
 */
class KnownLengthBody implements BodySource {
  #sourceBytes = 0;
  #remaining: number;
  #released?: Promise<void>;
  readonly #reader: ReadableStreamBYOBReader;

  constructor(reader: ReadableStreamBYOBReader, length: number) {
    this.#reader = reader;
    this.#remaining = length;
    if (length === 0) this.#released = reader.cancel().catch(ignore);
  }

  get sourceBytes(): number {
    return this.#sourceBytes;
  }

  get complete(): boolean {
    return this.#remaining === 0;
  }

  read(): Promise<Uint8Array | null> {
    if (this.#remaining === 0) return (this.#released ?? RELEASED).then(() => null);
    return this.#reader.read(new Uint8Array(this.#remaining)).then(this.#took);
  }

  readonly #took = ({ done, value }: ReadableStreamReadResult<Uint8Array>): Uint8Array | null => {
    if (done || value === undefined) {
      this.#remaining = 0;
      return null;
    }
    this.#remaining -= value.byteLength;
    this.#sourceBytes += value.byteLength;
    if (this.#remaining === 0) this.#released = this.#reader.cancel().catch(ignore);
    return value;
  };

  cancel(): Promise<void> {
    this.#remaining = 0;
    return this.#released ??= this.#reader.cancel().catch(ignore);
  }
}

/**
 * The body source for a plan: the response body through a counting
 * `TransformStream` (the bytes taken from the runtime, still encoded where
 * netreply decodes), then a {@linkcode createBodyDecoder} where netreply
 * decodes, else the counted chunks as they come.
 *
 * With `knownLength` (a Content-Length, for a body nobody decodes) the body
 * is read with a "byob" reader into buffers of the bytes still expected
 * instead, where the runtime's body stream supports it.
 *
 * @param stream The response body; the source owns it from now on.
 * @param plan Who decodes, from {@linkcode planDecoding}.
 * @param knownLength The body's length when it is delivered as it came and is known.
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { createBodySource } from "./decoding.ts";
 * const body = createBodySource(new Blob(["hi"]).stream(), { by: "none" });
 * deepEqual(await body.read(), new TextEncoder().encode("hi"));
 * equal(body.sourceBytes, 2);
 * await body.cancel();
 * ```
 */
export function createBodySource(
  stream: ReadableStream<Uint8Array>,
  plan: DecodingPlan,
  knownLength?: number,
): BodySource {
  if (knownLength !== undefined && plan.by === "none") {
    let reader: ReadableStreamBYOBReader | undefined;
    try {
      reader = stream.getReader({ mode: "byob" });
    } catch {
      // Not a byte stream on this runtime: counted chunks below.
    }
    if (reader !== undefined) return new KnownLengthBody(reader, knownLength);
  }
  const counted = new CountedBody(stream);
  if (plan.by !== "netreply") return counted;
  const decoder = createBodyDecoder(counted, plan.coding);
  return {
    read: () => decoder.read(),
    cancel: () => decoder.cancel(),
    get sourceBytes() {
      return counted.sourceBytes;
    },
  };
}
