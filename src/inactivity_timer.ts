/**
 * The transfer-timeout inactivity timer: built on setTimeout so fake timers
 * drive it; re-armed on activity, paused while the reader holds the transport back.
 *
 * @module
 */

/**
 * The longest delay setTimeout honours: a longer one overflows its 32-bit
 * signed delay and fires at once (Deno, Node, browsers), so it is capped here.
 */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Calls `onExpire` once `ms` pass without {@linkcode InactivityTimer.touch}. 0 = off. */
export class InactivityTimer {
  /** The timer of a transfer timeout of 0 (off), shared by every such reply: it never arms. */
  static readonly OFF: InactivityTimer = new InactivityTimer(0, () => {});

  readonly #ms: number;
  readonly #onExpire: () => void;
  #handle: ReturnType<typeof setTimeout> | undefined;
  #paused = false;
  #stopped = false;

  constructor(ms: number, onExpire: () => void) {
    this.#ms = Math.min(ms, MAX_TIMER_DELAY_MS);
    this.#onExpire = onExpire;
  }

  /** Arms (or re-arms) the timer, unless it is paused or stopped. */
  touch(): void {
    if (this.#ms <= 0 || this.#paused || this.#stopped) return;
    clearTimeout(this.#handle);
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      this.#stopped = true;
      this.#onExpire();
    }, this.#ms);
  }

  /** Stops counting until {@linkcode InactivityTimer.resume}. */
  pause(): void {
    this.#paused = true;
    clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  /** Counts again from zero. */
  resume(): void {
    this.#paused = false;
    this.touch();
  }

  /** Stops for good. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}
