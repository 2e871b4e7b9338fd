/**
 * Header names in their original case (`rawHeaderPairs({ originalCase })`)
 * and trailer fields (`reply.trailers()`), from MockTransport and from a
 * hand-written transport that reports them as the socket transport will.
 */
import assert from "node:assert/strict";
import { HttpHeaders, NetworkAccessManager, type Transport } from "../../mod.ts";
import type { ExchangeEvent } from "../../transport.ts";
import { MockTransport } from "../../testing.ts";

const URL_ = "http://site.test/";

/** A transport that plays back fixed events, like a wire-level transport would report them. */
function scripted(events: readonly ExchangeEvent[]): Transport {
  return {
    name: "scripted",
    async *exchange(): AsyncGenerator<ExchangeEvent, undefined> {
      yield* events;
      return undefined;
    },
    close: () => Promise.resolve(),
  };
}

Deno.test("rawHeaderPairs: lower-case by default, the first spelling with originalCase", async () => {
  const transport = scripted([
    { type: "requestSent" },
    {
      type: "responseHead",
      head: {
        status: 200,
        reasonPhrase: "OK",
        headers: HttpHeaders.fromListOfPairs([["x-trace", "a"], ["content-length", "0"], ["x-trace", "b"]]),
        originalNames: ["X-Trace", "Content-Length", "x-TRACE"],
      },
    },
    { type: "end" },
  ]);
  await using nam = new NetworkAccessManager({ transport });
  const reply = nam.get(URL_);
  await reply.done;
  assert.deepEqual(reply.rawHeaderPairs(), [["x-trace", "a, b"], ["content-length", "0"]]);
  assert.deepEqual(reply.rawHeaderPairs({ originalCase: true }), [["X-Trace", "a, b"], [
    "Content-Length",
    "0",
  ]]);
  assert.equal(reply.rawHeader("X-TRACE"), "a, b", "lookups stay case-insensitive");
});

Deno.test("rawHeaderPairs({ originalCase }): lower-case where the transport cannot see the case", async () => {
  const transport = scripted([
    { type: "requestSent" },
    {
      type: "responseHead",
      head: { status: 200, reasonPhrase: "OK", headers: new HttpHeaders({ "X-A": "1" }) },
    },
    { type: "end" },
  ]);
  await using nam = new NetworkAccessManager({ transport });
  const reply = nam.get(URL_);
  await reply.done;
  assert.deepEqual(reply.rawHeaderPairs({ originalCase: true }), [["x-a", "1"]]);
});

Deno.test("MockTransport keeps the case of pair and record headers; Headers objects are lower-case", async (t) => {
  const cases: { name: string; headers: HeadersInit; expected: [string, string][] }[] = [
    {
      name: "pairs",
      headers: [["X-Request-ID", "7"]],
      expected: [["X-Request-ID", "7"], ["content-length", "2"]],
    },
    { name: "record", headers: { "ETag": '"v1"' }, expected: [["ETag", '"v1"'], ["content-length", "2"]] },
    {
      name: "Headers",
      headers: new Headers({ "ETag": '"v1"' }),
      expected: [["etag", '"v1"'], ["content-length", "2"]],
    },
  ];
  for (const { name, headers, expected } of cases) {
    await t.step(name, async () => {
      const mock = new MockTransport();
      mock.intercept({ url: URL_ }).reply(200, "hi", { headers });
      await using nam = new NetworkAccessManager({ transport: mock });
      const reply = nam.get(URL_);
      await reply.done;
      assert.deepEqual(reply.rawHeaderPairs({ originalCase: true }), expected);
    });
  }
});

Deno.test("trailers: empty until finished and when none, then the transport's trailer fields", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, { chunks: ["a", { data: "b", delay: 1 }] }, {
    trailers: [["Server-Timing", "db;dur=53"], ["x-checksum", "abc"]],
  });
  mock.intercept({ url: URL_ }).reply(200, "no trailers");
  mock.intercept({ url: URL_ }).reply(() => ({
    status: 200,
    body: "cb",
    trailers: { "x-from": "callback" },
  }));
  await using nam = new NetworkAccessManager({ transport: mock });

  const reply = nam.get(URL_);
  await new Promise<void>((resolve) => reply.addEventListener("readyRead", () => resolve(), { once: true }));
  assert.equal(reply.trailers().size(), 0, "empty before finished");
  await reply.done;
  assert.deepEqual(reply.trailers().toListOfPairs(), [["server-timing", "db;dur=53"], ["x-checksum", "abc"]]);
  reply.trailers().append("x-mine", "1");
  assert.equal(reply.trailers().contains("x-mine"), false, "a copy");

  const plain = nam.get(URL_);
  await plain.done;
  assert.equal(plain.trailers().size(), 0);

  const computed = nam.get(URL_);
  await computed.done;
  assert.equal(computed.trailers().value("x-from"), "callback");
});
