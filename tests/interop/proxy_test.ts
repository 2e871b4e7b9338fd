// Through tinyproxy: plain http (absolute-form requests) and https (CONNECT) targets, an open
// proxy and one that wants Basic credentials.
import assert from "node:assert/strict";
import { Attribute, NetworkAccessManager, NetworkError, NetworkRequest } from "../../mod.ts";
import { assertDownloadProgress, assertSequence, Sequence, traceReply } from "./event_trace.ts";
import { PROXY_PASSWORD, PROXY_USER, setupInteropServers } from "./servers.ts";

const suite = setupInteropServers();

function test(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, ignore: suite.ignore, fn });
}

function trustingRequest(url: string): NetworkRequest {
  return new NetworkRequest(url, { sslConfiguration: { caCertificates: [suite.servers().caCertificate] } });
}

function withCredentials(proxy: string): string {
  const url = new URL(proxy);
  url.username = PROXY_USER;
  url.password = PROXY_PASSWORD;
  return url.href;
}

test("open proxy, http target: the request goes through tinyproxy", async () => {
  const { httpbin, proxy } = suite.servers();
  await using nam = new NetworkAccessManager({ proxy });
  const reply = nam.get(`${httpbin}/get`);
  const trace = traceReply(nam, reply);
  await reply.done;
  const body = reply.readAll();

  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.match(reply.rawHeader("via"), /tinyproxy/);
  assert.equal(JSON.parse(new TextDecoder().decode(body)).url, `${httpbin}/get`);
  assertSequence(trace, Sequence.success());
  assertDownloadProgress(trace, body.byteLength);
});

test("open proxy, https target: a CONNECT tunnel to nginx", async () => {
  const { https, proxy } = suite.servers();
  await using nam = new NetworkAccessManager({ proxy: new URL(proxy) });
  const reply = nam.get(trustingRequest(`${https}/get`));
  const trace = traceReply(nam, reply);
  await reply.done;

  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.match(reply.rawHeader("server"), /^nginx\//);
  assert.equal(reply.hasRawHeader("via"), false); // a tunnel: tinyproxy never sees the response
  assertSequence(trace, Sequence.success());
});

test("auth proxy without credentials, http target: 407 is ProxyAuthenticationRequiredError", async () => {
  const { httpbin, authProxy } = suite.servers();
  await using nam = new NetworkAccessManager({ proxy: authProxy });
  const reply = nam.get(`${httpbin}/get`);
  const trace = traceReply(nam, reply);
  await reply.done;

  assert.equal(reply.error(), NetworkError.ProxyAuthenticationRequiredError);
  assert.notEqual(reply.errorString(), "");
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 407);
  assert.match(new TextDecoder().decode(reply.readAll()), /Proxy Authentication Required/);
  assertSequence(trace, Sequence.httpError());
});

test("auth proxy without credentials, https target: UnknownProxyError (fetch hides the 407)", async () => {
  const { https, authProxy } = suite.servers();
  await using nam = new NetworkAccessManager({ proxy: authProxy });
  const reply = nam.get(trustingRequest(`${https}/get`));
  const trace = traceReply(nam, reply);
  await reply.done;

  assert.equal(reply.error(), NetworkError.UnknownProxyError);
  assert.notEqual(reply.errorString(), "");
  assertSequence(trace, Sequence.networkError());
  assertDownloadProgress(trace, 0);
});

test("auth proxy with credentials in the proxy URL: http and https targets succeed", async () => {
  const { httpbin, https, authProxy } = suite.servers();
  await using nam = new NetworkAccessManager({ proxy: withCredentials(authProxy) });

  const plain = nam.get(`${httpbin}/get`);
  const plainTrace = traceReply(nam, plain);
  await plain.done;
  assert.equal(plain.error(), NetworkError.NoError, plain.errorString());
  assert.match(plain.rawHeader("via"), /tinyproxy/);
  plain.readAll();
  assertSequence(plainTrace, Sequence.success());

  const tunnelled = nam.get(trustingRequest(`${https}/get`));
  const tunnelTrace = traceReply(nam, tunnelled);
  await tunnelled.done;
  assert.equal(tunnelled.error(), NetworkError.NoError, tunnelled.errorString());
  assert.match(tunnelled.rawHeader("server"), /^nginx\//);
  tunnelled.readAll();
  assertSequence(tunnelTrace, Sequence.success());
});
