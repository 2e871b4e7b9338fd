/**
 * Qt's self-contained redirect autotests (tst_qnetworkreply.cpp) on the socket
 * transport, where every hop is one exchange on netreply's own HTTP/1.1 engine
 * and the bodies re-sent are the ones the server reads: `new
 * NetworkAccessManager({ transport: "socket", proxy: null })` against raw
 * loopback servers. tests/QT_AUTOTESTS.md maps every ✱ test to its ports.
 */
import assert from "node:assert/strict";
import { Attribute, NetworkAccessManager, NetworkError, NetworkRequest } from "../../mod.ts";
import { recordTrace } from "../conformance/trace.ts";
import * as qt from "../support/qt_scenarios.ts";
import { startRawHttpServer } from "../support/raw_http_server.ts";
import { assertGetFails, countEvents } from "../support/reply_checks.ts";
import { caCertificate, serveHttps } from "../support/servers.ts";

const trustTestCa = { caCertificates: [caCertificate()] };

function socketManager(): NetworkAccessManager {
  return new NetworkAccessManager({ transport: "socket", proxy: null });
}

Deno.test("ioHttpSingleRedirect, ioHttpRedirect (socket): 301, 302, 303, 305, 307 and 308 are followed to the 200, one redirected each", async (t) => {
  await using nam = socketManager();
  for (const status of [301, 302, 303, 305, 307, 308]) {
    await t.step(String(status), async () => {
      await using server = qt.redirectingServer(status);
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

Deno.test("ioHttpChangeMaxRedirects (socket): max 1 is TooManyRedirectsError after one redirected; max 3 succeeds after two", () =>
  qt.changeMaxRedirects("socket"));

Deno.test("ioHttpRedirectErrors (socket): a loop, https to http, and an unknown scheme each end in their error", async (t) => {
  await using nam = socketManager();
  await t.step("too-many-redirects: a server redirecting to itself", async () => {
    await using server = startRawHttpServer(async (exchange) => {
      await exchange.write("HTTP/1.1 307 Temporary Redirect\r\nlocation: /\r\nContent-Length: 0\r\n\r\n");
    }, { keepAlive: true });
    await qt.assertTooManyRedirects(nam, new NetworkRequest(server.url), 5);
    assert.equal(server.requests.length, 6);
  });
  await t.step("insecure-redirect: https to http", async () => {
    await using plain = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    await using secure = serveHttps(() =>
      new Response(null, { status: 307, headers: { location: plain.url.href } })
    );
    await assertGetFails(
      nam,
      new NetworkRequest(secure.url, { sslConfiguration: trustTestCa }),
      NetworkError.InsecureRedirectError,
      `Insecure redirect: https to http (${plain.url.href})`,
    );
    assert.equal(plain.requests.length, 0);
  });
  await t.step("unknown-redirect: a scheme that is not http", async () => {
    // Qt's "bad_protocol:" is no scheme to a WHATWG URL parser (the underscore): it would resolve as a
    // relative path. "bad-protocol:" is one.
    await using server = qt.redirectingServer(307, "bad-protocol://localhost/");
    const { trace } = await assertGetFails(
      nam,
      server.url,
      NetworkError.ProtocolUnknownError,
      'Protocol "bad-protocol" is unknown',
    );
    assert.equal(countEvents(trace, "redirected"), 0);
  });
});

Deno.test("ioHttpRedirectPolicy (socket): Manual stops at the 307, NoLessSafe and SameOrigin follow it, http and https", (t) =>
  qt.redirectPolicy(t, "socket"));

Deno.test("ioHttpRedirectDelete, ioHttpRedirectCustom (socket): a 307 keeps DELETE and a custom verb", async (t) => {
  await using nam = socketManager();
  for (const verb of ["DELETE", "CUSTOM"] as const) await t.step(verb, () => qt.redirectKeepsVerb(nam, verb));
});

Deno.test("ioHttpRedirectWithUploadDevice (socket): POST/custom + 301 → GET without a body; + 307 → same verb with the body", (t) =>
  qt.redirectWithUploadDevice(t, "socket"));

Deno.test("ioHttpRedirectPostPut (socket): 307 and 308 keep POST and PUT and re-send the body (0 B, small, 2 MiB binary)", (t) =>
  // The socket transport reports every write: (0, n), steps, (n, n) on each hop.
  qt.redirectPostPut(t, "socket"));
