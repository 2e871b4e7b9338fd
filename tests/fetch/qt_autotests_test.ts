/**
 * Qt's self-contained network autotests (qt-behaviour.md §6, the ✱ rows of
 * tst_qnetworkreply.cpp) ported to `new NetworkAccessManager()` — the fetch
 * transport, the default — against real loopback servers. Each test is named
 * after the Qt test it ports. Where fetch cannot do what Qt does, the test
 * says "fetch variant" and pins what fetch does instead; tests/QT_AUTOTESTS.md
 * maps every ✱ test to its port or to the reason there is none.
 */
import assert from "node:assert/strict";
import {
  Attribute,
  KnownHeader,
  NetworkAccessManager,
  NetworkError,
  type NetworkReply,
  NetworkRequest,
  Operation,
  RedirectPolicy,
} from "../../mod.ts";
import {
  describe,
  ERROR_TAIL,
  matchesSequence,
  OK_TAIL,
  recordTrace,
  type TraceEntry,
} from "../conformance/trace.ts";
import { concatBytes } from "../../src/core/concat_bytes.ts";
import { readRawRequest, RequestReader } from "../support/http_wire.ts";
import { headerOf, type RawExchange, startRawHttpServer } from "../support/raw_http_server.ts";
import { caCertificate, serveHttp, serveHttps, serverCertificate } from "../support/servers.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const SOCKET_HINT = 'use the socket transport ({ transport: "socket" })';
const trustTestCa = { caCertificates: [caCertificate()] };

function count(trace: readonly TraceEntry[], type: string): number {
  return trace.filter((entry) => entry.type === type).length;
}

function uploads(trace: readonly TraceEntry[]): [number, number][] {
  return trace.filter((e) => e.type === "uploadProgress").map((e) => {
    const [sent, total] = e.detail.split(",").map(Number);
    return [sent, total];
  });
}

/** Asserts the error path: the code, the message, one errorOccurred, one finished of each kind. */
function assertFailed(
  reply: NetworkReply,
  trace: readonly TraceEntry[],
  code: NetworkError,
  message: string,
): void {
  assert.equal(reply.error(), code, `error ${reply.error()}: ${reply.errorString()}`);
  assert.equal(reply.errorString(), message);
  assert.equal(count(trace, "errorOccurred"), 1, describe(trace));
  assert.equal(count(trace, "finished"), 1, describe(trace));
  assert.equal(count(trace, "nam:finished"), 1, describe(trace));
  assert.ok(reply.isFinished());
}

function randomBytes(size: number): Uint8Array {
  const out = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB per call.
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(out.subarray(at, at + 65536));
  return out;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function rawResponse(head: string, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes([encoder.encode(`${head}\r\n\r\n`), body]);
}

async function compress(bytes: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream(format),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A pull-based stream of `size` bytes in `chunk`-sized pieces (deterministic content). */
function patternStream(size: number, chunk: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const piece = new Uint8Array(Math.min(chunk, size - sent));
      for (let i = 0; i < piece.length; i++) piece[i] = (sent + i) % 251;
      sent += piece.length;
      controller.enqueue(piece);
    },
  }, { highWaterMark: 0 });
}

/** Resolves at the reply's next readyRead or finished. */
function nextActivity(reply: NetworkReply): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      reply.removeEventListener("readyRead", done);
      reply.removeEventListener("finished", done);
      resolve();
    };
    reply.addEventListener("readyRead", done);
    reply.addEventListener("finished", done);
  });
}

// ---- Basics ---------------------------------------------------------------

Deno.test("ioHttpErrorString: the HTTP error text, with the runtime's reason phrase (fetch)", async (t) => {
  await using nam = new NetworkAccessManager();
  // Deno's fetch reports the standard phrase whatever the server wrote; a status
  // without a standard phrase has none, and the text says the code instead.
  const rows = [
    { status: "404 Not Found", code: NetworkError.ContentNotFoundError, why: "server replied: Not Found" },
    { status: "404", code: NetworkError.ContentNotFoundError, why: "server replied: Not Found" },
    { status: "404 Gone Fishing", code: NetworkError.ContentNotFoundError, why: "server replied: Not Found" },
    {
      status: "500 Internal Server Error",
      code: NetworkError.InternalServerError,
      why: "server replied: Internal Server Error",
    },
    { status: "500", code: NetworkError.InternalServerError, why: "server replied: Internal Server Error" },
    { status: "499", code: NetworkError.UnknownContentError, why: "server replied with status code 499" },
    {
      status: "599 Custom",
      code: NetworkError.UnknownServerError,
      why: "server replied with status code 599",
    },
  ];
  for (const row of rows) {
    await t.step(row.status, async () => {
      await using server = startRawHttpServer(`HTTP/1.1 ${row.status}\r\nContent-Length: 4\r\n\r\nbody`);
      const reply = nam.get(server.url);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assertFailed(reply, trace, row.code, `Error transferring ${server.url.href} - ${row.why}`);
      assert.equal(decoder.decode(reply.readAll()), "body", "the error body stays readable");
    });
  }
});

Deno.test("httpUserAgent: a user-set User-Agent is sent verbatim", async () => {
  await using server = startRawHttpServer("HTTP/1.0 200 OK\r\n\r\n");
  await using nam = new NetworkAccessManager();
  const request = new NetworkRequest(server.url);
  request.setHeader(KnownHeader.UserAgentHeader, "abcDEFghi");
  const reply = nam.get(request);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError);
  // fetch writes header names in lower case; Qt's test looks for "User-Agent".
  assert.match(server.requests[0].head, /\r\nuser-agent: abcDEFghi\r\n/i);
  assert.equal(server.requests[0].headers.filter(([name]) => /^user-agent$/i.test(name)).length, 1);
});

// ---- Methods, bodies, uploads --------------------------------------------

for (const [qtName, verb] of [["putWithoutBody", "PUT"], ["postWithoutBody", "POST"]] as const) {
  Deno.test(`${qtName}: no body vs a body (fetch sends content-length: 0 for none)`, async () => {
    await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    await using nam = new NetworkAccessManager();
    const send = (body?: null | string) =>
      verb === "PUT" ? nam.put(server.url, body) : nam.post(server.url, body);

    for (const body of [null, undefined]) {
      const reply = send(body);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assert.equal(reply.error(), NetworkError.NoError);
      const seen = server.requests.at(-1)!;
      assert.equal(seen.method, verb);
      // Qt sends no Content-Length here; fetch always frames the request (API.md, edge cases).
      assert.equal(headerOf(seen, "content-length"), "0");
      assert.equal(headerOf(seen, "content-type"), undefined);
      assert.equal(headerOf(seen, "transfer-encoding"), undefined);
      assert.equal(seen.body.length, 0);
      assert.equal(count(trace, "uploadProgress"), 0, "no body, no uploadProgress");
    }

    const reply = send("some data");
    const trace = recordTrace(reply, nam);
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError);
    const seen = server.requests.at(-1)!;
    assert.equal(headerOf(seen, "content-length"), "9");
    assert.equal(decoder.decode(seen.body), "some data");
    assert.deepEqual(uploads(trace), [[0, 9], [9, 9]]);
  });
}

Deno.test("getWithBodyFromHttp (fetch variant): a GET with a body is refused, naming the socket transport", async (t) => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  await using nam = new NetworkAccessManager();
  const bodies = {
    "bytes (QByteArray)": () => encoder.encode("Hello, body!"),
    "stream (QIODevice)": () => patternStream(1000, 100),
  };
  for (const [name, body] of Object.entries(bodies)) {
    await t.step(name, async () => {
      const reply = nam.sendCustomRequest(server.url, "GET", body());
      const trace = recordTrace(reply, nam);
      await reply.done;
      assertFailed(
        reply,
        trace,
        NetworkError.ProtocolInvalidOperationError,
        `A GET request cannot carry a body over fetch: ${SOCKET_HINT}`,
      );
      assert.equal(reply.operation(), Operation.GetOperation);
      assert.ok(matchesSequence(trace, ERROR_TAIL), describe(trace));
    });
  }
  assert.equal(server.requests.length, 0, "nothing was sent");

  await t.step("an empty body is no body: the GET goes out", async () => {
    const reply = nam.sendCustomRequest(server.url, "GET", new Uint8Array(0));
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].body.length, 0);
  });
});

Deno.test("getWithBodyRedirected (fetch variant): refused before the first hop, whatever the redirect", async () => {
  await using server = startRawHttpServer(async (exchange) => {
    const moved = exchange.request.target === "/";
    await exchange.write(
      moved
        ? "HTTP/1.1 308 Permanent Redirect\r\nLocation: /target\r\nContent-Length: 0\r\n\r\n"
        : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    );
  });
  await using nam = new NetworkAccessManager();
  const reply = nam.sendCustomRequest(server.url, "GET", "body for the target");
  const trace = recordTrace(reply, nam);
  await reply.done;
  assertFailed(
    reply,
    trace,
    NetworkError.ProtocolInvalidOperationError,
    `A GET request cannot carry a body over fetch: ${SOCKET_HINT}`,
  );
  assert.equal(count(trace, "redirected"), 0);
  assert.equal(server.requests.length, 0);
});

Deno.test("resendRequest (fetch variant): the runtime re-sends every method on a reused connection", async (t) => {
  // Qt re-sends GET, HEAD and PUT after the connection drops and fails POST and
  // custom verbs with RemoteHostClosedError. On fetch the runtime owns the
  // connections: Deno 2.9.6 (hyper) retries ANY request on a fresh connection
  // when a kept-alive one closes before the response head — POST included.
  // netreply cannot stop it on fetch; this test pins it so a change shows.
  await using nam = new NetworkAccessManager();
  for (const verb of ["GET", "HEAD", "PUT", "POST", "DELETE", "CUSTOM"]) {
    await t.step(verb, async () => {
      let exchanges = 0;
      await using server = startRawHttpServer(async (exchange) => {
        // The second request (the first on the kept-alive connection) is dropped unanswered.
        if (exchanges++ === 1) return exchange.close();
        const body = exchange.request.method === "HEAD" ? "" : "ok";
        await exchange.write(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n${body}`);
      }, { keepAlive: true });
      const warm = nam.get(server.url);
      await warm.done;
      assert.equal(warm.error(), NetworkError.NoError);

      const body = verb === "PUT" || verb === "POST" ? "payload" : undefined;
      const reply = nam.sendCustomRequest(server.url, verb, body);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(count(trace, "finished"), 1);
      assert.deepEqual(
        server.requests.map((request) => `${request.method}@${request.connection}`),
        ["GET@0", `${verb}@0`, `${verb}@1`],
        "dropped on the kept-alive connection, re-sent on a new one",
      );
      if (body !== undefined) assert.equal(decoder.decode(server.requests[2].body), body);
    });
  }
});

Deno.test("resendRequest (fetch variant): a fresh connection dropped after the request is RemoteHostClosedError", async () => {
  await using server = startRawHttpServer((exchange) => exchange.close());
  await using nam = new NetworkAccessManager();
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  await reply.done;
  assertFailed(reply, trace, NetworkError.RemoteHostClosedError, "Connection closed");
  assert.ok(matchesSequence(trace, ERROR_TAIL), describe(trace));
  assert.equal(server.requests.length, 1, "not re-sent");
});

/** A TLS server that drops the first `drops` connections after their first read, then echoes SHA-256 of bodies. */
function startDroppingTlsServer(drops: number) {
  const listener = Deno.listenTls({ hostname: "127.0.0.1", port: 0, ...serverCertificate("localhost") });
  const connections = new Set<Deno.Conn>();
  let accepted = 0;
  const close = (conn: Deno.Conn) => {
    if (!connections.delete(conn)) return;
    try {
      conn.close();
    } catch {
      // closed by the runtime already
    }
  };
  const serve = async (conn: Deno.Conn, index: number) => {
    try {
      if (index < drops) {
        await conn.read(new Uint8Array(1024)); // the start of the request, then the door
        return;
      }
      const reader = new RequestReader(conn);
      for (;;) {
        const request = await readRawRequest(reader, index);
        if (request === null) return;
        const digest = await sha256(request.body);
        const answer = `HTTP/1.1 200 OK\r\nContent-Length: ${digest.length}\r\n\r\n${digest}`;
        await conn.write(encoder.encode(answer));
      }
    } catch {
      // the client went away
    } finally {
      close(conn);
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        connections.add(conn);
        void serve(conn, accepted++);
      }
    } catch {
      // listener closed
    }
  })();
  return {
    url: new URL(`https://localhost:${listener.addr.port}/`),
    get accepted() {
      return accepted;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      for (const conn of [...connections]) close(conn);
      await accepting;
    },
  };
}

Deno.test("putWithServerClosingConnectionImmediately (fetch variant): the drop is an error, the next PUT arrives intact", async () => {
  // Qt re-sends the upload on a new connection. The fetch transport re-sends
  // nothing itself and the runtime retries only on a reused connection, so a
  // fresh connection dropped during the upload fails the reply.
  const body = encoder.encode("abcdefghijklmnopqrstuvwxyz".repeat(20_165)); // ~512 KiB
  await using server = startDroppingTlsServer(1);
  await using nam = new NetworkAccessManager();
  const request = new NetworkRequest(server.url, {
    sslConfiguration: trustTestCa,
    headers: { "content-type": "application/octet-stream" },
  });
  const dropped = nam.put(request, body);
  const trace = recordTrace(dropped, nam);
  await dropped.done;
  assertFailed(dropped, trace, NetworkError.RemoteHostClosedError, "Connection closed");

  const intact = nam.put(request, body);
  assert.equal(decoder.decode(await intact.bytes()), await sha256(body), "no corruption");
  assert.equal(server.accepted, 2);
});

// ---- Response parsing robustness -----------------------------------------

const CORRUPT_VERSION = [
  NetworkError.ProtocolFailure,
  "Data corrupted: invalid HTTP version parsed",
] as const;
const CORRUPT_STATUS = [
  NetworkError.ProtocolFailure,
  "Data corrupted: invalid HTTP status-code parsed",
] as const;
const CLOSED = [NetworkError.RemoteHostClosedError, "Connection closed"] as const;
// Deno fails a body read alike for a close mid-body and for framing that does not parse.
const BODY_READ_FAILED =
  "Connection closed before the end of the body, or the body's framing was invalid (the runtime reports both alike)";
const BODY_CUT = [NetworkError.RemoteHostClosedError, BODY_READ_FAILED] as const;

/** Qt's rows: [name, bytes, close after writing, code and message on fetch]. */
const BROKEN_SERVERS: readonly (readonly [string, string, boolean, readonly [NetworkError, string]])[] = [
  ["no-newline", "Hello World", false, CORRUPT_VERSION],
  ["with-newlines", "Long first line\r\nLong second line", false, CORRUPT_VERSION],
  ["with-newlines2", "\r\nSecond line", false, CORRUPT_VERSION],
  ["with-newlines3", "ICY\r\nSecond line", false, CORRUPT_VERSION],
  ["invalid-version", "HTTP/123 200 \r\n", false, CORRUPT_VERSION],
  ["invalid-version2", "HTTP/a.\x1b 200 \r\n", false, CORRUPT_VERSION],
  ["invalid-reply-code", "HTTP/1.0 fuu \r\n", false, CORRUPT_STATUS],
  ["empty+disconnect", "", true, CLOSED],
  ["no-newline+disconnect", "Hello World", true, CORRUPT_VERSION],
  ["just-newline+disconnect", "\r\n", true, CLOSED],
  ["just-2newline+disconnect", "\r\n\r\n", true, CLOSED],
  ["with-newlines+disconnect", "Long first line\r\nLong second line", true, CORRUPT_VERSION],
  ["with-newlines2+disconnect", "\r\nSecond line", true, CORRUPT_VERSION],
  ["with-newlines3+disconnect", "ICY\r\nSecond line", true, CORRUPT_VERSION],
  ["invalid-version+disconnect", "HTTP/123 200 ", true, CORRUPT_VERSION],
  ["invalid-version2+disconnect", "HTTP/a.\x1b 200 ", true, CORRUPT_VERSION],
  ["invalid-reply-code+disconnect", "HTTP/1.0 fuu ", true, CORRUPT_STATUS],
  ["immediate disconnect", "", true, CLOSED],
  ["justHalfStatus+disconnect", "HTTP/1.1", true, CLOSED],
  ["justStatus+disconnect", "HTTP/1.1 200 OK\r\n", true, CLOSED],
  ["justStatusAndHalfHeaders+disconnect", "HTTP/1.1 200 OK\r\nContent-L", true, CLOSED],
  ["halfContent+disconnect", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nAB", true, BODY_CUT],
];

Deno.test("ioGetFromHttpBrokenServer: each of Qt's 22 broken responses gives exactly one error, the URL kept", async (t) => {
  // Qt's waitForFinish gives up after 5 s without progress; the timeout plays that part.
  await using nam = new NetworkAccessManager({ transferTimeout: 5_000 });
  for (const [name, bytes, disconnect, [code, message]] of BROKEN_SERVERS) {
    await t.step(name, async () => {
      await using server = startRawHttpServer(async (exchange) => {
        await exchange.write(bytes);
        if (disconnect) exchange.close();
        else await exchange.closed;
      });
      const request = new NetworkRequest(server.url);
      const reply = nam.get(request);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assertFailed(reply, trace, code, message);
      assert.equal(reply.url().href, request.url().href);
    });
  }
});

Deno.test("ioGetFromHttpStatusInformational: 1xx interim responses are skipped, their headers dropped", async (t) => {
  await using nam = new NetworkAccessManager();
  const rows: readonly (readonly [string, string, number])[] = [
    ["normal", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200],
    ["minimal", "HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200],
    ["minimal2", "HTTP/1.1 100 Continue\n\nHTTP/1.0 200 OK\r\n\r\n", 200],
    ["minimal3", "HTTP/1.1 100 Continue\n\nHTTP/1.0 200 OK\n\n", 200],
    ["minimal+404", "HTTP/1.1 100 Continue\n\nHTTP/1.0 204 No Content\r\n\r\n", 204],
    [
      "with_headers",
      "HTTP/1.1 100 Continue\r\nBla: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      200,
    ],
    ["with_headers2", "HTTP/1.1 100 Continue\nBla: x\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200],
    [
      "133, unknown, with headers",
      "HTTP/1.1 133 Whatever\r\nBla: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      200,
    ],
    [
      "179, bare LF, with headers",
      "HTTP/1.1 179 Whatever\nBla: x\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      200,
    ],
  ];
  for (const [name, bytes, status] of rows) {
    await t.step(name, async () => {
      await using server = startRawHttpServer(bytes);
      const reply = nam.get(server.url);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(reply.url().href, server.url.href);
      assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), status);
      assert.equal(reply.hasRawHeader("bla"), false);
      assert.equal(count(trace, "metaDataChanged"), 1, "one response head, the final one");
    });
  }
});

Deno.test("ioGetFromHttpBrokenChunkedEncoding (fetch variant): the runtime rejects the framing, one error", async (t) => {
  // Qt hangs here (an expected failure in its test): the server keeps the
  // connection open after a chunk that does not end in CRLF. The runtime
  // rejects the framing instead. The transfer timeout is only the safety net,
  // should a runtime hang like Qt: either way the reply ends in exactly one error.
  await using nam = new NetworkAccessManager({ transferTimeout: 10_000 });
  const rows = [
    {
      // Qt's bytes. hyper refuses chunked framing on an HTTP/1.0 response head.
      name: "Qt's bytes: an HTTP/1.0 head with Transfer-Encoding: chunked",
      bytes: "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nABCX",
      sequence: ERROR_TAIL,
      code: NetworkError.ProtocolFailure,
      message: "Data corrupted: unexpected transfer-encoding parsed",
    },
    {
      // Deno reports a bad chunk with the same bodiless "error reading a body
      // from connection" as a truncated body, so the two cannot be told apart:
      // RemoteHostClosedError, where Qt's table says ProtocolFailure, and a
      // message that names both.
      name: "HTTP/1.1, a chunk without its CRLF",
      bytes: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nABCX",
      sequence: `requestSent metaDataChanged DATA ${ERROR_TAIL}`,
      code: NetworkError.RemoteHostClosedError,
      message: BODY_READ_FAILED,
    },
  ];
  for (const row of rows) {
    await t.step(row.name, async () => {
      await using server = startRawHttpServer(async (exchange) => {
        await exchange.write(row.bytes);
        await exchange.closed; // Qt's server.doClose = false
      });
      const reply = nam.get(server.url);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assertFailed(reply, trace, row.code, row.message);
      assert.ok(matchesSequence(trace, row.sequence), describe(trace));
    });
  }
});

Deno.test("qtbug27161httpHeaderMayBeDamaged: a response split at every byte across two writes parses the same", async () => {
  const response = "HTTP/1.0 200 OK\r\nServer: bogus\r\nContent-Length: 3\r\n\r\nABC";
  let split = 1;
  await using server = startRawHttpServer(async (exchange) => {
    await exchange.write(response.slice(0, split));
    await exchange.pause(5); // lets the first write arrive alone (Qt waits 100 ms)
    await exchange.write(response.slice(split));
  });
  await using nam = new NetworkAccessManager();
  for (; split < response.length; split++) {
    const reply = nam.get(server.url);
    const trace = recordTrace(reply, nam);
    await reply.done;
    const at = `split at ${split}`;
    assert.equal(reply.error(), NetworkError.NoError, `${at}: ${reply.errorString()}`);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200, at);
    assert.equal(reply.header(KnownHeader.ContentLengthHeader), 3, at);
    assert.equal(reply.rawHeader("Content-length"), "3", at);
    assert.equal(reply.rawHeader("Server"), "bogus", at);
    assert.equal(decoder.decode(reply.readAll()), "ABC", at);
    assert.equal(count(trace, "finished"), 1, at);
  }
  assert.equal(server.requests.length, response.length - 1);
});

// ---- Signals, progress, reading ------------------------------------------

Deno.test("moreActivitySignals (fetch variant): requestSent, metaDataChanged, finished once; no connection events", async (t) => {
  await using plain = serveHttp(() => new Response("activity"));
  await using secure = serveHttps(() => new Response("activity"));
  await using nam = new NetworkAccessManager();
  const managerEvents: string[] = [];
  nam.addEventListener("encrypted", () => managerEvents.push("encrypted"));
  const rows = [
    { name: "http GET", url: plain.url, post: false },
    { name: "http POST", url: plain.url, post: true },
    { name: "https GET", url: secure.url, post: false },
    { name: "https POST", url: secure.url, post: true },
  ];
  for (const row of rows) {
    await t.step(row.name, async () => {
      // Twice: the second request may reuse the connection, and still reports the same.
      for (let round = 0; round < 2; round++) {
        const request = new NetworkRequest(row.url, { sslConfiguration: trustTestCa });
        const reply = row.post ? nam.post(request, "data") : nam.get(request);
        const trace = recordTrace(reply, nam);
        assert.equal(await reply.text(), "activity");
        for (const type of ["requestSent", "metaDataChanged", "finished"]) {
          assert.equal(count(trace, type), 1, `${type}: ${describe(trace)}`);
        }
        // API.md, Transports: fetch cannot see connections or handshakes.
        assert.equal(count(trace, "socketStartedConnecting"), 0);
        assert.equal(count(trace, "encrypted"), 0);
        assert.ok(
          matchesSequence(trace, `uploadProgress* requestSent metaDataChanged DATA ${OK_TAIL}`),
          describe(trace),
        );
      }
    });
  }
  assert.deepEqual(managerEvents, []);
});

Deno.test("ioPostToHttpUploadProgress: progress grows as a slow server reads; (0, -1) first, (n, n) last, finished after the response", async () => {
  const size = 8 * 1024 * 1024;
  let serverRead = 0;
  await using server = serveHttp(async (request) => {
    const reader = request.body!.getReader();
    for (let pieces = 0;; pieces++) {
      const { done, value } = await reader.read();
      if (done) break;
      serverRead += value.byteLength;
      // A slow reader: the client's stream is held back by the socket buffers meanwhile.
      if (pieces % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return new Response(String(serverRead));
  });
  await using nam = new NetworkAccessManager();
  const request = new NetworkRequest(server.url, { headers: { "content-type": "application/octet-stream" } });
  const reply = nam.post(request, patternStream(size, 64 * 1024));
  const trace = recordTrace(reply, nam);
  assert.equal(await reply.text(), String(size), "the server read the whole body");
  assert.equal(serverRead, size);

  const progress = uploads(trace);
  assert.deepEqual(progress[0], [0, -1], "the total of a stream is unknown until it ends");
  assert.deepEqual(progress.at(-1), [size, size]);
  const sent = progress.map(([n]) => n);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i] >= sent[i - 1], `never shrinks: ${sent}`);
  assert.ok(sent.some((n) => n > 0 && n < size), "progress in between was reported");
  for (const [, total] of progress.slice(0, -1)) assert.equal(total, -1);
  const types = trace.map((e) => e.type);
  assert.ok(types.lastIndexOf("uploadProgress") < types.indexOf("metaDataChanged"));
  assert.ok(
    matchesSequence(trace, `uploadProgress* requestSent metaDataChanged DATA ${OK_TAIL}`),
    describe(trace),
  );
});

Deno.test("emitAllUploadProgressSignals (fetch variant): nothing is throttled, so the attribute changes nothing", async () => {
  // Qt throttles uploadProgress to one per 100 ms unless the attribute is set.
  // netreply dispatches every report the transport makes; fetch reports a fixed
  // body only as (0, n) and (n, n), with or without the attribute.
  await using server = serveHttp(async (request) =>
    new Response(String((await request.arrayBuffer()).byteLength))
  );
  await using nam = new NetworkAccessManager();
  const body = new Uint8Array(256 * 1024);
  const progress: [number, number][][] = [];
  for (const all of [false, true]) {
    const request = new NetworkRequest(server.url);
    if (all) request.setAttribute(Attribute.EmitAllUploadProgressSignalsAttribute, true);
    const reply = nam.post(request, body);
    const trace = recordTrace(reply, nam);
    assert.equal(await reply.text(), String(body.length));
    progress.push(uploads(trace));
  }
  assert.deepEqual(progress[0], [[0, body.length], [body.length, body.length]]);
  assert.deepEqual(progress[1], progress[0]);
});

for (const scheme of ["http", "https"] as const) {
  for (const readBufferSize of [0, 4096]) {
    Deno.test(`ioGetFromBuiltinHttp: 1.2 MB of random data over ${scheme}, readBufferSize ${readBufferSize}`, async () => {
      const data = randomBytes(1_200_000);
      const handler = () => new Response(data as Uint8Array<ArrayBuffer>);
      await using server = scheme === "http" ? serveHttp(handler) : serveHttps(handler);
      await using nam = new NetworkAccessManager();
      const reply = nam.get(new NetworkRequest(server.url, { sslConfiguration: trustTestCa }));
      reply.setReadBufferSize(readBufferSize);
      const trace = recordTrace(reply, nam);
      // Qt's rate-controlled reader: small reads, one per turn of the event loop, woken by readyRead.
      const chunks: Uint8Array[] = [];
      while (!reply.atEnd()) {
        if (reply.bytesAvailable() === 0) {
          await nextActivity(reply);
          continue;
        }
        chunks.push(reply.read(4096));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(reply.header(KnownHeader.ContentLengthHeader), data.length);
      const received = concatBytes(chunks);
      assert.equal(received.length, data.length);
      assert.equal(await sha256(received), await sha256(data), "data integrity");
      assert.equal(
        trace.filter((e) => e.type === "downloadProgress").at(-1)?.detail,
        `${data.length},${data.length}`,
      );
      assert.equal(reply.readBufferSize(), readBufferSize);
    });
  }
}

for (const scheme of ["http", "https"] as const) {
  for (const closeFirst of [false, true]) {
    Deno.test(`httpReUsingConnectionFromFinishedSlot: a request started in finished completes (${scheme}${closeFirst ? ", first reply closed" : ""})`, async () => {
      await using server = scheme === "http"
        ? serveHttp(() => new Response(null))
        : serveHttps(() => new Response(null));
      await using nam = new NetworkAccessManager();
      const request = new NetworkRequest(server.url, { sslConfiguration: trustTestCa });
      const first = nam.get(request);
      let errorInFinished: NetworkError | undefined;
      const second = new Promise<NetworkReply>((resolve) => {
        first.addEventListener("finished", () => {
          errorInFinished = first.error();
          if (closeFirst) first.close(); // Qt's deleteLater row: a no-op after finished
          resolve(nam.get(request));
        });
      });
      const reply = await second;
      await reply.done;
      assert.equal(errorInFinished, NetworkError.NoError);
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
      assert.equal(first.error(), NetworkError.NoError, "close() after finished changes nothing");
    });
  }
}

Deno.test("httpRecursiveCreation: requests started from readyRead and finished all complete", async () => {
  const size = 27906; // Qt's fluke.gif
  const body = randomBytes(size);
  await using server = serveHttp(() => new Response(body as Uint8Array<ArrayBuffer>));
  await using nam = new NetworkAccessManager();
  const replies: NetworkReply[] = [];
  let startedFromReadyRead = 0;
  let startedFromFinished = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => resolveAll = resolve);
  const failures: string[] = [];
  const startOne = (): void => {
    const reply = nam.get(server.url);
    replies.push(reply);
    reply.addEventListener("readyRead", () => {
      if (reply.error() !== NetworkError.NoError) failures.push(`readyRead: ${reply.errorString()}`);
      if (startedFromReadyRead < 30 && reply.bytesAvailable() > size / 2) {
        startedFromReadyRead++;
        startOne();
      }
    });
    reply.addEventListener("finished", () => {
      if (reply.error() !== NetworkError.NoError) failures.push(`finished: ${reply.errorString()}`);
      if (reply.bytesAvailable() !== size) failures.push(`finished with ${reply.bytesAvailable()} bytes`);
      if (startedFromFinished < 30) {
        startedFromFinished++;
        startOne();
      }
      if (replies.every((r) => r.isFinished())) resolveAll();
    });
  };
  startOne();
  await all;
  assert.deepEqual(failures, []);
  assert.equal(startedFromFinished, 30);
  assert.equal(startedFromReadyRead, 30);
  assert.equal(replies.length, 61);
});

// ---- Redirects -------------------------------------------------------------

Deno.test("ioHttpRedirect: 301, 302, 303, 305, 307 and 308 are all followed to the 200", async (t) => {
  await using server = serveHttp((request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/final") return new Response("final");
    return new Response(null, { status: Number(pathname.slice(1)), headers: { location: "/final" } });
  });
  await using nam = new NetworkAccessManager();
  for (const status of [301, 302, 303, 305, 307, 308]) {
    await t.step(String(status), async () => {
      const reply = nam.get(new URL(`/${status}`, server.url));
      const trace = recordTrace(reply, nam);
      assert.equal(await reply.text(), "final");
      assert.equal(count(trace, "redirected"), 1);
      assert.equal(reply.url().pathname, "/final");
      assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
      assert.equal(reply.hasRawHeader("location"), false);
    });
  }
});

Deno.test("ioHttpChangeMaxRedirects: max 1 is TooManyRedirectsError after one redirected; max 3 succeeds after two", async () => {
  await using third = serveHttp(() => new Response(null));
  await using second = serveHttp(() =>
    new Response(null, { status: 307, headers: { location: third.url.href } })
  );
  await using first = serveHttp(() =>
    new Response(null, { status: 307, headers: { location: second.url.href } })
  );
  await using nam = new NetworkAccessManager();
  const request = new NetworkRequest(first.url);
  request.setMaximumRedirectsAllowed(1);
  const failing = nam.get(request);
  const trace = recordTrace(failing, nam);
  await failing.done;
  assertFailed(failing, trace, NetworkError.TooManyRedirectsError, "Too many redirects");
  assert.equal(count(trace, "redirected"), 1);

  request.setMaximumRedirectsAllowed(3);
  const reply = nam.get(request);
  const trace2 = recordTrace(reply, nam);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError);
  assert.equal(count(trace2, "redirected"), 2);
  assert.equal(reply.url().href, third.url.href);
  assert.equal(reply.hasRawHeader("location"), false, "validateRedirectedResponseHeaders");
});

Deno.test("ioHttpRedirectPolicy: Manual stops at the 307, NoLessSafe and SameOrigin follow it, http and https", async (t) => {
  const handler = (request: Request) =>
    new URL(request.url).pathname === "/final"
      ? new Response("final")
      : new Response("moved", { status: 307, headers: { location: "/final" } });
  await using plain = serveHttp(handler);
  await using secure = serveHttps(handler);
  await using nam = new NetworkAccessManager();
  assert.equal(nam.redirectPolicy(), RedirectPolicy.NoLessSafeRedirectPolicy, "the manager's default");
  const rows = [
    { policy: RedirectPolicy.ManualRedirectPolicy, redirects: 0, status: 307 },
    { policy: RedirectPolicy.NoLessSafeRedirectPolicy, redirects: 1, status: 200 },
    { policy: RedirectPolicy.SameOriginRedirectPolicy, redirects: 1, status: 200 },
  ];
  for (const server of [plain, secure]) {
    for (const row of rows) {
      await t.step(`${server.url.protocol} policy ${row.policy}`, async () => {
        const request = new NetworkRequest(server.url, {
          redirectPolicy: row.policy,
          sslConfiguration: trustTestCa,
        });
        const reply = nam.get(request);
        const trace = recordTrace(reply, nam);
        await reply.done;
        assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
        assert.equal(count(trace, "redirected"), row.redirects);
        assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), row.status);
      });
    }
  }
});

/** Answers "/" with `status` to "/target", and "/target" with 200. */
function redirectingServer(status: number) {
  return startRawHttpServer(async (exchange: RawExchange) => {
    await exchange.write(
      exchange.request.target === "/"
        ? `HTTP/1.1 ${status} Moved\r\nLocation: /target\r\nContent-Length: 0\r\n\r\n`
        : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    );
  });
}

Deno.test("ioHttpRedirectDelete: a 307 keeps DELETE", async () => {
  await using server = redirectingServer(307);
  await using nam = new NetworkAccessManager();
  const reply = nam.deleteResource(server.url);
  const trace = recordTrace(reply, nam);
  assert.equal(await reply.text(), "ok");
  assert.deepEqual(server.requests.map((r) => `${r.method} ${r.target}`), ["DELETE /", "DELETE /target"]);
  assert.equal(reply.operation(), Operation.DeleteOperation);
  assert.equal(count(trace, "redirected"), 1);
});

Deno.test("ioHttpRedirectCustom: a 307 keeps a custom verb", async () => {
  await using server = redirectingServer(307);
  await using nam = new NetworkAccessManager();
  const reply = nam.sendCustomRequest(server.url, "CUSTOM");
  assert.equal(await reply.text(), "ok");
  assert.deepEqual(server.requests.map((r) => `${r.method} ${r.target}`), ["CUSTOM /", "CUSTOM /target"]);
  assert.equal(reply.operation(), Operation.CustomOperation);
  assert.equal(reply.request().attribute(Attribute.CustomVerbAttribute), "CUSTOM");
});

Deno.test("ioHttpRedirectWithUploadDevice: POST/custom + 301 → GET without a body; + 307 → same verb with the body", async (t) => {
  await using nam = new NetworkAccessManager();
  const payload = "upload device contents";
  for (const verb of ["POST", "CUSTOM"]) {
    for (const status of [301, 307]) {
      await t.step(`${verb} + ${status}`, async () => {
        await using server = redirectingServer(status);
        const request = new NetworkRequest(server.url, { headers: { "content-type": "text/plain" } });
        // A ReadableStream is netreply's upload device (sequential, read once).
        const reply = nam.sendCustomRequest(request, verb, new Blob([payload]).stream());
        assert.equal(await reply.text(), "ok");
        const [first, target] = server.requests;
        assert.equal(first.method, verb);
        assert.equal(decoder.decode(first.body), payload, "the first hop streams the body");
        assert.equal(target.target, "/target");
        if (status === 301) {
          assert.equal(target.method, "GET");
          assert.equal(target.body.length, 0);
          // fetch frames no body on a GET: neither length nor type nor chunking reach the target.
          assert.equal(headerOf(target, "content-length"), undefined);
          assert.equal(headerOf(target, "content-type"), undefined);
          assert.equal(headerOf(target, "transfer-encoding"), undefined);
          assert.equal(reply.operation(), Operation.GetOperation);
        } else {
          assert.equal(target.method, verb);
          assert.equal(decoder.decode(target.body), payload);
          assert.equal(headerOf(target, "content-type"), "text/plain");
        }
      });
    }
  }
});

Deno.test("ioHttpRedirectPostPut: 307 and 308 keep POST and PUT and re-send the body (0 B, small, 2 MiB binary)", async (t) => {
  await using nam = new NetworkAccessManager();
  const bodies = {
    "empty": new Uint8Array(0),
    "small": encoder.encode("Hello, redirected world!"),
    "2 MiB binary": randomBytes(2 * 1024 * 1024),
  };
  for (const status of [307, 308]) {
    for (const verb of ["POST", "PUT"] as const) {
      for (const [name, body] of Object.entries(bodies)) {
        await t.step(`${verb} + ${status}, ${name}`, async () => {
          await using server = redirectingServer(status);
          const request = new NetworkRequest(server.url, {
            headers: { "content-type": "application/octet-stream" },
          });
          const reply = verb === "POST" ? nam.post(request, body) : nam.put(request, body);
          const trace = recordTrace(reply, nam);
          assert.equal(await reply.text(), "ok");
          assert.deepEqual(server.requests.map((r) => r.method), [verb, verb]);
          for (const seen of server.requests) {
            assert.equal(headerOf(seen, "content-length"), String(body.length));
            assert.equal(headerOf(seen, "content-type"), "application/octet-stream");
            assert.equal(await sha256(seen.body), await sha256(body));
          }
          const expected = body.length === 0 ? [[0, 0]] : [[0, body.length], [body.length, body.length]];
          assert.deepEqual(uploads(trace), [...expected, ...expected], "each hop reports its upload");
        });
      }
    }
  }
});

// ---- Content-Encoding ------------------------------------------------------

Deno.test("qtbug12908compressedHttpReply: a valid gzip of 16 KiB of zeros decodes", async () => {
  // Qt's bytes: dd if=/dev/zero bs=16384 count=1 | gzip (with a file name in the header).
  const gzip = Uint8Array.from(
    atob("H4sICDdDaUwAA3F0YnVnLTEyOTA4AO3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"),
    (c) => c.charCodeAt(0),
  );
  assert.equal(gzip.length, 63);
  await using server = startRawHttpServer(
    rawResponse("HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 63", gzip),
  );
  await using nam = new NetworkAccessManager();
  const reply = nam.get(server.url);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(reply.bytesAvailable(), 16384);
  assert.deepEqual(reply.readAll(), new Uint8Array(16384));
  assert.equal(reply.attribute(Attribute.OriginalContentLengthAttribute), 63);
});

for (const coding of ["gzip", "deflate"] as const) {
  Deno.test(`compressedReadyRead: the last decoded bytes come by readyRead before finished (${coding})`, async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `line ${i}: the quick brown fox\n`);
    const payload = encoder.encode(lines.join(""));
    const encoded = await compress(payload, coding);
    const third = Math.ceil(encoded.length / 3);
    await using server = startRawHttpServer(async (exchange) => {
      await exchange.write(
        `HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}\r\nContent-Length: ${encoded.length}\r\n\r\n`,
      );
      for (let at = 0; at < encoded.length; at += third) {
        await exchange.write(encoded.subarray(at, at + third));
        await exchange.pause(5);
      }
    });
    await using nam = new NetworkAccessManager();
    const reply = nam.get(server.url);
    const received: Uint8Array[] = [];
    let leftAtFinished = -1;
    reply.addEventListener("readyRead", () => received.push(reply.readAll()));
    reply.addEventListener("finished", () => leftAtFinished = reply.bytesAvailable());
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.equal(leftAtFinished, 0, "nothing was left for finished to deliver");
    assert.equal(await sha256(concatBytes(received)), await sha256(payload));
  });
}

// ---- Cookies / auth ----------------------------------------------------------

Deno.test("qtbug4121unknownAuthentication: an unknown scheme gives no authenticationRequired, one AuthenticationRequiredError", async () => {
  await using server = startRawHttpServer(
    "HTTP/1.1 401 bla\r\nWWW-Authenticate: crap\r\nContent-Length: 0\r\n\r\n",
  );
  await using nam = new NetworkAccessManager();
  let asked = 0;
  nam.addEventListener("authenticationRequired", () => asked++);
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  await reply.done;
  assertFailed(
    reply,
    trace,
    NetworkError.AuthenticationRequiredError,
    `Error transferring ${server.url.href} - server replied: Unauthorized`,
  );
  assert.equal(asked, 0);
  assert.equal(server.requests.length, 1);
});
