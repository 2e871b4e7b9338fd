/**
 * Qt's self-contained redirect autotests (tst_qnetworkreply.cpp) on the socket
 * transport, where every hop is one exchange on netreply's own HTTP/1.1 engine
 * and the bodies re-sent are the ones the server reads: `new
 * NetworkAccessManager({ transport: "socket", proxy: null })` against raw
 * loopback servers. tests/QT_AUTOTESTS.md maps every ✱ test to its ports.
 */
import assert from "node:assert/strict";
import {
  Attribute,
  NetworkAccessManager,
  NetworkError,
  NetworkRequest,
  Operation,
  RedirectPolicy,
} from "../../mod.ts";
import { recordTrace } from "../conformance/trace.ts";
import { headerOf, type RawExchange, startRawHttpServer } from "../support/raw_http_server.ts";
import { assertFailed, countEvents } from "../support/reply_checks.ts";
import { caCertificate, serveHttps } from "../support/servers.ts";
import { randomBytes } from "../support/test_bytes.ts";

const decoder = new TextDecoder();
const trustTestCa = { caCertificates: [caCertificate()] };

function socketManager(): NetworkAccessManager {
  return new NetworkAccessManager({ transport: "socket", proxy: null });
}

/** Answers "/" with `status` to "/target" (or `location`), and "/target" with 200 "ok"; keeps connections. */
function redirectingServer(status: number, location = "/target") {
  return startRawHttpServer(async (exchange: RawExchange) => {
    await exchange.write(
      exchange.request.target === "/"
        ? `HTTP/1.1 ${status} Moved\r\nLocation: ${location}\r\nContent-Length: 0\r\n\r\n`
        : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    );
  }, { keepAlive: true });
}

Deno.test("ioHttpSingleRedirect, ioHttpRedirect (socket): 301, 302, 303, 305, 307 and 308 are followed to the 200, one redirected each", async (t) => {
  await using nam = socketManager();
  for (const status of [301, 302, 303, 305, 307, 308]) {
    await t.step(String(status), async () => {
      await using server = redirectingServer(status);
      const request = new NetworkRequest(server.url);
      const reply = nam.get(request);
      const trace = recordTrace(reply, nam);
      assert.equal(await reply.text(), "ok");
      assert.equal(countEvents(trace, "redirected"), 1);
      assert.equal(countEvents(trace, "finished"), 1);
      assert.equal(trace.find((entry) => entry.type === "redirected")?.detail, "/target");
      assert.equal(request.url().href, server.url.href, "the request's URL is unchanged");
      assert.equal(reply.url().href, new URL("/target", server.url).href);
      assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
      assert.equal(reply.hasRawHeader("location"), false, "validateRedirectedResponseHeaders");
      assert.equal(server.connectionCount, 1, "both hops on the kept-alive connection");
    });
  }
});

Deno.test("ioHttpChangeMaxRedirects (socket): max 1 is TooManyRedirectsError after one redirected; max 3 succeeds after two", async () => {
  await using third = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", { keepAlive: true });
  const redirectTo = (target: URL) =>
    `HTTP/1.1 307 Temporary Redirect\r\nContent-Type: text/plain\r\nlocation: ${target.href}\r\nContent-Length: 0\r\n\r\n`;
  await using second = startRawHttpServer(redirectTo(third.url), { keepAlive: true });
  await using first = startRawHttpServer(redirectTo(second.url), { keepAlive: true });
  await using nam = socketManager();
  const request = new NetworkRequest(first.url);
  request.setMaximumRedirectsAllowed(1);
  const failing = nam.get(request);
  const trace = recordTrace(failing, nam);
  await failing.done;
  assertFailed(failing, trace, NetworkError.TooManyRedirectsError, "Too many redirects");
  assert.equal(countEvents(trace, "redirected"), 1);

  request.setMaximumRedirectsAllowed(3);
  const reply = nam.get(request);
  const trace2 = recordTrace(reply, nam);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(countEvents(trace2, "redirected"), 2);
  assert.equal(reply.url().href, third.url.href);
  assert.equal(reply.hasRawHeader("location"), false, "validateRedirectedResponseHeaders");
});

Deno.test("ioHttpRedirectErrors (socket): a loop, https to http, and an unknown scheme each end in their error", async (t) => {
  await using nam = socketManager();
  await t.step("too-many-redirects: a server redirecting to itself", async () => {
    await using server = startRawHttpServer(async (exchange) => {
      await exchange.write("HTTP/1.1 307 Temporary Redirect\r\nlocation: /\r\nContent-Length: 0\r\n\r\n");
    }, { keepAlive: true });
    const request = new NetworkRequest(server.url);
    request.setMaximumRedirectsAllowed(5);
    const reply = nam.get(request);
    const trace = recordTrace(reply, nam);
    await reply.done;
    assertFailed(reply, trace, NetworkError.TooManyRedirectsError, "Too many redirects");
    assert.equal(countEvents(trace, "redirected"), 5);
    assert.equal(server.requests.length, 6);
  });
  await t.step("insecure-redirect: https to http", async () => {
    await using plain = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    await using secure = serveHttps(() =>
      new Response(null, { status: 307, headers: { location: plain.url.href } })
    );
    const reply = nam.get(new NetworkRequest(secure.url, { sslConfiguration: trustTestCa }));
    const trace = recordTrace(reply, nam);
    await reply.done;
    assertFailed(
      reply,
      trace,
      NetworkError.InsecureRedirectError,
      `Insecure redirect: https to http (${plain.url.href})`,
    );
    assert.equal(plain.requests.length, 0);
  });
  await t.step("unknown-redirect: a scheme that is not http", async () => {
    // Qt's "bad_protocol:" is no scheme to a WHATWG URL parser (the underscore): it would resolve as a
    // relative path. "bad-protocol:" is one.
    await using server = redirectingServer(307, "bad-protocol://localhost/");
    const reply = nam.get(server.url);
    const trace = recordTrace(reply, nam);
    await reply.done;
    assertFailed(reply, trace, NetworkError.ProtocolUnknownError, 'Protocol "bad-protocol" is unknown');
    assert.equal(countEvents(trace, "redirected"), 0);
  });
});

Deno.test("ioHttpRedirectPolicy (socket): Manual stops at the 307, NoLessSafe and SameOrigin follow it, http and https", async (t) => {
  const handler = (request: Request) =>
    new URL(request.url).pathname === "/final"
      ? new Response("final")
      : new Response("moved", { status: 307, headers: { location: "/final" } });
  await using plain = startRawHttpServer(async (exchange) => {
    await exchange.write(
      exchange.request.target === "/final"
        ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"
        : "HTTP/1.1 307 Temporary Redirect\r\nlocation: /final\r\nContent-Length: 5\r\n\r\nmoved",
    );
  }, { keepAlive: true });
  await using secure = serveHttps(handler);
  await using nam = socketManager();
  assert.equal(nam.redirectPolicy(), RedirectPolicy.NoLessSafeRedirectPolicy, "the manager's default");
  const rows = [
    { policy: RedirectPolicy.ManualRedirectPolicy, redirects: 0, status: 307, body: "moved" },
    { policy: RedirectPolicy.NoLessSafeRedirectPolicy, redirects: 1, status: 200, body: "final" },
    { policy: RedirectPolicy.SameOriginRedirectPolicy, redirects: 1, status: 200, body: "final" },
  ];
  for (const url of [plain.url, secure.url]) {
    for (const row of rows) {
      await t.step(`${url.protocol} policy ${row.policy}`, async () => {
        const request = new NetworkRequest(url, {
          redirectPolicy: row.policy,
          sslConfiguration: trustTestCa,
        });
        const reply = nam.get(request);
        const trace = recordTrace(reply, nam);
        assert.equal(await reply.text(), row.body);
        assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
        assert.equal(countEvents(trace, "redirected"), row.redirects);
        assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), row.status);
      });
    }
  }
});

Deno.test("ioHttpRedirectDelete, ioHttpRedirectCustom (socket): a 307 keeps DELETE and a custom verb", async (t) => {
  await using nam = socketManager();
  const rows = [
    { verb: "DELETE", operation: Operation.DeleteOperation },
    { verb: "CUSTOM", operation: Operation.CustomOperation },
  ];
  for (const row of rows) {
    await t.step(row.verb, async () => {
      await using server = redirectingServer(307);
      const reply = row.verb === "DELETE"
        ? nam.deleteResource(server.url)
        : nam.sendCustomRequest(server.url, row.verb);
      const trace = recordTrace(reply, nam);
      assert.equal(await reply.text(), "ok");
      assert.deepEqual(server.requests.map((r) => `${r.method} ${r.target}`), [
        `${row.verb} /`,
        `${row.verb} /target`,
      ]);
      assert.equal(reply.operation(), row.operation);
      assert.equal(countEvents(trace, "redirected"), 1);
    });
  }
});

Deno.test("ioHttpRedirectWithUploadDevice (socket): POST/custom + 301 → GET without a body; + 307 → same verb with the body", async (t) => {
  await using nam = socketManager();
  const payload = "upload device contents";
  for (const verb of ["POST", "CUSTOM"]) {
    for (const status of [301, 307]) {
      await t.step(`${verb} + ${status}`, async () => {
        await using server = redirectingServer(status);
        const request = new NetworkRequest(server.url, { headers: { "content-type": "text/plain" } });
        // A ReadableStream is netreply's upload device (sequential, read once): kept for the 307.
        const reply = nam.sendCustomRequest(request, verb, new Blob([payload]).stream());
        assert.equal(await reply.text(), "ok");
        const [first, target] = server.requests;
        assert.equal(first.method, verb);
        assert.equal(decoder.decode(first.body), payload, "the first hop streams the body");
        assert.equal(headerOf(first, "transfer-encoding"), "chunked");
        assert.equal(target.target, "/target");
        if (status === 301) {
          assert.equal(target.method, "GET");
          assert.equal(target.body.length, 0);
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

Deno.test("ioHttpRedirectPostPut (socket): 307 and 308 keep POST and PUT and re-send the body (0 B, small, 2 MiB binary)", async (t) => {
  await using nam = socketManager();
  const bodies = {
    "empty": new Uint8Array(0),
    "small": new TextEncoder().encode("Hello, redirected world!"),
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
            assert.deepEqual(seen.body, body);
          }
          const sent = trace.filter((entry) => entry.type === "uploadProgress").map((entry) => entry.detail);
          assert.equal(sent[0], `0,${body.length}`);
          assert.equal(
            sent.filter((detail) => detail === `${body.length},${body.length}`).length,
            2,
            "each hop reports its upload",
          );
        });
      }
    }
  }
});
