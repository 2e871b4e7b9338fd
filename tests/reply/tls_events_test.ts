/**
 * TLS events through the reply and the manager, driven by MockTransport's
 * connection events: order (manager first), ignoreSslErrors() semantics,
 * the encrypted attribute and the negotiated configuration.
 */

import assert from "node:assert/strict";
import {
  Attribute,
  type Certificate,
  NetworkAccessManager,
  NetworkError,
  SslError,
  SslErrorKind,
} from "../../mod.ts";
import { MockTransport } from "../../testing.ts";

const certificate: Certificate = {
  subject: "CN=self-signed.test",
  issuer: "CN=self-signed.test",
  validFrom: new Date("2026-01-01T00:00:00Z"),
  validTo: new Date("2036-01-01T00:00:00Z"),
  fingerprintSha256: "AA:BB",
};
const other: Certificate = { ...certificate, fingerprintSha256: "CC:DD" };
const selfSigned = new SslError(SslErrorKind.SelfSignedCertificate, certificate);
const mismatch = new SslError(SslErrorKind.HostNameMismatch, certificate);
const URL_ = "https://self-signed.test/";

function tlsMock(): MockTransport {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, "ok", {
    connecting: true,
    sslErrors: [selfSigned, mismatch],
    encrypted: { protocol: "TLSv1.3", sessionCipher: "TLS_AES_128_GCM_SHA256", peerCertificate: certificate },
  }).persist();
  return mock;
}

Deno.test("sslErrors and encrypted: the manager's event comes before the reply's", async () => {
  await using nam = new NetworkAccessManager({ transport: tlsMock() });
  const order: string[] = [];
  nam.addEventListener("sslErrors", (event) => {
    order.push(`nam:sslErrors(${event.errors.length})`);
    assert.equal(event.reply, reply);
  });
  nam.addEventListener("encrypted", (event) => {
    order.push("nam:encrypted");
    assert.equal(event.reply, reply);
  });
  const reply = nam.get(URL_);
  reply.addEventListener("sslErrors", (event) => {
    order.push(`sslErrors(${event.errors.length})`);
    reply.ignoreSslErrors();
  });
  reply.addEventListener("encrypted", () => order.push("encrypted"));
  assert.equal(await reply.text(), "ok");
  assert.deepEqual(order, ["nam:sslErrors(2)", "sslErrors(2)", "nam:encrypted", "encrypted"]);
  assert.equal(reply.attribute(Attribute.ConnectionEncryptedAttribute), true);
  assert.equal(reply.sslConfiguration()?.sessionCipher, "TLS_AES_128_GCM_SHA256");
  assert.equal(reply.sslConfiguration()?.peerCertificate?.subject, "CN=self-signed.test");
});

const ignoreRows: [string, SslError[] | undefined | "none", NetworkError][] = [
  ["ignoreSslErrors() ignores all", undefined, NetworkError.NoError],
  ["the exact errors with their certificate", [
    new SslError(SslErrorKind.HostNameMismatch, certificate),
    new SslError(SslErrorKind.SelfSignedCertificate, certificate),
  ], NetworkError.NoError],
  [
    "only some of the errors",
    [new SslError(SslErrorKind.SelfSignedCertificate, certificate)],
    NetworkError.SslHandshakeFailedError,
  ],
  ["the right kinds for another certificate", [
    new SslError(SslErrorKind.HostNameMismatch, other),
    new SslError(SslErrorKind.SelfSignedCertificate, other),
  ], NetworkError.SslHandshakeFailedError],
  ["an empty list clears", [], NetworkError.SslHandshakeFailedError],
  ["not ignored", "none", NetworkError.SslHandshakeFailedError],
];

for (const [name, list, expected] of ignoreRows) {
  Deno.test(`ignoreSslErrors before the handshake: ${name}`, async () => {
    await using nam = new NetworkAccessManager({ transport: tlsMock() });
    const reply = nam.get(URL_);
    if (list !== "none") reply.ignoreSslErrors(list);
    let sslErrorsEvents = 0;
    reply.addEventListener("sslErrors", () => sslErrorsEvents++);
    let encrypted = 0;
    reply.addEventListener("encrypted", () => encrypted++);
    await reply.done;
    // Qt: sslErrors is dispatched even when the errors were ignored beforehand.
    assert.equal(sslErrorsEvents, 1);
    assert.equal(reply.error(), expected, reply.errorString());
    assert.equal(encrypted, expected === NetworkError.NoError ? 1 : 0);
    if (expected !== NetworkError.NoError) {
      assert.match(reply.errorString(), /^SSL handshake failed/);
      assert.equal(new TextDecoder().decode(reply.readAll()), "");
    }
  });
}

Deno.test("ignoreSslErrors([]) after ignoreSslErrors() clears the earlier choice", async () => {
  await using nam = new NetworkAccessManager({ transport: tlsMock() });
  const reply = nam.get(URL_);
  reply.ignoreSslErrors();
  reply.ignoreSslErrors([]);
  await reply.done;
  assert.equal(reply.error(), NetworkError.SslHandshakeFailedError);
});

Deno.test("a plain http reply is not encrypted and has no TLS state", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "http://plain.test/" }).reply(200, "ok");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get("http://plain.test/");
  assert.equal(reply.attribute(Attribute.ConnectionEncryptedAttribute), false);
  await reply.done;
  assert.equal(reply.attribute(Attribute.ConnectionEncryptedAttribute), false);
  assert.equal(reply.sslConfiguration(), undefined);
});
