/**
 * MD5 (RFC 1321), which HTTP Digest authentication still needs (RFC 7616
 * §3.2) and WebCrypto does not offer.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { md5 } from "./md5.ts";
 * const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
 * equal(hex(md5(new TextEncoder().encode("abc"))), "900150983cd24fb0d6963f7d28e17f72");
 * ```
 *
 * @module
 */

/** T[1..64] of RFC 1321 §3.4: the integer part of 2^32 × |sin(i)|. */
const T = Int32Array.from([
  0xd76aa478,
  0xe8c7b756,
  0x242070db,
  0xc1bdceee,
  0xf57c0faf,
  0x4787c62a,
  0xa8304613,
  0xfd469501,
  0x698098d8,
  0x8b44f7af,
  0xffff5bb1,
  0x895cd7be,
  0x6b901122,
  0xfd987193,
  0xa679438e,
  0x49b40821,
  0xf61e2562,
  0xc040b340,
  0x265e5a51,
  0xe9b6c7aa,
  0xd62f105d,
  0x02441453,
  0xd8a1e681,
  0xe7d3fbc8,
  0x21e1cde6,
  0xc33707d6,
  0xf4d50d87,
  0x455a14ed,
  0xa9e3e905,
  0xfcefa3f8,
  0x676f02d9,
  0x8d2a4c8a,
  0xfffa3942,
  0x8771f681,
  0x6d9d6122,
  0xfde5380c,
  0xa4beea44,
  0x4bdecfa9,
  0xf6bb4b60,
  0xbebfbc70,
  0x289b7ec6,
  0xeaa127fa,
  0xd4ef3085,
  0x04881d05,
  0xd9d4d039,
  0xe6db99e5,
  0x1fa27cf8,
  0xc4ac5665,
  0xf4292244,
  0x432aff97,
  0xab9423a7,
  0xfc93a039,
  0x655b59c3,
  0x8f0ccc92,
  0xffeff47d,
  0x85845dd1,
  0x6fa87e4f,
  0xfe2ce6e0,
  0xa3014314,
  0x4e0811a1,
  0xf7537e82,
  0xbd3af235,
  0x2ad7d2bb,
  0xeb86d391,
]);

/** The left-rotation amounts of the four rounds (RFC 1321 §3.4), four per round. */
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** The message word each of the 64 steps reads (RFC 1321 §3.4: ρ1 = i, ρ2 = 5i+1, ρ3 = 3i+5, ρ4 = 7i mod 16). */
const WORD_INDEX = Uint8Array.from({ length: 64 }, (_, i) => {
  if (i < 16) return i;
  if (i < 32) return (5 * i + 1) & 15;
  if (i < 48) return (3 * i + 5) & 15;
  return (7 * i) & 15;
});

/**
 * The 16-byte MD5 digest of `data` (RFC 1321).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { md5 } from "./md5.ts";
 * equal(md5(new Uint8Array()).length, 16);
 * equal(md5(new Uint8Array())[0].toString(16), "d4");
 * ```
 */
export function md5(data: Uint8Array): Uint8Array {
  const state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  const words = new Int32Array(16);
  const wholeBlocks = data.length >>> 6;
  for (let block = 0; block < wholeBlocks; block++) {
    readBlock(data, block * 64, words);
    compress(state, words);
  }
  // RFC 1321 §3.1-3.2: a 1 bit, zeros to 56 mod 64, then the bit length as 64 bits, low word first.
  const rest = data.length - wholeBlocks * 64;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(data.subarray(wholeBlocks * 64));
  tail[rest] = 0x80;
  const bitLengthLow = (data.length << 3) >>> 0;
  const bitLengthHigh = Math.floor(data.length / 0x20000000) >>> 0;
  writeWord(tail, tail.length - 8, bitLengthLow);
  writeWord(tail, tail.length - 4, bitLengthHigh);
  for (let offset = 0; offset < tail.length; offset += 64) {
    readBlock(tail, offset, words);
    compress(state, words);
  }
  const digest = new Uint8Array(16);
  for (let i = 0; i < 4; i++) writeWord(digest, i * 4, state[i]);
  return digest;
}

/** RFC 1321 §3.4: one 64-step pass over a 16-word block, added into `state`. */
function compress(state: Int32Array, words: Int32Array): void {
  let a = state[0], b = state[1], c = state[2], d = state[3];
  for (let i = 0; i < 64; i++) {
    let f: number;
    if (i < 16) f = (b & c) | (~b & d);
    else if (i < 32) f = (b & d) | (c & ~d);
    else if (i < 48) f = b ^ c ^ d;
    else f = c ^ (b | ~d);
    const sum = (a + f + T[i] + words[WORD_INDEX[i]]) | 0;
    const shift = SHIFTS[((i >> 4) << 2) | (i & 3)];
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}

/** The 16 little-endian words of the 64 bytes at `offset` (RFC 1321 §2: low-order byte first). */
function readBlock(bytes: Uint8Array, offset: number, words: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const at = offset + i * 4;
    words[i] = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
  }
}

/** Writes `word` little-endian at `offset`. */
function writeWord(bytes: Uint8Array, offset: number, word: number): void {
  bytes[offset] = word & 0xff;
  bytes[offset + 1] = (word >>> 8) & 0xff;
  bytes[offset + 2] = (word >>> 16) & 0xff;
  bytes[offset + 3] = (word >>> 24) & 0xff;
}
