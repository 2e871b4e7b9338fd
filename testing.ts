/**
 * Test helpers for code that uses netreply: {@linkcode MockTransport}
 * answers a {@linkcode NetworkAccessManager}'s requests from registered
 * interceptors, in the style of undici's `MockAgent`, and records every
 * request it sees.
 *
 * @example A test with a mocked API
 * ```ts
 * import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 *
 * const mock = new MockTransport();
 * mock.intercept({ method: "GET", url: "https://api.test/users" })
 *   .reply(200, '[{"id":1}]', { headers: { "content-type": "application/json" } });
 * mock.intercept({ url: "https://api.test/users/2" }).reply(404, "no such user");
 * mock.intercept({ url: (u) => u.pathname === "/down" }).replyWithError(NetworkError.ConnectionRefusedError);
 *
 * await using nam = new NetworkAccessManager({ transport: mock });
 * deepEqual(await nam.get("https://api.test/users").json(), [{ id: 1 }]);
 * const missing = nam.get("https://api.test/users/2");
 * await missing.done;
 * equal(missing.error(), NetworkError.ContentNotFoundError);
 * const down = nam.get("https://api.test/down");
 * await down.done;
 * equal(down.errorString(), "Connection refused");
 *
 * equal(mock.calls.length, 3);
 * mock.assertNoPendingInterceptors();
 * ```
 *
 * @module
 */

export { checkedTransport, TransportContractError } from "./src/testing/checked_transport.ts";
export { MockTransport } from "./src/testing/mock_transport.ts";
export type {
  MockCall,
  MockHeadersMatcher,
  MockInterceptOptions,
  MockUrlMatcher,
  MockValueMatcher,
} from "./src/testing/mock_matchers.ts";
export type { MockInterceptor, MockInterceptorInfo, MockScope } from "./src/testing/mock_interceptor.ts";
export type {
  MockBody,
  MockChunk,
  MockConnectionOptions,
  MockErrorOptions,
  MockProxyAuthentication,
  MockReplyCallback,
  MockReplyOptions,
  MockReplyResult,
} from "./src/testing/mock_reply.ts";
