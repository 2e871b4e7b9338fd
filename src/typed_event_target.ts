/**
 * {@linkcode TypedEventTarget}: an EventTarget whose `addEventListener` is
 * typed per event name, the base of the reply and the manager.
 *
 * @module
 */

/**
 * An `EventTarget` with listeners typed by an event map.
 *
 * @example
 * ```ts
 * import { NetworkAccessManager } from "@netreply/netreply";
 * await using nam = new NetworkAccessManager();
 * // `event` is typed as ReplyEvent here:
 * nam.addEventListener("finished", (event) => console.log(event.reply.url().href));
 * ```
 */
export class TypedEventTarget<EventMap> extends EventTarget {
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
