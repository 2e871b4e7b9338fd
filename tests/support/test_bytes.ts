/**
 * Bodies for tests: random bytes of any size, and a pull-based stream of a
 * deterministic pattern that produces its pieces only as they are read.
 *
 * @example
 * ```ts
 * import { patternStream, randomBytes } from "./test_bytes.ts";
 * console.log(randomBytes(100_000).length); // 100000
 * const bytes = new Uint8Array(await new Response(patternStream(300, 100)).arrayBuffer());
 * console.log(bytes.length, bytes[251]); // 300 0
 * ```
 *
 * @module
 */

/** `size` random bytes (crypto.getRandomValues, 64 KiB at a time). */
export function randomBytes(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(out.subarray(at, at + 65536));
  return out;
}

/** The byte at `position` of {@linkcode patternStream}'s content. */
export function patternByte(position: number): number {
  return position % 251;
}

/** A pull-based stream of `size` bytes (`patternByte`) in `chunk`-sized pieces, none buffered ahead. */
export function patternStream(size: number, chunk: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const piece = new Uint8Array(Math.min(chunk, size - sent));
      for (let i = 0; i < piece.length; i++) piece[i] = patternByte(sent + i);
      sent += piece.length;
      controller.enqueue(piece);
    },
  }, { highWaterMark: 0 });
}
