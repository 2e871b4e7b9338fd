// downloadProgress throttling (QNetworkReply::downloadProgress) and the transfer timeout
// (§3.6): an inactivity timer, manager-level or request-level, re-armed by
// body data and upload progress but not by redirects. Time is fake.

import assert from "node:assert/strict";
import {
  HttpHeaders,
  NetworkAccessManager,
  NetworkError,
  type NetworkReply,
  NetworkRequest,
  type Transport,
} from "../../mod.ts";
import type { ExchangeEvent } from "../../transport.ts";
import { MockTransport } from "../../testing.ts";
import type { MockChunk } from "../../testing.ts";
import { type FakeClock, withFakeClock } from "../support/fake_clock.ts";
import { abortableSleep } from "../../src/abortable_sleep.ts";

const URL_ = "http://progress.test/";

/** A test body on fake timers that must leave no timer behind. */
function withClock(body: (clock: FakeClock) => Promise<void>): () => Promise<void> {
  return () =>
    withFakeClock(async (clock) => {
      await body(clock);
      await clock.tickAsync(0);
      assert.equal(clock.countTimers(), 0, "no timer outlives the test");
    });
}

interface Traced {
  readonly type: string;
  readonly at: number;
  readonly detail: string;
}

function trace(reply: NetworkReply, nam?: NetworkAccessManager): Traced[] {
  const out: Traced[] = [];
  const push = (type: string, detail = ""): number => out.push({ type, at: Date.now(), detail });
  for (
    const type of ["requestSent", "metaDataChanged", "readyRead", "readChannelFinished", "finished"] as const
  ) {
    reply.addEventListener(type, () => push(type));
  }
  reply.addEventListener("redirected", (e) => push("redirected", e.url.pathname));
  reply.addEventListener("errorOccurred", (e) => push("errorOccurred", String(e.code)));
  reply.addEventListener(
    "downloadProgress",
    (e) => push("downloadProgress", `${e.bytesReceived},${e.bytesTotal}`),
  );
  reply.addEventListener("uploadProgress", (e) => push("uploadProgress", `${e.bytesSent},${e.bytesTotal}`));
  nam?.addEventListener("finished", (e) => {
    if (e.reply === reply) push("nam:finished");
  });
  return out;
}

const words = (events: readonly Traced[]): string =>
  events.map((e) => e.detail ? `${e.type}(${e.detail})` : e.type).join(" ");

/** A step of a scripted exchange: an event, or silence for `wait` ms. */
type Step = ExchangeEvent | { readonly wait: number };

/** A Transport that plays one script per exchange, with fake-timer waits that abort cleanly. */
class ScriptedTransport implements Transport {
  readonly name = "scripted";
  readonly #script: readonly Step[];
  constructor(script: readonly Step[]) {
    this.#script = script;
  }
  async *exchange(_request: unknown, signal: AbortSignal): AsyncGenerator<ExchangeEvent, undefined> {
    for (const step of this.#script) {
      if ("wait" in step) {
        const ok = await abortableSleep(step.wait, signal);
        if (!ok) return undefined;
      } else {
        yield step;
      }
    }
    return undefined;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const head = (status = 200): ExchangeEvent => ({
  type: "responseHead",
  head: { status, reasonPhrase: "OK", headers: new HttpHeaders() },
});
const data = (text: string): ExchangeEvent => {
  const bytes = new TextEncoder().encode(text);
  return { type: "data", bytes, wireBytes: bytes.length };
};

// ---- downloadProgress -------------------------------------------------------

for (
  const [name, headers, total] of [
    ["with a Content-Length", { "content-length": "100" }, 100],
    ["without a Content-Length", {}, -1],
  ] as const
) {
  Deno.test(
    `downloadProgress ${name}: after a readyRead, at most every 100 ms, then a final (n, n)`,
    withClock(async (clock) => {
      // Ten chunks of ten bytes, one every 30 ms.
      const chunks: MockChunk[] = Array.from({ length: 10 }, () => ({ data: "x".repeat(10), delay: 30 }));
      const mock = new MockTransport();
      mock.intercept({ url: URL_ }).reply(200, { chunks }, { headers });
      await using nam = new NetworkAccessManager({ transport: mock });
      const reply = nam.get(URL_);
      const events = trace(reply, nam);
      await clock.tickAsync(300);
      await reply.done;

      const progress = events.filter((e) => e.type === "downloadProgress");
      const during = progress.slice(0, -1);
      assert.ok(during.length >= 2, words(events));
      for (let i = 1; i < during.length; i++) {
        assert.ok(during[i].at - during[i - 1].at >= 100, `throttled: ${during.map((e) => e.at)}`);
      }
      // Each throttled emission directly follows a readyRead and carries the known total.
      for (const event of during) {
        assert.equal(events[events.indexOf(event) - 1].type, "readyRead");
        assert.equal(Number(event.detail.split(",")[1]), total);
      }
      const received = progress.map((e) => Number(e.detail.split(",")[0]));
      assert.deepEqual(received, [...received].sort((a, b) => a - b), "bytesReceived never shrinks");
      assert.equal(received[0], 10, "the first readyRead is reported at once");
      assert.equal(
        words(events.slice(-4)),
        "downloadProgress(100,100) readChannelFinished nam:finished finished",
      );
      assert.equal(events.filter((e) => e.type === "readyRead").length, 10);
    }),
  );
}

Deno.test("downloadProgress for a HEAD reply: no body, final (0, 0)", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_, method: "HEAD" }).reply(200, "ignored body");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.head(URL_);
  const events = trace(reply);
  await reply.done;
  assert.equal(
    words(events),
    "requestSent metaDataChanged downloadProgress(0,0) readChannelFinished finished",
  );
});

// ---- transfer timeout: which value applies ----------------------------------

const TIMEOUTS: readonly {
  readonly name: string;
  readonly manager: number;
  readonly request: number;
  /** The effective timeout, or 0 when none applies. */
  readonly effective: number;
}[] = [
  { name: "manager only", manager: 100, request: 0, effective: 100 },
  { name: "request only", manager: 0, request: 100, effective: 100 },
  { name: "the request's wins when shorter", manager: 1_000, request: 100, effective: 100 },
  { name: "the request's wins when longer", manager: 100, request: 1_000, effective: 1_000 },
  { name: "neither: no timeout at all", manager: 0, request: 0, effective: 0 },
];

for (const row of TIMEOUTS) {
  Deno.test(
    `transferTimeout, ${row.name}`,
    withClock(async (clock) => {
      const mock = new MockTransport();
      mock.intercept({ url: URL_ }).reply(200, "late").delay(5_000);
      await using nam = new NetworkAccessManager({ transport: mock, transferTimeout: row.manager });
      const reply = nam.get(new NetworkRequest(URL_, { transferTimeout: row.request }));
      assert.equal(reply.request().transferTimeout(), row.effective, "the manager's value is copied in");
      const events = trace(reply, nam);
      if (row.effective === 0) {
        await clock.tickAsync(5_000);
        assert.equal(await reply.text(), "late");
        return;
      }
      await clock.tickAsync(row.effective - 1);
      assert.ok(reply.isRunning());
      assert.equal(words(events), "requestSent");
      await clock.tickAsync(1);
      assert.ok(reply.isFinished(), "times out after exactly the effective timeout");
      assert.equal(reply.error(), NetworkError.TimeoutError);
      assert.equal(reply.errorString(), "Operation timed out");
      assert.equal(
        words(events),
        "requestSent errorOccurred(4) downloadProgress(0,0) readChannelFinished nam:finished finished",
      );
    }),
  );
}

Deno.test(
  "a manager's setTransferTimeout applies to replies created afterwards only",
  withClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept({ url: URL_ }).reply(200, "late").delay(500).times(2);
    await using nam = new NetworkAccessManager({ transport: mock });
    const before = nam.get(URL_);
    nam.setTransferTimeout(100);
    assert.equal(nam.transferTimeout(), 100);
    const after = nam.get(URL_);
    await clock.tickAsync(500);
    await Promise.all([before.done, after.done]);
    assert.equal(before.error(), NetworkError.NoError);
    assert.equal(after.error(), NetworkError.TimeoutError);
  }),
);

for (const huge of [2 ** 31, Number.MAX_SAFE_INTEGER]) {
  Deno.test(
    `a transferTimeout of ${huge} ms (beyond setTimeout's range) does not fire at once`,
    withClock(async (clock) => {
      const mock = new MockTransport();
      mock.intercept({ url: URL_ }).reply(200, "slow but fine").delay(60_000);
      await using nam = new NetworkAccessManager({ transport: mock });
      const reply = nam.get(new NetworkRequest(URL_, { transferTimeout: huge }));
      const text = reply.text();
      await clock.tickAsync(60_000);
      assert.equal(await text, "slow but fine");
      assert.equal(reply.error(), NetworkError.NoError);
    }),
  );
}

// ---- transfer timeout: what re-arms it --------------------------------------

Deno.test(
  "body data re-arms the timer: a slow but steady body does not time out",
  withClock(async (clock) => {
    const chunks: MockChunk[] = Array.from({ length: 6 }, () => ({ data: "chunk", delay: 80 }));
    const mock = new MockTransport();
    mock.intercept({ url: URL_ }).reply(200, { chunks });
    await using nam = new NetworkAccessManager({ transport: mock, transferTimeout: 100 });
    const reply = nam.get(URL_);
    const text = reply.text();
    await clock.tickAsync(480);
    assert.equal(await text, "chunk".repeat(6));
    assert.equal(reply.error(), NetworkError.NoError);
  }),
);

Deno.test(
  "silence after some data times out, and the data is dropped",
  withClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept({ url: URL_ }).reply(200, { chunks: ["some", { data: "more", delay: 10_000 }] });
    await using nam = new NetworkAccessManager({ transport: mock, transferTimeout: 100 });
    const reply = nam.get(URL_);
    const events = trace(reply, nam);
    await clock.tickAsync(100);
    assert.equal(reply.error(), NetworkError.TimeoutError);
    assert.equal(
      words(events),
      "requestSent metaDataChanged readyRead downloadProgress(4,-1) errorOccurred(4) downloadProgress(4,4) readChannelFinished nam:finished finished",
    );
    assert.equal(reply.read().byteLength, 0);
  }),
);

Deno.test(
  "uploadProgress re-arms the timer; a slow upload does not time out",
  withClock(async (clock) => {
    const transport = new ScriptedTransport([
      { type: "uploadProgress", bytesSent: 0, bytesTotal: 30 },
      { wait: 80 },
      { type: "uploadProgress", bytesSent: 10, bytesTotal: 30 },
      { wait: 80 },
      { type: "uploadProgress", bytesSent: 20, bytesTotal: 30 },
      { wait: 80 },
      { type: "uploadProgress", bytesSent: 30, bytesTotal: 30 },
      { type: "requestSent" },
      { wait: 80 },
      head(),
      { type: "end" },
    ]);
    await using nam = new NetworkAccessManager({ transport, transferTimeout: 100 });
    const reply = nam.post(URL_, "x".repeat(30));
    const events = trace(reply);
    await clock.tickAsync(320);
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, words(events));
  }),
);

Deno.test(
  "requestSent and the response head do not re-arm the timer",
  withClock(async (clock) => {
    const transport = new ScriptedTransport([
      { wait: 60 },
      { type: "requestSent" },
      { wait: 30 },
      head(),
      { wait: 30 },
      data("too late"),
      { type: "end" },
    ]);
    await using nam = new NetworkAccessManager({ transport, transferTimeout: 100 });
    const reply = nam.get(URL_);
    await clock.tickAsync(100);
    assert.equal(reply.error(), NetworkError.TimeoutError);
  }),
);

Deno.test(
  "redirects do not re-arm the timer: a slow redirect chain times out",
  withClock(async (clock) => {
    const mock = new MockTransport();
    for (const [from, to] of [["/a", "/b"], ["/b", "/c"], ["/c", "/d"]]) {
      mock.intercept({ url: new URL(from, URL_).href }).reply(302, "moved", { headers: { location: to } })
        .delay(60);
    }
    mock.intercept({ url: new URL("/d", URL_).href }).reply(200, "end").delay(60);
    await using nam = new NetworkAccessManager({ transport: mock, transferTimeout: 100 });
    const reply = nam.get(new URL("/a", URL_));
    const events = trace(reply, nam);
    await clock.tickAsync(100);
    assert.equal(reply.error(), NetworkError.TimeoutError);
    assert.equal(reply.errorString(), "Operation timed out");
    assert.equal(reply.url().pathname, "/b");
    assert.equal(
      words(events),
      "requestSent metaDataChanged redirected(/b) requestSent errorOccurred(4) downloadProgress(0,0) readChannelFinished nam:finished finished",
    );
    // The time of the timeout is the 100 ms mark, inside no user call.
    assert.equal(events.find((e) => e.type === "errorOccurred")?.at, 100);
  }),
);

Deno.test(
  "the timer is stopped at finish: a reply that succeeded never times out later",
  withClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept({ url: URL_ }).reply(200, "quick");
    await using nam = new NetworkAccessManager({ transport: mock, transferTimeout: 100 });
    const reply = nam.get(URL_);
    await reply.done;
    let errors = 0;
    reply.addEventListener("errorOccurred", () => errors++);
    await clock.tickAsync(1_000);
    assert.equal(errors, 0);
    assert.equal(reply.error(), NetworkError.NoError);
    assert.equal(clock.countTimers(), 0);
  }),
);

Deno.test(
  "a timeout while waiting for redirectAllowed() ends the wait",
  withClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept({ url: URL_ }).reply(302, "", { headers: { location: "/next" } });
    await using nam = new NetworkAccessManager({ transport: mock, transferTimeout: 100 });
    const reply = nam.get(new NetworkRequest(URL_, { redirectPolicy: 3 }));
    const events = trace(reply, nam);
    await clock.tickAsync(100);
    assert.equal(reply.error(), NetworkError.TimeoutError);
    assert.equal(
      words(events),
      "requestSent metaDataChanged redirected(/next) errorOccurred(4) downloadProgress(0,0) readChannelFinished nam:finished finished",
    );
    assert.equal(mock.calls.length, 1);
  }),
);
