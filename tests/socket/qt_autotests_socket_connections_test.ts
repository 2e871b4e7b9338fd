/**
 * Qt's self-contained network autotests about connections (tst_qnetworkreply.cpp,
 * the ✱ rows that fetch cannot run: counts, limits, re-sends, idle expiry,
 * connection and TLS events) on the socket transport, through
 * `new NetworkAccessManager({ transport: "socket", proxy: null })` against raw
 * loopback servers whose connection counts are the servers' own.
 * qt_autotests_socket_test.ts and qt_autotests_socket_responses_test.ts hold
 * the wire, parsing and decoding tests; tests/QT_AUTOTESTS.md maps every ✱
 * test to its ports.
 */
import assert from "node:assert/strict";
import {
  Attribute,
  NetworkAccessManager,
  NetworkError,
  type NetworkReply,
  NetworkRequest,
  SocketTransport,
} from "../../mod.ts";
import { concatBytes } from "../../src/core/concat_bytes.ts";
import { describe, ERROR_TAIL, matchesSequence, OK_TAIL, recordTrace } from "../conformance/trace.ts";
import { type FakeClock, withFakeClock } from "../support/fake_clock.ts";
import * as qt from "../support/qt_scenarios.ts";
import { type RawExchange, silent, startRawHttpServer } from "../support/raw_http_server.ts";
import { listenLocalhostTls, startRawTlsListener } from "../support/raw_tls_listener.ts";
import { assertFailed, countEvents } from "../support/reply_checks.ts";
import { caCertificate, closedPort, serveHttps } from "../support/servers.ts";
import { startScriptedListener } from "../support/tracked_listener.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
const trustTestCa = { caCertificates: [caCertificate()] };

function socketManager(): NetworkAccessManager {
  return new NetworkAccessManager({ transport: "socket", proxy: null });
}

/** An https server on the test certificate that counts connections by client port. */
function countingHttpsServer() {
  const ports = new Set<number>();
  const server = serveHttps((_request, info) => {
    ports.add(info.remoteAddr.port);
    return new Response("activity");
  });
  return { server, ports };
}

/**
 * A keep-alive raw server that holds every answer until `hold` requests have
 * arrived, then answers them all: the client has to open as many connections
 * as it may before any is free again.
 */
function holdingServer(hold: number) {
  let waiting = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  return startRawHttpServer(async (exchange) => {
    if (++waiting === hold) release();
    await released;
    await exchange.write(OK);
  }, { keepAlive: true });
}

// ---- Connection and TLS events -------------------------------------------------

Deno.test("moreActivitySignals (socket): socketStartedConnecting once per new connection, none on reuse; encrypted once for https", async (t) => {
  await using plain = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nactivity", {
    keepAlive: true,
  });
  const { server: secure, ports } = countingHttpsServer();
  await using _ = secure;
  const rows = qt.activityRows(plain.url, secure.url);
  for (const row of rows) {
    await t.step(row.name, async () => {
      await using nam = socketManager();
      const managerEncrypted: string[] = [];
      nam.addEventListener("encrypted", () => managerEncrypted.push("encrypted"));
      const https = row.url.protocol === "https:";
      // Twice: the second request goes on the kept-alive connection.
      for (const round of [0, 1]) {
        const request = new NetworkRequest(row.url, { sslConfiguration: trustTestCa });
        const reply = row.post ? nam.post(request, "data") : nam.get(request);
        const trace = recordTrace(reply, nam);
        assert.equal(await reply.text(), "activity");
        const fresh = round === 0 ? 1 : 0;
        assert.equal(countEvents(trace, "socketStartedConnecting"), fresh, describe(trace));
        assert.equal(countEvents(trace, "encrypted"), https ? fresh : 0, describe(trace));
        for (const type of ["requestSent", "metaDataChanged", "finished"]) {
          assert.equal(countEvents(trace, type), 1, `${type}: ${describe(trace)}`);
        }
        assert.ok(
          matchesSequence(
            trace,
            `socketStartedConnecting? encrypted? uploadProgress* requestSent metaDataChanged DATA ${OK_TAIL}`,
          ),
          describe(trace),
        );
      }
      assert.deepEqual(managerEncrypted, https ? ["encrypted"] : []);
    });
  }
  assert.equal(plain.connectionCount, 2, "one connection per manager");
  assert.equal(ports.size, 2, "one connection per manager");
});

Deno.test("abortOnEncrypted (socket): abort() inside encrypted sends no request byte", async () => {
  let bytesReceived = 0;
  await using server = startRawTlsListener(async (conn) => {
    const buffer = new Uint8Array(4096);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) bytesReceived += n;
  });
  await using nam = socketManager();
  const reply = nam.get(new NetworkRequest(server.url, { sslConfiguration: trustTestCa }));
  const trace = recordTrace(reply, nam);
  reply.addEventListener("encrypted", () => reply.abort());
  await reply.done;
  assertFailed(reply, trace, NetworkError.OperationCanceledError, "Operation canceled");
  assert.equal(countEvents(trace, "encrypted"), 1);
  assert.equal(countEvents(trace, "requestSent"), 0);
  await server.close(); // waits for the server to have read everything the client sent
  assert.equal(server.connectionCount, 1);
  assert.equal(bytesReceived, 0, "no request bytes after the handshake");
});

// ---- Failures, aborts and timeouts -----------------------------------------------

Deno.test("emitErrorForAllReplies (socket): three replies to a closed port each get one ConnectionRefusedError", async () => {
  await using nam = socketManager();
  const url = `http://127.0.0.1:${closedPort()}/`;
  const replies = [nam.get(url), nam.get(url), nam.get(url)];
  const traces = replies.map((reply) => recordTrace(reply, nam));
  await Promise.all(replies.map((reply) => reply.done));
  replies.forEach((reply, i) => {
    assertFailed(reply, traces[i], NetworkError.ConnectionRefusedError, "Connection refused");
    assert.ok(matchesSequence(traces[i], `socketStartedConnecting ${ERROR_TAIL}`), describe(traces[i]));
  });
});

Deno.test("abortAndError (socket): abort() right after post gives one OperationCanceledError, not the server's 500", async () => {
  await using server = startRawHttpServer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
  await using nam = socketManager();
  const reply = nam.post(server.url, "body");
  const trace = recordTrace(reply, nam);
  reply.abort();
  await reply.done;
  assertFailed(reply, trace, NetworkError.OperationCanceledError, "Operation canceled");
  assert.equal(
    describe(trace),
    `errorOccurred(${NetworkError.OperationCanceledError}) downloadProgress(0,0) readChannelFinished nam:finished finished`,
  );
});

Deno.test("requestWithTimeout (socket): a silent server times out with TimeoutError, request or manager timeout, GET or POST", async (t) => {
  await using server = startRawHttpServer(silent, { keepAlive: true });
  const rows = [
    { name: "request timeout, GET", manager: 0, request: 50, post: false },
    { name: "manager timeout, POST", manager: 50, request: undefined, post: true },
  ];
  for (const row of rows) {
    await t.step(row.name, async () => {
      await using nam = new NetworkAccessManager({
        transport: "socket",
        proxy: null,
        transferTimeout: row.manager,
      });
      const request = new NetworkRequest(server.url, { transferTimeout: row.request });
      const reply = row.post ? nam.post(request, "data") : nam.get(request);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assertFailed(reply, trace, NetworkError.TimeoutError, "Operation timed out");
      assert.ok(
        matchesSequence(trace, `socketStartedConnecting uploadProgress* requestSent ${ERROR_TAIL}`),
        describe(trace),
      );
    });
  }
});

// ---- Connection reuse and counts -------------------------------------------------

for (const scheme of ["http", "https"] as const) {
  for (const closeFirst of [false, true]) {
    Deno.test(
      `httpReUsingConnectionFromFinishedSlot (socket): a request started in finished reuses the one connection (${scheme}${
        closeFirst ? ", first reply closed" : ""
      })`,
      async () => {
        await using plain = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", {
          keepAlive: true,
        });
        const { server: secure, ports } = countingHttpsServer();
        await using _ = secure;
        await using nam = socketManager();
        const url = scheme === "http" ? plain.url : secure.url;
        const trace = await qt.getAgainFromFinished(
          nam,
          new NetworkRequest(url, { sslConfiguration: trustTestCa }),
          closeFirst,
        );
        assert.equal(countEvents(trace, "socketStartedConnecting"), 0, describe(trace));
        assert.equal(scheme === "http" ? plain.connectionCount : ports.size, 1, "Qt: one connection");
      },
    );
  }
}

Deno.test("httpConnectionCount (socket): 10 parallel requests open exactly 6 connections", async (t) => {
  // Qt's h2 rows: HTTP/2 allowed, the server answers HTTP/1.1. The socket
  // transport speaks HTTP/1.1 only, so the attribute changes nothing.
  for (const http2Allowed of [false, true]) {
    await t.step(`Http2AllowedAttribute ${http2Allowed}`, async () => {
      await using server = holdingServer(6);
      await using nam = socketManager();
      const replies = Array.from({ length: 10 }, (_, i) => {
        const request = new NetworkRequest(new URL(`/${i}`, server.url));
        request.setAttribute(Attribute.Http2AllowedAttribute, http2Allowed);
        return nam.get(request);
      });
      const connecting = replies.map((reply) => recordTrace(reply, nam));
      await Promise.all(replies.map((reply) => reply.done));
      for (const reply of replies) assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(server.connectionCount, 6);
      assert.equal(
        connecting.filter((trace) => countEvents(trace, "socketStartedConnecting") === 1).length,
        6,
      );
      assert.deepEqual(
        server.requests.map((request) => request.target).sort(),
        replies.map((_, i) => `/${i}`).sort(),
      );
    });
  }
});

Deno.test("amountOfHttp1ConnectionsQtbug25280 (socket): maxConnectionsPerHost 1, 2, 6 and 12 are honoured for 200 requests", async (t) => {
  // Qt sets the count with QHttp1Configuration; netreply with SocketTransport's maxConnectionsPerHost.
  for (const amount of [1, 2, 6, 12]) {
    await t.step(String(amount), async () => {
      await using server = holdingServer(amount);
      await using nam = new NetworkAccessManager({
        transport: new SocketTransport({ maxConnectionsPerHost: amount }),
        proxy: null,
      });
      const replies = Array.from({ length: 200 }, () => nam.get(server.url));
      await Promise.all(replies.map((reply) => reply.done));
      assert.ok(replies.every((reply) => reply.error() === NetworkError.NoError));
      assert.equal(server.connectionCount, amount);
      assert.equal(server.requests.length, 200);
    });
  }
});

// ---- Idle expiry (ConnectionCacheExpiryTimeoutSecondsAttribute) -------------------------

/** A keep-alive server that keeps, per connection, a promise of its close. */
function closeWatchingServer() {
  const closes: Promise<void>[] = [];
  const server = startRawHttpServer(async (exchange: RawExchange) => {
    closes[exchange.request.connection] ??= exchange.closed;
    await exchange.write(OK);
  }, { keepAlive: true });
  return { server, closes };
}

function expiringGet(nam: NetworkAccessManager, url: URL, seconds?: number): NetworkReply {
  const request = new NetworkRequest(url);
  if (seconds !== undefined) {
    request.setAttribute(Attribute.ConnectionCacheExpiryTimeoutSecondsAttribute, seconds);
  }
  return nam.get(request);
}

async function completed(reply: NetworkReply): Promise<string[]> {
  const trace = recordTrace(reply);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  return trace.map((entry) => entry.type);
}

/** Runs `scenario` under a fake clock with a {@linkcode closeWatchingServer} and a socket manager. */
async function withExpiryServer(
  scenario: (
    server: ReturnType<typeof closeWatchingServer>["server"],
    closes: Promise<void>[],
    clock: FakeClock,
    nam: NetworkAccessManager,
  ) => Promise<void>,
): Promise<void> {
  const { server, closes } = closeWatchingServer();
  await using _ = server;
  await withFakeClock(async (clock) => {
    await using nam = socketManager();
    await scenario(server, closes, clock, nam);
  });
}

Deno.test("closeClientSideConnectionEagerlyQtbug20726 (socket): the client closes its idle connection when the expiry runs out", () =>
  withExpiryServer(async (server, closes, clock, nam) => {
    await completed(expiringGet(nam, server.url, 1));
    await clock.tickAsync(999);
    const reused = await completed(expiringGet(nam, server.url, 1));
    assert.ok(!reused.includes("socketStartedConnecting"), "still open 1 ms before the expiry");
    await clock.tickAsync(1_000);
    await closes[0]; // the client, not the server, closed it
    const fresh = await completed(expiringGet(nam, server.url, 1));
    assert.ok(fresh.includes("socketStartedConnecting"));
    assert.equal(server.connectionCount, 2);
  }));

Deno.test("varyingCacheExpiry (socket): each request's expiry decides when its idle connection closes; 0 closes at once", () =>
  withExpiryServer(async (server, closes, clock, nam) => {
    // 5 s, then a reuse just before it runs out that sets 1 s: the later request's expiry counts.
    await completed(expiringGet(nam, server.url, 5));
    await clock.tickAsync(4_999);
    assert.ok(!(await completed(expiringGet(nam, server.url, 1))).includes("socketStartedConnecting"));
    await clock.tickAsync(1_000);
    await closes[0];
    // 0: closed as soon as the reply is done, no time passing.
    await completed(expiringGet(nam, server.url, 0));
    await closes[1];
    // No attribute: Qt's 120 s.
    await completed(expiringGet(nam, server.url));
    await clock.tickAsync(119_999);
    assert.ok(!(await completed(expiringGet(nam, server.url))).includes("socketStartedConnecting"));
    await clock.tickAsync(120_000);
    await closes[2];
    assert.equal(server.connectionCount, 3);
  }));

// ---- Re-sends ----------------------------------------------------------------------

Deno.test("resendRequest (socket): RFC 9110's idempotent methods are re-sent after a kept-alive drop, the rest fail", async (t) => {
  // Qt re-sends GET, HEAD, PUT, OPTIONS and TRACE; netreply uses RFC 9110's
  // idempotent set (§9.2.2), which adds DELETE.
  const rows = [
    { verb: "GET", resent: true },
    { verb: "HEAD", resent: true },
    { verb: "PUT", resent: true, body: "payload" },
    { verb: "OPTIONS", resent: true },
    { verb: "TRACE", resent: true },
    { verb: "DELETE", resent: true },
    { verb: "POST", resent: false, body: "payload" },
    { verb: "PATCH", resent: false, body: "payload" },
    { verb: "CUSTOM", resent: false },
  ];
  for (const row of rows) {
    await t.step(row.verb, async () => {
      await using server = startRawHttpServer(async (exchange) => {
        // The second request, the first on the kept-alive connection, is dropped unanswered.
        if (server.requests.length === 2) return exchange.close();
        const body = exchange.request.method === "HEAD" ? "" : "ok";
        await exchange.write(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n${body}`);
      }, { keepAlive: true });
      await using nam = socketManager();
      await completed(nam.get(server.url));
      const reply = nam.sendCustomRequest(server.url, row.verb, row.body);
      const trace = recordTrace(reply, nam);
      await reply.done;
      if (row.resent) {
        assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
        assert.deepEqual(
          server.requests.map((request) => `${request.method}@${request.connection}`),
          ["GET@0", `${row.verb}@0`, `${row.verb}@1`],
          "dropped on the kept-alive connection, re-sent on a new one",
        );
        if (row.body !== undefined) assert.equal(decoder.decode(server.requests[2].body), row.body);
        // Qt dispatches requestSent (and socketStartedConnecting) again for the re-send; netreply once.
        assert.equal(countEvents(trace, "requestSent"), 1, describe(trace));
        assert.equal(countEvents(trace, "socketStartedConnecting"), 0, describe(trace));
        assert.equal(countEvents(trace, "finished"), 1, describe(trace));
      } else {
        assertFailed(reply, trace, NetworkError.RemoteHostClosedError, "Connection closed");
        assert.ok(matchesSequence(trace, `uploadProgress* requestSent ${ERROR_TAIL}`), describe(trace));
        assert.equal(server.requests.length, 2, "not re-sent");
        assert.equal(server.connectionCount, 1);
      }
    });
  }
});

/**
 * Qt's server for putWithServerClosingConnectionImmediately: reads the
 * request head, waits a little (Qt: a random 0-60 ms; here by connection
 * index), closes the connection without answering, and keeps what arrived
 * of the body.
 */
function closeAfterHead(uploads: Uint8Array[], closeConnection: (conn: Deno.Conn) => void) {
  return async (conn: Deno.Conn, index: number): Promise<void> => {
    const received: Uint8Array[] = [];
    const buffer = new Uint8Array(64 * 1024);
    let closing: Promise<void> | undefined;
    try {
      for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
        received.push(buffer.slice(0, n));
        if (closing === undefined && decoder.decode(concatBytes(received)).includes("\r\n\r\n")) {
          closing = new Promise<void>((resolve) => setTimeout(resolve, (index % 7) * 10))
            .then(() => closeConnection(conn));
        }
      }
    } catch {
      // closed under the read
    }
    await closing;
    const bytes = concatBytes(received);
    const text = decoder.decode(bytes);
    uploads.push(bytes.subarray(encoder.encode(text.slice(0, text.indexOf("\r\n\r\n") + 4)).length));
  };
}

for (const scheme of ["http", "https"] as const) {
  Deno.test(`putWithServerClosingConnectionImmediately (socket): 40 PUTs of 512 KiB to a server that drops each connection arrive uncorrupted (${scheme})`, async () => {
    const body = encoder.encode("abcdefghijklmnopqrstuvwxyz".repeat(20_165)); // ~512 KiB, Qt's pattern
    const uploads: Uint8Array[] = [];
    const script = closeAfterHead(uploads, (conn) => listener.closeConnection(conn));
    const listener = scheme === "https"
      ? startScriptedListener<Deno.Conn>(listenLocalhostTls(), script)
      : startScriptedListener<Deno.Conn>(Deno.listen({ hostname: "127.0.0.1", port: 0 }), script);
    const url = new URL(`${scheme}://${scheme === "https" ? "localhost" : "127.0.0.1"}:${listener.port}/`);
    try {
      await using nam = socketManager();
      const replies = Array.from(
        { length: 40 },
        (_, i) =>
          nam.put(new NetworkRequest(new URL(`/file=${i}`, url), { sslConfiguration: trustTestCa }), body),
      );
      const traces = replies.map((reply) => recordTrace(reply, nam));
      await Promise.all(replies.map((reply) => reply.done));
      // Every reply finishes once with one error: nobody answers, and a new connection is not re-sent on.
      replies.forEach((reply, i) =>
        assertFailed(reply, traces[i], NetworkError.RemoteHostClosedError, "Connection closed")
      );
    } finally {
      await listener.close();
    }
    assert.equal(listener.connectionCount, 40);
    assert.equal(uploads.length, 40);
    const corrupt = uploads.filter((upload) =>
      !body.subarray(0, upload.length).every((byte, i) => byte === upload[i])
    );
    assert.equal(corrupt.length, 0, "no upload arrived corrupted");
    // Qt's sanity check: some uploads got through at all (here: bytes of the body arrived).
    assert.ok(uploads.filter((upload) => upload.length > 0).length > 2);
  });
}
