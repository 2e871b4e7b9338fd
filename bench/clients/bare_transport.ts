/**
 * A transport with no I/O: every exchange is the same four events
 * (`requestSent`, a 200 head with a Content-Length, one data chunk, `end`),
 * one per `next()`, and it keeps nothing. Driven through a manager, it
 * measures what netreply's manager, policy layers and reply cost on their
 * own; `bench:survivors` and tests/reliability/minor_gc_survivors_test.ts
 * use it.
 *
 * @module
 */

import { HttpHeaders } from "../../src/core/http_headers.ts";
import type { ExchangeEvent, Transport } from "../../src/transport/transport.ts";

type Step = IteratorResult<ExchangeEvent, undefined>;

/** One exchange of {@linkcode bareTransport}. */
class BareExchange implements AsyncIterator<ExchangeEvent, undefined> {
  readonly #bodyBytes: number;
  #step = 0;

  constructor(bodyBytes: number) {
    this.#bodyBytes = bodyBytes;
  }

  next(): Promise<Step> {
    switch (this.#step++) {
      case 0:
        return Promise.resolve({ done: false, value: { type: "requestSent" } });
      case 1: {
        const headers = new HttpHeaders([["content-length", String(this.#bodyBytes)]]);
        return Promise.resolve({
          done: false,
          value: { type: "responseHead", head: { status: 200, reasonPhrase: "OK", headers } },
        });
      }
      case 2: {
        const bytes = new Uint8Array(this.#bodyBytes);
        return Promise.resolve({ done: false, value: { type: "data", bytes, wireBytes: bytes.byteLength } });
      }
      case 3:
        return Promise.resolve({ done: false, value: { type: "end" } });
      default:
        return Promise.resolve({ done: true, value: undefined });
    }
  }

  return(): Promise<Step> {
    this.#step = 4;
    return Promise.resolve({ done: true, value: undefined });
  }
}

/**
 * A transport whose every exchange answers 200 with `bodyBytes` zero bytes, without I/O.
 *
 * @param bodyBytes The body's length (at least 1).
 * @returns The transport, named `"bare"`.
 */
export function bareTransport(bodyBytes = 32): Transport {
  return {
    name: "bare",
    exchange: () => new BareExchange(bodyBytes),
    close: () => Promise.resolve(),
  };
}
