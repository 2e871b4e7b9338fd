/**
 * The fetch transport driven directly: event order, upload progress, request
 * framing, response heads, backpressure, abort and return().
 */
import assert from "node:assert/strict";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { NetworkError } from "../../src/core/network_error.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import type { ExchangeEvent, ExchangeRequest } from "../../src/transport/transport.ts";
import { describeEvent, exchangeRequest, type ExchangeResult, runExchange } from "../support/exchange.ts";
import { headerOf, silent, stallAfter, startRawHttpServer } from "../support/raw_http_server.ts";
import type { RawHttpServer } from "../support/raw_http_server.ts";
import { serveHttp } from "../support/servers.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const OK_EMPTY = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

type ExchangeError = Extract<ExchangeEvent, { type: "error" }>;

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]));
      else controller.close();
    },
  });
}

/**
 * One exchange on a fresh transport against a server that answers `OK_EMPTY`:
 * what the transport reported and what the server received.
 */
async function exchangeWithOkServer(
  overrides: Partial<ExchangeRequest>,
): Promise<{ result: ExchangeResult; requests: RawHttpServer["requests"] }> {
  await using server = startRawHttpServer(OK_EMPTY);
  const transport = new FetchTransport();
  try {
    const result = await runExchange(transport, exchangeRequest(server.url, overrides));
    return { result, requests: server.requests };
  } finally {
    await transport.close();
  }
}

/**
 * Starts a GET to `server` (which must stay silent), aborts it with `reason`
 * once the request has arrived, and returns the error event the pending
 * next() settled with, and the exchange for what comes after.
 */
async function abortWhileAwaitingResponse(
  transport: FetchTransport,
  server: RawHttpServer,
  reason?: unknown,
): Promise<{ error: ExchangeError; events: AsyncIterator<ExchangeEvent, undefined> }> {
  const controller = new AbortController();
  const events = transport.exchange(exchangeRequest(server.url), controller.signal);
  const pending = events.next();
  await server.nextRequest();
  controller.abort(reason);
  const step = await pending;
  assert.equal(step.done, false);
  return { error: step.value as ExchangeError, events };
}

Deno.test("fetch transport: a GET gives requestSent, responseHead, data, end", async () => {
  await using server = serveHttp(() => new Response("hello", { headers: { "x-Mixed-Case": "1" } }));
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(server.url));
  assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "data", "end"]);
  assert.equal(decoder.decode(result.body), "hello");
  assert.equal(result.head?.reasonPhrase, "OK");
  assert.equal(result.head?.http2, undefined);
  assert.equal(result.head?.headers.value("x-mixed-case"), "1");
  assert.ok(result.head?.headers.toListOfPairs().every(([name]) => name === name.toLowerCase()));
  // wireBytes equals the bytes where nothing is decoded.
  const data = result.events.filter((e) => e.type === "data");
  assert.equal(data.reduce((n, e) => n + e.wireBytes, 0), 5);
  await transport.close();
});

Deno.test("fetch transport: headers come in the runtime's order, Set-Cookie fields stay separate", async () => {
  await using server = startRawHttpServer(
    "HTTP/1.1 200 OK\r\nZeta: 1\r\nalpha: 2\r\nSet-Cookie: a=1; Path=/\r\nMid: 3\r\nSet-Cookie: b=2; HttpOnly\r\n" +
      "X-Dup: one\r\nbeta: 4\r\nX-Dup: two\r\nContent-Length: 2\r\n\r\nok",
  );
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(server.url));
  // Deno sorts (the Fetch standard's Headers order) and joins duplicates except Set-Cookie.
  assert.deepEqual(result.head?.headers.toListOfPairs(), [
    ["alpha", "2"],
    ["beta", "4"],
    ["content-length", "2"],
    ["mid", "3"],
    ["set-cookie", "a=1; Path=/"],
    ["set-cookie", "b=2; HttpOnly"],
    ["x-dup", "one, two"],
    ["zeta", "1"],
  ]);
  await transport.close();
});

Deno.test("fetch transport: the reason phrase is the runtime's statusText", async (t) => {
  const transport = new FetchTransport();
  for (
    const [statusLine, status, phrase] of [
      // Deno replaces the server's phrase with the standard one.
      ["HTTP/1.1 200 Fine Thanks", 200, "OK"],
      ["HTTP/1.1 404 Nope", 404, "Not Found"],
      ["HTTP/1.1 299", 299, ""],
    ] as const
  ) {
    await t.step(statusLine, async () => {
      await using server = startRawHttpServer(`${statusLine}\r\nContent-Length: 0\r\n\r\n`);
      const result = await runExchange(transport, exchangeRequest(server.url));
      assert.equal(result.head?.status, status);
      assert.equal(result.head?.reasonPhrase, phrase);
    });
  }
  await transport.close();
});

Deno.test("fetch transport: a fixed body reports (0, total) and (total, total) at requestSent", async () => {
  const { result, requests } = await exchangeWithOkServer({
    method: "POST",
    body: { kind: "bytes", bytes: encoder.encode("hello") },
  });
  assert.deepEqual(result.trace, [
    "uploadProgress(0,5)",
    "uploadProgress(5,5)",
    "requestSent",
    "responseHead(200)",
    "end",
  ]);
  const [request] = requests;
  assert.equal(request.method, "POST");
  assert.equal(headerOf(request, "content-length"), "5");
  assert.equal(headerOf(request, "transfer-encoding"), undefined);
  assert.equal(decoder.decode(request.body), "hello");
});

Deno.test("fetch transport: an empty body reports exactly one (0, 0) and sends Content-Length: 0", async () => {
  const { result, requests } = await exchangeWithOkServer({
    method: "POST",
    body: { kind: "bytes", bytes: new Uint8Array(0) },
  });
  assert.deepEqual(result.trace, ["uploadProgress(0,0)", "requestSent", "responseHead(200)", "end"]);
  assert.equal(headerOf(requests[0], "content-length"), "0");
});

Deno.test("fetch transport: no body, no upload progress", async () => {
  const { result } = await exchangeWithOkServer({ method: "POST" });
  assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "end"]);
});

Deno.test("fetch transport: a stream body reports (0, -1), the bytes pulled, then (n, n); sent chunked", async () => {
  const { result, requests } = await exchangeWithOkServer({
    method: "PUT",
    body: { kind: "stream", stream: streamOf("ab", "cde", "f") },
  });
  const progress = result.events.filter((e) => e.type === "uploadProgress");
  assert.deepEqual(progress[0], { type: "uploadProgress", bytesSent: 0, bytesTotal: -1 });
  assert.deepEqual(progress.at(-1), { type: "uploadProgress", bytesSent: 6, bytesTotal: 6 });
  for (const event of progress.slice(1, -1)) assert.equal(event.bytesTotal, -1);
  const sent = progress.map((e) => e.bytesSent);
  assert.deepEqual(sent, [...sent].sort((a, b) => a - b), "progress never goes back");
  assert.deepEqual(result.trace.slice(-3), ["requestSent", "responseHead(200)", "end"]);
  const [request] = requests;
  assert.equal(headerOf(request, "transfer-encoding"), "chunked");
  assert.equal(decoder.decode(request.body), "abcdef");
});

Deno.test("fetch transport: an empty stream body reports exactly one (0, 0)", async () => {
  const { result } = await exchangeWithOkServer({
    method: "POST",
    body: { kind: "stream", stream: streamOf() },
  });
  assert.deepEqual(result.trace, ["uploadProgress(0,0)", "requestSent", "responseHead(200)", "end"]);
});

Deno.test("fetch transport: TRACE, TRACK and CONNECT fail with ProtocolInvalidOperationError", async (t) => {
  await using server = startRawHttpServer(OK_EMPTY);
  const transport = new FetchTransport();
  for (const method of ["TRACE", "track", "CONNECT"]) {
    await t.step(method, async () => {
      const result = await runExchange(transport, exchangeRequest(server.url, { method }));
      assert.deepEqual(result.trace, [`error(${NetworkError.ProtocolInvalidOperationError})`]);
      assert.equal(
        result.error?.message,
        `Method "${method}" cannot be sent over fetch: use the socket transport ({ transport: "socket" })`,
      );
    });
  }
  assert.equal(server.requests.length, 0);
  await transport.close();
});

Deno.test("fetch transport: a GET with a body fails, a GET with an empty body goes without one", async () => {
  await using server = startRawHttpServer(OK_EMPTY);
  const transport = new FetchTransport();
  const refused = await runExchange(
    transport,
    exchangeRequest(server.url, { body: { kind: "bytes", bytes: encoder.encode("x") } }),
  );
  assert.equal(refused.error?.code, NetworkError.ProtocolInvalidOperationError);
  assert.equal(
    refused.error?.message,
    'A GET request cannot carry a body over fetch: use the socket transport ({ transport: "socket" })',
  );
  assert.equal(server.requests.length, 0);

  const empty = await runExchange(
    transport,
    exchangeRequest(server.url, { body: { kind: "bytes", bytes: new Uint8Array(0) } }),
  );
  assert.deepEqual(empty.trace, ["uploadProgress(0,0)", "requestSent", "responseHead(200)", "end"]);
  assert.equal(headerOf(server.requests[0], "content-length"), undefined);
  await transport.close();
});

Deno.test("fetch transport: headers and custom verbs are sent as given; Accept-Encoding added only when decoding", async () => {
  await using server = startRawHttpServer(OK_EMPTY);
  const transport = new FetchTransport();
  const headers = new HttpHeaders([["x-one", "1"], ["x-two", "2"]]);
  await runExchange(transport, exchangeRequest(server.url, { method: "FOO", headers }));
  const [first] = server.requests;
  assert.equal(first.method, "FOO");
  assert.equal(headerOf(first, "x-one"), "1");
  assert.equal(headerOf(first, "x-two"), "2");
  // Deno decodes gzip and br; netreply adds deflate (DecompressionStream); zstd is neither here.
  assert.equal(headerOf(first, "accept-encoding"), "br, gzip, deflate");

  const own = new HttpHeaders([["accept-encoding", "identity"]]);
  await runExchange(transport, exchangeRequest(server.url, { headers: own, decompress: false }));
  assert.equal(headerOf(server.requests[1], "accept-encoding"), "identity");
  await transport.close();
});

Deno.test("fetch transport: redirects are not followed, the 3xx comes with its body", async () => {
  await using server = startRawHttpServer(
    "HTTP/1.1 302 Found\r\nLocation: /final\r\nContent-Length: 10\r\n\r\nmoved body",
  );
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(server.url));
  assert.equal(result.head?.status, 302);
  assert.equal(result.head?.headers.value("location"), "/final");
  assert.equal(decoder.decode(result.body), "moved body");
  assert.equal(server.requests.length, 1);
  await transport.close();
});

Deno.test("fetch transport: HEAD and 204 end without data", async () => {
  await using server = serveHttp((request) =>
    request.method === "HEAD" ? new Response("ignored") : new Response(null, { status: 204 })
  );
  const transport = new FetchTransport();
  const head = await runExchange(transport, exchangeRequest(server.url, { method: "HEAD" }));
  assert.deepEqual(head.trace, ["requestSent", "responseHead(200)", "end"]);
  const noContent = await runExchange(transport, exchangeRequest(server.url, { method: "DELETE" }));
  assert.deepEqual(noContent.trace, ["requestSent", "responseHead(204)", "end"]);
  await transport.close();
});

Deno.test("fetch transport: user info in the URL is not handed to fetch", async () => {
  await using server = startRawHttpServer(OK_EMPTY);
  const transport = new FetchTransport();
  const url = new URL(server.url);
  url.username = "user";
  url.password = "secret";
  const result = await runExchange(transport, exchangeRequest(url));
  assert.equal(result.head?.status, 200);
  assert.equal(headerOf(server.requests[0], "authorization"), undefined);
  await transport.close();
});

Deno.test("fetch transport: IPv6 loopback, Host is [::1]:port", async () => {
  await using server = startRawHttpServer(OK_EMPTY, { hostname: "::1" });
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(server.url));
  assert.equal(result.head?.status, 200);
  assert.equal(headerOf(server.requests[0], "host"), `[::1]:${server.port}`);
  await transport.close();
});

Deno.test("fetch transport: a large body is not read ahead while next() is not called", async () => {
  const total = 64 * 1024 * 1024;
  const chunk = new Uint8Array(64 * 1024);
  let produced = 0;
  await using server = serveHttp(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (produced >= total) return controller.close();
          controller.enqueue(chunk.slice());
          produced += chunk.length;
        },
      }, { highWaterMark: 0 }),
    )
  );
  const transport = new FetchTransport();
  const events = transport.exchange(exchangeRequest(server.url), new AbortController().signal);
  let received = 0;
  for (let step = await events.next(); !step.done; step = await events.next()) {
    if (step.value.type === "data") {
      received += step.value.bytes.length;
      break;
    }
  }
  // Let the pipe fill up: wait until the server has stopped producing (no assertion on time).
  let last = -1;
  while (produced !== last) {
    last = produced;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(
    produced < total / 2,
    `the server produced ${produced} of ${total} bytes while the reader waited`,
  );
  for (let step = await events.next(); !step.done; step = await events.next()) {
    if (step.value.type === "data") received += step.value.bytes.length;
    else assert.equal(step.value.type, "end");
  }
  assert.equal(received, total);
  await transport.close();
});

Deno.test("fetch transport: aborting while waiting for the response settles next() with OperationCanceledError", async () => {
  await using server = startRawHttpServer(silent);
  const transport = new FetchTransport();
  const { error, events } = await abortWhileAwaitingResponse(transport, server);
  assert.equal(error.code, NetworkError.OperationCanceledError);
  assert.equal(error.message, "Operation canceled");
  assert.deepEqual(await events.next(), { done: true, value: undefined });
  await transport.close();
});

Deno.test("fetch transport: a TimeoutError abort reason gives TimeoutError", async () => {
  await using server = startRawHttpServer(silent);
  const transport = new FetchTransport();
  const { error, events } = await abortWhileAwaitingResponse(
    transport,
    server,
    new DOMException("The operation was aborted due to timeout", "TimeoutError"),
  );
  assert.equal(error.code, NetworkError.TimeoutError);
  assert.equal(error.message, "Operation timed out");
  assert.equal((await events.next()).done, true);
  await transport.close();
});

Deno.test("fetch transport: aborting during the body gives OperationCanceledError after the bytes so far", async () => {
  await using server = startRawHttpServer(stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst"));
  const transport = new FetchTransport();
  const controller = new AbortController();
  const events = transport.exchange(exchangeRequest(server.url), controller.signal);
  const seen: string[] = [];
  for (let step = await events.next(); !step.done; step = await events.next()) {
    seen.push(describeEvent(step.value));
    if (step.value.type === "data") break;
  }
  const pending = events.next();
  controller.abort();
  const step = await pending;
  assert.equal(step.done, false);
  seen.push(describeEvent(step.value as ExchangeEvent));
  assert.deepEqual(seen, [
    "requestSent",
    "responseHead(200)",
    "data",
    `error(${NetworkError.OperationCanceledError})`,
  ]);
  assert.equal((await events.next()).done, true);
  await transport.close();
});

Deno.test("fetch transport: an already aborted signal fails before any request", async () => {
  await using server = startRawHttpServer(OK_EMPTY);
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(server.url), AbortSignal.abort());
  assert.deepEqual(result.trace, [`error(${NetworkError.OperationCanceledError})`]);
  assert.equal(server.requests.length, 0);
  await transport.close();
});

Deno.test("fetch transport: return() mid-body releases the body", async () => {
  await using server = startRawHttpServer(
    stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nsome of it"),
  );
  const transport = new FetchTransport();
  const events = transport.exchange(exchangeRequest(server.url), new AbortController().signal);
  for (let step = await events.next(); !step.done; step = await events.next()) {
    if (step.value.type === "data") break;
  }
  assert.deepEqual(await events.return?.(undefined), { done: true, value: undefined });
  assert.deepEqual(await events.next(), { done: true, value: undefined });
  await transport.close();
});

Deno.test("fetch transport: return() while the request is still uploading aborts the fetch", async () => {
  await using server = startRawHttpServer(silent);
  const transport = new FetchTransport();
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(1024));
    },
    cancel() {
      cancelled = true;
    },
  });
  const events = transport.exchange(
    exchangeRequest(server.url, { method: "POST", body: { kind: "stream", stream: body } }),
    new AbortController().signal,
  );
  const first = await events.next();
  assert.equal(first.done ? "done" : first.value.type, "uploadProgress");
  assert.deepEqual(await events.return?.(undefined), { done: true, value: undefined });
  assert.ok(cancelled, "the source of the request body was cancelled");
  await transport.close();
});

Deno.test("fetch transport: a small body of known length is one data event, and the connection is reused", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", {
    keepAlive: true,
  });
  const transport = new FetchTransport();
  for (let i = 0; i < 3; i++) {
    const result = await runExchange(transport, exchangeRequest(server.url));
    assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "data", "end"]);
    assert.equal(result.events.filter((e) => e.type === "data").length, 1);
    assert.equal(decoder.decode(result.body), "hello");
    const data = result.events.find((e) => e.type === "data");
    assert.equal(data?.type === "data" && data.wireBytes, 5);
  }
  assert.equal(server.connectionCount, 1, "the body was released without losing the connection");
  await transport.close();
});

Deno.test("fetch transport: Content-Length 0 ends without data and keeps the connection", async () => {
  await using server = startRawHttpServer(OK_EMPTY, { keepAlive: true });
  const transport = new FetchTransport();
  for (let i = 0; i < 2; i++) {
    const result = await runExchange(transport, exchangeRequest(server.url));
    assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "end"]);
  }
  assert.equal(server.connectionCount, 1);
  await transport.close();
});

Deno.test("fetch transport: a small body is delivered as it arrives, not when it is complete", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  await using server = startRawHttpServer(async (exchange) => {
    await exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nabc");
    await released;
    await exchange.write("defgh");
  });
  const transport = new FetchTransport();
  const events = transport.exchange(exchangeRequest(server.url), new AbortController().signal);
  let step = await events.next();
  while (!step.done && step.value.type !== "data") step = await events.next();
  assert.equal(!step.done && step.value.type === "data" && decoder.decode(step.value.bytes), "abc");
  release();
  const rest = await collectRest(events);
  assert.deepEqual(rest.map((e) => e.type), ["data", "end"]);
  assert.equal(rest[0].type === "data" && decoder.decode(rest[0].bytes), "defgh");
  await transport.close();
});

async function collectRest(events: AsyncIterator<ExchangeEvent, undefined>): Promise<ExchangeEvent[]> {
  const out: ExchangeEvent[] = [];
  for (let step = await events.next(); !step.done; step = await events.next()) out.push(step.value);
  return out;
}

Deno.test("fetch transport: return() while next() waits for the body settles that next() with done", async (t) => {
  for (
    const [name, bytes] of [
      ["known length", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst"],
      ["chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n"],
    ]
  ) {
    await t.step(name, async () => {
      await using server = startRawHttpServer(stallAfter(bytes));
      const transport = new FetchTransport();
      const events = transport.exchange(exchangeRequest(server.url), new AbortController().signal);
      let step = await events.next();
      while (!step.done && step.value.type !== "data") step = await events.next();
      const pending = events.next();
      assert.deepEqual(await events.return?.(undefined), { done: true, value: undefined });
      assert.deepEqual(await pending, { done: true, value: undefined });
      assert.deepEqual(await events.next(), { done: true, value: undefined });
      await transport.close();
    });
  }
});

Deno.test("fetch transport: return() after the head, before any body read, releases the body", async () => {
  await using server = startRawHttpServer(
    stallAfter("HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 50\r\n\r\n"),
  );
  const transport = new FetchTransport();
  const events = transport.exchange(exchangeRequest(server.url), new AbortController().signal);
  assert.equal((await events.next()).value?.type, "requestSent");
  assert.equal((await events.next()).value?.type, "responseHead");
  assert.deepEqual(await events.return?.(undefined), { done: true, value: undefined });
  await transport.close();
});

Deno.test("fetch transport: an abort between two next() calls is reported by the next one", async () => {
  await using server = startRawHttpServer(stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst"));
  const transport = new FetchTransport();
  const controller = new AbortController();
  const events = transport.exchange(exchangeRequest(server.url), controller.signal);
  let step = await events.next();
  while (!step.done && step.value.type !== "data") step = await events.next();
  controller.abort();
  const after = await events.next();
  assert.equal(
    !after.done && after.value.type === "error" && after.value.code,
    NetworkError.OperationCanceledError,
  );
  assert.deepEqual(await events.next(), { done: true, value: undefined });
  await transport.close();
});

Deno.test("fetch transport: next() and return() after the end give done; the abort listener is removed", async () => {
  await using server = serveHttp(() => new Response("done"));
  const transport = new FetchTransport();
  const signal = new AbortController().signal;
  let listeners = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  Object.assign(signal, {
    addEventListener: (...args: Parameters<AbortSignal["addEventListener"]>) => {
      listeners++;
      add(...args);
    },
    removeEventListener: (...args: Parameters<AbortSignal["removeEventListener"]>) => {
      listeners--;
      remove(...args);
    },
  });
  const events = transport.exchange(exchangeRequest(server.url), signal);
  const seen = (await collectRest(events)).map((e) => e.type);
  assert.deepEqual(seen, ["requestSent", "responseHead", "data", "end"]);
  assert.equal(listeners, 0, "no listener left on the exchange's signal");
  assert.deepEqual(await events.next(), { done: true, value: undefined });
  assert.deepEqual(await events.return?.(undefined), { done: true, value: undefined });
  await transport.close();
});

Deno.test("fetch transport: a replacement fetch gets the URL without credentials or fragment; a throw becomes an error event", async () => {
  const seen: string[] = [];
  const thrower = new FetchTransport({
    fetch: (input) => {
      seen.push(String(input));
      throw new TypeError("replacement fetch refused");
    },
  });
  const result = await runExchange(thrower, exchangeRequest("http://user:pw@127.0.0.1:9/path?q=1#frag"));
  assert.deepEqual(seen, ["http://127.0.0.1:9/path?q=1"]);
  assert.deepEqual(result.trace, [`error(${NetworkError.UnknownNetworkError})`]);
  assert.equal(result.error?.message, "replacement fetch refused");
  await thrower.close();
});

Deno.test("fetch transport: a synthetic response from a replacement fetch is read whole, whatever its Content-Length says", async () => {
  const transport = new FetchTransport({
    fetch: () => Promise.resolve(new Response("hello world", { headers: { "content-length": "3" } })),
  });
  const result = await runExchange(transport, exchangeRequest("http://127.0.0.1:9/"));
  assert.deepEqual(result.trace, ["requestSent", "responseHead(200)", "data", "end"]);
  assert.equal(decoder.decode(result.body), "hello world");
  await transport.close();
});

Deno.test("fetch transport: an unexpected failure inside the transport is an error event, never a rejection", async () => {
  await using server = startRawHttpServer(OK_EMPTY);
  const transport = new FetchTransport();
  const stream = streamOf("x");
  const reader = stream.getReader(); // a locked stream cannot be sent
  const result = await runExchange(
    transport,
    exchangeRequest(server.url, { method: "POST", body: { kind: "stream", stream } }),
  );
  assert.deepEqual(result.trace, [`error(${NetworkError.UnknownNetworkError})`]);
  assert.match(result.error?.message ?? "", /^The fetch transport failed: .*locked/i);
  assert.equal(server.requests.length, 0);
  reader.releaseLock();
  await stream.cancel();
  await transport.close();
});

Deno.test("fetch transport: unique request fields arrive as they were given, with netreply's Accept-Encoding", async () => {
  const { requests } = await exchangeWithOkServer({
    headers: new HttpHeaders([["x-b", "2"], ["x-a", "1"], ["__proto__", "kept"]]),
  });
  const [request] = requests;
  assert.equal(headerOf(request, "x-b"), "2");
  assert.equal(headerOf(request, "x-a"), "1");
  assert.equal(headerOf(request, "__proto__"), "kept");
  assert.equal(headerOf(request, "accept-encoding"), "br, gzip, deflate");
});

Deno.test("fetch transport: repeated and integer-like field names reach the server, each value kept", async () => {
  const { requests } = await exchangeWithOkServer({
    headers: new HttpHeaders([["x-dup", "1"], ["x-other", "o"], ["x-dup", "2"], ["7", "seven"]]),
  });
  const [request] = requests;
  const values = (name: string) =>
    request.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  // fetch joins a repeated request field into one line (the Fetch standard's Headers)
  assert.deepEqual(values("x-dup").join(", ").split(", "), ["1", "2"]);
  assert.deepEqual(values("x-other"), ["o"]);
  assert.deepEqual(values("7"), ["seven"]);
  assert.equal(headerOf(request, "accept-encoding"), "br, gzip, deflate");
});

Deno.test("fetch transport: a user Accept-Encoding or a Range goes out as given, without netreply's", async () => {
  const own = await exchangeWithOkServer({ headers: new HttpHeaders([["accept-encoding", "gzip"]]) });
  assert.equal(headerOf(own.requests[0], "accept-encoding"), "gzip");
  const ranged = await exchangeWithOkServer({ headers: new HttpHeaders([["range", "bytes=0-1"]]) });
  assert.equal(headerOf(ranged.requests[0], "range"), "bytes=0-1");
  assert.notEqual(headerOf(ranged.requests[0], "accept-encoding"), "br, gzip, deflate");
});
