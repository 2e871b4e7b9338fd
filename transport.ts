/**
 * For people who write their own {@linkcode Transport}: the exchange contract
 * (an {@linkcode ExchangeRequest} in, an ordered stream of
 * {@linkcode ExchangeEvent}s out), the helpers the built-in transports use to
 * keep it ({@linkcode exchangeError}, {@linkcode bodyToResend},
 * {@linkcode fixedBodySize}, {@linkcode AttemptEvents}) and
 * {@linkcode LazyTransport}, which loads an implementation on first use.
 *
 * Code that only sends requests needs none of this: the root entry point has
 * the manager, the built-in `FetchTransport` and `SocketTransport`, and the
 * `Transport` type for the `transport` option. `checkedTransport()` in
 * `@netreply/netreply/testing` checks a transport against the contract.
 *
 * @example A transport that answers every request with "hi"
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { HttpHeaders, NetworkAccessManager } from "@netreply/netreply";
 * import { type ExchangeEvent, type Transport } from "@netreply/netreply/transport";
 *
 * const hello: Transport = {
 *   name: "hello",
 *   async *exchange(): AsyncGenerator<ExchangeEvent, undefined> {
 *     yield { type: "requestSent" };
 *     yield {
 *       type: "responseHead",
 *       head: { status: 200, reasonPhrase: "OK", headers: new HttpHeaders([["content-length", "2"]]) },
 *     };
 *     const bytes = new TextEncoder().encode("hi");
 *     yield { type: "data", bytes, wireBytes: bytes.length };
 *     yield { type: "end" };
 *     return undefined;
 *   },
 *   close: () => Promise.resolve(),
 * };
 * await using nam = new NetworkAccessManager({ transport: hello });
 * equal(await nam.get("http://example.test/").text(), "hi");
 * ```
 *
 * @module
 */

export { AttemptEvents } from "./src/transport/attempt_events.ts";
export { LazyTransport } from "./src/transport/lazy_transport.ts";
export {
  bodyToResend,
  type ExchangeBody,
  exchangeError,
  type ExchangeErrorEvent,
  type ExchangeEvent,
  type ExchangeOptions,
  type ExchangeRequest,
  fixedBodySize,
  type ResponseHead,
  type Transport,
  type UserQuestion,
} from "./src/transport/transport.ts";
