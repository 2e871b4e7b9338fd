// options.signal (docs/edge-cases.md): already aborted → the reply fails after
// the call returns; aborted while running → exactly reply.abort(), inside
// controller.abort(); TimeoutError when the reason is a TimeoutError
// DOMException. The listener is removed once the reply is done.

import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError, type NetworkReply, type Transport } from "../../mod.ts";
import type { ExchangeEvent, ExchangeRequest } from "../../transport.ts";
import { MockTransport } from "../../testing.ts";

const URL_ = "http://signal.test/";
const FOREVER_MS = 3_600_000;

function record(reply: NetworkReply, nam: NetworkAccessManager): string[] {
  const out: string[] = [];
  for (
    const type of ["requestSent", "metaDataChanged", "readyRead", "readChannelFinished", "finished"] as const
  ) {
    reply.addEventListener(type, () => out.push(type));
  }
  reply.addEventListener("errorOccurred", (e) => out.push(`errorOccurred(${e.code})`));
  reply.addEventListener(
    "downloadProgress",
    (e) => out.push(`downloadProgress(${e.bytesReceived},${e.bytesTotal})`),
  );
  nam.addEventListener("finished", (e) => {
    if (e.reply === reply) out.push("nam:finished");
  });
  return out;
}

/** Wraps a MockTransport and keeps the signal of each exchange. */
class SignalSpy implements Transport {
  readonly name = "spy";
  readonly inner = new MockTransport();
  readonly signals: AbortSignal[] = [];
  exchange(request: ExchangeRequest, signal: AbortSignal): AsyncIterator<ExchangeEvent, undefined> {
    this.signals.push(signal);
    return this.inner.exchange(request, signal);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Counts the listeners added to and removed from a signal. */
function countListeners(signal: AbortSignal): { added: number; removed: number } {
  const counts = { added: 0, removed: 0 };
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...args: Parameters<typeof add>) => {
    counts.added++;
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<typeof remove>) => {
    counts.removed++;
    remove(...args);
  };
  return counts;
}

const REASONS: readonly {
  readonly name: string;
  readonly reason: () => unknown;
  readonly code: NetworkError;
  readonly message: string;
}[] = [
  {
    name: "no reason (AbortError)",
    reason: () => undefined,
    code: NetworkError.OperationCanceledError,
    message: "Operation canceled",
  },
  {
    name: "a TimeoutError DOMException",
    reason: () => new DOMException("The operation timed out.", "TimeoutError"),
    code: NetworkError.TimeoutError,
    message: "Operation timed out",
  },
  {
    name: "an Error named TimeoutError (not a DOMException)",
    reason: () => Object.assign(new Error("slow"), { name: "TimeoutError" }),
    code: NetworkError.OperationCanceledError,
    message: "Operation canceled",
  },
  {
    name: "a string",
    reason: () => "user left",
    code: NetworkError.OperationCanceledError,
    message: "Operation canceled",
  },
];

for (const row of REASONS) {
  Deno.test(`an already aborted signal (${row.name}) fails the reply after the call returns`, async () => {
    const mock = new MockTransport();
    mock.intercept({ url: URL_ }).reply(200, "never sent");
    await using nam = new NetworkAccessManager({ transport: mock });
    const controller = new AbortController();
    controller.abort(row.reason());
    const reply = nam.get(URL_, { signal: controller.signal });
    const events = record(reply, nam);
    assert.ok(reply.isRunning(), "nothing happens inside get()");
    assert.equal(reply.error(), NetworkError.NoError);
    await reply.done;
    assert.equal(reply.error(), row.code);
    assert.equal(reply.errorString(), row.message);
    assert.deepEqual(events, [
      `errorOccurred(${row.code})`,
      "downloadProgress(0,0)",
      "readChannelFinished",
      "nam:finished",
      "finished",
    ]);
    assert.equal(mock.calls.length, 0, "no request went out");
  });

  Deno.test(`a signal aborted while the reply runs (${row.name}) is exactly reply.abort()`, async () => {
    const spy = new SignalSpy();
    spy.inner.intercept({ url: URL_ }).reply(200, { chunks: ["some", { data: "never", delay: FOREVER_MS }] });
    await using nam = new NetworkAccessManager({ transport: spy });
    const controller = new AbortController();
    const reply = nam.get(URL_, { signal: controller.signal });
    const events = record(reply, nam);
    await new Promise<void>((resolve) =>
      reply.addEventListener("readyRead", () => resolve(), { once: true })
    );
    assert.equal(reply.bytesAvailable(), 4);
    events.length = 0;

    controller.abort(row.reason());
    // Synchronously inside controller.abort():
    assert.ok(reply.isFinished());
    assert.deepEqual(events, [
      `errorOccurred(${row.code})`,
      "downloadProgress(4,4)",
      "readChannelFinished",
      "nam:finished",
      "finished",
    ]);
    assert.equal(reply.error(), row.code);
    assert.equal(reply.errorString(), row.message);
    assert.equal(reply.bytesAvailable(), 0, "unread data is dropped, as by abort()");
    assert.equal(spy.signals.length, 1);
    assert.ok(spy.signals[0].aborted, "the transport is told to stop, as by abort()");
  });
}

Deno.test("aborting the signal before the request starts (right after get()) cancels it", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, "never sent");
  await using nam = new NetworkAccessManager({ transport: mock });
  const controller = new AbortController();
  const reply = nam.get(URL_, { signal: controller.signal });
  const events = record(reply, nam);
  controller.abort();
  assert.ok(reply.isFinished());
  assert.equal(events[0], "errorOccurred(5)");
  await reply.done;
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
  await nam.close();
  assert.equal(mock.calls.length, 0);
  assert.equal(mock.pendingInterceptors().length, 1);
});

Deno.test("one signal for several replies aborts them all", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, "late").delay(FOREVER_MS).times(3);
  await using nam = new NetworkAccessManager({ transport: mock });
  const controller = new AbortController();
  const replies = [0, 1, 2].map(() => nam.get(URL_, { signal: controller.signal }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  controller.abort();
  for (const reply of replies) {
    assert.ok(reply.isFinished());
    assert.equal(reply.error(), NetworkError.OperationCanceledError);
  }
});

Deno.test("aborting the signal after finish changes nothing", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, "done");
  await using nam = new NetworkAccessManager({ transport: mock });
  const controller = new AbortController();
  const reply = nam.get(URL_, { signal: controller.signal });
  await reply.done;
  const events = record(reply, nam);
  controller.abort();
  assert.deepEqual(events, []);
  assert.equal(reply.error(), NetworkError.NoError);
  assert.equal(new TextDecoder().decode(reply.readAll()), "done");
});

for (
  const [name, setUp] of [
    ["success", (mock: MockTransport) => mock.intercept({ url: URL_ }).reply(200, "ok")],
    [
      "failure",
      (mock: MockTransport) => mock.intercept({ url: URL_ }).replyWithError(NetworkError.HostNotFoundError),
    ],
    ["abort", (mock: MockTransport) => mock.intercept({ url: URL_ }).reply(200, "ok").delay(FOREVER_MS)],
  ] as const
) {
  Deno.test(`the abort listener is removed once the reply is done (${name}): no leak`, async () => {
    const mock = new MockTransport();
    setUp(mock);
    await using nam = new NetworkAccessManager({ transport: mock });
    const controller = new AbortController();
    const counts = countListeners(controller.signal);
    const reply = nam.get(URL_, { signal: controller.signal });
    if (name === "abort") reply.abort();
    await reply.done;
    await nam.close();
    assert.equal(counts.added, 1);
    assert.equal(counts.removed, 1);
  });
}

Deno.test("an already aborted signal adds no listener that outlives the reply", async () => {
  await using nam = new NetworkAccessManager({ transport: new MockTransport() });
  const controller = new AbortController();
  controller.abort();
  const counts = countListeners(controller.signal);
  const reply = nam.get(URL_, { signal: controller.signal });
  await reply.done;
  await nam.close();
  assert.equal(counts.added, counts.removed);
});

Deno.test("a signal that is not an AbortSignal is a TypeError naming it", async () => {
  await using nam = new NetworkAccessManager({ transport: new MockTransport() });
  for (
    const [bad, shown] of [
      [{}, "[object Object]"],
      ["stop", "stop"],
      [42, "42"],
    ] as const
  ) {
    assert.throws(() => nam.get(URL_, { signal: bad as unknown as AbortSignal }), {
      name: "TypeError",
      message: `Cannot use signal ${shown}: expected an AbortSignal`,
    });
  }
});
