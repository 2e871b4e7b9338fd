/**
 * {@linkcode TypedEventTarget}: an EventTarget whose `addEventListener` is
 * typed per event name, the base of the reply and the manager.
 *
 * @module
 */

import { REPLY_EVENT_TYPES } from "./events.ts";

/**
 * Whether `type` ever had a listener on `target` (removed ones included, so a
 * `true` may be stale but a `false` never is): the emitter skips building
 * events that no listener can see.
 */
export function hasListener(target: TypedEventTarget<unknown>, type: string): boolean {
  return isListened(target, type);
}

let isListened: (target: TypedEventTarget<unknown>, type: string) => boolean;

/**
 * A bit for each signal of the reply and the manager: what they listen to is
 * kept in one number, with a Set only for other types.
 */
const SIGNAL_BITS: ReadonlyMap<string, number> = new Map(
  // The reply's signals and the manager's own (its others are the reply's names too).
  [...REPLY_EVENT_TYPES, "authenticationRequired", "proxyAuthenticationRequired"].map((
    type,
    i,
  ) => [type, 1 << i]),
);

/**
 * An `EventTarget` with listeners typed by an event map.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/" }).reply(200);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * let url = "";
 * // `event` is typed as ReplyEvent here:
 * nam.addEventListener("finished", (event) => url = event.reply.url().href);
 * await nam.get("https://api.test/").done;
 * equal(url, "https://api.test/");
 * ```
 */
export class TypedEventTarget<EventMap> extends EventTarget {
  /** Every signal that ever had a listener, as SIGNAL_BITS: a signal nobody listens to is not built at all. */
  #listened = 0;
  /** Every other type that ever had a listener, made on the first. */
  #listenedOthers: Set<string> | undefined;

  static {
    isListened = (target, type) => {
      const bit = SIGNAL_BITS.get(type);
      return bit === undefined ? target.#listenedOthers?.has(type) === true : (target.#listened & bit) !== 0;
    };
  }

  /** Adds a listener; typed per event name (Qt's signal names). */
  override addEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: (event: EventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /** Adds a listener for any event type. */
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null | ((event: never) => void),
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (listener !== null && listener !== undefined) {
      const name = String(type);
      const bit = SIGNAL_BITS.get(name);
      if (bit !== undefined) this.#listened |= bit;
      else (this.#listenedOthers ??= new Set()).add(name);
    }
    super.addEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  /** Removes a listener added with `addEventListener`. */
  override removeEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: (event: EventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  /** Removes a listener for any event type. */
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null | ((event: never) => void),
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }
}
