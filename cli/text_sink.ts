/**
 * Where the CLI's diagnostics go: stderr, written synchronously so that
 * lines keep the order of the signals that produced them.
 *
 * @module
 */

/** A text destination that knows whether it is a terminal. */
export interface TextSink {
  /** Whether the destination is a terminal (progress bars and prompts need one). */
  readonly isTerminal: boolean;
  /** Writes `text` as it is (add the newline yourself). */
  write(text: string): void;
}

const encoder = new TextEncoder();

/**
 * The process's stderr as a {@linkcode TextSink}.
 *
 * @returns A sink that writes every byte before returning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stderrSink } from "./text_sink.ts";
 * assert.equal(typeof stderrSink().isTerminal, "boolean");
 * ```
 */
export function stderrSink(): TextSink {
  return {
    isTerminal: Deno.stderr.isTerminal(),
    write(text: string): void {
      const bytes = encoder.encode(text);
      for (let written = 0; written < bytes.length;) {
        written += Deno.stderr.writeSync(bytes.subarray(written));
      }
    },
  };
}
