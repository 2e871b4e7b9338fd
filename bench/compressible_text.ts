/**
 * Deterministic word-like text that compresses about 3:1 with gzip: enough
 * redundancy to be realistic, not so much that decoding is trivial (and well
 * under the 40:1 ratio a decompression-bomb guard would refuse). A 4 MiB
 * block is generated and repeated: gzip's window is 32 KiB (RFC 1951), so the
 * repetition does not change how it compresses.
 *
 * @module
 */

import { seededRandom } from "./seeded_random.ts";

const BLOCK = 4 * 1024 * 1024;

/**
 * Generates `size` bytes of ASCII text made of pseudo-random words.
 *
 * @param size The length in bytes.
 * @param seed The PRNG seed; the same seed gives the same text.
 * @returns The text as bytes.
 */
export function compressibleText(size: number, seed = 0x7a1b): Uint8Array<ArrayBuffer> {
  const random = seededRandom(seed);
  const words: Uint8Array[] = [];
  for (let i = 0; i < 8192; i++) {
    const word = new Uint8Array(2 + Math.floor(random() * 9));
    for (let k = 0; k < word.length; k++) word[k] = 0x61 + Math.floor(random() * 26);
    words.push(word);
  }
  const out = new Uint8Array(size);
  const block = Math.min(size, BLOCK);
  let at = 0;
  while (at < block) {
    const word = words[Math.floor(random() * words.length)];
    for (let k = 0; k < word.length && at < block; k++) out[at++] = word[k];
    if (at < block) out[at++] = random() < 0.08 ? 0x0a : 0x20;
  }
  for (; at < size; at += block) out.set(out.subarray(0, Math.min(block, size - at)), at);
  return out;
}
