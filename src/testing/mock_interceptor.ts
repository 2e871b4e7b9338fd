/**
 * The interceptor builder of {@linkcode MockTransport}:
 * `intercept(options)` gives a {@linkcode MockInterceptor}; its `reply()` or
 * `replyWithError()` registers it and gives a {@linkcode MockScope} that sets
 * how often (`times`, `persist`) and how late (`delay`) it answers. Named
 * after undici's `MockAgent` API.
 *
 * @example
 * ```ts
 * import { NetworkError } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "http://api.test/flaky" }).replyWithError(NetworkError.RemoteHostClosedError).times(2);
 * mock.intercept({ url: "http://api.test/flaky" }).reply(200, "ok").delay(5);
 * mock.intercept({ method: "GET" }).reply(404).persist();
 * ```
 *
 * @module
 */

import type { NetworkError } from "../core/network_error.ts";
import type { MockCall, RequestMatcher } from "./mock_matchers.ts";
import {
  checkDelay,
  type MockBody,
  type MockErrorOptions,
  type MockReplyCallback,
  type MockReplyOptions,
  type MockReplyResult,
  planConnection,
  type PlannedChunk,
  type PlannedConnection,
  plannedError,
  type PlannedResponse,
  planResponse,
} from "./mock_reply.ts";

/**
 * How often and how late a registered interceptor answers. Every method
 * returns the scope, so calls chain.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/twice" }).reply(200, "again").times(2);
 * mock.intercept({ url: "https://api.test/always" }).reply(200, "yes").persist().delay(1);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * equal(await nam.get("https://api.test/twice").text(), "again");
 * equal(await nam.get("https://api.test/twice").text(), "again");
 * equal(await nam.get("https://api.test/always").text(), "yes");
 * equal(mock.pendingInterceptors().length, 0); // both used: none pending
 * ```
 */
export interface MockScope {
  /**
   * Waits `ms` milliseconds (with `setTimeout`, so fake timers drive it)
   * after the request was sent, before the response head (or the error).
   *
   * @throws {RangeError} If `ms` is not a finite number >= 0.
   */
  delay(ms: number): MockScope;
  /** Answers any number of matching requests (it is never used up). */
  persist(): MockScope;
  /**
   * Answers `n` matching requests (default 1), then stops matching.
   *
   * @throws {RangeError} If `n` is not a positive integer.
   */
  times(n: number): MockScope;
}

/**
 * An interceptor that has its criteria but no answer yet: call one of its methods to register it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { NetworkAccessManager, NetworkError } from "@netreply/netreply";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ url: "https://api.test/fixed" }).reply(200, "fixed");
 * mock.intercept({ url: "https://api.test/computed" }).reply((call) => ({ status: 200, body: call.url.pathname }));
 * mock.intercept({ url: "https://api.test/down" }).replyWithError(NetworkError.RemoteHostClosedError);
 * await using nam = new NetworkAccessManager({ transport: mock });
 * equal(await nam.get("https://api.test/fixed").text(), "fixed");
 * equal(await nam.get("https://api.test/computed").text(), "/computed");
 * const down = nam.get("https://api.test/down");
 * await down.done;
 * equal(down.errorString(), "Connection closed");
 * ```
 */
export interface MockInterceptor {
  /**
   * Registers a fixed response.
   *
   * @param status The final status, 200 to 999.
   * @param body The body; absent or `null` for an empty one.
   * @throws {RangeError} If the status or a delay is out of range.
   * @throws {TypeError} If the body, a header or another option is invalid, or this interceptor already has a reply.
   */
  reply(status: number, body?: MockBody | null, options?: MockReplyOptions): MockScope;
  /**
   * Registers a response computed per request. The callback's result
   * overrides `options.headers`, `reasonPhrase` and `http2`.
   *
   * @throws {TypeError} If an option is invalid or this interceptor already has a reply.
   */
  reply(callback: MockReplyCallback, options?: MockReplyOptions): MockScope;
  /**
   * Registers a failure: the exchange ends with an `error` event of `code`.
   *
   * @param code The {@linkcode NetworkError}, not `NoError`.
   * @param message Default: Qt's text for the code (`defaultErrorString`), e.g. `"Connection refused"`.
   * @throws {TypeError} If the code or message is invalid, or this interceptor already has a reply.
   */
  replyWithError(code: NetworkError, message?: string, options?: MockErrorOptions): MockScope;
}

/**
 * A registered interceptor as {@linkcode MockTransport.pendingInterceptors} reports it.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { MockTransport } from "@netreply/netreply/testing";
 * const mock = new MockTransport();
 * mock.intercept({ method: "GET", url: "https://api.test/users" }).reply(200).times(3);
 * const [info] = mock.pendingInterceptors();
 * equal(info.description, "#1 GET https://api.test/users");
 * equal(info.timesInvoked, 0);
 * equal(info.times, 3);
 * ```
 */
export interface MockInterceptorInfo {
  /** `#<registration number> <method> <url> [criteria]`, e.g. `#1 GET https://api.test/users` (`*`: any). */
  readonly description: string;
  /** How many requests it has answered. */
  readonly timesInvoked: number;
  /** How many requests it answers (meaningless when `persist`). */
  readonly times: number;
  /** Whether it answers any number of requests. */
  readonly persist: boolean;
}

/** How a registered interceptor answers. */
export type DispatchAnswer =
  | {
    readonly kind: "reply";
    readonly connection: PlannedConnection;
    /** The planned response; may throw or reject for a callback reply. */
    readonly respond: (call: MockCall) => PlannedResponse | Promise<PlannedResponse>;
  }
  | {
    readonly kind: "error";
    readonly connection: PlannedConnection;
    readonly error: Extract<PlannedChunk, { kind: "error" }>;
    readonly afterRequestSent: boolean;
  };

/** A registered interceptor: its criteria, its answer and its use count. */
export class MockDispatch {
  /** 1-based registration number. */
  readonly number: number;
  readonly matcher: RequestMatcher;
  readonly answer: DispatchAnswer;
  times = 1;
  persist = false;
  delay = 0;
  timesInvoked = 0;

  constructor(number: number, matcher: RequestMatcher, answer: DispatchAnswer) {
    this.number = number;
    this.matcher = matcher;
    this.answer = answer;
  }

  /** `#n <criteria>`. */
  get description(): string {
    return `#${this.number} ${this.matcher.description}`;
  }

  /** Whether it can answer another request. */
  get usable(): boolean {
    return this.persist || this.timesInvoked < this.times;
  }

  /** Whether it still expects a request (a persistent one: until it has answered one). */
  get pending(): boolean {
    return this.persist ? this.timesInvoked === 0 : this.timesInvoked < this.times;
  }

  /** How much of it has been used, for messages. */
  get usage(): string {
    return this.persist
      ? `persistent, used ${this.timesInvoked} times`
      : `used ${this.timesInvoked} of ${this.times} times`;
  }

  info(): MockInterceptorInfo {
    return {
      description: this.description,
      timesInvoked: this.timesInvoked,
      times: this.times,
      persist: this.persist,
    };
  }
}

class Scope implements MockScope {
  readonly #dispatch: MockDispatch;

  constructor(dispatch: MockDispatch) {
    this.#dispatch = dispatch;
  }

  delay(ms: number): MockScope {
    this.#dispatch.delay = checkDelay(ms);
    return this;
  }

  persist(): MockScope {
    this.#dispatch.persist = true;
    return this;
  }

  times(n: number): MockScope {
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
      throw new RangeError(`Cannot set times to ${String(n)}: expected a positive integer`);
    }
    this.#dispatch.times = n;
    return this;
  }
}

/** Creates a {@linkcode MockInterceptor} that hands its dispatch to `register` once it has an answer. */
export function createInterceptor(
  matcher: RequestMatcher,
  register: (make: (number: number) => MockDispatch) => MockDispatch,
): MockInterceptor {
  let registered = false;
  const add = (answer: DispatchAnswer): MockScope => {
    if (registered) {
      throw new TypeError(`Cannot reply twice: interceptor ${matcher.description} already has a reply`);
    }
    registered = true;
    return new Scope(register((number) => new MockDispatch(number, matcher, answer)));
  };
  return {
    reply(
      statusOrCallback: number | MockReplyCallback,
      bodyOrOptions?: MockBody | MockReplyOptions | null,
      maybeOptions?: MockReplyOptions,
    ): MockScope {
      if (typeof statusOrCallback === "function") {
        const callback = statusOrCallback;
        const options = (bodyOrOptions ?? {}) as MockReplyOptions;
        const connection = planConnection(options);
        // Validate the defaults now, so a bad header fails at registration.
        planResponse(200, null, options);
        return add({
          kind: "reply",
          connection,
          respond: async (call) => {
            const result: MockReplyResult = await callback(call);
            if (typeof result !== "object" || result === null) {
              throw new TypeError(
                `The reply callback returned ${String(result)}, expected { status, body? }`,
              );
            }
            return planResponse(result.status, result.body, {
              headers: result.headers ?? options.headers,
              reasonPhrase: result.reasonPhrase ?? options.reasonPhrase,
              http2: result.http2 ?? options.http2,
              trailers: result.trailers ?? options.trailers,
            });
          },
        });
      }
      const options = maybeOptions ?? {};
      const connection = planConnection(options);
      const planned = planResponse(statusOrCallback, bodyOrOptions, options);
      return add({ kind: "reply", connection, respond: () => planned });
    },
    replyWithError(code: NetworkError, message?: string, options: MockErrorOptions = {}): MockScope {
      const error = plannedError(code, message, 0) as Extract<PlannedChunk, { kind: "error" }>;
      return add({
        kind: "error",
        connection: planConnection(options),
        error,
        afterRequestSent: options.afterRequestSent === true,
      });
    },
  } as MockInterceptor;
}
