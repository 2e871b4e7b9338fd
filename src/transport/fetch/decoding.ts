/**
 * Response body decoding for the fetch transport (qt-behaviour.md §5.6,
 * §3.7): who decodes a body (the runtime, netreply through
 * `DecompressionStream`, or nobody), the decoder itself, and the
 * archive-bomb guard.
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

// Content-codings → DecompressionStream formats. deflate falls back to
// "deflate-raw" when the zlib header is missing (servers send both).
const streamFormats: ReadonlyMap<string, string> = new Map([
  ["gzip", "gzip"],
  ["deflate", "deflate"],
  ["br", "brotli"],
  ["zstd", "zstd"],
]);

/** Whether this runtime's `DecompressionStream` accepts a format. */
function decompressionSupported(format: string): boolean {
  if (typeof DecompressionStream !== "function") return false;
  try {
    new DecompressionStream(format as CompressionFormat);
    return true;
  } catch {
    return false;
  }
}

/**
 * Content-codings netreply can decode here, in Qt's Accept-Encoding order
 * (zstd, br, gzip, deflate) joined with those the runtime decodes.
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
 * through). What the runtime decodes it always decodes, even when the user
 * set Accept-Encoding; the rest netreply decodes when `decompress` is on and
 * `DecompressionStream` has the format.
 *
 * @param contentEncoding The header value, or `null` when absent.
 * @param runtimeDecodes Whether the runtime's fetch decodes a (lower-case) coding.
 * @param decompress Whether netreply should decode what the runtime leaves encoded.
 */
export function planDecoding(
  contentEncoding: string | null,
  runtimeDecodes: (coding: string) => boolean,
  decompress: boolean,
): DecodingPlan {
  const coding = contentEncoding?.trim().toLowerCase() ?? "";
  if (coding === "" || coding.includes(",")) return { by: "none" };
  if (runtimeDecodes(coding)) return { by: "runtime", coding };
  const format = streamFormats.get(coding);
  if (decompress && format !== undefined && decompressionSupported(format)) return { by: "netreply", coding };
  return { by: "none" };
}

/** Decoded/encoded ratio above which a body counts as a bomb (Qt's limits). */
function ratioLimit(coding: string): number {
  return coding === "br" || coding === "zstd" ? 100 : 40;
}

/**
 * Qt's archive-bomb check: once more than `threshold` decoded bytes have been
 * produced, the decoded/encoded ratio must stay within 40:1 (gzip, deflate)
 * or 100:1 (br, zstd).
 *
 * @example
 * ```ts
 * import { BombGuard } from "./decoding.ts";
 * const guard = new BombGuard(1024, "gzip");
 * console.log(guard.check(1000, 10)); // undefined: below the threshold
 * console.log(guard.check(2000, 10) !== undefined); // true: 200:1
 * ```
 */
export class BombGuard {
  readonly #threshold: number;
  readonly #coding: string;

  /**
   * Creates a guard for one body.
   *
   * @param threshold Decoded bytes before the ratio is checked; -1 disables the guard.
   * @param coding The content-coding, which sets the ratio limit.
   */
  constructor(threshold: number, coding: string) {
    this.#threshold = threshold;
    this.#coding = coding;
  }

  /**
   * The error message when `decoded` bytes from `encoded` bytes look like a
   * bomb, else `undefined`.
   */
  check(decoded: number, encoded: number): string | undefined {
    if (this.#threshold < 0 || decoded <= this.#threshold || encoded <= 0) return undefined;
    const limit = ratioLimit(this.#coding);
    if (decoded / encoded <= limit) return undefined;
    return `Decompression failed: the ${this.#coding} body decodes to more than ${limit} times its size ` +
      `(${decoded} bytes from ${encoded}) beyond decompressedSafetyCheckThreshold (${this.#threshold} bytes); ` +
      "raise the threshold or set it to -1 to allow it";
  }
}

/** Chunks read one at a time: what {@linkcode createBodyDecoder} gives. */
export type ChunkSource = Pick<BodySource, "read" | "cancel">;

/** A response body as the transport delivers it, read one chunk at a time. */
export interface BodySource {
  /** The next chunk, or `null` at the end. Throws {@linkcode DecodingError} or the response body's error. */
  read(): Promise<Uint8Array | null>;
  /** Bytes taken from the response body so far (still encoded where netreply decodes). */
  readonly sourceBytes: number;
  /** Releases the source and cancels the response body. */
  cancel(): Promise<void>;
}

/**
 * The body source for a plan: the response body through a counting
 * `TransformStream` (the bytes taken from the runtime, still encoded where
 * netreply decodes), then a {@linkcode createBodyDecoder} where netreply
 * decodes, else the counted chunks as they come.
 *
 * @param stream The response body; the source owns it from now on.
 * @param plan Who decodes, from {@linkcode planDecoding}.
 */
export function createBodySource(stream: ReadableStream<Uint8Array>, plan: DecodingPlan): BodySource {
  let sourceBytes = 0;
  const reader = stream.pipeThrough(countingStream((total) => sourceBytes = total)).getReader();
  const chunks: ChunkSource = plan.by === "netreply" ? createBodyDecoder(reader, plan.coding) : {
    async read() {
      const { done, value } = await reader.read();
      return done ? null : value;
    },
    async cancel() {
      await reader.cancel().catch(() => {});
    },
  };
  return {
    read: () => chunks.read(),
    cancel: () => chunks.cancel(),
    get sourceBytes() {
      return sourceBytes;
    },
  };
}

/** The body did not decode (as opposed to the connection failing while reading it). */
export class DecodingError extends Error {
  /**
   * Wraps a decoder failure.
   *
   * @param message The decoder's message.
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

/**
 * Decodes a body with `DecompressionStream`, pulling the source one chunk at a
 * time: the pipe holds at most one encoded chunk beyond what was asked for.
 *
 * An empty source decodes to an empty body (Qt: an empty gzip body is fine).
 * A source error is rethrown as is; a decoder error becomes a
 * {@linkcode DecodingError}.
 *
 * @param source The raw body reader; the decoder owns it from now on.
 * @param coding A coding {@linkcode planDecoding} gave to netreply.
 */
export function createBodyDecoder(
  source: ReadableStreamDefaultReader<Uint8Array>,
  coding: string,
): ChunkSource {
  let sourceError: { error: unknown } | undefined;
  let output: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let finished = false;

  const readSource = async (): Promise<Uint8Array | null> => {
    try {
      const { done, value } = await source.read();
      return done ? null : value;
    } catch (error) {
      sourceError = { error };
      throw error;
    }
  };

  // The zlib/raw choice for deflate needs the first two bytes, so the pipe is
  // built on the first read.
  const open = async (): Promise<ReadableStreamDefaultReader<Uint8Array> | undefined> => {
    const prefix: Uint8Array[] = [];
    let prefixSize = 0;
    while (prefixSize < 2) {
      const chunk = await readSource();
      if (chunk === null) break;
      if (chunk.byteLength === 0) continue;
      prefix.push(chunk);
      prefixSize += chunk.byteLength;
    }
    if (prefixSize === 0) return undefined;
    const head = prefix.length === 1 ? prefix[0] : Uint8Array.from(prefix.flatMap((c) => [...c]));
    let format = streamFormats.get(coding) ?? coding;
    if (coding === "deflate" && (prefixSize < 2 || !looksLikeZlib(head[0], head[1]))) format = "deflate-raw";
    const input = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = prefix.shift() ?? await readSource();
        if (next === null) controller.close();
        else controller.enqueue(next);
      },
      cancel(reason) {
        return source.cancel(reason);
      },
    }, { highWaterMark: 0 });
    // DecompressionStream is typed over BufferSource; it only ever sees Uint8Arrays here.
    const decompress = new DecompressionStream(format as CompressionFormat) as unknown as TransformStream<
      Uint8Array,
      Uint8Array
    >;
    return input.pipeThrough(decompress).getReader();
  };

  return {
    async read() {
      if (finished) return null;
      try {
        output ??= await open();
        if (output === undefined) {
          finished = true;
          return null;
        }
        for (;;) {
          const { done, value } = await output.read();
          if (done) {
            finished = true;
            return null;
          }
          if (value.byteLength > 0) return value;
        }
      } catch (error) {
        finished = true;
        if (sourceError) throw sourceError.error;
        throw new DecodingError(error instanceof Error ? error.message : String(error), { cause: error });
      }
    },
    async cancel() {
      finished = true;
      await Promise.allSettled([output?.cancel(), source.cancel()]);
    },
  };
}
