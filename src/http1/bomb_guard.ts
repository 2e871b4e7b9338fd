/**
 * Qt's archive-bomb guard for decoded response bodies, shared by every
 * transport: each one counts the encoded bytes it took from the wire and the
 * decoded bytes it delivered, and asks the guard.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { BombGuard } from "./bomb_guard.ts";
 * equal(new BombGuard(-1, "gzip").check(1e9, 1), undefined); // the guard is off
 * ```
 *
 * @module
 */

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
 * import { strictEqual as equal, notStrictEqual as notEqual } from "node:assert/strict";
 * import { BombGuard } from "./bomb_guard.ts";
 * const guard = new BombGuard(1024, "gzip");
 * equal(guard.check(1000, 10), undefined); // below the threshold
 * notEqual(guard.check(2000, 10), undefined); // 200:1
 * notEqual(guard.checkUnknownSize(40 * 1024 + 1), undefined); // beyond 40 × 1024
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
