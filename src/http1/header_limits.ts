/**
 * The size limits of a response head, as Qt's HTTP/1 parser has them: at most
 * 100 fields, 100 KiB per field line and 256 KiB for the whole head.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { resolveHeaderLimits } from "./header_limits.ts";
 * deepEqual(resolveHeaderLimits({ maxFields: 10 }), { maxFields: 10, maxFieldSize: 102400, maxHeaderSize: 262144 });
 * ```
 *
 * @module
 */

/** The limits a response parser enforces on a head and on trailers. */
export interface HeaderLimits {
  /** The most fields in one section (obs-fold continuation lines do not count). */
  readonly maxFields: number;
  /** The longest field line, in bytes, without its line terminator. */
  readonly maxFieldSize: number;
  /** The largest section, in bytes, line terminators and skipped 1xx heads included. */
  readonly maxHeaderSize: number;
}

/**
 * Qt's own limits.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { DEFAULT_HEADER_LIMITS } from "./header_limits.ts";
 * equal(DEFAULT_HEADER_LIMITS.maxFields, 100);
 * ```
 */
export const DEFAULT_HEADER_LIMITS: HeaderLimits = Object.freeze({
  maxFields: 100,
  maxFieldSize: 100 * 1024,
  maxHeaderSize: 256 * 1024,
});

/**
 * The limits with Qt's default for each one not given.
 *
 * @throws {RangeError} If a given limit is not a positive integer.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { resolveHeaderLimits } from "./header_limits.ts";
 * equal(resolveHeaderLimits({}).maxHeaderSize, 262144);
 * ```
 */
export function resolveHeaderLimits(options: Partial<HeaderLimits>): HeaderLimits {
  return {
    maxFields: positive("maxFields", options.maxFields ?? DEFAULT_HEADER_LIMITS.maxFields),
    maxFieldSize: positive("maxFieldSize", options.maxFieldSize ?? DEFAULT_HEADER_LIMITS.maxFieldSize),
    maxHeaderSize: positive("maxHeaderSize", options.maxHeaderSize ?? DEFAULT_HEADER_LIMITS.maxHeaderSize),
  };
}

function positive(what: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`Cannot set ${what}: expected a positive integer, got ${value}`);
  }
  return value;
}
