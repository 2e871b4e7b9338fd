/**
 * {@linkcode ConnectionPool}: keep-alive connections per pool key (origin,
 * proxy, TLS settings), at most a fixed number per key, FIFO waiting for a
 * free one and idle expiry — Qt's HTTP/1 connection handling
 * (QHttpNetworkConnection: 6 channels per host, idle connections closed after
 * 120 s).
 *
 * The pool only counts and hands out; opening a connection is the caller's
 * business: {@linkcode ConnectionPool.acquire} gives either an idle connection
 * or `undefined`, meaning "a slot is yours: open a new one and
 * {@linkcode ConnectionPool.register} it".
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { ConnectionPool } from "./connection_pool.ts";
 *
 * const pool = new ConnectionPool<{ closed: boolean; close(): void }>({ maxPerKey: 6, idleTimeout: 1000 });
 * const signal = new AbortController().signal;
 * equal(await pool.acquire("http://a", signal), undefined); // open a new connection
 * const connection = { closed: false, close() { this.closed = true; } };
 * pool.register("http://a", connection);
 * pool.release("http://a", connection); // idle now
 * equal(await pool.acquire("http://a", signal), connection);
 * pool.close();
 * equal(connection.closed, true);
 * ```
 *
 * @module
 */

/** What the pool needs of a connection. */
export interface PoolableConnection {
  /** Whether the connection is closed (an idle one the peer closed is skipped where this shows it). */
  readonly closed: boolean;
  /** Closes it (idempotent). */
  close(): void;
}

/** Limits of a {@linkcode ConnectionPool}. */
export interface ConnectionPoolOptions {
  /** Connections per key at most, idle and busy together. */
  readonly maxPerKey: number;
  /** Idle connections are closed after this many ms; 0 closes them as soon as they are released. */
  readonly idleTimeout: number;
}

/**
 * {@linkcode ConnectionPool.acquire} was refused because the pool closed.
 *
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { ConnectionPool, ConnectionPoolClosedError } from "./connection_pool.ts";
 * const pool = new ConnectionPool<{ closed: boolean; close(): void }>({ maxPerKey: 1, idleTimeout: 0 });
 * pool.close();
 * await rejects(pool.acquire("k", new AbortController().signal), ConnectionPoolClosedError);
 * ```
 */
export class ConnectionPoolClosedError extends Error {
  /** @param message Why. */
  constructor(message = "The connection pool is closed") {
    super(message);
    this.name = "ConnectionPoolClosedError";
  }
}

interface Waiter<C> {
  readonly fresh: boolean;
  readonly resolve: (connection: C | undefined) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

interface IdleEntry<C> {
  readonly connection: C;
  /** When it expires, in `Date.now()` time. */
  readonly deadline: number;
}

interface Bucket<C> {
  /** Slots taken: busy, idle and being opened. */
  slots: number;
  /** Most recently released last (LIFO reuse: the warmest connection first). */
  readonly idle: IdleEntry<C>[];
  readonly waiters: Waiter<C>[];
}

interface TimerRuntime {
  Deno?: { unrefTimer?(id: number): void };
}

/** Idle timers must not keep the process alive (Deno: unrefTimer; Node/Bun: the timer's unref()). */
function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === "number") (globalThis as TimerRuntime).Deno?.unrefTimer?.(timer);
  else (timer as { unref?(): void }).unref?.();
}

/**
 * Keep-alive connections per key with a per-key limit, FIFO waiters and idle
 * expiry. See the module documentation for an example.
 */
export class ConnectionPool<C extends PoolableConnection> {
  readonly #options: ConnectionPoolOptions;
  readonly #buckets = new Map<string, Bucket<C>>();
  readonly #busy = new Set<C>();
  #closed = false;
  /**
   * One timer for every idle connection, armed for the earliest deadline:
   * a request that takes an idle connection and gives it back costs no timer
   * of its own (bench/README.md, "the socket transport").
   */
  #sweepTimer: ReturnType<typeof setTimeout> | undefined;
  #sweepAt = Infinity;

  /** @param options Limits. */
  constructor(options: ConnectionPoolOptions) {
    this.#options = options;
  }

  /** Whether {@linkcode ConnectionPool.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many idle connections the pool holds (all keys). */
  get idleCount(): number {
    let count = 0;
    for (const bucket of this.#buckets.values()) count += bucket.idle.length;
    return count;
  }

  /**
   * An idle connection for `key`, or `undefined` when the caller holds a new
   * slot and must open a connection. Waits (FIFO) while the key is at its
   * limit; rejects with the signal's reason on abort and with
   * {@linkcode ConnectionPoolClosedError} when the pool closes.
   *
   * @param fresh Never an idle connection: a re-send wants a new one.
   */
  acquire(key: string, signal: AbortSignal, fresh = false): Promise<C | undefined> {
    if (this.#closed) return Promise.reject(new ConnectionPoolClosedError());
    if (signal.aborted) return Promise.reject(signal.reason);
    const bucket = this.#bucket(key);
    if (!fresh) {
      const idle = this.#takeIdle(bucket);
      if (idle !== undefined) return Promise.resolve(idle);
    } else if (bucket.slots >= this.#options.maxPerKey) {
      this.#closeOldestIdle(bucket);
    }
    if (bucket.slots < this.#options.maxPerKey) {
      bucket.slots++;
      return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter<C> = {
        fresh,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = bucket.waiters.indexOf(waiter);
          if (index >= 0) bucket.waiters.splice(index, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      bucket.waiters.push(waiter);
    });
  }

  /**
   * Takes a slot for `key` without waiting (a connection opened ahead of
   * time); false when the key is at its limit or has an idle connection.
   */
  tryReserve(key: string): boolean {
    if (this.#closed) return false;
    const bucket = this.#bucket(key);
    if (bucket.idle.length > 0 || bucket.slots >= this.#options.maxPerKey) return false;
    bucket.slots++;
    return true;
  }

  /** A connection just opened in a slot from {@linkcode ConnectionPool.acquire}: busy now. */
  register(_key: string, connection: C): void {
    if (this.#closed) connection.close();
    else this.#busy.add(connection);
  }

  /**
   * Gives a busy connection back for reuse: to the first waiter, or idle.
   * A closed connection (or any, once the pool closed) is discarded instead.
   *
   * @param idleTimeout This connection's idle expiry in ms, instead of the pool's.
   */
  release(key: string, connection: C, idleTimeout: number = this.#options.idleTimeout): void {
    if (this.#closed || connection.closed) return this.discard(key, connection);
    this.#busy.delete(connection);
    const bucket = this.#bucket(key);
    const waiter = this.#nextWaiter(bucket);
    if (waiter !== undefined) {
      this.#busy.add(connection);
      if (!waiter.fresh) return waiter.resolve(connection);
      connection.close();
      this.#busy.delete(connection);
      return waiter.resolve(undefined); // the slot passes on: the waiter opens a new connection
    }
    if (idleTimeout <= 0) return this.discard(key, connection);
    const deadline = Date.now() + idleTimeout;
    bucket.idle.push({ connection, deadline });
    this.#armSweep(deadline);
  }

  /**
   * Frees a slot: closes `connection` (a busy one that must not be reused,
   * or none when opening failed) and lets the first waiter open a new one.
   */
  discard(key: string, connection?: C): void {
    if (connection !== undefined) {
      connection.close();
      this.#busy.delete(connection);
    }
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) return;
    bucket.slots--;
    this.#handSlotOn(key, bucket);
  }

  /** Closes every idle connection (Qt's clearConnectionCache); busy ones finish their exchange. */
  clearIdle(): void {
    for (const [key, bucket] of this.#buckets) {
      while (bucket.idle.length > 0) this.#closeOldestIdle(bucket);
      this.#handSlotOn(key, bucket);
    }
    this.#disarmSweep();
  }

  /** Closes every connection, idle and busy, rejects every waiter and clears every timer. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#disarmSweep();
    for (const bucket of this.#buckets.values()) {
      while (bucket.idle.length > 0) this.#closeOldestIdle(bucket);
      for (const waiter of bucket.waiters.splice(0)) {
        waiter.signal.removeEventListener("abort", waiter.onAbort);
        waiter.reject(new ConnectionPoolClosedError());
      }
    }
    for (const connection of this.#busy) connection.close();
    this.#busy.clear();
    this.#buckets.clear();
  }

  #bucket(key: string): Bucket<C> {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { slots: 0, idle: [], waiters: [] };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  #takeIdle(bucket: Bucket<C>): C | undefined {
    for (let entry = bucket.idle.pop(); entry !== undefined; entry = bucket.idle.pop()) {
      if (!entry.connection.closed) {
        this.#busy.add(entry.connection);
        return entry.connection;
      }
      bucket.slots--;
    }
    return undefined;
  }

  #closeOldestIdle(bucket: Bucket<C>): void {
    const entry = bucket.idle.shift();
    if (entry === undefined) return;
    entry.connection.close();
    bucket.slots--;
  }

  #nextWaiter(bucket: Bucket<C>): Waiter<C> | undefined {
    const waiter = bucket.waiters.shift();
    waiter?.signal.removeEventListener("abort", waiter.onAbort);
    return waiter;
  }

  /** A slot came free: the first waiter takes it (or an idle connection), else empty buckets go. */
  #handSlotOn(key: string, bucket: Bucket<C>): void {
    while (bucket.waiters.length > 0 && bucket.slots < this.#options.maxPerKey) {
      const waiter = this.#nextWaiter(bucket)!;
      const idle = waiter.fresh ? undefined : this.#takeIdle(bucket);
      if (idle !== undefined) {
        waiter.resolve(idle);
        continue;
      }
      bucket.slots++;
      waiter.resolve(undefined);
    }
    if (bucket.slots === 0 && bucket.waiters.length === 0) this.#buckets.delete(key);
  }

  /** Makes the sweep run by `deadline` (it may already run earlier: then it re-arms itself). */
  #armSweep(deadline: number): void {
    if (this.#sweepTimer !== undefined && this.#sweepAt <= deadline) return;
    clearTimeout(this.#sweepTimer);
    this.#sweepAt = deadline;
    this.#sweepTimer = setTimeout(() => this.#sweep(), Math.max(0, deadline - Date.now()));
    unrefTimer(this.#sweepTimer);
  }

  #disarmSweep(): void {
    clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
    this.#sweepAt = Infinity;
  }

  /** Closes the idle connections whose deadline passed, frees their slots, and re-arms for the next deadline. */
  #sweep(): void {
    this.#sweepTimer = undefined;
    this.#sweepAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [key, bucket] of this.#buckets) {
      const idle = bucket.idle;
      let expired = false;
      for (let i = 0; i < idle.length;) {
        const entry = idle[i];
        if (entry.deadline > now) {
          next = Math.min(next, entry.deadline);
          i++;
          continue;
        }
        idle.splice(i, 1);
        entry.connection.close();
        bucket.slots--;
        expired = true;
      }
      if (expired) this.#handSlotOn(key, bucket);
    }
    if (next !== Infinity) this.#armSweep(next);
  }
}
