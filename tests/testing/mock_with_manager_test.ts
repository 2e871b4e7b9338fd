// The user-facing flow: MockTransport behind a NetworkAccessManager, used the
// way a test of application code would use it.

import assert from "node:assert/strict";
import {
  Attribute,
  NetworkAccessManager,
  NetworkError,
  type NetworkReply,
  NetworkRequest,
  SslError,
  SslErrorKind,
} from "../../mod.ts";
import { MockTransport } from "../../testing.ts";
import { withFakeClock } from "../support/fake_clock.ts";

// The reply's events as a compact trace. downloadProgress during the body is
// throttled by time, so only the final one (just before readChannelFinished)
// is kept.
function record(reply: NetworkReply): string[] {
  const out: string[] = [];
  const plain = [
    "socketStartedConnecting",
    "encrypted",
    "requestSent",
    "metaDataChanged",
    "readyRead",
    "readChannelFinished",
    "finished",
  ] as const;
  for (const type of plain) reply.addEventListener(type, () => out.push(type));
  reply.addEventListener("sslErrors", () => out.push("sslErrors"));
  reply.addEventListener("redirected", (e) => out.push(`redirected(${e.url.pathname})`));
  reply.addEventListener("uploadProgress", (e) => out.push(`uploadProgress(${e.bytesSent},${e.bytesTotal})`));
  reply.addEventListener("errorOccurred", (e) => out.push(`errorOccurred(${e.code})`));
  reply.addEventListener(
    "downloadProgress",
    (e) => out.push(`downloadProgress(${e.bytesReceived},${e.bytesTotal})`),
  );
  reply.addEventListener("readChannelFinished", () => {
    for (let i = out.length - 3; i >= 0; i--) {
      if (out[i].startsWith("downloadProgress")) out.splice(i, 1);
    }
  });
  return out;
}

Deno.test("MockTransport answers a NetworkAccessManager GET with JSON", async () => {
  const mock = new MockTransport();
  mock.intercept({ method: "GET", url: "https://api.test/users" })
    .reply(200, '[{"id":1}]', { headers: { "content-type": "application/json" } });
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get("https://api.test/users");
  const events = record(reply);
  assert.deepEqual(await reply.json(), [{ id: 1 }]);
  assert.equal(reply.error(), NetworkError.NoError);
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
  assert.equal(reply.attribute(Attribute.HttpReasonPhraseAttribute), "OK");
  assert.equal(reply.attribute(Attribute.Http2WasUsedAttribute), false);
  assert.equal(reply.rawHeader("content-type"), "application/json");
  assert.deepEqual(events, [
    "requestSent",
    "metaDataChanged",
    "readyRead",
    "downloadProgress(10,10)",
    "readChannelFinished",
    "finished",
  ]);
  assert.deepEqual(mock.calls.map((c) => `${c.method} ${c.url.href}`), ["GET https://api.test/users"]);
  mock.assertNoPendingInterceptors();
});

Deno.test("MockTransport through the manager: POST matched on headers and body, echoed by a callback", async () => {
  const mock = new MockTransport();
  mock.intercept({
    method: "POST",
    url: "https://api.test/echo",
    headers: { "content-type": /json/ },
    body: (text) => text.includes("x"),
  }).reply((call) => ({ status: 201, body: call.body }));
  await using nam = new NetworkAccessManager({ transport: mock });
  const request = new NetworkRequest("https://api.test/echo", {
    headers: { "content-type": "application/json" },
  });
  const reply = nam.post(request, '{"x":1}');
  const events = record(reply);
  assert.equal(await reply.text(), '{"x":1}');
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 201);
  assert.deepEqual(events.slice(0, 4), [
    "uploadProgress(0,7)",
    "uploadProgress(7,7)",
    "requestSent",
    "metaDataChanged",
  ]);
  const [call] = mock.calls;
  assert.equal(call.headers.value("content-type"), "application/json");
  assert.equal(new TextDecoder().decode(call.body!), '{"x":1}');
});

Deno.test("MockTransport through the manager: HTTP error, network error and an unmatched request", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "https://api.test/missing" }).reply(404, "no such thing");
  mock.intercept({ url: (u) => u.pathname === "/down" }).replyWithError(NetworkError.ConnectionRefusedError);
  await using nam = new NetworkAccessManager({ transport: mock });

  const missing = nam.get("https://api.test/missing");
  const missingEvents = record(missing);
  await missing.done;
  assert.equal(missing.error(), NetworkError.ContentNotFoundError);
  assert.equal(
    missing.errorString(),
    "Error transferring https://api.test/missing - server replied: Not Found",
  );
  assert.equal(new TextDecoder().decode(missing.readAll()), "no such thing");
  assert.deepEqual(missingEvents.slice(-4), [
    "errorOccurred(203)",
    "downloadProgress(13,13)",
    "readChannelFinished",
    "finished",
  ]);

  const down = nam.get("https://api.test/down");
  const downEvents = record(down);
  await down.done;
  assert.equal(down.error(), NetworkError.ConnectionRefusedError);
  assert.equal(down.errorString(), "Connection refused");
  assert.deepEqual(downEvents, [
    "errorOccurred(1)",
    "downloadProgress(0,0)",
    "readChannelFinished",
    "finished",
  ]);

  const unmatched = nam.get("https://api.test/nothing");
  await unmatched.done;
  assert.equal(unmatched.error(), NetworkError.ConnectionRefusedError);
  assert.equal(
    unmatched.errorString(),
    [
      "MockTransport: no interceptor matches GET https://api.test/nothing",
      "  #1 * https://api.test/missing: url is not https://api.test/missing",
      "  #2 * <function>: url function returned false",
    ].join("\n"),
  );
  assert.equal(mock.calls.length, 3);
  mock.assertNoPendingInterceptors();
});

Deno.test("MockTransport through the manager: a followed redirect is two calls", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "https://api.test/old" }).reply(301, "moved", { headers: { location: "/new" } });
  mock.intercept({ url: "https://api.test/new" }).reply(200, "here");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get("https://api.test/old");
  const events = record(reply);
  assert.equal(await reply.text(), "here");
  assert.equal(reply.url().href, "https://api.test/new");
  assert.deepEqual(events.slice(0, 4), ["requestSent", "metaDataChanged", "redirected(/new)", "requestSent"]);
  assert.deepEqual(mock.calls.map((c) => c.url.pathname), ["/old", "/new"]);
  mock.assertNoPendingInterceptors();
});

Deno.test("MockTransport through the manager: TLS errors ignored by a listener, or not", async () => {
  const errors = [new SslError(SslErrorKind.SelfSignedCertificate)];
  const mock = new MockTransport();
  mock.intercept({ url: "https://self-signed.test/" })
    .reply(200, "ok", { connecting: true, sslErrors: errors, encrypted: { protocol: "TLSv1.3" } })
    .times(2);
  await using nam = new NetworkAccessManager({ transport: mock });

  const trusting = nam.get("https://self-signed.test/");
  trusting.addEventListener("sslErrors", () => trusting.ignoreSslErrors());
  const events = record(trusting);
  assert.equal(await trusting.text(), "ok");
  assert.deepEqual(events.slice(0, 4), ["socketStartedConnecting", "sslErrors", "encrypted", "requestSent"]);
  assert.equal(trusting.sslConfiguration()?.protocol, "TLSv1.3");

  const strict = nam.get("https://self-signed.test/");
  await strict.done;
  assert.equal(strict.error(), NetworkError.SslHandshakeFailedError);
  assert.equal(strict.errorString(), "SSL handshake failed");
});

Deno.test("MockTransport through the manager: delayed chunks on fake timers, a transfer timeout and abort", async () => {
  await withFakeClock(async (clock) => {
    const mock = new MockTransport();
    mock.intercept({ url: "https://api.test/slow" }).reply(200, { chunks: ["a", { data: "b", delay: 50 }] });
    mock.intercept({ url: "https://api.test/stuck" }).reply(200).delay(10_000);
    mock.intercept({ url: "https://api.test/abort" }).reply(200).delay(10_000);
    await using nam = new NetworkAccessManager({ transport: mock });

    const slow = nam.get("https://api.test/slow");
    const text = slow.text();
    await clock.tickAsync(50);
    assert.equal(await text, "ab");

    const stuck = nam.get(new NetworkRequest("https://api.test/stuck", { transferTimeout: 100 }));
    await clock.tickAsync(100);
    await stuck.done;
    assert.equal(stuck.error(), NetworkError.TimeoutError);

    const controller = new AbortController();
    const aborted = nam.get("https://api.test/abort", { signal: controller.signal });
    await clock.tickAsync(1);
    controller.abort();
    await aborted.done;
    assert.equal(aborted.error(), NetworkError.OperationCanceledError);

    // The mock cleared its timers for the timed-out and the aborted reply.
    await clock.tickAsync(0);
    assert.equal(clock.countTimers(), 0);
    mock.assertNoPendingInterceptors();
  });
});
