/**
 * {@linkcode checkedTransport}: wraps a {@linkcode Transport} and checks
 * every exchange against the contract in `src/transport/transport.ts`, in the
 * spirit of undici's decorator handler that asserts its callbacks' order. The
 * first event that breaks a rule rejects that `next()` with a
 * {@linkcode TransportContractError} naming the transport, the event and the
 * rule, and makes the wrapper's `close()` reject with it too, so a test that
 * closes its manager (`await using`) fails even when the reply swallowed the
 * error.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { checkedTransport, MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://example.test/" }).reply(200, "hi");
 * await using nam = new NetworkAccessManager({ transport: checkedTransport(mock) });
 * equal(await nam.get("http://example.test/").text(), "hi");
 * ```
 *
 * @module
 */

import type { SslConfiguration } from "../core/ssl.ts";
import type { ExchangeEvent, ExchangeRequest, Transport } from "../transport/transport.ts";

/**
 * A transport broke the Transport contract.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { TransportContractError } from "@netreply/netreply/testing";
 * const error = new TransportContractError("mine", "data", "data comes only after responseHead");
 * equal(error.message, 'Transport "mine" broke the contract at "data": data comes only after responseHead');
 * ```
 */
export class TransportContractError extends Error {
  /** The transport's name. */
  readonly transport: string;
  /** The event (or call) that broke the rule, e.g. `"data"` or `"next() after done"`. */
  readonly event: string;
  /** The rule, in words. */
  readonly rule: string;

  /** Creates the error. */
  constructor(transport: string, event: string, rule: string) {
    super(`Transport "${transport}" broke the contract at "${event}": ${rule}`);
    this.name = "TransportContractError";
    this.transport = transport;
    this.event = event;
    this.rule = rule;
  }
}

// Where an exchange stands; each event may only move it forward.
const Stage = { Connecting: 0, Encrypted: 1, Uploading: 2, RequestSent: 3, Head: 4, Ended: 5 } as const;
type Stage = typeof Stage[keyof typeof Stage];

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Wraps `transport` so every exchange is checked against the Transport
 * contract. Checked: the event order (`connecting`* `ask`* `encrypted`?
 * `uploadProgress`* `requestSent` `responseHead` `data`* `end`|`error`), no
 * event after `end`/`error`, `next()` after the end settling `done`, a
 * `done` only after `end`/`error` (or abort/`return()`), a `retry` (a
 * policy layer's) only before `responseHead`, a rejected `next()`
 * or a throwing `exchange()`, an `sslErrors` question after `encrypted` or
 * `requestSent`, and events of unknown type.
 *
 * @param transport The transport under test.
 * @returns A transport with the same name that forwards every call.
 * @example A transport that sends data before its response head
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { checkedTransport } from "@netreply/netreply/testing";
 * import type { ExchangeEvent, ExchangeRequest } from "@netreply/netreply/transport";
 * const broken = checkedTransport({
 *   name: "broken",
 *   async *exchange(): AsyncGenerator<ExchangeEvent, undefined> {
 *     yield { type: "data", bytes: new Uint8Array(1), wireBytes: 1 };
 *     return undefined;
 *   },
 *   close: () => Promise.resolve(),
 * });
 * const events = broken.exchange({} as ExchangeRequest, new AbortController().signal);
 * await rejects(events.next(), {
 *   message: 'Transport "broken" broke the contract at "data": data comes only after responseHead',
 * });
 * await broken.close().catch(() => {});
 * ```
 */
export function checkedTransport(transport: Transport): Transport {
  let firstViolation: TransportContractError | undefined;
  const report = (error: TransportContractError): TransportContractError => {
    firstViolation ??= error;
    return error;
  };
  const checked: Transport = {
    name: transport.name,
    exchange(request: ExchangeRequest, signal: AbortSignal): AsyncIterator<ExchangeEvent, undefined> {
      let inner: AsyncIterator<ExchangeEvent, undefined>;
      try {
        inner = transport.exchange(request, signal);
      } catch (error) {
        const violation = report(
          new TransportContractError(
            transport.name,
            "exchange()",
            `exchange() must not throw (it threw ${error})`,
          ),
        );
        return { next: () => Promise.reject(violation) };
      }
      return new CheckedExchange(transport.name, inner, signal, report);
    },
    async close(): Promise<void> {
      await transport.close();
      if (firstViolation !== undefined) throw firstViolation;
    },
  };
  if (transport.clearConnectionCache) checked.clearConnectionCache = () => transport.clearConnectionCache?.();
  if (transport.connectToHost) {
    checked.connectToHost = (url: URL, ssl?: SslConfiguration) => transport.connectToHost?.(url, ssl);
  }
  return checked;
}

class CheckedExchange implements AsyncIterator<ExchangeEvent, undefined> {
  readonly #name: string;
  readonly #inner: AsyncIterator<ExchangeEvent, undefined>;
  readonly #signal: AbortSignal;
  readonly #report: (error: TransportContractError) => TransportContractError;
  #stage: Stage = Stage.Connecting;
  #encrypted = false;
  #finished = false;
  #returned = false;
  #pending = false;

  constructor(
    name: string,
    inner: AsyncIterator<ExchangeEvent, undefined>,
    signal: AbortSignal,
    report: (error: TransportContractError) => TransportContractError,
  ) {
    this.#name = name;
    this.#inner = inner;
    this.#signal = signal;
    this.#report = report;
  }

  async next(): Promise<IteratorResult<ExchangeEvent, undefined>> {
    if (this.#pending) this.#fail("next()", "the consumer called next() before the previous call settled");
    this.#pending = true;
    let result: IteratorResult<ExchangeEvent, undefined>;
    try {
      result = await this.#inner.next();
    } catch (error) {
      this.#fail(
        "next()",
        `next() must not reject; report failures as an error event (it rejected with ${error})`,
      );
    } finally {
      this.#pending = false;
    }
    const ended = this.#stage === Stage.Ended;
    if (result.done) {
      if (!ended && !this.#signal.aborted && !this.#returned) {
        this.#fail("done", "an exchange ends with exactly one end or error event before done");
      }
      this.#finished = true;
      return result;
    }
    const event = result.value;
    if (this.#finished) this.#fail(`next() after done`, "next() after done must settle done again");
    if (ended) {
      // After abort or return() a pending next() may settle with an error event, which the consumer ignores.
      if (event.type === "error" && (this.#signal.aborted || this.#returned)) return result;
      this.#fail(event.type, "no event may follow end or error");
    }
    this.#check(event);
    return result;
  }

  async return(): Promise<IteratorResult<ExchangeEvent, undefined>> {
    this.#returned = true;
    await this.#inner.return?.();
    return DONE;
  }

  #check(event: ExchangeEvent): void {
    const stage = this.#stage;
    switch (event.type) {
      case "connecting":
        if (stage > Stage.Connecting) {
          this.#fail(event.type, "connecting comes before encrypted, uploads and requestSent");
        }
        return;
      case "ask":
        if (stage >= Stage.Head) this.#fail(event.type, "ask comes before responseHead");
        if (event.question.kind === "sslErrors" && (this.#encrypted || stage >= Stage.RequestSent)) {
          this.#fail(event.type, "an sslErrors question comes before encrypted and requestSent");
        }
        return;
      case "encrypted":
        if (this.#encrypted) this.#fail(event.type, "encrypted comes at most once");
        if (stage > Stage.Connecting) {
          this.#fail(event.type, "encrypted comes before uploads and requestSent");
        }
        this.#encrypted = true;
        this.#stage = Stage.Encrypted;
        return;
      case "uploadProgress":
        if (stage > Stage.Uploading) this.#fail(event.type, "uploadProgress comes before requestSent");
        this.#stage = Stage.Uploading;
        return;
      case "requestSent":
        if (stage >= Stage.RequestSent) this.#fail(event.type, "requestSent comes once, before responseHead");
        this.#stage = Stage.RequestSent;
        return;
      case "responseHead":
        if (stage === Stage.Head) this.#fail(event.type, "responseHead comes once");
        if (stage < Stage.RequestSent) this.#fail(event.type, "responseHead comes after requestSent");
        this.#stage = Stage.Head;
        return;
      case "retry":
        if (stage >= Stage.Head) this.#fail(event.type, "retry comes before responseHead");
        return;
      case "data":
        if (stage !== Stage.Head) this.#fail(event.type, "data comes only after responseHead");
        if (!(event.bytes instanceof Uint8Array)) this.#fail(event.type, "data.bytes is a Uint8Array");
        return;
      case "end":
        if (stage !== Stage.Head) this.#fail(event.type, "end comes only after responseHead");
        this.#stage = Stage.Ended;
        return;
      case "error":
        this.#stage = Stage.Ended;
        return;
      default:
        this.#fail(String((event as { type?: unknown }).type), "unknown event type");
    }
  }

  #fail(event: string, rule: string): never {
    throw this.#report(new TransportContractError(this.#name, event, rule));
  }
}
