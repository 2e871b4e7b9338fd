// The consuming views of a reply: `body`, async iteration, bytes() / text() /
// json() and `done`. They read as data arrives, so a small readBufferSize must
// never deadlock them; on a failed reply they deliver what arrived and then
// fail with NetworkReplyError (docs/edge-cases.md).

import assert from "node:assert/strict";
import {
  NetworkAccessManager,
  NetworkError,
  networkErrorName,
  type NetworkReply,
  NetworkReplyError,
} from "../../mod.ts";
import { MockTransport } from "../../testing.ts";
import type { MockBody } from "../../testing.ts";

const URL_ = "http://views.test/data";
const FOREVER_MS = 3_600_000;
const CHUNKS = ["alpha-", "beta-", "gamma-", "delta"];
const WHOLE = CHUNKS.join("");
const decoder = new TextDecoder();

function setUp(status: number, body: MockBody): { mock: MockTransport; nam: NetworkAccessManager } {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(status, body);
  return { mock, nam: new NetworkAccessManager({ transport: mock }) };
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += decoder.decode(chunk);
  return out;
}

/** How each view reads the whole body of a reply. */
const VIEWS: readonly { readonly name: string; readonly read: (reply: NetworkReply) => Promise<string> }[] = [
  { name: "body stream", read: (reply) => drain(reply.body) },
  {
    name: "async iteration",
    read: async (reply) => {
      let out = "";
      for await (const chunk of reply) out += decoder.decode(chunk);
      return out;
    },
  },
  { name: "bytes()", read: async (reply) => decoder.decode(await reply.bytes()) },
  { name: "text()", read: (reply) => reply.text() },
  { name: "json()", read: async (reply) => JSON.stringify(await reply.json()) },
];

for (const view of VIEWS) {
  for (const limit of [0, 1, 4]) {
    Deno.test(`${view.name} reads a multi-chunk body with readBufferSize ${limit}`, async () => {
      const chunks = view.name === "json()" ? ['{"a":', "[1,2", ",3]", "}"] : CHUNKS;
      const { mock, nam } = setUp(200, { chunks });
      await using _nam = nam;
      const reply = nam.get(URL_);
      reply.setReadBufferSize(limit);
      assert.equal(await view.read(reply), view.name === "json()" ? '{"a":[1,2,3]}' : WHOLE);
      assert.equal(reply.error(), NetworkError.NoError);
      assert.ok(reply.isFinished());
      assert.ok(reply.atEnd());
      mock.assertNoPendingInterceptors();
    });
  }
}

Deno.test("views read only what read() has not taken", async () => {
  const { nam } = setUp(200, { chunks: CHUNKS });
  await using _nam = nam;
  const reply = nam.get(URL_);
  await reply.done;
  assert.equal(decoder.decode(reply.read(6)), "alpha-");
  assert.equal(reply.bodyUsed, false, "read() is not a consuming view");
  assert.equal(await reply.text(), "beta-gamma-delta");
  assert.equal(reply.bodyUsed, true);
});

/** Each consuming view by the name its TypeError gives, reading to the end. */
const CONSUMERS: readonly (readonly [string, (reply: NetworkReply) => Promise<unknown>])[] = [
  ["bytes()", (reply) => reply.bytes()],
  ["text()", (reply) => reply.text()],
  ["json()", (reply) => reply.json()],
  ["body", (reply) => drain(reply.body)],
  ["for await", async (reply) => {
    for await (const _chunk of reply);
  }],
];

for (const [first, consume] of CONSUMERS) {
  Deno.test(`after ${first}, every other consuming view is a TypeError naming both; bodyUsed is true`, async () => {
    const { nam } = setUp(200, "[1]");
    await using _nam = nam;
    const reply = nam.get(URL_);
    assert.equal(reply.bodyUsed, false);
    const reading = consume(reply);
    assert.equal(reply.bodyUsed, true, "marked when the view starts, as Response does");
    await reading;
    for (const [second, again] of CONSUMERS) {
      if (first === "body" && second === "body") continue; // the same stream again, as Response.body
      const message = `Cannot read the body of ${URL_} with ${second}: ${first} already consumed it`;
      await assert.rejects(async () => await again(reply), { name: "TypeError", message });
    }
    assert.equal(reply.error(), NetworkError.NoError);
  });
}

Deno.test("body is one stream per reply", async () => {
  const { nam } = setUp(200, "x");
  await using _nam = nam;
  const reply = nam.get(URL_);
  assert.equal(reply.body, reply.body);
  assert.equal(await drain(reply.body), "x");
});

/** Failures, each with the bytes the body delivers first and the error it ends with. */
const FAILURES: readonly {
  readonly name: string;
  readonly status: number;
  readonly body: MockBody;
  readonly delivered: string;
  readonly code: NetworkError;
  /** errorString(); the NetworkReplyError's message adds the method, the URL and the code's name. */
  readonly message: string;
}[] = [
  {
    name: "an HTTP error delivers its body",
    status: 404,
    body: { chunks: ["no such ", "page"] },
    delivered: "no such page",
    code: NetworkError.ContentNotFoundError,
    message: `Error transferring ${URL_} - server replied: Not Found`,
  },
  {
    name: "a 500 without a reason phrase",
    status: 599,
    body: "boom",
    delivered: "boom",
    code: NetworkError.UnknownServerError,
    message: `Error transferring ${URL_} - server replied with status code 599`,
  },
  {
    name: "a connection cut mid-body delivers the bytes received",
    status: 200,
    body: { chunks: ["part", "ial", { error: NetworkError.RemoteHostClosedError }] },
    delivered: "partial",
    code: NetworkError.RemoteHostClosedError,
    message: "Connection closed",
  },
];

for (const failure of FAILURES) {
  Deno.test(`body on a failed reply (${failure.name}): bytes, then NetworkReplyError`, async () => {
    const { nam } = setUp(failure.status, failure.body);
    await using _nam = nam;
    const reply = nam.get(URL_);
    reply.setReadBufferSize(2);
    const reader = reply.body.getReader();
    let delivered = "";
    let caught: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        delivered += decoder.decode(value);
      }
    } catch (error) {
      caught = error;
    } finally {
      reader.releaseLock();
    }
    assert.equal(delivered, failure.delivered);
    assert.ok(caught instanceof NetworkReplyError, `got ${caught}`);
    assert.equal(caught.name, "NetworkReplyError");
    assert.equal(caught.code, failure.code);
    assert.equal(
      caught.message,
      `GET ${URL_} failed with ${networkErrorName(failure.code)}: ${failure.message}`,
    );
    assert.equal(caught.body.byteLength, 0, "the stream handed its bytes out already");
    assert.equal(caught.reply, reply);
    assert.equal(reply.error(), failure.code);
    assert.equal(reply.errorString(), failure.message);
  });

  for (const view of VIEWS.slice(1)) {
    Deno.test(`${view.name} on a failed reply (${failure.name}) rejects with NetworkReplyError`, async () => {
      const { nam } = setUp(failure.status, failure.body);
      await using _nam = nam;
      const reply = nam.get(URL_);
      reply.setReadBufferSize(1);
      await assert.rejects(view.read(reply), (error: unknown) => {
        assert.ok(error instanceof NetworkReplyError);
        assert.equal(error.code, failure.code);
        assert.equal(
          error.message,
          `GET ${URL_} failed with ${networkErrorName(failure.code)}: ${failure.message}`,
        );
        // What the reader had consumed: the promise readers keep it, the streaming ones handed it out.
        assert.equal(decoder.decode(error.body), view.name === "async iteration" ? "" : failure.delivered);
        assert.equal(error.reply, reply);
        return true;
      });
      assert.equal(reply.error(), failure.code);
      // done never rejects, whatever happened.
      assert.equal(await reply.done, reply);
    });
  }
}

Deno.test("body.cancel() is close(): OperationCanceledError, the whole finish sequence, data dropped", async () => {
  const { nam } = setUp(200, { chunks: ["first", { data: "never", delay: FOREVER_MS }] });
  await using _nam = nam;
  const reply = nam.get(URL_);
  const seen: string[] = [];
  for (const type of ["errorOccurred", "readChannelFinished", "finished"] as const) {
    reply.addEventListener(type, () => seen.push(type));
  }
  const reader = reply.body.getReader();
  const first = await reader.read();
  assert.equal(decoder.decode(first.value), "first");
  await reader.cancel("not interested");
  assert.deepEqual(seen, ["errorOccurred", "readChannelFinished", "finished"]);
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
  assert.equal(reply.errorString(), "Operation canceled");
  assert.equal(reply.read().byteLength, 0);
});

Deno.test("body.cancel() after finish is a no-op: the error stays NoError", async () => {
  const { nam } = setUp(200, "kept");
  await using _nam = nam;
  const reply = nam.get(URL_);
  await reply.done;
  await reply.body.cancel();
  assert.equal(reply.error(), NetworkError.NoError);
});

Deno.test("breaking out of for await closes the reply", async () => {
  const { nam } = setUp(200, { chunks: ["one", "two", { data: "never", delay: FOREVER_MS }] });
  await using _nam = nam;
  const reply = nam.get(URL_);
  let errorEvents = 0;
  reply.addEventListener("errorOccurred", () => errorEvents++);
  const seen: string[] = [];
  for await (const chunk of reply) {
    seen.push(decoder.decode(chunk));
    break;
  }
  assert.deepEqual(seen, ["one"]);
  assert.ok(reply.isFinished());
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
  assert.equal(errorEvents, 1);
});

Deno.test("throwing inside for await closes the reply and the error propagates", async () => {
  const { nam } = setUp(200, { chunks: ["one", { data: "never", delay: FOREVER_MS }] });
  await using _nam = nam;
  const reply = nam.get(URL_);
  await assert.rejects(
    async () => {
      for await (const _chunk of reply) throw new Error("consumer failed");
    },
    { message: "consumer failed" },
  );
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
});

for (
  const [name, body] of [["invalid JSON", "{not json"], ["an empty body", ""]] as const
) {
  Deno.test(`json() on ${name} rejects with SyntaxError; the reply itself succeeded`, async () => {
    const { nam } = setUp(200, body);
    await using _nam = nam;
    const reply = nam.get(URL_);
    await assert.rejects(reply.json(), SyntaxError);
    assert.equal(reply.error(), NetworkError.NoError);
    assert.equal(await reply.done, reply);
  });
}

Deno.test("text() decodes UTF-8 split across chunks", async () => {
  const bytes = new TextEncoder().encode("héllo wörld ✓");
  const { nam } = setUp(200, { chunks: [bytes.subarray(0, 2), bytes.subarray(2, 13), bytes.subarray(13)] });
  await using _nam = nam;
  assert.equal(await nam.get(URL_).text(), "héllo wörld ✓");
});

Deno.test("done resolves with the reply after finished, and never rejects (abort, failure)", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, "ok");
  mock.intercept({ url: "http://views.test/down" }).replyWithError(NetworkError.HostNotFoundError);
  mock.intercept({ url: "http://views.test/slow" }).reply(200, "late").delay(FOREVER_MS);
  await using nam = new NetworkAccessManager({ transport: mock });

  const ok = nam.get(URL_);
  let finishedSeen = false;
  ok.addEventListener("finished", () => finishedSeen = true);
  const resolved = await ok.done;
  assert.equal(resolved, ok);
  assert.ok(finishedSeen, "done settles after finished");

  const down = nam.get("http://views.test/down");
  assert.equal(await down.done, down);
  assert.equal(down.error(), NetworkError.HostNotFoundError);
  assert.equal(down.errorString(), "Host not found");

  const slow = nam.get("http://views.test/slow");
  slow.abort();
  assert.equal(await slow.done, slow);
  assert.equal(slow.error(), NetworkError.OperationCanceledError);
  await assert.rejects(slow.text(), (error: unknown) => {
    assert.ok(error instanceof NetworkReplyError);
    assert.equal(error.code, NetworkError.OperationCanceledError);
    assert.equal(
      error.message,
      "GET http://views.test/slow failed with OperationCanceledError: Operation canceled",
    );
    return true;
  });
});

Deno.test("a failed reply's body errors even when nothing was received (bad scheme)", async () => {
  await using nam = new NetworkAccessManager({ transport: new MockTransport() });
  const reply = nam.get("ftp://files.test/x");
  await assert.rejects(drain(reply.body), (error: unknown) => {
    assert.ok(error instanceof NetworkReplyError);
    assert.equal(error.code, NetworkError.ProtocolUnknownError);
    assert.equal(
      error.message,
      'GET ftp://files.test/x failed with ProtocolUnknownError: Protocol "ftp" is unknown',
    );
    return true;
  });
});
