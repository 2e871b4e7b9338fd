// readBufferSize backpressure (QNetworkReply::setReadBufferSize): at the
// limit the reply stops pulling from the transport until the reader takes
// bytes, and the inactivity timer is paused meanwhile (a deliberate deviation
// from Qt, docs/qt-deviations.md).

import assert from "node:assert/strict";
import {
  NetworkAccessManager,
  NetworkError,
  type NetworkReply,
  NetworkRequest,
  type Transport,
} from "../../mod.ts";
import type { ExchangeEvent, ExchangeRequest } from "../../transport.ts";
import { MockTransport } from "../../testing.ts";
import type { MockChunk } from "../../testing.ts";
import { type FakeClock, withFakeClock } from "../support/fake_clock.ts";

const URL_ = "http://backpressure.test/";
const FOREVER_MS = 3_600_000;
const TEN = "0123456789";
const decoder = new TextDecoder();

/** Wraps a MockTransport and counts the `data` events the reply has pulled. */
class CountingTransport implements Transport {
  readonly name = "counting";
  readonly inner: MockTransport;
  dataPulled = 0;
  nextCalls = 0;

  constructor(inner: MockTransport) {
    this.inner = inner;
  }

  exchange(request: ExchangeRequest, signal: AbortSignal): AsyncIterator<ExchangeEvent, undefined> {
    const events = this.inner.exchange(request, signal);
    return {
      next: async () => {
        this.nextCalls++;
        const result = await events.next();
        if (!result.done && result.value.type === "data") this.dataPulled++;
        return result;
      },
      return: () => events.return?.() ?? Promise.resolve({ done: true, value: undefined }),
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function setUp(chunks: readonly MockChunk[]): { counting: CountingTransport; nam: NetworkAccessManager } {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, { chunks });
  const counting = new CountingTransport(mock);
  return { counting, nam: new NetworkAccessManager({ transport: counting }) };
}

/** Lets every pending promise chain run (the mock's zero-delay chunks need no timer). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("readBufferSize holds the transport back: no chunk is pulled while the buffer is at the limit", async () => {
  const { counting, nam } = setUp(Array.from({ length: 6 }, () => TEN));
  await using _nam = nam;
  const reply = nam.get(URL_);
  reply.setReadBufferSize(15);
  assert.equal(reply.readBufferSize(), 15);
  let readyReads = 0;
  reply.addEventListener("readyRead", () => readyReads++);

  await settle();
  // 10 < 15: one more chunk is pulled; 20 >= 15: it stops.
  assert.equal(counting.dataPulled, 2);
  assert.equal(reply.bytesAvailable(), 20);
  assert.equal(readyReads, 2);
  const calls = counting.nextCalls;
  await settle();
  await settle();
  assert.equal(counting.nextCalls, calls, "no next() while held");
  assert.ok(reply.isRunning());

  // Reading below the limit resumes the flow, one chunk at a time.
  assert.equal(decoder.decode(reply.read(10)), TEN);
  await settle();
  assert.equal(counting.dataPulled, 3);
  assert.equal(reply.bytesAvailable(), 20);

  // Reading that stays at or above the limit does not.
  reply.setReadBufferSize(5);
  assert.equal(decoder.decode(reply.read(4)), "0123");
  await settle();
  assert.equal(counting.dataPulled, 3);
  assert.equal(reply.bytesAvailable(), 16);

  // setReadBufferSize(0) releases everything at once.
  reply.setReadBufferSize(0);
  await reply.done;
  assert.equal(counting.dataPulled, 6);
  assert.equal(reply.error(), NetworkError.NoError);
  assert.equal(reply.bytesAvailable(), 16 + 30);
  assert.equal(readyReads, 6);
});

Deno.test("raising readBufferSize above what is buffered resumes the flow", async () => {
  const { counting, nam } = setUp([TEN, TEN, TEN, TEN]);
  await using _nam = nam;
  const reply = nam.get(URL_);
  reply.setReadBufferSize(10);
  await settle();
  assert.equal(counting.dataPulled, 1);
  reply.setReadBufferSize(25);
  await settle();
  assert.equal(counting.dataPulled, 3);
  assert.equal(reply.bytesAvailable(), 30);
  reply.setReadBufferSize(0);
  await reply.done;
  assert.equal(decoder.decode(reply.readAll()), TEN.repeat(4));
});

Deno.test("the end of the body is not pulled while held: finished waits for the reader", async () => {
  const { counting, nam } = setUp([TEN]);
  await using _nam = nam;
  const reply = nam.get(URL_);
  reply.setReadBufferSize(10);
  await settle();
  assert.equal(counting.dataPulled, 1);
  assert.equal(reply.isFinished(), false, "the end is still in the transport");
  assert.equal(reply.atEnd(), false);
  reply.read(1);
  await reply.done;
  assert.ok(reply.atEnd() === false && reply.bytesAvailable() === 9);
  reply.readAll();
  assert.ok(reply.atEnd());
});

Deno.test("abort() while held back finishes at once and releases the transport", async () => {
  const { counting, nam } = setUp([TEN, TEN, { data: "never", delay: FOREVER_MS }]);
  await using _nam = nam;
  const reply = nam.get(URL_);
  reply.setReadBufferSize(5);
  await settle();
  assert.equal(counting.dataPulled, 1);
  reply.abort();
  assert.ok(reply.isFinished());
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
  assert.equal(reply.errorString(), "Operation canceled");
  assert.equal(reply.bytesAvailable(), 0);
  await settle();
  assert.equal(counting.dataPulled, 1, "nothing is pulled after abort");
});

Deno.test("setReadBufferSize rejects values that are not integers >= 0", async () => {
  const { nam } = setUp([TEN]);
  await using _nam = nam;
  const reply = nam.get(URL_);
  for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => reply.setReadBufferSize(bad), {
      name: "RangeError",
      message: `Cannot set readBufferSize: expected an integer >= 0, got ${bad}`,
    });
  }
  assert.equal(reply.readBufferSize(), 0);
  await reply.done;
});

/** A reply with `transferTimeout` that holds its first 10-byte chunk against a readBufferSize of 5. */
async function heldReply(
  clock: FakeClock,
  nam: NetworkAccessManager,
  timeout: number,
): Promise<NetworkReply> {
  const reply = nam.get(new NetworkRequest(URL_, { transferTimeout: timeout }));
  reply.setReadBufferSize(5);
  await clock.tickAsync(0);
  assert.equal(reply.bytesAvailable(), 10);
  return reply;
}

Deno.test("a held-back reply does not time out while held, and does after resuming and silence", async () => {
  await withFakeClock(async (clock) => {
    const { counting, nam } = setUp([TEN, { data: "late", delay: FOREVER_MS }]);
    await using _nam = nam;
    const reply = await heldReply(clock, nam, 100);
    await clock.tickAsync(10_000);
    assert.ok(reply.isRunning(), "paused while the reader holds the transport back");
    assert.equal(counting.dataPulled, 1);

    reply.read();
    await clock.tickAsync(99);
    assert.ok(reply.isRunning(), "the timer counts again from zero after resuming");
    await clock.tickAsync(1);
    assert.ok(reply.isFinished());
    assert.equal(reply.error(), NetworkError.TimeoutError);
    assert.equal(reply.errorString(), "Operation timed out");
    await clock.tickAsync(0);
    assert.equal(clock.countTimers(), 0, "no timer outlives the reply");
  });
});

Deno.test("setReadBufferSize(0) on a held-back reply resumes the timer too", async () => {
  await withFakeClock(async (clock) => {
    const { nam } = setUp([TEN, { data: "late", delay: FOREVER_MS }]);
    await using _nam = nam;
    const reply = await heldReply(clock, nam, 100);
    await clock.tickAsync(500);
    assert.ok(reply.isRunning());
    reply.setReadBufferSize(0);
    await clock.tickAsync(100);
    assert.equal(reply.error(), NetworkError.TimeoutError);
    assert.equal(reply.bytesAvailable(), 0, "a timeout drops unread data like abort()");
  });
});

Deno.test("a held-back reply that resumes and gets its data in time succeeds", async () => {
  await withFakeClock(async (clock) => {
    const { nam } = setUp([TEN, { data: "late", delay: 50 }]);
    await using _nam = nam;
    const reply = await heldReply(clock, nam, 100);
    await clock.tickAsync(1_000);
    const text = reply.text();
    await clock.tickAsync(50);
    assert.equal(await text, TEN + "late");
    assert.equal(reply.error(), NetworkError.NoError);
  });
});
