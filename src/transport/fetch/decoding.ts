/**
 * Response body decoding for the fetch transport (qt-behaviour.md §5.6,
 * §3.7): who decodes a body (the runtime, netreply through
 * `DecompressionStream`, or nobody), the body readers, the decoder with its
 * end-of-stream checks, and the archive-bomb guard.
 *
 * @example
 * ```ts
 * import { planDecoding } from "./decoding.ts";
 * const plan = planDecoding("deflate", (coding) => coding === "gzip" || coding === "br", true);
 * console.log(plan); // { by: "netreply", coding: "deflate" }
 * ```
 *
 * @module
 */

import { countingStream } from "../counting_stream.ts";

/** Who turns the body into decoded bytes. */
export type DecodingPlan =
  | { readonly by: "none" }
  | { readonly by: "runtime"; readonly coding: string }
  | { readonly by: "netreply"; readonly coding: string };

const NO_DECODING: DecodingPlan = Object.freeze({ by: "none" });

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
function decompressionSupported(format: string): boolean {
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
 * Content-codings netreply can decode here, in Qt's Accept-Encoding order
 * (zstd, br, gzip, deflate) joined with those the runtime decodes.
 *
 * @example
 * ```ts
 * import { acceptEncoding } from "./decoding.ts";
 * console.log(acceptEncoding((coding) => coding === "gzip" || coding === "br")); // "br, gzip, deflate"
 * ```
 */
export function acceptEncoding(runtimeDecodes: (coding: string) => boolean): string {
  return ["zstd", "br", "gzip", "deflate"]
    .filter((coding) => runtimeDecodes(coding) || decompressionSupported(streamFormats.get(coding) ?? ""))
    .join(", ");
}

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
 * import { planDecoding } from "./decoding.ts";
 * console.log(planDecoding("gzip", () => false, false)); // { by: "none" }
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
  const format = streamFormats.get(coding);
  if (decompress && format !== undefined && decompressionSupported(format)) return { by: "netreply", coding };
  return NO_DECODING;
}

/** Decoded/encoded ratio above which a body counts as a bomb (Qt's limits). */
function ratioLimit(coding: string): number {
  return coding === "br" || coding === "zstd" ? 100 : 40;
}

const ALLOW_IT = "raise the threshold or set it to -1 to allow it";

/**
 * Qt's archive-bomb check: once more than `threshold` decoded bytes have been
 * produced, the decoded/encoded ratio must stay within 40:1 (gzip, deflate)
 * or 100:1 (br, zstd).
 *
 * When the encoded size cannot be seen at all (the runtime decodes a body
 * that has no Content-Length), {@linkcode BombGuard.checkUnknownSize} caps
 * the decoded size at the ratio limit times the threshold instead: the most a
 * body that stayed within the ratio could reach from `threshold` encoded
 * bytes.
 *
 * @example
 * ```ts
 * import { BombGuard } from "./decoding.ts";
 * const guard = new BombGuard(1024, "gzip");
 * console.log(guard.check(1000, 10)); // undefined: below the threshold
 * console.log(guard.check(2000, 10) !== undefined); // true: 200:1
 * console.log(guard.checkUnknownSize(40 * 1024 + 1) !== undefined); // true: beyond 40 × 1024
 * ```
 */
export class BombGuard {
  readonly #threshold: number;
  readonly #coding: string;
  readonly #limit: number;

  /**
   * Creates a guard for one body.
   *
   * @param threshold Decoded bytes before the ratio is checked; -1 disables the guard.
   * @param coding The content-coding, which sets the ratio limit.
   */
  constructor(threshold: number, coding: string) {
    this.#threshold = threshold;
    this.#coding = coding;
    this.#limit = ratioLimit(coding);
  }

  /**
   * The error message when `decoded` bytes from `encoded` bytes look like a
   * bomb, else `undefined`.
   */
  check(decoded: number, encoded: number): string | undefined {
    if (this.#threshold < 0 || decoded <= this.#threshold || encoded <= 0) return undefined;
    if (decoded / encoded <= this.#limit) return undefined;
    return `Decompression failed: the ${this.#coding} body decodes to more than ${this.#limit} times its size ` +
      `(${decoded} bytes from ${encoded}) beyond decompressedSafetyCheckThreshold (${this.#threshold} bytes); ` +
      ALLOW_IT;
  }

  /**
   * The error message when `decoded` bytes of a body whose encoded size is
   * unknown exceed the ratio limit times the threshold, else `undefined`.
   */
  checkUnknownSize(decoded: number): string | undefined {
    if (this.#threshold < 0) return undefined;
    const cap = this.#limit * this.#threshold;
    if (decoded <= cap) return undefined;
    return `Decompression failed: the ${this.#coding} body decodes to more than ${cap} bytes ` +
      `(${this.#limit} times decompressedSafetyCheckThreshold, ${this.#threshold} bytes) and its encoded size ` +
      `cannot be checked (no Content-Length, and the runtime decodes it); ${ALLOW_IT}`;
  }
}

/** Chunks read one at a time. */
export interface ChunkSource {
  /** The next chunk, or `null` at the end. */
  read(): Promise<Uint8Array | null>;
  /** Releases the source. Never rejects. */
  cancel(): Promise<void>;
}

/** A response body as the transport delivers it, read one chunk at a time. */
export interface BodySource extends ChunkSource {
  /** The next chunk, or `null` at the end. Throws {@linkcode DecodingError} or the response body's error. */
  read(): Promise<Uint8Array | null>;
  /** Bytes taken from the response body so far (still encoded where netreply decodes). */
  readonly sourceBytes: number;
  /** Releases the source and cancels the response body. Never rejects. */
  cancel(): Promise<void>;
}

const ignore = (): void => {};

/**
 * The response body pulled through a counting `TransformStream`, one chunk
 * per `read()`: a chunk is taken from the body only when asked for, written to
 * the counter and read back, so nothing is read ahead and the count is the
 * bytes taken from the runtime.
 */
class CountedBody implements BodySource {
  #sourceBytes = 0;
  #done = false;
  readonly #source: ReadableStreamDefaultReader<Uint8Array>;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #counted: ReadableStreamDefaultReader<Uint8Array>;

  constructor(stream: ReadableStream<Uint8Array>) {
    const counter = countingStream((total) => this.#sourceBytes = total);
    this.#source = stream.getReader();
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

  async read(): Promise<Uint8Array | null> {
    if (this.#remaining === 0) {
      await this.#released;
      return null;
    }
    const { done, value } = await this.#reader.read(new Uint8Array(this.#remaining));
    if (done || value === undefined) {
      this.#remaining = 0;
      return null;
    }
    this.#remaining -= value.byteLength;
    this.#sourceBytes += value.byteLength;
    if (this.#remaining === 0) this.#released = this.#reader.cancel().catch(ignore);
    return value;
  }

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
 * import { createBodySource } from "./decoding.ts";
 * const body = createBodySource(new Blob(["hi"]).stream(), { by: "none" });
 * console.log(await body.read(), body.sourceBytes); // Uint8Array(2) [ 104, 105 ] 2
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
 * @param coding A coding {@linkcode planDecoding} gave to netreply.
 * @example
 * ```ts
 * import { createBodyDecoder } from "./decoding.ts";
 * const encoded = new Blob(["hello"]).stream().pipeThrough(new CompressionStream("deflate"));
 * const decoder = createBodyDecoder(encoded.getReader(), "deflate");
 * console.log(new TextDecoder().decode((await decoder.read())!)); // hello
 * console.log(await decoder.read()); // null
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
