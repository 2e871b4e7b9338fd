/**
 * {@linkcode countingStream}: a pass-through byte stream that reports how many
 * bytes went through it, for upload progress and wire-byte counts.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { countingStream } from "./counting_stream.ts";
 * let total = 0;
 * const counted = new Blob(["hello"]).stream().pipeThrough(countingStream((n) => total = n));
 * await new Response(counted).arrayBuffer();
 * equal(total, 5);
 * ```
 *
 * @module
 */

/** Callbacks of {@linkcode countingStream}. */
export interface CountingCallbacks {
  /** After each chunk is passed on: the running total of bytes. */
  onChunk?(total: number): void;
  /** When the source ended normally: the final total. */
  onEnd?(total: number): void;
}

/**
 * A `TransformStream` that passes byte chunks on unchanged and counts them.
 *
 * The readable side has a high-water mark of 0, so a chunk is counted when the
 * consumer pulls it, not when the source produced it: for a request body that
 * is "bytes handed to the runtime", which is what fetch can see of upload
 * progress.
 *
 * @param callbacks `onChunk` after each chunk (a function is taken as
 * `onChunk`), `onEnd` when the source ends.
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { countingStream } from "./counting_stream.ts";
 * const seen: number[] = [];
 * const stream = new Blob(["ab", "cd"]).stream().pipeThrough(countingStream({ onEnd: (n) => seen.push(n) }));
 * await new Response(stream).text();
 * deepEqual(seen, [ 4 ]);
 * ```
 */
export function countingStream(
  callbacks: CountingCallbacks | ((total: number) => void),
): TransformStream<Uint8Array, Uint8Array> {
  const { onChunk, onEnd } = typeof callbacks === "function"
    ? { onChunk: callbacks, onEnd: undefined }
    : callbacks;
  let total = 0;
  return new TransformStream<Uint8Array, Uint8Array>(
    {
      transform(chunk, controller) {
        controller.enqueue(chunk);
        total += chunk.byteLength;
        onChunk?.(total);
      },
      flush() {
        onEnd?.(total);
      },
    },
    undefined,
    { highWaterMark: 0 },
  );
}
