/**
 * {@linkcode RequestWriter}: writes a request head and its body to a
 * connection one piece per call, so that upload progress reports bytes
 * written (docs/transports.md): a fixed body with Content-Length, a stream
 * body with chunked transfer coding (RFC 9112 §7.1).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { RequestWriter } from "./_request_writer.ts";
 * const written: Uint8Array[] = [];
 * const stream = {
 *   read: () => Promise.resolve(null),
 *   write: (bytes: Uint8Array) => {
 *     written.push(bytes.slice());
 *     return Promise.resolve();
 *   },
 *   close: () => {},
 * };
 * const head = new TextEncoder().encode("POST / HTTP/1.1\r\ncontent-length: 2\r\n\r\n");
 * const writer = new RequestWriter(stream, head, { kind: "bytes", bytes: new Uint8Array([1, 2]) });
 * deepEqual(await writer.next(), { type: "uploadProgress", bytesSent: 0, bytesTotal: 2 });
 * deepEqual(await writer.next(), { type: "uploadProgress", bytesSent: 2, bytesTotal: 2 });
 * equal(await writer.next(), undefined);
 * equal(written.length, 1);
 * ```
 *
 * @module
 */

import { concatBytes } from "../../core/concat_bytes.ts";
import { CHUNK_TRAILER, chunkHeader, LAST_CHUNK } from "../../http1/request_head.ts";
import type { ByteStream } from "../sockets/socket_opener.ts";
import { type ExchangeBody, type ExchangeEvent, fixedBodySize } from "../transport.ts";

/**
 * Fixed bodies up to this size go out in the head's write (one syscall);
 * larger ones, and the pieces of larger ones, in writes of this size, each
 * reported as progress.
 */
export const WRITE_PIECE_SIZE = 64 * 1024;

/**
 * A stream body's chunks from this size on are written as they are, after
 * their size line, rather than copied into one buffer with it: no copy of a
 * large chunk, and for a small one a copy is cheaper than a second write.
 * The CRLF after a chunk's data then goes out with the next write.
 */
export const UNCOPIED_CHUNK_SIZE = 16 * 1024;

/** The request body could not be read (a stream that errored): not a connection failure. */
export class RequestBodyError extends Error {
  /**
   * Wraps the body stream's error.
   *
   * @param cause What the stream's reader threw.
   */
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "RequestBodyError";
  }
}

type UploadProgress = Extract<ExchangeEvent, { type: "uploadProgress" }>;

function progress(sent: number, total: number): UploadProgress {
  return { type: "uploadProgress", bytesSent: sent, bytesTotal: total };
}

/**
 * Writes one request: each {@linkcode RequestWriter.next} call writes what
 * the next progress event reports and returns that event, or `undefined`
 * once the whole request is written.
 *
 * Fixed body: `(0, total)` first and `(total, total)` last (one `(0, 0)` for
 * an empty body). Stream body: `(0, -1)`, running totals with -1, last
 * `(n, n)`; an empty stream gives `(0, 0)` only (as the fetch transport).
 */
export class RequestWriter {
  readonly #stream: ByteStream;
  readonly #body: ExchangeBody;
  readonly #total: number;
  #head: Uint8Array | undefined;
  #sent = 0;
  #queued: UploadProgress | undefined;
  #done = false;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** The CRLF that ends the last chunk written uncopied, not written yet. */
  #trailerPending = false;

  /**
   * Prepares the writes; nothing is written before the first `next()`.
   *
   * @param stream The connection.
   * @param head The serialized request head (framed for `body`).
   * @param body The request body.
   */
  constructor(stream: ByteStream, head: Uint8Array, body: ExchangeBody) {
    this.#stream = stream;
    this.#head = head;
    this.#body = body;
    this.#total = fixedBodySize(body);
  }

  /** Writes the next piece and reports it; `undefined` once everything is written. */
  next(): Promise<UploadProgress | undefined> {
    const queued = this.#queued;
    if (queued !== undefined) {
      this.#queued = undefined;
      return Promise.resolve(queued);
    }
    if (this.#done) return Promise.resolve(undefined);
    return this.#body.kind === "stream" ? this.#nextChunk() : this.#nextPiece();
  }

  /** Stops reading a stream body (abort or release). */
  cancel(reason?: unknown): void {
    this.#done = true;
    this.#queued = undefined;
    this.#reader?.cancel(reason).catch(() => {});
  }

  async #nextPiece(): Promise<UploadProgress | undefined> {
    const total = this.#total;
    const head = this.#head;
    if (head !== undefined) {
      this.#head = undefined;
      if (total > WRITE_PIECE_SIZE) {
        await this.#stream.write(head);
        return progress(0, total);
      }
      if (total === 0) {
        await this.#stream.write(head);
        this.#done = true;
        return progress(0, 0);
      }
      await this.#stream.write(concatBytes([head, await this.#piece(0, total)]));
      this.#sent = total;
      this.#done = true;
      this.#queued = progress(total, total);
      return progress(0, total);
    }
    const start = this.#sent;
    const end = Math.min(start + WRITE_PIECE_SIZE, total);
    await this.#stream.write(await this.#piece(start, end));
    this.#sent = end;
    if (end === total) this.#done = true;
    return progress(end, total);
  }

  #piece(start: number, end: number): Promise<Uint8Array> | Uint8Array {
    const body = this.#body;
    if (body.kind === "bytes") return body.bytes.subarray(start, end);
    const blob = (body as { readonly blob: Blob }).blob;
    return blob.slice(start, end).arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }

  async #nextChunk(): Promise<UploadProgress | undefined> {
    const reader = this.#reader ??= (this.#body as { readonly stream: ReadableStream<Uint8Array> }).stream
      .getReader();
    const head = this.#head;
    this.#head = undefined;
    let chunk: Uint8Array | undefined;
    try {
      for (;;) {
        const step = await reader.read();
        if (step.done) break;
        if (step.value.byteLength > 0) {
          chunk = step.value;
          break;
        }
      }
    } catch (error) {
      throw new RequestBodyError(error);
    }
    if (this.#done) return undefined;
    // What goes before this chunk's size line: the head, or the CRLF of an uncopied chunk.
    const before: Uint8Array[] = head !== undefined ? [head] : this.#trailerPending ? [CHUNK_TRAILER] : [];
    this.#trailerPending = false;
    if (chunk === undefined) {
      before.push(LAST_CHUNK);
      await this.#stream.write(before.length === 1 ? LAST_CHUNK : concatBytes(before));
      this.#done = true;
      return progress(this.#sent, this.#sent);
    }
    const size = chunk.byteLength;
    before.push(chunkHeader(size));
    if (size >= UNCOPIED_CHUNK_SIZE) {
      await this.#stream.write(before.length === 1 ? before[0] : concatBytes(before));
      await this.#stream.write(chunk);
      this.#trailerPending = true;
    } else {
      before.push(chunk, CHUNK_TRAILER);
      await this.#stream.write(concatBytes(before));
    }
    this.#sent += size;
    if (head === undefined) return progress(this.#sent, -1);
    this.#queued = progress(size, -1);
    return progress(0, -1);
  }
}
