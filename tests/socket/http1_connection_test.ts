import assert from "node:assert/strict";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { NetworkError } from "../../src/core/network_error.ts";
import { Http1Connection } from "../../src/transport/socket/http1_connection.ts";
import type { ExchangeBody } from "../../src/transport/transport.ts";
import { headerOf, silent, stallAfter, startRawHttpServer } from "../support/raw_http_server.ts";
import {
  bodyText,
  collect,
  connectLoopback,
  failureOf,
  progressOf,
  shape,
  wireRequest,
} from "./_connection_support.ts";

const OK_HI = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    pull(controller) {
      const part = parts.shift();
      if (part === undefined) controller.close();
      else controller.enqueue(encoder.encode(part));
    },
  });
}

Deno.test("GET: the server's reason phrase and header order, nothing added but Host", async () => {
  await using server = startRawHttpServer(
    "HTTP/1.1 203 Quite Fine Indeed\r\nZ-Last: 1\r\nA-First: 2\r\nZ-Last: 3\r\nContent-Length: 5\r\n\r\nhello",
    { keepAlive: true },
  );
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const headers = new HttpHeaders([["x-one", "1"], ["accept", "*/*"]]);
    const events = await collect(connection, wireRequest(server.port, { target: "/path?q=1", headers }));
    assert.equal(shape(events), "requestSent responseHead data* end");
    const head = events.find((event) => event.type === "responseHead");
    assert.ok(head?.type === "responseHead");
    assert.equal(head.head.status, 203);
    assert.equal(head.head.reasonPhrase, "Quite Fine Indeed");
    assert.equal(head.head.http2, false);
    assert.deepEqual(head.head.headers.toListOfPairs(), [
      ["z-last", "1"],
      ["a-first", "2"],
      ["z-last", "3"],
      ["content-length", "5"],
    ]);
    assert.equal(bodyText(events), "hello");
    for (const event of events) {
      if (event.type === "data") assert.equal(event.wireBytes, event.bytes.byteLength);
    }
    const request = server.requests[0];
    assert.equal(request.method, "GET");
    assert.equal(request.target, "/path?q=1");
    assert.equal(headerOf(request, "host"), `127.0.0.1:${server.port}`);
    assert.equal(headerOf(request, "x-one"), "1");
    assert.equal(headerOf(request, "content-length"), undefined);
    assert.equal(headerOf(request, "transfer-encoding"), undefined);
    assert.equal(connection.reusable, true);
    assert.equal(connection.exchanges, 1);
    assert.equal(connection.closed, false);
  } finally {
    connection.close();
  }
  assert.equal(connection.closed, true);
});

Deno.test("Request framing on the wire: Content-Length for fixed bodies, chunked for streams, none without a body", async (t) => {
  const large = new Uint8Array(200 * 1024).map((_, i) => i % 251);
  const cases: {
    name: string;
    method: string;
    body: () => ExchangeBody | null;
    contentLength?: string;
    chunked?: boolean;
    received: Uint8Array | string;
    progress: [number, number][];
  }[] = [
    {
      name: "post without a body sends no Content-Length",
      method: "POST",
      body: () => null,
      received: "",
      progress: [],
    },
    {
      name: "small fixed body",
      method: "POST",
      body: () => ({ kind: "bytes", bytes: new TextEncoder().encode("0123456789") }),
      contentLength: "10",
      received: "0123456789",
      progress: [[0, 10], [10, 10]],
    },
    {
      name: "empty fixed body",
      method: "PUT",
      body: () => ({ kind: "bytes", bytes: new Uint8Array(0) }),
      contentLength: "0",
      received: "",
      progress: [[0, 0]],
    },
    {
      name: "GET with a body",
      method: "GET",
      body: () => ({ kind: "bytes", bytes: new TextEncoder().encode("query") }),
      contentLength: "5",
      received: "query",
      progress: [[0, 5], [5, 5]],
    },
    {
      name: "large fixed body, reported per 64 KiB written",
      method: "POST",
      body: () => ({ kind: "bytes", bytes: large }),
      contentLength: String(large.length),
      received: large,
      progress: [[0, 204800], [65536, 204800], [131072, 204800], [196608, 204800], [204800, 204800]],
    },
    {
      name: "large blob body",
      method: "POST",
      body: () => ({ kind: "blob", blob: new Blob([large]) }),
      contentLength: String(large.length),
      received: large,
      progress: [[0, 204800], [65536, 204800], [131072, 204800], [196608, 204800], [204800, 204800]],
    },
    {
      name: "small blob body",
      method: "POST",
      body: () => ({ kind: "blob", blob: new Blob(["blob!"]) }),
      contentLength: "5",
      received: "blob!",
      progress: [[0, 5], [5, 5]],
    },
    {
      name: "stream body",
      method: "POST",
      body: () => ({ kind: "stream", stream: streamOf("abc", "", "defgh") }),
      chunked: true,
      received: "abcdefgh",
      progress: [[0, -1], [3, -1], [8, -1], [8, 8]],
    },
    {
      name: "empty stream body",
      method: "POST",
      body: () => ({ kind: "stream", stream: streamOf() }),
      chunked: true,
      received: "",
      progress: [[0, 0]],
    },
  ];
  await using server = startRawHttpServer(OK_HI, { keepAlive: true });
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    for (const c of cases) {
      await t.step(c.name, async () => {
        const events = await collect(
          connection,
          wireRequest(server.port, { method: c.method, body: c.body() }),
        );
        assert.equal(
          shape(events),
          `${"uploadProgress ".repeat(c.progress.length)}requestSent responseHead data* end`,
        );
        assert.deepEqual(progressOf(events), c.progress);
        const request = await server.nextRequest();
        assert.equal(request.method, c.method);
        assert.equal(headerOf(request, "content-length"), c.contentLength);
        assert.equal(headerOf(request, "transfer-encoding"), c.chunked ? "chunked" : undefined);
        const expected = typeof c.received === "string" ? new TextEncoder().encode(c.received) : c.received;
        assert.deepEqual(request.body, expected);
        assert.equal(connection.reusable, true);
      });
    }
    assert.equal(connection.exchanges, cases.length);
    assert.equal(server.connectionCount, 1);
  } finally {
    connection.close();
  }
});

Deno.test("Keep-alive: two exchanges on one connection; Connection: close ends it", async () => {
  let answered = 0;
  await using server = startRawHttpServer(async (exchange) => {
    answered++;
    await exchange.write(
      answered === 1 ? OK_HI : "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye",
    );
  }, { keepAlive: true });
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    assert.equal(connection.exchanges, 0);
    assert.equal(bodyText(await collect(connection, wireRequest(server.port))), "hi");
    assert.equal(connection.reusable, true);
    assert.equal(bodyText(await collect(connection, wireRequest(server.port))), "bye");
    assert.equal(connection.reusable, false);
    assert.equal(connection.closed, true);
    assert.equal(connection.exchanges, 2);
    assert.equal(server.connectionCount, 1);
  } finally {
    connection.close();
  }
});

Deno.test("Whether the connection may carry another request", async (t) => {
  const cases: { name: string; response: string; request?: [string, string][]; reusable: boolean }[] = [
    { name: "HTTP/1.1 with Content-Length", response: OK_HI, reusable: true },
    {
      name: "an interim 100 Continue is skipped",
      response: "HTTP/1.1 100 Continue\r\n\r\n" + OK_HI,
      reusable: true,
    },
    {
      name: "chunked",
      response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
      reusable: true,
    },
    {
      name: "the request said Connection: close",
      response: OK_HI,
      request: [["connection", "close"]],
      reusable: false,
    },
    {
      name: "the server said Connection: close",
      response: OK_HI.replace("OK\r\n", "OK\r\nConnection: close\r\n"),
      reusable: false,
    },
    { name: "HTTP/1.0 without keep-alive", response: OK_HI.replace("HTTP/1.1", "HTTP/1.0"), reusable: false },
    { name: "bytes after the response", response: OK_HI + "HTTP/1.1 200 OK\r\n", reusable: false },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using server = startRawHttpServer(c.response, { keepAlive: true });
      const connection = new Http1Connection(await connectLoopback(server.port));
      try {
        const headers = new HttpHeaders(c.request ?? []);
        const events = await collect(connection, wireRequest(server.port, { headers }));
        assert.equal(shape(events), "requestSent responseHead data* end");
        assert.equal(bodyText(events), "hi");
        assert.equal(connection.reusable, c.reusable);
        assert.equal(connection.closed, !c.reusable);
      } finally {
        connection.close();
      }
    });
  }
});

Deno.test("A close-delimited body ends at EOF and the connection is not reused", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\n\r\nuntil the end");
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const events = await collect(connection, wireRequest(server.port));
    assert.equal(shape(events), "requestSent responseHead data* end");
    assert.equal(bodyText(events), "until the end");
    assert.equal(connection.reusable, false);
    assert.equal(connection.closed, true);
  } finally {
    connection.close();
  }
});

Deno.test("A response without a body: HEAD and 204 end after the head", async (t) => {
  for (
    const [method, response] of [
      ["HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"],
      ["GET", "HTTP/1.1 204 No Content\r\n\r\n"],
    ]
  ) {
    await t.step(`${method} ${response.slice(9, 12)}`, async () => {
      await using server = startRawHttpServer(response, { keepAlive: true });
      const connection = new Http1Connection(await connectLoopback(server.port));
      try {
        const events = await collect(connection, wireRequest(server.port, { method }));
        assert.equal(shape(events), "requestSent responseHead end");
        assert.equal(connection.reusable, true);
      } finally {
        connection.close();
      }
    });
  }
});

Deno.test("Failures: code and message, the connection closed", async (t) => {
  const cases: {
    name: string;
    respond: Parameters<typeof startRawHttpServer>[0];
    shape: string;
    code: NetworkError;
    message: string;
    beforeResponse: boolean;
  }[] = [
    {
      name: "EOF before any response byte",
      respond: (exchange) => exchange.close(),
      shape: "requestSent error",
      code: NetworkError.RemoteHostClosedError,
      message: "Connection closed",
      beforeResponse: true,
    },
    {
      name: "body shorter than its Content-Length",
      respond: async (exchange) => {
        await exchange.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        exchange.close();
      },
      shape: "requestSent responseHead data* error",
      code: NetworkError.RemoteHostClosedError,
      message: "Connection closed",
      beforeResponse: false,
    },
    {
      name: "EOF inside the head",
      respond: async (exchange) => {
        await exchange.write("HTTP/1.1 200 OK\r\nContent-Le");
        exchange.close();
      },
      shape: "requestSent error",
      code: NetworkError.RemoteHostClosedError,
      message: "Connection closed",
      beforeResponse: false,
    },
    {
      name: "a status line that is not HTTP",
      respond: "SMTP ready\r\n\r\n",
      shape: "requestSent error",
      code: NetworkError.ProtocolFailure,
      message:
        'Invalid status line starting "SMTP ": expected "HTTP/1.x", a three-digit status code and a reason phrase',
      beforeResponse: false,
    },
    {
      name: "a chunk size that is not hexadecimal",
      respond: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nzz\r\n",
      shape: "requestSent responseHead data* error",
      code: NetworkError.ProtocolFailure,
      message: 'Invalid chunk size line "zz": expected a hexadecimal size',
      beforeResponse: false,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using server = startRawHttpServer(c.respond);
      const connection = new Http1Connection(await connectLoopback(server.port));
      try {
        const events = await collect(connection, wireRequest(server.port));
        assert.equal(shape(events), c.shape);
        const failure = failureOf(events);
        assert.equal(failure?.code, c.code);
        assert.equal(failure?.message, c.message);
        assert.equal(connection.failedBeforeResponse, c.beforeResponse);
        assert.equal(connection.reusable, false);
        assert.equal(connection.closed, true);
      } finally {
        connection.close();
      }
    });
  }
});

Deno.test("The server closes a reused connection before responding: failedBeforeResponse", async () => {
  let answered = 0;
  await using server = startRawHttpServer((exchange) => {
    if (++answered === 1) return exchange.write(OK_HI);
    exchange.close();
  }, { keepAlive: true });
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    await collect(connection, wireRequest(server.port));
    assert.equal(connection.reusable, true);
    assert.equal(connection.failedBeforeResponse, false);
    const events = await collect(connection, wireRequest(server.port));
    assert.deepEqual(failureOf(events), {
      code: NetworkError.RemoteHostClosedError,
      message: "Connection closed",
    });
    assert.equal(connection.failedBeforeResponse, true);
    assert.equal(connection.reusable, false);
  } finally {
    connection.close();
  }
});

Deno.test("An invalid request target is refused before anything is sent", async () => {
  await using server = startRawHttpServer(OK_HI);
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const events = await collect(connection, wireRequest(server.port, { target: "/a\r\nx: y" }));
    assert.equal(shape(events), "error");
    const failure = failureOf(events);
    assert.equal(failure?.code, NetworkError.ProtocolInvalidOperationError);
    assert.equal(failure?.message, 'Cannot send request target "/a\\r\\nx: y": target contains CR or LF');
    assert.equal(connection.failedBeforeResponse, false);
    assert.equal(connection.closed, true);
  } finally {
    connection.close();
  }
  assert.equal(server.requests.length, 0);
});

Deno.test("A request body stream that errors fails the exchange and names the stream", async () => {
  await using server = startRawHttpServer(silent);
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error("disk on fire"));
      },
    });
    const events = await collect(
      connection,
      wireRequest(server.port, { method: "POST", body: { kind: "stream", stream } }),
    );
    assert.deepEqual(failureOf(events), {
      code: NetworkError.UnknownNetworkError,
      message: "Cannot send the request body: reading its stream failed: disk on fire",
    });
    assert.equal(connection.closed, true);
  } finally {
    connection.close();
  }
});

Deno.test("Abort: while waiting for the head, while reading the body, with a timeout reason", async (t) => {
  const cases = [
    {
      name: "waiting for the head",
      respond: silent,
      pulls: 1,
      reason: undefined,
      code: NetworkError.OperationCanceledError,
      message: "Operation canceled",
    },
    {
      name: "reading the body",
      respond: stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"),
      pulls: 3,
      reason: undefined,
      code: NetworkError.OperationCanceledError,
      message: "Operation canceled",
    },
    {
      name: "timeout while waiting for the head",
      respond: silent,
      pulls: 1,
      reason: new DOMException("timed out", "TimeoutError"),
      code: NetworkError.TimeoutError,
      message: "Operation timed out",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using server = startRawHttpServer(c.respond);
      const connection = new Http1Connection(await connectLoopback(server.port));
      try {
        const controller = new AbortController();
        const events = connection.exchange(wireRequest(server.port), controller.signal);
        for (let i = 0; i < c.pulls; i++) assert.equal((await events.next()).done, false);
        const pending = events.next();
        controller.abort(c.reason);
        const step = await pending;
        assert.ok(!step.done && step.value.type === "error");
        assert.equal(step.value.code, c.code);
        assert.equal(step.value.message, c.message);
        assert.equal((await events.next()).done, true);
        assert.equal(connection.closed, true);
        assert.equal(connection.failedBeforeResponse, false);
      } finally {
        connection.close();
      }
    });
  }
});

Deno.test("An abort before the first next() sends nothing", async () => {
  await using server = startRawHttpServer(OK_HI);
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const controller = new AbortController();
    controller.abort();
    const events = await collect(connection, wireRequest(server.port), controller.signal);
    assert.deepEqual(failureOf(events), {
      code: NetworkError.OperationCanceledError,
      message: "Operation canceled",
    });
    assert.equal(connection.closed, true);
  } finally {
    connection.close();
  }
  assert.equal(server.requests.length, 0);
});

Deno.test("return() before the end closes the connection; after the end it keeps it", async () => {
  await using server = startRawHttpServer(stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"));
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const events = connection.exchange(wireRequest(server.port), new AbortController().signal);
    assert.equal((await events.next()).value?.type, "requestSent");
    assert.equal((await events.next()).value?.type, "responseHead");
    assert.deepEqual(await events.return?.(), { done: true, value: undefined });
    assert.equal((await events.next()).done, true);
    assert.equal(connection.reusable, false);
    assert.equal(connection.closed, true);
  } finally {
    connection.close();
  }
});

Deno.test("An exchange on a closed connection fails without I/O", async () => {
  await using server = startRawHttpServer(OK_HI);
  const connection = new Http1Connection(await connectLoopback(server.port));
  connection.close();
  connection.close();
  const events = await collect(connection, wireRequest(server.port));
  assert.deepEqual(failureOf(events), {
    code: NetworkError.RemoteHostClosedError,
    message: "Cannot send the request: the connection is already closed",
  });
  assert.equal(connection.failedBeforeResponse, true);
});

Deno.test("The server closes the connection while the request body is written: failedBeforeResponse", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept().then((conn) => conn.close());
  const connection = new Http1Connection(await connectLoopback(listener.addr.port));
  try {
    await accepted;
    const body: ExchangeBody = { kind: "bytes", bytes: new Uint8Array(8 * 1024 * 1024) };
    const events = await collect(connection, wireRequest(listener.addr.port, { method: "PUT", body }));
    assert.deepEqual(failureOf(events), {
      code: NetworkError.RemoteHostClosedError,
      message: "Connection closed",
    });
    assert.equal(connection.failedBeforeResponse, true);
    assert.equal(connection.closed, true);
  } finally {
    connection.close();
    listener.close();
  }
});

Deno.test("Abort while a stream body waits for its next chunk settles and cancels the stream", async () => {
  await using server = startRawHttpServer(silent);
  const connection = new Http1Connection(await connectLoopback(server.port));
  let cancelled: unknown;
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (first) controller.enqueue(new Uint8Array([1, 2, 3]));
      first = false;
      // Then never another chunk.
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  try {
    const controller = new AbortController();
    const events = connection.exchange(
      wireRequest(server.port, { method: "POST", body: { kind: "stream", stream } }),
      controller.signal,
    );
    assert.deepEqual((await events.next()).value, { type: "uploadProgress", bytesSent: 0, bytesTotal: -1 });
    assert.deepEqual((await events.next()).value, { type: "uploadProgress", bytesSent: 3, bytesTotal: -1 });
    const pending = events.next();
    const reason = new Error("user gave up");
    controller.abort(reason);
    const step = await pending;
    assert.ok(!step.done && step.value.type === "error");
    assert.equal(step.value.code, NetworkError.OperationCanceledError);
    assert.equal(step.value.message, "Operation canceled");
    assert.equal(cancelled, reason);
    assert.equal(connection.closed, true);
  } finally {
    connection.close();
  }
});

Deno.test("A second exchange while one is running fails without touching the first", async () => {
  await using server = startRawHttpServer(OK_HI, { keepAlive: true });
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const first = connection.exchange(wireRequest(server.port), new AbortController().signal);
    assert.equal((await first.next()).value?.type, "requestSent");
    const events = await collect(connection, wireRequest(server.port));
    assert.deepEqual(failureOf(events), {
      code: NetworkError.UnknownNetworkError,
      message: "Cannot start an exchange: the connection is carrying another one",
    });
    assert.equal(connection.failedBeforeResponse, false);
    assert.equal((await first.next()).value?.type, "responseHead");
    assert.equal((await first.next()).value?.type, "data");
    assert.equal((await first.next()).value?.type, "end");
    assert.equal(connection.reusable, true);
    assert.equal(connection.exchanges, 1);
  } finally {
    connection.close();
  }
});

Deno.test("Abort while a write is blocked (the server reads nothing) settles the pending next()", async () => {
  // A server that accepts and never reads: the socket buffers fill and the writes stall.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const connection = new Http1Connection(await connectLoopback(listener.addr.port));
  const serverSide = await accepted;
  try {
    const controller = new AbortController();
    const body: ExchangeBody = { kind: "bytes", bytes: new Uint8Array(64 * 1024 * 1024) };
    const events = connection.exchange(
      wireRequest(listener.addr.port, { method: "PUT", body }),
      controller.signal,
    );
    // Pull until a write stalls on the full socket buffers (a pull that has not settled after a while).
    let pending: Promise<IteratorResult<unknown>> | undefined;
    for (let pulls = 0; pending === undefined; pulls++) {
      const next = events.next();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = await Promise.race([
        next.then(() => false),
        new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(true), 200)),
      ]);
      clearTimeout(timer);
      if (stalled) pending = next;
      assert.ok(pulls < 1024, "the writes never stalled");
    }
    controller.abort();
    const step = await pending;
    assert.ok(!step.done);
    assert.deepEqual(failureOf([step.value as never]), {
      code: NetworkError.OperationCanceledError,
      message: "Operation canceled",
    });
    assert.equal(connection.closed, true);
  } finally {
    connection.close();
    serverSide.close();
    listener.close();
  }
});

Deno.test("return() while a next() waits for the head settles it with done and closes the connection", async () => {
  await using server = startRawHttpServer(silent);
  const connection = new Http1Connection(await connectLoopback(server.port));
  try {
    const events = connection.exchange(wireRequest(server.port), new AbortController().signal);
    assert.equal((await events.next()).value?.type, "requestSent");
    const pending = events.next();
    assert.deepEqual(await events.return?.(), { done: true, value: undefined });
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.equal(connection.closed, true);
    assert.equal(connection.failedBeforeResponse, false);
  } finally {
    connection.close();
  }
});
