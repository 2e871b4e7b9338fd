/**
 * The reply's sequential read buffer: bytes are appended as they arrive and
 * removed as they are read (QIODevice semantics for a sequential device).
 *
 * @module
 */

const LF = 0x0a;
const empty = new Uint8Array(0);

/** A FIFO of byte chunks with QIODevice-style reads. */
export class ReadBuffer {
  #chunks: Uint8Array[] = [];
  /** Offset into `#chunks[0]` of the first unread byte. */
  #head = 0;
  #size = 0;

  /** Bytes currently buffered. */
  get size(): number {
    return this.#size;
  }

  /** Appends a chunk (kept by reference; callers hand over ownership). */
  append(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#size += chunk.byteLength;
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#size = 0;
  }

  /** Copies up to `maxSize` bytes from the front without removing them. */
  peek(maxSize: number = this.#size): Uint8Array {
    return this.#copy(this.#clamp(maxSize), false);
  }

  /** Removes and returns up to `maxSize` bytes from the front. */
  read(maxSize: number = this.#size): Uint8Array {
    const count = this.#clamp(maxSize);
    // Exactly the rest of the first chunk: hand it over instead of copying it.
    if (count > 0 && count === this.#chunks[0].byteLength - this.#head) return this.takeChunk()!;
    return this.#copy(count, true);
  }

  /**
   * Removes and returns the unread part of the first chunk without copying,
   * or `undefined` when nothing is buffered: the cheapest way to drain.
   */
  takeChunk(): Uint8Array | undefined {
    const chunk = this.#chunks.shift();
    if (chunk === undefined) return undefined;
    const rest = this.#head === 0 ? chunk : chunk.subarray(this.#head);
    this.#head = 0;
    this.#size -= rest.byteLength;
    return rest;
  }

  /** Index one past the first LF within the first `limit` bytes, or -1. */
  lineLength(limit: number = this.#size): number {
    limit = this.#clamp(limit);
    let seen = 0;
    for (let i = 0; i < this.#chunks.length && seen < limit; i++) {
      const chunk = this.#chunks[i];
      const start = i === 0 ? this.#head : 0;
      const end = Math.min(chunk.byteLength, start + (limit - seen));
      const at = chunk.subarray(start, end).indexOf(LF);
      if (at >= 0) return seen + at + 1;
      seen += end - start;
    }
    return -1;
  }

  // A fractional or NaN size would leave a fractional offset behind and
  // corrupt every later read: sizes are whole bytes, NaN and negatives are 0.
  #clamp(maxSize: number): number {
    const whole = Math.floor(maxSize);
    return whole > 0 ? Math.min(whole, this.#size) : 0;
  }

  #copy(count: number, consume: boolean): Uint8Array {
    if (count === 0) return empty;
    const out = new Uint8Array(count);
    let written = 0;
    let index = 0;
    let head = this.#head;
    while (written < count) {
      const chunk = this.#chunks[index];
      const take = Math.min(chunk.byteLength - head, count - written);
      out.set(chunk.subarray(head, head + take), written);
      written += take;
      head += take;
      if (head === chunk.byteLength) {
        index++;
        head = 0;
      }
    }
    if (consume) {
      this.#chunks.splice(0, index);
      this.#head = head;
      this.#size -= count;
    }
    return out;
  }
}
