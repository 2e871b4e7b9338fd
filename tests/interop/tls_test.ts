// HTTPS against nginx (TLS 1.2/1.3, HTTP/2, gzip) in front of httpbin, through the default
// (fetch) transport.
import assert from "node:assert/strict";
import {
  Attribute,
  KnownHeader,
  NetworkAccessManager,
  NetworkError,
  NetworkRequest,
  type SslErrorsEvent,
} from "../../mod.ts";
import { assertDownloadProgress, assertSequence, Sequence, traceReply } from "./event_trace.ts";
import { LARGE_FILE_SIZE, largeFileByte, setupInteropServers } from "./servers.ts";

const suite = setupInteropServers();

function test(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, ignore: suite.ignore, fn });
}

function trustingRequest(url: string): NetworkRequest {
  return new NetworkRequest(url, { sslConfiguration: { caCertificates: [suite.servers().caCertificate] } });
}

test("https GET /get with the test CA: HTTP/2, gzip decoded", async () => {
  const { https } = suite.servers();
  await using nam = new NetworkAccessManager({ proxy: null });
  const reply = nam.get(trustingRequest(`${https}/get`));
  const trace = traceReply(nam, reply);
  await reply.done;
  const body = reply.readAll();

  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
  assert.equal(reply.attribute(Attribute.ConnectionEncryptedAttribute), true);
  // fetch does not report the protocol (no Http2WasUsedAttribute): nginx echoes what it spoke.
  assert.equal(reply.rawHeader("x-server-protocol"), "HTTP/2.0");
  assert.equal(reply.rawHeader("content-encoding"), "gzip"); // nginx compressed it, the reply decoded it
  assert.equal(JSON.parse(new TextDecoder().decode(body)).url, `${https}/get`.replace("https:", "http:"));
  assertSequence(trace, Sequence.success());
  assertDownloadProgress(trace, body.byteLength);
});

test("https POST through nginx: the body is echoed over HTTP/2", async () => {
  const { https } = suite.servers();
  await using nam = new NetworkAccessManager({ proxy: null });
  const payload = new TextEncoder().encode("x".repeat(100_000));
  const reply = nam.post(trustingRequest(`${https}/post`), payload);
  const trace = traceReply(nam, reply);
  await reply.done;

  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(reply.rawHeader("x-server-protocol"), "HTTP/2.0");
  assert.equal(JSON.parse(new TextDecoder().decode(reply.readAll())).data, "x".repeat(100_000));
  assertSequence(trace, Sequence.success());
});

test("https GET a 5 MiB file, read as it arrives with a small read buffer", async () => {
  const { https, largeFilePath } = suite.servers();
  await using nam = new NetworkAccessManager({ proxy: null });
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
  await using nam = new NetworkAccessManager({ proxy: null });
  const managerErrors: SslErrorsEvent[] = [];
  nam.addEventListener("sslErrors", (event) => managerErrors.push(event));
  const reply = nam.get(`${https}/get`);
  const trace = traceReply(nam, reply);
  await reply.done;

  assert.equal(reply.error(), NetworkError.SslHandshakeFailedError);
  assert.match(reply.errorString(), /^SSL handshake failed/);
  const [event, ...more] = trace.ofType<SslErrorsEvent>("sslErrors");
  assert.equal(more.length, 0, trace.types());
  assert.ok(event.errors.length >= 1);
  assert.equal(managerErrors.length, 1);
  assert.equal(managerErrors[0].reply, reply);
  assert.match(trace.types(), /^sslErrors errorOccurred /);
  assertSequence(trace, Sequence.networkError());
  assertDownloadProgress(trace, 0);
});
