/**
 * Opt-in retries in the manager (the `retry` option, src/policy/retry_layer.ts)
 * on MockTransport and on the fetch and socket transports against a raw
 * loopback server that answers each request from a script (a status with
 * its body, or a close before any answer). Every transport is wrapped in
 * checkedTransport; waits run on a fake clock.
 */

import assert from "node:assert/strict";
import {
  NetworkAccessManager,
  type NetworkAccessManagerOptions,
  NetworkError,
  type NetworkReply,
  type RequestBody,
  type RetryEvent,
} from "../../mod.ts";
import { checkedTransport, MockTransport } from "../../testing.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import { describe, matchesSequence, recordTrace } from "../conformance/trace.ts";
import { type FakeClock, withFakeClock } from "../support/fake_clock.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";
import { patternStream } from "../support/test_bytes.ts";

const KINDS = ["mock", "fetch", "socket"] as const;
type Kind = typeof KINDS[number];

const REASONS: Record<number, string> = {
  200: "OK",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** One scripted answer: a response, or closing the connection before any answer. */
type Answer = { readonly status: number; readonly body: string; readonly retryAfter?: string } | "close";

const busy = (body = "busy", retryAfter = "0"): Answer => ({ status: 503, body, retryAfter });
const ok: Answer = { status: 200, body: "ok" };

/** A manager on `kind` whose requests get `answers` in turn (the last one repeats). */
interface Setup extends AsyncDisposable {
  readonly nam: NetworkAccessManager;
  readonly url: URL;
  /** The requests the server received, as `METHOD body-length`. */
  requests(): string[];
}

function setUp(kind: Kind, answers: readonly Answer[], options: NetworkAccessManagerOptions = {}): Setup {
  let served = 0;
  const next = (): Answer => answers[Math.min(served++, answers.length - 1)];
  if (kind === "mock") {
    const mock = new MockTransport();
    for (const answer of answers) {
      const scope = answer === "close"
        ? mock.intercept().replyWithError(NetworkError.RemoteHostClosedError, undefined, {
          afterRequestSent: true,
        })
        : mock.intercept().reply(answer.status, answer.body, {
          headers: answer.retryAfter === undefined ? {} : { "retry-after": answer.retryAfter },
        });
      if (answer === answers.at(-1)) scope.persist();
    }
    const nam = new NetworkAccessManager({ ...options, transport: checkedTransport(mock) });
    return {
      nam,
      url: new URL("http://retry.test/resource"),
      requests: () => mock.calls.map((call) => `${call.method} ${call.body?.length ?? 0}`),
      [Symbol.asyncDispose]: () => nam.close(),
    };
  }
  const server = startRawHttpServer(async (exchange) => {
    const answer = next();
    if (answer === "close") return exchange.close();
    const retryAfter = answer.retryAfter === undefined ? "" : `Retry-After: ${answer.retryAfter}\r\n`;
    await exchange.write(
      `HTTP/1.1 ${answer.status} ${REASONS[answer.status]}\r\nContent-Length: ${answer.body.length}\r\n` +
        `${retryAfter}Connection: close\r\n\r\n${answer.body}`,
    );
  });
  const transport = kind === "fetch" ? new FetchTransport() : new SocketTransport();
  const nam = new NetworkAccessManager({ ...options, transport: checkedTransport(transport), proxy: null });
  return {
    nam,
    url: new URL("/resource", server.url),
    requests: () => server.requests.map((request) => `${request.method} ${request.body.length}`),
    async [Symbol.asyncDispose]() {
      await nam.close();
      await server.close();
    },
  };
}

function test(name: string, fn: (kind: Kind) => Promise<void>): void {
  for (const kind of KINDS) Deno.test(`[${kind}] retries: ${name}`, () => fn(kind));
}

/** The retry events of `reply`, as `attempt delay status code`. */
function retries(reply: NetworkReply): string[] {
  const seen: string[] = [];
  reply.addEventListener("retry", (event: RetryEvent) => {
    seen.push(`${event.attempt} ${event.delay} ${event.status} ${event.code}`);
  });
  return seen;
}

function failedWith(reply: NetworkReply, code: NetworkError, message: string, body: string): void {
  assert.equal(reply.error(), code, reply.errorString());
  assert.equal(reply.errorString(), message);
  assert.equal(new TextDecoder().decode(reply.readAll()), body);
}

const serverReplied = (reply: NetworkReply, status: number): string =>
  `Error transferring ${reply.url().href} - server replied: ${REASONS[status]}`;

/** Resolves on the reply's next `retry` event. */
function nextRetry(reply: NetworkReply): Promise<RetryEvent> {
  return new Promise((resolve) => reply.addEventListener("retry", resolve, { once: true }));
}

/**
 * Lets the retry wait of `ms` pass on the fake clock, then waits for `reply`
 * without moving the clock again: the next attempt runs on real I/O, which
 * must not see fake time pass.
 */
async function afterWait(clock: FakeClock, reply: NetworkReply, ms: number): Promise<void> {
  await clock.tickAsync(ms);
  await reply.done;
}

// ---- success after retries -----------------------------------------------------------------------

test("503 then 200: one retry event, the 503 never shown, the events of one exchange", async (kind) => {
  await using setup = setUp(kind, [busy(), ok], { retry: 2 });
  const reply = setup.nam.get(setup.url);
  const trace = recordTrace(reply, setup.nam);
  const seen = retries(reply);
  assert.equal(await reply.text(), "ok");
  assert.deepEqual(seen, [`2 0 503 ${NetworkError.ServiceUnavailableError}`]);
  assert.ok(
    matchesSequence(
      trace,
      "socketStartedConnecting? requestSent retry metaDataChanged DATA downloadProgress readChannelFinished nam:finished finished",
    ),
    describe(trace),
  );
  assert.deepEqual(setup.requests(), ["GET 0", "GET 0"]);
});

test("a network error before any response (the server closes) is retried", async (kind) => {
  await using setup = setUp(kind, ["close", ok], { retry: { limit: 1, backoff: { baseDelay: 0 } } });
  const reply = setup.nam.get(setup.url);
  const seen = retries(reply);
  assert.equal(await reply.text(), "ok");
  assert.deepEqual(seen, [`2 0 0 ${NetworkError.RemoteHostClosedError}`]);
  assert.equal(setup.requests().length, 2);
});

test("uploads: a POST allowed by methods is sent again with its body; progress never goes back", async (kind) => {
  await using setup = setUp(kind, [busy(), ok], { retry: { methods: ["POST"] } });
  const reply = setup.nam.post(setup.url, "hello");
  const trace = recordTrace(reply, setup.nam);
  assert.equal(await reply.text(), "ok");
  assert.ok(
    matchesSequence(
      trace,
      "socketStartedConnecting? uploadProgress* requestSent retry metaDataChanged DATA downloadProgress readChannelFinished nam:finished finished",
    ),
    describe(trace),
  );
  assert.deepEqual(setup.requests(), ["POST 5", "POST 5"]);
});

test("a small stream body is kept and sent again", async (kind) => {
  await using setup = setUp(kind, [busy(), ok], { retry: { methods: ["PUT"] } });
  const reply = setup.nam.put(setup.url, patternStream(1000, 100));
  assert.equal(await reply.text(), "ok");
  assert.deepEqual(setup.requests(), ["PUT 1000", "PUT 1000"]);
});

// ---- not retried ---------------------------------------------------------------------------------

test("off by default: a 503 is the reply's", async (kind) => {
  await using setup = setUp(kind, [busy(), ok]);
  const reply = setup.nam.get(setup.url);
  const seen = retries(reply);
  await reply.done;
  failedWith(reply, NetworkError.ServiceUnavailableError, serverReplied(reply, 503), "busy");
  assert.deepEqual(seen, []);
  assert.equal(setup.requests().length, 1);
});

test("POST is not retried by default (not idempotent)", async (kind) => {
  await using setup = setUp(kind, [busy(), ok], { retry: 2 });
  const reply = setup.nam.post(setup.url, "data");
  const seen = retries(reply);
  await reply.done;
  failedWith(reply, NetworkError.ServiceUnavailableError, serverReplied(reply, 503), "busy");
  assert.deepEqual(seen, []);
  assert.deepEqual(setup.requests(), ["POST 4"]);
});

test("a stream body beyond the re-send buffer is not retried: the 503 stands", async (kind) => {
  await using setup = setUp(kind, [busy(), ok], { retry: { methods: ["PUT"] } });
  const reply = setup.nam.put(setup.url, patternStream(2 * 1024 * 1024, 64 * 1024));
  const seen = retries(reply);
  await reply.done;
  failedWith(reply, NetworkError.ServiceUnavailableError, serverReplied(reply, 503), "busy");
  assert.deepEqual(seen, []);
  assert.equal(setup.requests().length, 1);
});

test("a stream body beyond the re-send buffer: a network error says why it was not retried", async (kind) => {
  const body = (): RequestBody => patternStream(2 * 1024 * 1024, 64 * 1024);
  let plain: string;
  {
    await using setup = setUp(kind, ["close"]);
    const reply = setup.nam.put(setup.url, body());
    await reply.done;
    assert.equal(reply.error(), NetworkError.RemoteHostClosedError, reply.errorString());
    plain = reply.errorString();
  }
  await using setup = setUp(kind, ["close", ok], { retry: { methods: ["PUT"] } });
  const reply = setup.nam.put(setup.url, body());
  await reply.done;
  assert.equal(reply.error(), NetworkError.RemoteHostClosedError);
  assert.equal(
    reply.errorString(),
    `${plain} (not retried: a ReadableStream body longer than the re-send buffer (1 MiB) is not kept)`,
  );
  assert.equal(setup.requests().length, 1);
});

test("limit reached: the last attempt's error with its body", async (kind) => {
  await using setup = setUp(kind, [busy("busy 1"), busy("busy 2"), busy("busy 3")], { retry: 2 });
  const reply = setup.nam.get(setup.url);
  const trace = recordTrace(reply, setup.nam);
  const seen = retries(reply);
  await reply.done;
  failedWith(reply, NetworkError.ServiceUnavailableError, serverReplied(reply, 503), "busy 3");
  const code = NetworkError.ServiceUnavailableError;
  assert.deepEqual(seen, [`2 0 503 ${code}`, `3 0 503 ${code}`]);
  assert.ok(
    matchesSequence(
      trace,
      "socketStartedConnecting? requestSent retry retry metaDataChanged DATA errorOccurred downloadProgress readChannelFinished nam:finished finished",
    ),
    describe(trace),
  );
  assert.equal(setup.requests().length, 3);
});

test("a request's retry option: over the manager's field by field; 0 turns retries off", async (kind) => {
  await using setup = setUp(kind, [{ status: 500, body: "oops", retryAfter: "0" }, ok], {
    retry: { limit: 0, statusCodes: [500] },
  });
  const off = setup.nam.get(setup.url);
  await off.done;
  failedWith(off, NetworkError.InternalServerError, serverReplied(off, 500), "oops");
  const on = setup.nam.get(setup.url, { retry: { limit: 1 } });
  assert.equal(await on.text(), "ok");
  const none = setup.nam.get(setup.url, { retry: 0 });
  assert.equal(await none.text(), "ok");
  assert.equal(setup.requests().length, 3);
});

// ---- waiting -------------------------------------------------------------------------------------

test("429 with Retry-After in seconds: the request goes again only when the wait is over", (kind) =>
  withFakeClock(async (clock) => {
    const tooMany: Answer = { status: 429, body: "slow down", retryAfter: "2" };
    await using setup = setUp(kind, [tooMany, ok], { retry: 1 });
    const reply = setup.nam.get(setup.url);
    const retry = await nextRetry(reply);
    assert.deepEqual([retry.attempt, retry.delay, retry.status], [2, 2_000, 429]);
    await clock.tickAsync(1_999);
    assert.equal(setup.requests().length, 1);
    await afterWait(clock, reply, 1);
    assert.equal(new TextDecoder().decode(reply.readAll()), "ok");
    assert.equal(setup.requests().length, 2);
  }));

test("Retry-After as an HTTP-date counts from now; beyond maxRetryAfter it is not retried", (kind) =>
  withFakeClock(async (clock) => {
    clock.setSystemTime(Date.UTC(2026, 0, 1, 12, 0, 0));
    const at = (seconds: number): Answer => ({
      status: 503,
      body: "later",
      retryAfter: new Date(Date.now() + seconds * 1000).toUTCString(),
    });
    await using setup = setUp(kind, [at(3), ok, at(3_600)], { retry: { limit: 1, maxRetryAfter: 60_000 } });
    const reply = setup.nam.get(setup.url);
    const retry = await nextRetry(reply);
    assert.equal(retry.delay, 3_000);
    await afterWait(clock, reply, 3_000);
    assert.equal(new TextDecoder().decode(reply.readAll()), "ok");
    const refused = setup.nam.get(setup.url);
    const seen = retries(refused);
    await refused.done;
    failedWith(refused, NetworkError.ServiceUnavailableError, serverReplied(refused, 503), "later");
    assert.deepEqual(seen, []);
    assert.equal(setup.requests().length, 3);
  }));

test("abort during the wait: OperationCanceledError at once, nothing sent again", (kind) =>
  withFakeClock(async (clock) => {
    await using setup = setUp(kind, [busy("busy", "30"), ok], { retry: 1 });
    const reply = setup.nam.get(setup.url);
    const trace = recordTrace(reply, setup.nam);
    await nextRetry(reply);
    await clock.tickAsync(1_000);
    reply.abort();
    assert.ok(reply.isFinished());
    failedWith(reply, NetworkError.OperationCanceledError, "Operation canceled", "");
    await clock.tickAsync(60_000);
    assert.equal(setup.requests().length, 1);
    assert.ok(
      matchesSequence(
        trace,
        "socketStartedConnecting? requestSent retry errorOccurred downloadProgress readChannelFinished nam:finished finished",
      ),
      describe(trace),
    );
  }));

test("the transfer timeout counts from the retry: a shorter wait passes, a longer one is a TimeoutError", (kind) =>
  withFakeClock(async (clock) => {
    await using setup = setUp(kind, [busy("busy", "2"), ok, busy("busy", "2")], {
      retry: 1,
      transferTimeout: 5_000,
    });
    const reply = setup.nam.get(setup.url);
    await nextRetry(reply);
    await afterWait(clock, reply, 2_000);
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.equal(new TextDecoder().decode(reply.readAll()), "ok");

    setup.nam.setTransferTimeout(1_000);
    const late = setup.nam.get(setup.url);
    await nextRetry(late);
    await clock.tickAsync(999);
    assert.ok(!late.isFinished());
    await clock.tickAsync(1);
    failedWith(late, NetworkError.TimeoutError, "Operation timed out", "");
    assert.equal(setup.requests().length, 3);
  }));

// ---- options -------------------------------------------------------------------------------------

Deno.test("retries: invalid options throw errors naming the option", () => {
  const cases: [unknown, ErrorConstructor, string][] = [
    [-1, RangeError, "Invalid retry option limit: -1 (expected an integer >= 0)"],
    ["3", TypeError, 'Invalid retry options: "3" (expected a number or a RetryOptions object)'],
    [{ limt: 1 }, TypeError, 'Unknown retry option "limt"'],
    [
      { statusCodes: [700] },
      RangeError,
      "Invalid retry option statusCodes[0]: 700 (expected an integer status from 100 to 599)",
    ],
    [
      { backoff: { baseDelay: -5 } },
      RangeError,
      "Invalid retry option backoff.baseDelay: -5 (expected a finite number >= 0)",
    ],
  ];
  for (const [retry, type, message] of cases) {
    assert.throws(
      () => new NetworkAccessManager({ transport: new MockTransport(), retry: retry as number }),
      (error: Error) => error instanceof type && error.message === message,
      message,
    );
  }
});

Deno.test("retries: an invalid per-request option throws from the call, naming the option", async () => {
  await using nam = new NetworkAccessManager({ transport: new MockTransport(), retry: 2 });
  assert.throws(
    () => nam.get("http://retry.test/", { retry: { methods: ["GET", 1] } as never }),
    (error: Error) =>
      error instanceof TypeError &&
      error.message === "Invalid retry option methods[1]: 1 (expected a method name)",
  );
  assert.throws(
    () => nam.get("http://retry.test/", { retry: { backoff: 3 } as never }),
    (error: Error) =>
      error instanceof TypeError && error.message === "Invalid retry option backoff: 3 (expected an object)",
  );
});
