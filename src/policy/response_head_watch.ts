/**
 * {@linkcode watchResponseHead}: passes an exchange's events on unchanged and
 * shows its response head to a policy on the way — the one thing the cookie
 * and HSTS layers read, and what the cache layer invalidates by. A watcher
 * that returns a promise holds the head back until it settles. After the
 * head, `next()` goes straight to the inner exchange: a body's many `data`
 * events cost the layer nothing.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as deepEqual } from "node:assert/strict";
 * import { watchResponseHead } from "./response_head_watch.ts";
 * import { HttpHeaders } from "../core/http_headers.ts";
 * const inner = [{ type: "responseHead", head: { status: 204, reasonPhrase: "", headers: new HttpHeaders() } }, { type: "end" }] as const;
 * let i = 0;
 * const statuses: number[] = [];
 * const events = watchResponseHead(
 *   { next: () => Promise.resolve(i < inner.length ? { done: false, value: inner[i++] } : { done: true, value: undefined }) },
 *   (head) => statuses.push(head.status),
 * );
 * while (!(await events.next()).done);
 * deepEqual(statuses, [204]);
 * ```
 *
 * @module
 */

import type { ExchangeEvent, ResponseHead } from "../transport/transport.ts";

type Step = IteratorResult<ExchangeEvent, undefined>;

const DONE: Promise<Step> = Promise.resolve({ done: true, value: undefined });

/**
 * `events`, calling `watch` with the response head as it passes.
 *
 * @param events The inner exchange.
 * @param watch Reads the head (it must not throw, nor reject); the head is passed on once a promise it returns settles.
 * @returns The same events.
 */
export function watchResponseHead(
  events: AsyncIterator<ExchangeEvent, undefined>,
  watch: (head: ResponseHead) => unknown,
): AsyncIterator<ExchangeEvent, undefined> {
  return new HeadWatch(events, watch);
}

/** The iterator of {@linkcode watchResponseHead}: no closure per exchange beyond `#look`. */
class HeadWatch implements AsyncIterator<ExchangeEvent, undefined> {
  readonly #events: AsyncIterator<ExchangeEvent, undefined>;
  readonly #watch: (head: ResponseHead) => unknown;
  #watching = true;

  constructor(events: AsyncIterator<ExchangeEvent, undefined>, watch: (head: ResponseHead) => unknown) {
    this.#events = events;
    this.#watch = watch;
  }

  next(): Promise<Step> {
    return this.#watching ? this.#events.next().then(this.#look) : this.#events.next();
  }

  return(): Promise<Step> {
    return this.#events.return?.() ?? DONE;
  }

  readonly #look = (step: Step): Step | Promise<Step> => {
    if (!step.done && step.value.type === "responseHead") {
      this.#watching = false;
      const watched = this.#watch(step.value.head);
      if (watched instanceof Promise) return watched.then(() => step);
    }
    return step;
  };
}
