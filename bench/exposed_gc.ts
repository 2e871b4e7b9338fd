/**
 * V8's `gc()`, which `--v8-flags=--expose-gc` puts on `globalThis`: the
 * fresh-process samples (retention, slow consumer, minor-GC survivors) run
 * with it.
 *
 * @module
 */

/** `gc()`; `{ type: "minor" }` runs a scavenge, no argument or `"major"` a full collection. */
export type Gc = (options?: { type: "minor" | "major" }) => void;

/**
 * The exposed `gc()`.
 *
 * @returns It.
 * @throws If the process runs without `--v8-flags=--expose-gc`.
 */
export function exposedGc(): Gc {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (gc === undefined) throw new Error("Run with --v8-flags=--expose-gc");
  return gc;
}
