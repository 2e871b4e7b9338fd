/**
 * {@linkcode PendingStores}: the stores in progress of a cache, per key —
 * each a `WritableStream` that collects a body in memory up to a limit and
 * commits it once closed, and that `remove()` or `clear()` can drop while it
 * is still being written.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { PendingStores } from "./pending_stores.ts";
 * const pending = new PendingStores();
 * const committed: string[] = [];
 * const decoder = new TextDecoder();
 * const a = pending.collect("a", 0, 100, (body) => void committed.push(decoder.decode(body))).getWriter();
 * const b = pending.collect("b", 0, 100, (body) => void committed.push(decoder.decode(body))).getWriter();
 * await a.write(new TextEncoder().encode("kept"));
 * await b.write(new TextEncoder().encode("dropped"));
 * pending.drop("b");
 * await Promise.all([a.close(), b.close()]);
 * deepEqual(committed, ["kept"]);
 * ```
 *
 * @module
 */

import { concatBytes } from "./core/concat_bytes.ts";

/** One store in progress; `dropped` once it was dropped or grew past its limit. */
interface PendingStore {
  dropped: boolean;
}

/** The stores in progress of one cache; see the module documentation. */
export class PendingStores {
  readonly #stores = new Map<string, Set<PendingStore>>();

  /**
   * A stream that collects a body for `key` and, once closed, hands it to
   * `commit` with its size (`size` plus the body's bytes) — unless the store
   * was dropped or that size passed `limit`, in which case nothing is
   * committed. Closing resolves when `commit` has; aborting commits nothing.
   */
  collect(
    key: string,
    size: number,
    limit: number,
    commit: (body: Uint8Array, size: number) => void | Promise<void>,
  ): WritableStream<Uint8Array> {
    const store: PendingStore = { dropped: false };
    let stores = this.#stores.get(key);
    if (stores === undefined) this.#stores.set(key, stores = new Set());
    stores.add(store);
    const finish = (): void => {
      stores.delete(store);
      if (stores.size === 0 && this.#stores.get(key) === stores) this.#stores.delete(key);
    };
    let chunks: Uint8Array[] = [];
    return new WritableStream<Uint8Array>({
      write: (chunk) => {
        if (store.dropped) return;
        size += chunk.byteLength;
        if (size > limit) {
          store.dropped = true;
          chunks = [];
          return;
        }
        chunks.push(chunk.slice());
      },
      close: () => {
        finish();
        if (store.dropped) return;
        const body = concatBytes(chunks);
        chunks = [];
        return commit(body, size);
      },
      abort: () => {
        store.dropped = true;
        chunks = [];
        finish();
      },
    });
  }

  /** Drops the stores of `key` in progress: they commit nothing. */
  drop(key: string): void {
    for (const store of this.#stores.get(key) ?? []) store.dropped = true;
  }

  /** Drops every store in progress. */
  dropAll(): void {
    for (const stores of this.#stores.values()) for (const store of stores) store.dropped = true;
  }
}
