/**
 * Content decoding shared by every transport (RFC 9110 §8.4): the
 * `DecompressionStream` formats this runtime has, and a decoder over a
 * {@linkcode ChunkSource} with end-of-stream checks (a truncated zlib, raw
 * deflate, gzip, br or zstd body fails with a {@linkcode DecodingError}).
 *
 * A transport feeds the decoder the body as it arrived (after any transfer
 * coding is removed) through a `ChunkSource` it implements; it counts the
 * bytes it took for the archive-bomb guard (`bomb_guard.ts`) itself.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { canDecode } from "./content_decoding.ts";
 * equal(canDecode("gzip"), true);
 * equal(canDecode("compress"), false);
 * ```
 *
 * @module
 */

// Content-codings → DecompressionStream formats. deflate falls back to
// "deflate-raw" when the zlib header is missing (servers send both).
const streamFormats: ReadonlyMap<string, string> = new Map([
  ["gzip", "gzip"],
  ["deflate", "deflate"],
  ["br", "brotli"],
  ["zstd", "zstd"],
]);

const supportedFormats = new Map<string, boolean>();

/** Whether this runtime's `DecompressionStream` accepts a format (asked once per format). */
function formatSupported(format: string): boolean {
  let supported = supportedFormats.get(format);
  if (supported === undefined) {
    supported = false;
    if (typeof DecompressionStream === "function") {
      try {
        new DecompressionStream(format as CompressionFormat);
        supported = true;
      } catch {
        // Not a format this runtime has.
      }
    }
    supportedFormats.set(format, supported);
  }
  return supported;
}

/**
 * Whether netreply can decode this (lower-case) content-coding on this
 * runtime with `DecompressionStream`: gzip, deflate, br or zstd, where the
 * runtime has the format.
 *
 * @param coding A single content-coding token, lower-case.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { canDecode } from "./content_decoding.ts";
 * equal(canDecode("deflate"), true);
 * ```
 */
export function canDecode(coding: string): boolean {
  const format = streamFormats.get(coding);
  return format !== undefined && formatSupported(format);
}

/**
 * Chunks read one at a time: what a decoder pulls the encoded body from.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import type { ChunkSource } from "./content_decoding.ts";
 * const chunks = [new Uint8Array([1])];
 * const source: ChunkSource = {
 *   read: () => Promise.resolve(chunks.shift() ?? null),
 *   cancel: () => Promise.resolve(),
 * };
 * deepEqual(await source.read(), new Uint8Array([1]));
 * equal(await source.read(), null);
 * ```
 */
export interface ChunkSource {
  /** The next chunk, or `null` at the end. */
  read(): Promise<Uint8Array | null>;
  /** Releases the source. Never rejects. */
  cancel(): Promise<void>;
}

const ignore = (): void => {};

/** The body did not decode (as opposed to the connection failing while reading it). */
export class DecodingError extends Error {
  /**
   * Wraps a decoder failure.
   *
   * @param message What went wrong, for "Decompression failed: …".
   * @param options The decoder's error as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DecodingError";
  }
}

function looksLikeZlib(first: number, second: number): boolean {
  // RFC 1950: CM = 8 (deflate) and the 16-bit header is a multiple of 31.
  return (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0;
}

/** RFC 1950 §8.2 Adler-32, continued from `adler` over `bytes`. */
export function adler32(adler: number, bytes: Uint8Array): number {
  let s1 = adler & 0xffff;
  let s2 = adler >>> 16;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    // 5552 is the most bytes the sums can take before they must be reduced (zlib's NMAX).
    const end = Math.min(i + 5552, n);
    const end8 = end - ((end - i) & 7);
    for (; i < end8; i += 8) {
      s1 += bytes[i];
      s2 += s1;
      s1 += bytes[i + 1];
      s2 += s1;
      s1 += bytes[i + 2];
      s2 += s1;
      s1 += bytes[i + 3];
      s2 += s1;
      s1 += bytes[i + 4];
      s2 += s1;
      s1 += bytes[i + 5];
      s2 += s1;
      s1 += bytes[i + 6];
      s2 += s1;
      s1 += bytes[i + 7];
      s2 += s1;
    }
    for (; i < end; i++) {
      s1 += bytes[i];
      s2 += s1;
    }
    s1 %= 65521;
    s2 %= 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}

let rawTruncationCheck: Promise<boolean> | undefined;

/**
 * Whether this runtime's "deflate-raw" `DecompressionStream` fails at
 * `close()` on input that stops inside the stream, as the Compression
 * Streams standard asks. Deno 2.9.6's ends quietly (so do its zlib
 * "deflate" streams); asked once, with a two-byte stream cut to one.
 */
function closeDetectsRawTruncation(): Promise<boolean> {
  return rawTruncationCheck ??= (async () => {
    const probe = new DecompressionStream("deflate-raw" as CompressionFormat);
    const writer = probe.writable.getWriter();
    const reader = probe.readable.getReader();
    const drained = (async () => {
      while (!(await reader.read()).done) { /* drain */ }
    })();
    drained.catch(ignore);
    try {
      await writer.write(new Uint8Array([0x4b])); // the first byte of "a" as one fixed block: 4b 04 00
      await writer.close();
      await drained;
      return false;
    } catch {
      return true;
    }
  })();
}

// Written after the last input byte of a raw deflate stream: when the stream
// had ended, any byte is data after its end, which the decoder refuses; when
// it had not, the decoder takes it as more compressed data.
const SENTINEL = new Uint8Array([0]);

/** A reader as a {@linkcode ChunkSource}. */
function readerSource(reader: ReadableStreamDefaultReader<Uint8Array>): ChunkSource {
  return {
    async read() {
      const { done, value } = await reader.read();
      return done ? null : value;
    },
    cancel: () => reader.cancel().catch(ignore),
  };
}

/** Marks an error thrown by the body's source (not by the decoder). */
class SourceFailure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/**
 * Decodes a body with `DecompressionStream`, one decoded chunk per `read()`:
 * the source is read only while the decoder has produced nothing for the
 * pending read, so at most one encoded chunk is taken beyond what was asked
 * for.
 *
 * The end of the compressed data is checked, not assumed: a body that stops
 * before it fails with a {@linkcode DecodingError} naming the truncation.
 * Where the runtime's decoder does not check it (Deno 2.9.6's zlib and raw
 * deflate end quietly on a truncated stream), netreply does: a zlib stream
 * must end in the Adler-32 of the decoded bytes (RFC 1950), and a raw deflate
 * stream must refuse one more byte after its end (RFC 1951 has no trailer;
 * in the rare case that this byte happens to break a truncated stream, the
 * truncation goes unnoticed). gzip and br decoders check their own ends.
 *
 * An empty source decodes to an empty body (Qt: an empty gzip body is fine).
 * A source error is rethrown as is; a decoder error becomes a
 * {@linkcode DecodingError}.
 *
 * @param source The raw body: a reader, or a {@linkcode ChunkSource}; the decoder owns it from now on.
 * @param coding A coding {@linkcode canDecode} accepts.
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { createBodyDecoder } from "./content_decoding.ts";
 * const encoded = new Blob(["hello"]).stream().pipeThrough(new CompressionStream("deflate"));
 * const decoder = createBodyDecoder(encoded.getReader(), "deflate");
 * equal(new TextDecoder().decode((await decoder.read())!), "hello");
 * equal(await decoder.read(), null);
 * ```
 */
export function createBodyDecoder(
  source: ReadableStreamDefaultReader<Uint8Array> | ChunkSource,
  coding: string,
): ChunkSource {
  const input = "releaseLock" in source ? readerSource(source) : source;
  return new BodyDecoder(input, coding);
}

class BodyDecoder implements ChunkSource {
  readonly #source: ChunkSource;
  readonly #coding: string;
  #format = "";
  #writer?: WritableStreamDefaultWriter<Uint8Array>;
  #output?: ReadableStreamDefaultReader<Uint8Array>;
  #prefix: Uint8Array[] = [];
  #opened = false;
  #inputEnded = false;
  #endedBeforeInput = false;
  #finished = false;
  // zlib only: the Adler-32 of the decoded bytes and the last four input bytes.
  #adler = 1;
  readonly #tail = new Uint8Array(4);
  #tailLength = 0;

  constructor(source: ChunkSource, coding: string) {
    this.#source = source;
    this.#coding = coding;
  }

  async read(): Promise<Uint8Array | null> {
    if (this.#finished) return null;
    try {
      if (!this.#opened && !(await this.#open())) {
        this.#finished = true;
        return null;
      }
      for (;;) {
        const chunk = await this.#pull();
        if (chunk === null) {
          this.#finished = true;
          this.#checkTrailer();
          return null;
        }
        if (chunk.byteLength === 0) continue;
        if (this.#format === "deflate") this.#adler = adler32(this.#adler, chunk);
        return chunk;
      }
    } catch (error) {
      this.#finished = true;
      if (error instanceof SourceFailure) throw error.error;
      if (error instanceof DecodingError) throw error;
      throw new DecodingError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  async cancel(): Promise<void> {
    this.#finished = true;
    await Promise.allSettled([this.#output?.cancel(), this.#source.cancel()]);
  }

  async #readSource(): Promise<Uint8Array | null> {
    try {
      return await this.#source.read();
    } catch (error) {
      throw new SourceFailure(error);
    }
  }

  // The zlib/raw choice for deflate needs the first two bytes, so the decoder
  // is built on the first read. False for an empty body.
  async #open(): Promise<boolean> {
    this.#opened = true;
    let size = 0;
    while (size < 2) {
      const chunk = await this.#readSource();
      if (chunk === null) break;
      if (chunk.byteLength === 0) continue;
      this.#prefix.push(chunk);
      size += chunk.byteLength;
    }
    if (size === 0) return false;
    const first = this.#prefix[0];
    const second = first.byteLength > 1 ? first[1] : this.#prefix[1]?.[0];
    let format = streamFormats.get(this.#coding) ?? this.#coding;
    if (format === "deflate" && (second === undefined || !looksLikeZlib(first[0], second))) {
      format = "deflate-raw";
    }
    this.#format = format;
    // DecompressionStream is typed over BufferSource; it only ever sees Uint8Arrays here.
    const decompress = new DecompressionStream(format as CompressionFormat) as unknown as TransformStream<
      Uint8Array,
      Uint8Array
    >;
    this.#writer = decompress.writable.getWriter();
    this.#output = decompress.readable.getReader();
    return true;
  }

  /** The next decoded chunk (possibly empty), or `null` once the decoder has closed. */
  async #pull(): Promise<Uint8Array | null> {
    const output = this.#output as ReadableStreamDefaultReader<Uint8Array>;
    const writer = this.#writer as WritableStreamDefaultWriter<Uint8Array>;
    let result: ReadableStreamReadResult<Uint8Array> | undefined;
    let failure: { error: unknown } | undefined;
    // The decoder transforms a written chunk only while a read is pending, and
    // hands its output straight to that read: none is ever left queued.
    const pending = output.read().then((r) => void (result = r), (error) => void (failure = { error }));
    while (result === undefined && failure === undefined && !this.#inputEnded) {
      const chunk = this.#prefix.shift() ?? await this.#readSource();
      if (chunk === null) {
        await this.#endInput(writer);
        break;
      }
      this.#remember(chunk);
      await writer.write(chunk);
    }
    await pending;
    if (failure !== undefined) {
      if (this.#endedBeforeInput) return null;
      throw failure.error;
    }
    return result === undefined || result.done ? null : result.value;
  }

  /** Ends the input and checks that the compressed data had ended there too. */
  async #endInput(writer: WritableStreamDefaultWriter<Uint8Array>): Promise<void> {
    this.#inputEnded = true;
    if (this.#format === "deflate-raw" && !(await closeDetectsRawTruncation())) {
      try {
        await writer.write(SENTINEL);
      } catch {
        // Refused as data after the end: the stream was complete. The decoder
        // has failed on it, so the pending read reports that failure.
        this.#endedBeforeInput = true;
        return;
      }
      throw new DecodingError(`the ${this.#coding} body is truncated: it ends inside its last deflate block`);
    }
    try {
      await writer.close();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DecodingError(
        `the ${this.#coding} body is truncated (or its check value is wrong): ${reason}`,
        { cause: error },
      );
    }
  }

  #remember(chunk: Uint8Array): void {
    if (this.#format !== "deflate") return;
    if (chunk.byteLength >= 4) {
      this.#tail.set(chunk.subarray(chunk.byteLength - 4));
      this.#tailLength = 4;
      return;
    }
    const keep = Math.min(this.#tailLength, 4 - chunk.byteLength);
    this.#tail.copyWithin(0, this.#tailLength - keep, this.#tailLength);
    this.#tail.set(chunk, keep);
    this.#tailLength = keep + chunk.byteLength;
  }

  #checkTrailer(): void {
    if (this.#format !== "deflate") return;
    const t = this.#tail;
    const trailer = this.#tailLength < 4 ? -1 : ((t[0] << 24) | (t[1] << 16) | (t[2] << 8) | t[3]) >>> 0;
    if (trailer !== this.#adler) {
      throw new DecodingError(
        `the ${this.#coding} body is truncated: it ends without the Adler-32 trailer of its zlib stream`,
      );
    }
  }
}
