// HTTPS against nginx (TLS 1.2/1.3, HTTP/2, gzip) in front of httpbin, on both built-in
// transports: fetch negotiates HTTP/2 and reports certificate errors without certificates;
// the socket transport speaks HTTP/1.1, reports each connection (socketStartedConnecting,
// encrypted) and lists certificate errors with the certificates, which the user may ignore.
import assert from "node:assert/strict";
import {
  Attribute,
  KnownHeader,
  NetworkError,
  NetworkRequest,
  type ReplyEvent,
  SslErrorKind,
  type SslErrorsEvent,
} from "../../mod.ts";
import {
  assertConnectionEvents,
  assertDownloadProgress,
  assertSequence,
  Sequence,
  traceReply,
} from "./event_trace.ts";
import { LARGE_FILE_SIZE, largeFileByte, setupInteropServers } from "./servers.ts";
import { forEachTransport, interopManager, type InteropTransport } from "./transports.ts";

const suite = setupInteropServers();

function trustingRequest(url: string): NetworkRequest {
  return new NetworkRequest(url, { sslConfiguration: { caCertificates: [suite.servers().caCertificate] } });
}

/** What nginx echoes in `X-Server-Protocol`: fetch negotiates h2 by ALPN, the socket transport speaks HTTP/1.1. */
function serverProtocol(transport: InteropTransport): string {
  return transport === "socket" ? "HTTP/1.1" : "HTTP/2.0";
}

/** Deno's fetch failing the handshake with nginx's certificate, whose CA it does not trust. */
const FETCH_UNKNOWN_ISSUER =
  "SSL handshake failed: The issuer certificate of a locally looked up certificate " +
  "could not be found (invalid peer certificate: UnknownIssuer)";

forEachTransport(suite, (transport, test) => {
  test("https GET /get with the test CA: encrypted, gzip decoded", async () => {
    const { https } = suite.servers();
    await using nam = interopManager(transport);
    const managerEncrypted: ReplyEvent[] = [];
    nam.addEventListener("encrypted", (event) => managerEncrypted.push(event));
    const reply = nam.get(trustingRequest(`${https}/get`));
    const trace = traceReply(nam, reply);
    await reply.done;
    const body = reply.readAll();

    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
    assert.equal(reply.attribute(Attribute.ConnectionEncryptedAttribute), true);
    assert.equal(reply.rawHeader("x-server-protocol"), serverProtocol(transport));
    // fetch does not report the protocol; the socket transport knows it spoke HTTP/1.1.
    assert.equal(
      reply.attribute(Attribute.Http2WasUsedAttribute),
      transport === "socket" ? false : undefined,
    );
    assert.equal(reply.rawHeader("content-encoding"), "gzip"); // nginx compressed it, the reply decoded it
    assert.equal(JSON.parse(new TextDecoder().decode(body)).url, `${https}/get`.replace("https:", "http:"));
    // encrypted comes before requestSent (Sequence.success puts connection events first).
    assertConnectionEvents(trace, transport, { connections: 1, encrypted: true });
    assert.deepEqual(managerEncrypted.map((event) => event.reply), transport === "socket" ? [reply] : []);
    assertSequence(trace, Sequence.success());
    assertDownloadProgress(trace, body.byteLength);
  });

  test("https POST through nginx: the body is echoed", async () => {
    const { https } = suite.servers();
    await using nam = interopManager(transport);
    const payload = new TextEncoder().encode("x".repeat(100_000));
    const reply = nam.post(trustingRequest(`${https}/post`), payload);
    const trace = traceReply(nam, reply);
    await reply.done;

    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.equal(reply.rawHeader("x-server-protocol"), serverProtocol(transport));
    assert.equal(JSON.parse(new TextDecoder().decode(reply.readAll())).data, "x".repeat(100_000));
    assertConnectionEvents(trace, transport, { connections: 1, encrypted: true });
    assertSequence(trace, Sequence.success());
  });

  test("https GET a 5 MiB file, read as it arrives with a small read buffer", async () => {
    const { https, largeFilePath } = suite.servers();
    await using nam = interopManager(transport);
    const reply = nam.get(trustingRequest(`${https}${largeFilePath}`));
    reply.setReadBufferSize(64 * 1024);
    const trace = traceReply(nam, reply);
    let received = 0;
    let mismatch = -1;
    reply.addEventListener("readyRead", () => {
      const chunk = reply.readAll();
      for (let i = 0; i < chunk.byteLength && mismatch < 0; i++) {
        if (chunk[i] !== largeFileByte(received + i)) mismatch = received + i;
      }
      received += chunk.byteLength;
    });
    await reply.done;
    received += reply.readAll().byteLength;

    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.equal(mismatch, -1, `Wrong byte at offset ${mismatch}`);
    assert.equal(received, LARGE_FILE_SIZE);
    assert.equal(reply.header(KnownHeader.ContentTypeHeader), "application/octet-stream");
    assert.ok(trace.ofType("readyRead").length > 1, "The body arrived in one piece");
    assertSequence(trace, Sequence.success());
    assertDownloadProgress(trace, LARGE_FILE_SIZE);
  });

  test("https without the test CA: sslErrors, then SslHandshakeFailedError", async () => {
    const { https } = suite.servers();
    await using nam = interopManager(transport);
    const managerErrors: SslErrorsEvent[] = [];
    nam.addEventListener("sslErrors", (event) => managerErrors.push(event));
    const reply = nam.get(`${https}/get`);
    const trace = traceReply(nam, reply);
    await reply.done;

    assert.equal(reply.error(), NetworkError.SslHandshakeFailedError);
    const [event, ...more] = trace.ofType<SslErrorsEvent>("sslErrors");
    assert.equal(more.length, 0, trace.types());
    assert.equal(managerErrors.length, 1);
    assert.equal(managerErrors[0].reply, reply);
    if (transport === "socket") {
      // The whole list, each error with the certificate it is about, and all of it in the message.
      assertUntrustedLocalhost(event);
      assert.deepEqual(event.errors.map((error) => error.kind), [
        SslErrorKind.UnableToVerifyFirstCertificate,
      ]);
      const detail = event.errors.map((error) => error.message).join("; ");
      assert.equal(reply.errorString(), `SSL handshake failed: ${detail}`);
      assert.match(trace.types(), /^socketStartedConnecting sslErrors errorOccurred /);
    } else {
      // Read from rustls' message: the kind, without the certificate.
      assert.deepEqual(event.errors.map((error) => error.kind), [
        SslErrorKind.UnableToGetLocalIssuerCertificate,
      ]);
      assert.equal(event.errors[0].certificate, undefined);
      assert.equal(reply.errorString(), FETCH_UNKNOWN_ISSUER);
      assert.match(trace.types(), /^sslErrors errorOccurred /);
    }
    assertSequence(trace, Sequence.networkError());
    assertDownloadProgress(trace, 0);
  });

  test("https without the test CA, ignoreSslErrors() in sslErrors: socket goes on, fetch cannot", async () => {
    const { https } = suite.servers();
    await using nam = interopManager(transport);
    const reply = nam.get(`${https}/get`);
    reply.addEventListener("sslErrors", () => reply.ignoreSslErrors());
    const trace = traceReply(nam, reply);
    await reply.done;
    const body = reply.readAll();

    const [event, ...more] = trace.ofType<SslErrorsEvent>("sslErrors");
    assert.equal(more.length, 0, trace.types());
    if (transport === "socket") {
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assertUntrustedLocalhost(event);
      assert.equal(reply.attribute(Attribute.ConnectionEncryptedAttribute), true);
      assert.equal(JSON.parse(new TextDecoder().decode(body)).url, `${https}/get`.replace("https:", "http:"));
      assert.match(trace.types(), /^socketStartedConnecting sslErrors encrypted requestSent /);
      assertSequence(trace, Sequence.success());
      assertDownloadProgress(trace, body.byteLength);
    } else {
      // docs/transports.md: on fetch the handshake has already failed; nothing to go on with.
      assert.equal(reply.error(), NetworkError.SslHandshakeFailedError);
      assert.equal(reply.errorString(), FETCH_UNKNOWN_ISSUER);
      assertSequence(trace, Sequence.networkError());
    }
  });
});

/** The socket transport's errors for nginx's certificate without its CA: the leaf, named and untrusted. */
function assertUntrustedLocalhost(event: SslErrorsEvent): void {
  assert.ok(event.errors.length >= 1);
  for (const error of event.errors) assert.notEqual(error.message, "");
  const certificate = event.errors[0].certificate;
  assert.ok(certificate, "The first error carries no certificate");
  assert.match(certificate.subject, /CN=localhost/);
  assert.match(certificate.fingerprintSha256, /^[0-9A-F]{2}(?::[0-9A-F]{2}){31}$/);
}
