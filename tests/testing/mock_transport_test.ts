import assert from "node:assert/strict";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { NetworkError } from "../../src/core/network_error.ts";
import { SslError } from "../../src/core/ssl.ts";
import { SslErrorKind } from "../../src/core/ssl_error_kind.ts";
import type { ExchangeBody, ExchangeEvent, ExchangeRequest } from "../../src/transport/transport.ts";
import { checkedTransport, type MockInterceptOptions, MockTransport } from "../../testing.ts";
import { withFakeClock } from "../support/fake_clock.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface RequestInit {
  method?: string;
  url?: string;
  headers?: HeadersInit;
  body?: ExchangeBody | null;
  answer?: ExchangeRequest["answer"];
}

function request(init: RequestInit = {}): ExchangeRequest {
  return {
    method: init.method ?? "GET",
    url: new URL(init.url ?? "http://api.test/"),
    headers: new HttpHeaders(init.headers),
    body: init.body ?? null,
    decompress: true,
    decompressedSafetyCheckThreshold: -1,
    answer: init.answer ?? (() => false),
    options: { http2Allowed: true },
  };
}

function bytesBody(text: string): ExchangeBody {
  return { kind: "bytes", bytes: encoder.encode(text) };
}

function streamBody(chunks: string[]): ExchangeBody {
  return {
    kind: "stream",
    stream: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    }),
  };
}

async function drain(events: AsyncIterator<ExchangeEvent, undefined>): Promise<ExchangeEvent[]> {
  const out: ExchangeEvent[] = [];
  for (let r = await events.next(); !r.done; r = await events.next()) out.push(r.value);
  return out;
}

async function run(mock: MockTransport, init: RequestInit = {}): Promise<ExchangeEvent[]> {
  // Every exchange these tests play is checked against the Transport contract.
  return await drain(checkedTransport(mock).exchange(request(init), new AbortController().signal));
}

// A compact, comparable form of an event list.
function trace(events: readonly ExchangeEvent[]): string[] {
  return events.map((e) => {
    switch (e.type) {
      case "uploadProgress":
        return `uploadProgress(${e.bytesSent},${e.bytesTotal})`;
      case "responseHead":
        return `responseHead(${e.head.status})`;
      case "data":
        return `data(${decoder.decode(e.bytes)},${e.wireBytes})`;
      case "error":
        return `error(${e.code})`;
      case "ask":
        return `ask(${e.question.kind})`;
      default:
        return e.type;
    }
  });
}

function lastError(events: readonly ExchangeEvent[]): Extract<ExchangeEvent, { type: "error" }> {
  const last = events.at(-1);
  assert.ok(
    last !== undefined && last.type === "error",
    `expected an error event, got ${trace(events).join(" ")}`,
  );
  return last;
}

function head(events: readonly ExchangeEvent[]): Extract<ExchangeEvent, { type: "responseHead" }>["head"] {
  const event = events.find((e) => e.type === "responseHead");
  assert.ok(event !== undefined && event.type === "responseHead");
  return event.head;
}

async function matches(options: MockInterceptOptions, init: RequestInit): Promise<boolean> {
  const mock = new MockTransport();
  mock.intercept(options).reply(200);
  const events = await run(mock, init);
  return events.at(-1)?.type === "end";
}

Deno.test("MockTransport matches method, url, headers and body as documented", async () => {
  const post = (body: string, headers: HeadersInit = {}): RequestInit => ({
    method: "POST",
    url: "https://api.test/items?x=1",
    headers,
    body: bytesBody(body),
  });
  const table: [string, MockInterceptOptions, RequestInit, boolean][] = [
    ["no criteria", {}, {}, true],
    ["same method", { method: "GET" }, {}, true],
    ["other method", { method: "POST" }, {}, false],
    ["method is case-sensitive", { method: "get" }, {}, false],
    ["custom verb", { method: "PURGE" }, { method: "PURGE" }, true],
    ["url string equal", { url: "http://api.test/" }, {}, true],
    ["url string normalised", { url: "HTTP://API.test:80" }, {}, true],
    ["url URL object", { url: new URL("http://api.test/") }, {}, true],
    ["url string other path", { url: "http://api.test/x" }, {}, false],
    ["url string query matters", { url: "https://api.test/items" }, post(""), false],
    ["url RegExp", { url: /\/items\?x=1$/ }, post(""), true],
    ["url RegExp miss", { url: /\/users/ }, post(""), false],
    ["url global RegExp twice", { url: /items/g }, post(""), true],
    ["url function", { url: (u) => u.searchParams.get("x") === "1" }, post(""), true],
    ["url function false", { url: (u) => u.pathname === "/" }, post(""), false],
    ["url function throws", { url: () => JSON.parse("{") }, {}, false],
    [
      "header string, name case-insensitive",
      { headers: { "Content-Type": "application/json" } },
      post("", {
        "content-type": "application/json",
      }),
      true,
    ],
    [
      "header string differs",
      { headers: { "content-type": "application/json" } },
      post("", {
        "content-type": "text/plain",
      }),
      false,
    ],
    ["header absent", { headers: { "x-a": /./ } }, post(""), false],
    [
      "header RegExp",
      { headers: { "content-type": /json/ } },
      post("", { "content-type": "application/json" }),
      true,
    ],
    ["header function", { headers: { "x-n": (v) => Number(v) > 2 } }, post("", { "x-n": "3" }), true],
    [
      "header duplicates combined",
      { headers: { "x-a": "1, 2" } },
      post("", [["x-a", "1"], ["x-a", "2"]]),
      true,
    ],
    ["headers function", { headers: (h) => !h.contains("authorization") }, post(""), true],
    ["headers function false", { headers: (h) => h.contains("authorization") }, post(""), false],
    ["body string", { body: '{"x":1}' }, post('{"x":1}'), true],
    ["body string differs", { body: '{"x":2}' }, post('{"x":1}'), false],
    ["body RegExp", { body: /"x"/ }, post('{"x":1}'), true],
    ["body function", { body: (text) => text.includes("x") }, post('{"x":1}'), true],
    ["body function false", { body: (text) => text.includes("y") }, post('{"x":1}'), false],
    ["no body is the empty text", { body: "" }, {}, true],
    ["stream body is read for matching", { body: "abc" }, {
      method: "POST",
      body: streamBody(["a", "b", "c"]),
    }, true],
    [
      "all criteria",
      { method: "POST", url: /items/, headers: { "x-a": "1" }, body: "b" },
      post("b", { "x-a": "1" }),
      true,
    ],
    [
      "all but one",
      { method: "POST", url: /items/, headers: { "x-a": "2" }, body: "b" },
      post("b", { "x-a": "1" }),
      false,
    ],
  ];
  for (const [name, options, init, expected] of table) {
    assert.equal(await matches(options, init), expected, name);
  }
});

Deno.test("MockTransport uses the first matching interceptor in registration order", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: /other/ }).reply(500);
  mock.intercept({ method: "GET" }).reply(201);
  mock.intercept({}).reply(202);
  assert.equal(head(await run(mock)).status, 201);
  assert.equal(head(await run(mock)).status, 202);
});

Deno.test("MockTransport answers once by default, n times with times(n), forever with persist()", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "http://api.test/once" }).reply(200, "1");
  mock.intercept({ url: "http://api.test/twice" }).reply(200, "2").times(2);
  mock.intercept({ url: "http://api.test/always" }).reply(200, "3").persist();

  assert.equal(lastOf(await run(mock, { url: "http://api.test/once" })), "end");
  const again = lastError(await run(mock, { url: "http://api.test/once" }));
  assert.equal(again.code, NetworkError.ConnectionRefusedError);
  assert.match(again.message, /#1 \* http:\/\/api\.test\/once: matches but is used up \(used 1 of 1 times\)/);

  assert.equal(lastOf(await run(mock, { url: "http://api.test/twice" })), "end");
  assert.equal(lastOf(await run(mock, { url: "http://api.test/twice" })), "end");
  assert.equal(lastOf(await run(mock, { url: "http://api.test/twice" })), "error");

  for (let i = 0; i < 5; i++) assert.equal(lastOf(await run(mock, { url: "http://api.test/always" })), "end");
  assert.deepEqual(mock.pendingInterceptors(), []);
  mock.assertNoPendingInterceptors();
});

function lastOf(events: readonly ExchangeEvent[]): string | undefined {
  return events.at(-1)?.type;
}

Deno.test("MockTransport records every call in order, matched or not, as copies", async () => {
  const mock = new MockTransport();
  mock.intercept({ method: "POST" }).reply(201);
  const sent = request({
    method: "POST",
    url: "http://api.test/a",
    headers: { "X-A": "1" },
    body: bytesBody("hi"),
  });
  await drain(mock.exchange(sent, new AbortController().signal));
  await run(mock, { url: "http://api.test/b" });
  await run(mock, { method: "PUT", url: "http://api.test/c", body: streamBody(["x", "yz"]) });

  const calls = mock.calls;
  assert.deepEqual(calls.map((c) => `${c.method} ${c.url.href}`), [
    "POST http://api.test/a",
    "GET http://api.test/b",
    "PUT http://api.test/c",
  ]);
  assert.deepEqual(calls[0].headers.toListOfPairs(), [["x-a", "1"]]);
  assert.equal(decoder.decode(calls[0].body!), "hi");
  assert.equal(calls[1].body, null);
  assert.equal(decoder.decode(calls[2].body!), "xyz");
  // Copies: changing what the manager passed does not change the history.
  sent.headers.append("x-b", "2");
  (sent.body as { bytes: Uint8Array }).bytes[0] = 0;
  assert.equal(mock.calls[0].headers.size(), 1);
  assert.equal(decoder.decode(mock.calls[0].body!), "hi");

  mock.clearCalls();
  assert.deepEqual(mock.calls, []);
});

Deno.test("MockTransport's no-match error names the request and why each interceptor did not match", async () => {
  const empty = lastError(await run(new MockTransport(), { method: "DELETE", url: "http://api.test/x" }));
  assert.equal(empty.code, NetworkError.ConnectionRefusedError);
  assert.equal(
    empty.message,
    "MockTransport: no interceptor matches DELETE http://api.test/x\n  no interceptors are registered",
  );

  const mock = new MockTransport();
  mock.intercept({ method: "GET", url: "http://api.test/users" }).reply(200);
  mock.intercept({ url: /\/slow$/ }).reply(200);
  mock.intercept({
    url: function isDown(u) {
      return u.pathname === "/down";
    },
  }).reply(200);
  mock.intercept({ method: "POST", headers: { "content-type": /json/ } }).reply(200);
  mock.intercept({ method: "POST", body: "abc" }).reply(200);
  const events = await run(mock, {
    method: "POST",
    url: "http://api.test/echo",
    headers: { "content-type": "text/plain" },
    body: bytesBody("xyz"),
  });
  assert.deepEqual(trace(events), ["error(1)"]);
  assert.equal(
    lastError(events).message,
    [
      "MockTransport: no interceptor matches POST http://api.test/echo",
      "  #1 GET http://api.test/users: method POST is not GET",
      "  #2 * /\\/slow$/: url does not match /\\/slow$/",
      "  #3 * <function isDown>: url function returned false",
      '  #4 POST * [headers: content-type /json/]: header content-type "text/plain" does not match /json/',
      '  #5 POST * [body: "abc"]: body "xyz" is not "abc"',
    ].join("\n"),
  );
  assert.equal(mock.calls.length, 1);
});

Deno.test("MockTransport.assertNoPendingInterceptors lists the pending interceptors", async () => {
  const mock = new MockTransport();
  mock.assertNoPendingInterceptors();
  mock.intercept({ method: "GET", url: "https://api.test/users" }).reply(200);
  mock.intercept({ url: /\/slow$/ }).reply(200).times(2);
  mock.intercept({ url: "http://api.test/" }).reply(200).persist();
  mock.intercept({ url: "http://api.test/used" }).reply(200);
  await run(mock, { url: "http://api.test/slow" });
  await run(mock, { url: "http://api.test/used" });

  assert.throws(() => mock.assertNoPendingInterceptors(), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(
      e.message,
      [
        "MockTransport: 3 interceptors are pending:",
        "  #1 GET https://api.test/users (used 0 of 1 times)",
        "  #2 * /\\/slow$/ (used 1 of 2 times)",
        "  #3 * http://api.test/ (persistent, used 0 times)",
      ].join("\n"),
    );
    return true;
  });
  assert.deepEqual(mock.pendingInterceptors().map((i) => [i.timesInvoked, i.times, i.persist]), [
    [0, 1, false],
    [1, 2, false],
    [0, 1, true],
  ]);

  await run(mock, { url: "https://api.test/users" });
  await run(mock, { url: "http://api.test/slow" });
  assert.throws(
    () => mock.assertNoPendingInterceptors(),
    {
      message: "MockTransport: 1 interceptor is pending:\n  #3 * http://api.test/ (persistent, used 0 times)",
    },
  );
  await run(mock);
  mock.assertNoPendingInterceptors();
});

Deno.test("MockTransport emits the events in contract order for each request body kind", async () => {
  const cases: [string, ExchangeBody | null, string[]][] = [
    ["no body", null, []],
    ["empty fixed body", bytesBody(""), ["uploadProgress(0,0)"]],
    ["fixed body", bytesBody("hello"), ["uploadProgress(0,5)", "uploadProgress(5,5)"]],
    ["stream body", streamBody(["ab", "", "cde"]), [
      "uploadProgress(0,-1)",
      "uploadProgress(2,-1)",
      "uploadProgress(5,-1)",
      "uploadProgress(5,5)",
    ]],
    ["empty stream body", streamBody([]), ["uploadProgress(0,-1)", "uploadProgress(0,0)"]],
  ];
  for (const [name, body, upload] of cases) {
    const mock = new MockTransport();
    mock.intercept().reply(200, "ok");
    const events = await run(mock, { method: "POST", body });
    assert.deepEqual(
      trace(events),
      [...upload, "requestSent", "responseHead(200)", "data(ok,2)", "end"],
      name,
    );
  }
});

Deno.test("MockTransport plays a chunked body as one data event per chunk, strings as UTF-8", async () => {
  const mock = new MockTransport();
  mock.intercept().reply(200, { chunks: ["a", new Uint8Array([0xc3, 0xa9]), { data: "" }, { data: "ü" }] });
  const events = await run(mock);
  assert.deepEqual(trace(events), [
    "requestSent",
    "responseHead(200)",
    "data(a,1)",
    "data(é,2)",
    "data(ü,2)",
    "end",
  ]);
  assert.equal(head(events).headers.contains("content-length"), false);
});

Deno.test("MockTransport builds the response head from status, headers, reason phrase and http2", async () => {
  const check = async (
    configure: (mock: MockTransport) => void,
    expectHead: { status: number; reasonPhrase: string; headers: [string, string][]; http2: boolean },
    init: RequestInit = {},
  ): Promise<ExchangeEvent[]> => {
    const mock = new MockTransport();
    configure(mock);
    const events = await run(mock, init);
    const h = head(events);
    assert.deepEqual(
      { status: h.status, reasonPhrase: h.reasonPhrase, headers: h.headers.toListOfPairs(), http2: h.http2 },
      expectHead,
    );
    return events;
  };
  await check((m) => m.intercept().reply(200, "hi", { headers: { "Content-Type": "text/plain" } }), {
    status: 200,
    reasonPhrase: "OK",
    headers: [["content-type", "text/plain"], ["content-length", "2"]],
    http2: false,
  });
  await check((m) => m.intercept().reply(404, new Uint8Array([1, 2, 3])), {
    status: 404,
    reasonPhrase: "Not Found",
    headers: [["content-length", "3"]],
    http2: false,
  });
  await check((m) => m.intercept().reply(299), {
    status: 299,
    reasonPhrase: "",
    headers: [["content-length", "0"]],
    http2: false,
  });
  await check((m) => m.intercept().reply(204), {
    status: 204,
    reasonPhrase: "No Content",
    headers: [],
    http2: false,
  });
  await check(
    (m) => m.intercept().reply(200, "hi", { headers: [["content-length", "7"]], reasonPhrase: "Fine" }),
    {
      status: 200,
      reasonPhrase: "Fine",
      headers: [["content-length", "7"]],
      http2: false,
    },
  );
  await check(
    (m) => m.intercept().reply(200, "", { http2: true, headers: new HttpHeaders([["set-cookie", "a=1"]]) }),
    {
      status: 200,
      reasonPhrase: "",
      headers: [["set-cookie", "a=1"], ["content-length", "0"]],
      http2: true,
    },
  );
  const headEvents = await check((m) => m.intercept().reply(200, "body"), {
    status: 200,
    reasonPhrase: "OK",
    headers: [["content-length", "4"]],
    http2: false,
  }, { method: "HEAD" });
  assert.deepEqual(trace(headEvents), ["requestSent", "responseHead(200)", "end"]);
});

Deno.test("MockTransport gives every exchange of a persistent reply its own headers and bytes", async () => {
  const mock = new MockTransport();
  mock.intercept().reply(200, "abc").persist();
  const first = await run(mock);
  head(first).headers.append("x-mutated", "1");
  const data = first.find((e) => e.type === "data");
  assert.ok(data?.type === "data");
  data.bytes.fill(0);
  const second = await run(mock);
  assert.deepEqual(head(second).headers.toListOfPairs(), [["content-length", "3"]]);
  assert.deepEqual(trace(second).slice(2), ["data(abc,3)", "end"]);
});

Deno.test("MockTransport replyWithError fails before sending, or after it with afterRequestSent", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "http://api.test/refused" }).replyWithError(NetworkError.ConnectionRefusedError);
  mock.intercept({ url: "http://api.test/closed" }).replyWithError(
    NetworkError.RemoteHostClosedError,
    undefined,
    {
      afterRequestSent: true,
    },
  );
  mock.intercept({ url: "http://api.test/custom" }).replyWithError(
    NetworkError.HostNotFoundError,
    "Host api.test not found",
    {
      connecting: true,
    },
  );

  const refused = await run(mock, { method: "POST", url: "http://api.test/refused", body: bytesBody("x") });
  assert.deepEqual(trace(refused), ["error(1)"]);
  assert.equal(lastError(refused).message, "Connection refused");

  const closed = await run(mock, { method: "POST", url: "http://api.test/closed", body: bytesBody("x") });
  assert.deepEqual(trace(closed), ["uploadProgress(0,1)", "uploadProgress(1,1)", "requestSent", "error(2)"]);
  assert.equal(lastError(closed).message, "Connection closed");

  const custom = await run(mock, { url: "http://api.test/custom" });
  assert.deepEqual(trace(custom), ["connecting", "error(3)"]);
  assert.equal(lastError(custom).message, "Host api.test not found");
  assert.equal(mock.calls.length, 3);
});

Deno.test("MockTransport fails after the head and some data at an error chunk", async () => {
  const mock = new MockTransport();
  mock.intercept().reply(200, { chunks: ["abc", { error: NetworkError.RemoteHostClosedError }] });
  mock.intercept().reply(200, {
    chunks: [{ error: NetworkError.ProtocolFailure, message: "Data corrupted here" }],
  });
  const events = await run(mock);
  assert.deepEqual(trace(events), ["requestSent", "responseHead(200)", "data(abc,3)", "error(2)"]);
  assert.equal(lastError(events).message, "Connection closed");
  const corrupt = await run(mock);
  assert.deepEqual(trace(corrupt), ["requestSent", "responseHead(200)", "error(399)"]);
  assert.equal(lastError(corrupt).message, "Data corrupted here");
});

Deno.test("MockTransport plays connecting, sslErrors and encrypted, asking about the errors after the event", async () => {
  const errors = [new SslError(SslErrorKind.SelfSignedCertificate)];
  const configuration = { protocol: "TLSv1.3" };
  const asked: (readonly SslError[])[] = [];
  const make = (ignore: boolean): ExchangeRequest =>
    request({
      url: "https://api.test/",
      answer: (question) => {
        assert.equal(question.kind, "sslErrors");
        if (question.kind === "sslErrors") asked.push(question.errors);
        return ignore;
      },
    });
  const mock = new MockTransport();
  mock.intercept().reply(200, "", { connecting: true, sslErrors: errors, encrypted: configuration }).times(2);
  mock.intercept().reply(200, "", { encrypted: configuration });

  const ignored = checkedTransport(mock).exchange(make(true), new AbortController().signal);
  assert.equal((await ignored.next()).value?.type, "connecting");
  const sslEvent = (await ignored.next()).value;
  assert.ok(sslEvent?.type === "ask" && sslEvent.question.kind === "sslErrors");
  assert.deepEqual(sslEvent.question.errors, errors);
  assert.equal(asked.length, 0, "asked only after the consumer pulled past sslErrors");
  const encrypted = (await ignored.next()).value;
  assert.equal(asked.length, 1);
  assert.deepEqual(encrypted, { type: "encrypted", configuration });
  assert.deepEqual(trace(await drain(ignored)), ["requestSent", "responseHead(200)", "end"]);

  const refused = await drain(checkedTransport(mock).exchange(make(false), new AbortController().signal));
  assert.deepEqual(trace(refused), ["connecting", "ask(sslErrors)", "error(6)"]);
  assert.equal(lastError(refused).message, "SSL handshake failed");

  assert.deepEqual(trace(await run(mock)), ["encrypted", "requestSent", "responseHead(200)", "end"]);
});

Deno.test("MockTransport turns a throwing answer into an error event", async () => {
  const mock = new MockTransport();
  mock.intercept().reply(200, "", { sslErrors: [new SslError(SslErrorKind.HostNameMismatch)] });
  const events = await run(mock, {
    answer: () => {
      throw new Error("listener broke");
    },
  });
  assert.deepEqual(trace(events), ["ask(sslErrors)", "error(99)"]);
  assert.equal(lastError(events).message, "MockTransport: GET http://api.test/ failed: listener broke");
});

Deno.test("MockTransport computes a reply with a callback, sync or async", async () => {
  const mock = new MockTransport();
  mock.intercept({ method: "POST" }).reply((call) => ({ status: 201, body: call.body }), {
    headers: { "x-default": "1" },
  });
  mock.intercept({ method: "PUT" }).reply(async (call) => {
    await Promise.resolve();
    return {
      status: 200,
      body: { chunks: [call.url.pathname] },
      headers: { "x-own": "2" },
      reasonPhrase: "Yes",
    };
  });
  const created = await run(mock, { method: "POST", body: bytesBody("echo") });
  assert.deepEqual(trace(created).slice(-3), ["responseHead(201)", "data(echo,4)", "end"]);
  assert.deepEqual(head(created).headers.toListOfPairs(), [["x-default", "1"], ["content-length", "4"]]);
  const put = await run(mock, { method: "PUT", url: "http://api.test/path" });
  assert.equal(head(put).reasonPhrase, "Yes");
  assert.deepEqual(head(put).headers.toListOfPairs(), [["x-own", "2"]]);
  assert.deepEqual(trace(put).slice(-2), ["data(/path,5)", "end"]);
});

Deno.test("MockTransport reports a failing reply callback as UnknownNetworkError naming the request", async () => {
  const mock = new MockTransport();
  mock.intercept({ method: "GET" }).reply(() => {
    throw new Error("boom");
  });
  mock.intercept({ method: "POST" }).reply(() => Promise.resolve({ status: 42 }));
  const thrown = await run(mock, { url: "http://api.test/a" });
  assert.deepEqual(trace(thrown), ["requestSent", "error(99)"]);
  assert.equal(
    lastError(thrown).message,
    "MockTransport: the reply callback for GET http://api.test/a failed: boom",
  );
  assert.ok(lastError(thrown).cause instanceof Error);
  const invalid = await run(mock, { method: "POST", url: "http://api.test/b" });
  assert.equal(lastError(invalid).code, NetworkError.UnknownNetworkError);
  assert.equal(
    lastError(invalid).message,
    "MockTransport: the reply callback for POST http://api.test/b failed: " +
      "Cannot reply with status 42: expected an integer from 200 to 999",
  );
});

Deno.test("MockTransport reports a request body stream that errors", async () => {
  const mock = new MockTransport();
  mock.intercept().reply(200);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new Error("disk gone"));
    },
  });
  const events = await run(mock, {
    method: "POST",
    url: "http://api.test/up",
    body: { kind: "stream", stream },
  });
  assert.deepEqual(trace(events), ["error(99)"]);
  assert.equal(
    lastError(events).message,
    "MockTransport: reading the request body of POST http://api.test/up failed: disk gone",
  );
  assert.equal(mock.calls.length, 0);
});

Deno.test("MockTransport waits for chunk delays and the head delay on fake timers, only when asked", async () => {
  await withFakeClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept().reply(200, { chunks: ["a", { data: "b", delay: 50 }] }).delay(100);
    const events = mock.exchange(request(), new AbortController().signal);
    assert.equal((await events.next()).value?.type, "requestSent");

    let settled = false;
    const headPromise = events.next().then((r) => {
      settled = true;
      return r;
    });
    await clock.tickAsync(99);
    assert.equal(settled, false);
    await clock.tickAsync(1);
    assert.equal((await headPromise).value?.type, "responseHead");
    assert.equal(trace([(await events.next()).value!])[0], "data(a,1)");

    // Backpressure: a chunk's delay starts when it is asked for, not before.
    await clock.tickAsync(1000);
    assert.equal(clock.countTimers(), 0);
    settled = false;
    const b = events.next().then((r) => {
      settled = true;
      return r;
    });
    assert.equal(clock.countTimers(), 1);
    await clock.tickAsync(49);
    assert.equal(settled, false);
    await clock.tickAsync(1);
    assert.equal(trace([(await b).value!])[0], "data(b,1)");
    assert.equal((await events.next()).value?.type, "end");
    assert.deepEqual(await events.next(), { done: true, value: undefined });
    assert.equal(clock.countTimers(), 0);
  });
});

Deno.test("MockTransport settles a pending next() with done and clears the timer when the signal aborts", async () => {
  await withFakeClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept().reply(200, { chunks: [{ data: "late", delay: 1000 }] }).persist();
    mock.intercept().reply(200).delay(500);

    const controller = new AbortController();
    const events = mock.exchange(request(), controller.signal);
    assert.equal((await events.next()).value?.type, "requestSent");
    assert.equal((await events.next()).value?.type, "responseHead");
    const pending = events.next();
    assert.equal(clock.countTimers(), 1);
    controller.abort();
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.equal(clock.countTimers(), 0);
    assert.deepEqual(await events.next(), { done: true, value: undefined });
  });
});

Deno.test("MockTransport aborted during the head delay, before the first next() or while reading the body stream", async () => {
  await withFakeClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept().reply(200).delay(500).persist();

    const duringDelay = new AbortController();
    const events = mock.exchange(request(), duringDelay.signal);
    assert.equal((await events.next()).value?.type, "requestSent");
    const pending = events.next();
    duringDelay.abort();
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.equal(clock.countTimers(), 0);

    const before = new AbortController();
    before.abort();
    assert.deepEqual(await mock.exchange(request(), before.signal).next(), { done: true, value: undefined });

    let cancelled: unknown = null;
    const endless = new ReadableStream<Uint8Array>({
      pull() {
        return new Promise(() => {});
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const duringUpload = new AbortController();
    const upload = mock.exchange(
      request({ method: "POST", body: { kind: "stream", stream: endless } }),
      duringUpload.signal,
    );
    const first = upload.next();
    await clock.tickAsync(0);
    duringUpload.abort(new Error("stop"));
    assert.deepEqual(await first, { done: true, value: undefined });
    assert.ok(cancelled instanceof Error && cancelled.message === "stop");

    // Only the exchange that got past its body was recorded.
    assert.equal(mock.calls.length, 1);
  });
});

Deno.test("MockTransport return() ends an exchange early, also during a delay", async () => {
  await withFakeClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept().reply(302, { chunks: ["redirect body", { data: "more", delay: 100 }] }).times(2);

    const early = mock.exchange(request(), new AbortController().signal);
    assert.equal((await early.next()).value?.type, "requestSent");
    assert.equal((await early.next()).value?.type, "responseHead");
    assert.deepEqual(await early.return!(), { done: true, value: undefined });
    assert.deepEqual(await early.next(), { done: true, value: undefined });

    const delayed = mock.exchange(request(), new AbortController().signal);
    await delayed.next();
    await delayed.next();
    await delayed.next();
    const pending = delayed.next();
    assert.equal(clock.countTimers(), 1);
    assert.deepEqual(await delayed.return!(), { done: true, value: undefined });
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.equal(clock.countTimers(), 0);
  });
});

Deno.test("MockTransport.close() ends running exchanges and fails new ones", async () => {
  await withFakeClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept().reply(200, "x").delay(100).persist();
    const running = mock.exchange(request({ url: "http://api.test/run" }), new AbortController().signal);
    assert.equal((await running.next()).value?.type, "requestSent");
    const pending = running.next();
    await mock.close();
    const closed = await pending;
    assert.ok(!closed.done && closed.value.type === "error");
    assert.equal(closed.value.code, NetworkError.RemoteHostClosedError);
    assert.equal(
      closed.value.message,
      "MockTransport: the transport was closed while GET http://api.test/run was running",
    );
    assert.deepEqual(await running.next(), { done: true, value: undefined });
    assert.equal(clock.countTimers(), 0);

    const later = await drain(
      mock.exchange(request({ url: "http://api.test/later" }), new AbortController().signal),
    );
    assert.deepEqual(trace(later), ["error(1)"]);
    assert.equal(
      lastError(later).message,
      "MockTransport: the transport is closed; cannot send GET http://api.test/later",
    );
    await mock.close();
    assert.equal(mock.calls.length, 1);
  });
});

Deno.test("MockTransport exchange() does nothing before the first next()", async () => {
  const mock = new MockTransport();
  let called = false;
  mock.intercept().reply(() => {
    called = true;
    return { status: 200 };
  });
  const events = mock.exchange(request(), new AbortController().signal);
  await Promise.resolve();
  assert.equal(called, false);
  assert.equal(mock.calls.length, 0);
  assert.deepEqual(trace(await drain(events)), ["requestSent", "responseHead(200)", "end"]);
  assert.equal(called, true);
});

Deno.test("MockTransport rejects invalid interceptors at registration with a message naming the value", () => {
  const mock = new MockTransport();
  const cases: [() => unknown, ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor, string][] = [
    [
      () => mock.intercept().reply(99),
      RangeError,
      "Cannot reply with status 99: expected an integer from 200 to 999",
    ],
    [
      () => mock.intercept().reply(200.5),
      RangeError,
      "Cannot reply with status 200.5: expected an integer from 200 to 999",
    ],
    [
      () => mock.intercept().reply(200).times(0),
      RangeError,
      "Cannot set times to 0: expected a positive integer",
    ],
    [
      () => mock.intercept().reply(200).delay(-1),
      RangeError,
      "Cannot set delay to -1: expected a finite number of milliseconds >= 0",
    ],
    [
      () => mock.intercept().reply(200, { chunks: [{ data: "a", delay: NaN }] }),
      RangeError,
      "Cannot set the delay of body chunk 0 to NaN: expected a finite number of milliseconds >= 0",
    ],
    [
      () => mock.intercept().reply(200, { chunks: [{ error: NetworkError.RemoteHostClosedError }, "a"] }),
      TypeError,
      "Cannot use body chunk 0: an error chunk must be the last chunk, but 1 follow it",
    ],
    [
      () => mock.intercept().reply(200, { chunks: [42 as unknown as string] }),
      TypeError,
      "Cannot use body chunk 0: expected a string, Uint8Array, { data } or { error }",
    ],
    [
      () => mock.intercept().reply(200, "", { headers: { "x-a": "a\r\nb" } }),
      TypeError,
      'Cannot set header "x-a": value contains CR or LF',
    ],
    [
      () => mock.intercept().reply(200, "", { reasonPhrase: "O\nK" }),
      TypeError,
      'Cannot reply with reason phrase "O\\nK": expected one line of text',
    ],
    [
      () => mock.intercept().replyWithError(NetworkError.NoError),
      TypeError,
      "Cannot reply with error 0: expected a NetworkError code other than NoError",
    ],
    [
      () => mock.intercept({ url: "/relative" }),
      TypeError,
      'Cannot intercept url "/relative": not an absolute URL',
    ],
    [
      () => mock.intercept({ method: "GET /" }),
      TypeError,
      'Cannot intercept method "GET /": not an HTTP method token',
    ],
    [
      () => mock.intercept({ headers: { "x-a": 1 as unknown as string } }),
      TypeError,
      'Cannot intercept: header "x-a" must be a string, RegExp or function, got number',
    ],
    [
      () => {
        const interceptor = mock.intercept({ method: "GET" });
        interceptor.reply(200);
        interceptor.reply(201);
      },
      TypeError,
      "Cannot reply twice: interceptor GET * already has a reply",
    ],
  ];
  for (const [fn, type, message] of cases) {
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof type, `${message}: got ${String(e)}`);
      assert.equal((e as Error).message, message);
      return true;
    });
  }
  // Only the interceptor that got a valid reply was registered.
  assert.deepEqual(mock.pendingInterceptors().map((i) => i.description), [
    "#1 * *",
    "#2 * *",
    "#3 GET *",
  ]);
});
