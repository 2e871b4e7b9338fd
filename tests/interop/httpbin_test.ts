// The conformance expectations against a real server: httpbin under gunicorn, plain HTTP,
// on both built-in transports (tests/interop/transports.ts).
import assert from "node:assert/strict";
import {
  Attribute,
  NetworkError,
  type NetworkReply,
  type RedirectedEvent,
  type UploadProgressEvent,
} from "../../mod.ts";
import {
  assertConnectionEvents,
  assertDownloadProgress,
  assertSequence,
  Sequence,
  traceReply,
} from "./event_trace.ts";
import { setupInteropServers } from "./servers.ts";
import { forEachTransport, httpbinReasonPhrase, interopManager } from "./transports.ts";

const suite = setupInteropServers();

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Waits for the end and reads everything the reply buffered. */
async function finish(reply: NetworkReply): Promise<Uint8Array> {
  await reply.done;
  return reply.readAll();
}

forEachTransport(suite, (transport, test) => {
  test("GET /get: 200 with the body and the success sequence", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const reply = nam.get(`${httpbin}/get?a=1`);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.NoError);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
    assert.equal(reply.attribute(Attribute.HttpReasonPhraseAttribute), httpbinReasonPhrase(transport, "OK"));
    // fetch does not say which protocol it spoke; the socket transport speaks HTTP/1.1 only.
    assert.equal(
      reply.attribute(Attribute.Http2WasUsedAttribute),
      transport === "socket" ? false : undefined,
    );
    const echoed = JSON.parse(text(body));
    assert.equal(echoed.url, `${httpbin}/get?a=1`);
    assert.deepEqual(echoed.args, { a: "1" });
    assert.equal(reply.rawHeader("content-type"), "application/json");
    assertConnectionEvents(trace, transport, { connections: 1, encrypted: false });
    assertSequence(trace, Sequence.success());
    assertDownloadProgress(trace, body.byteLength);
  });

  test("GET /status/404: ContentNotFoundError after the (empty) body", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const url = `${httpbin}/status/404`;
    const reply = nam.get(url);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.ContentNotFoundError);
    const phrase = httpbinReasonPhrase(transport, "Not Found");
    assert.equal(reply.attribute(Attribute.HttpReasonPhraseAttribute), phrase);
    assert.equal(reply.errorString(), `Error transferring ${url} - server replied: ${phrase}`);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 404);
    assert.equal(body.byteLength, 0);
    assertSequence(trace, Sequence.httpError());
    assertDownloadProgress(trace, 0);
  });

  test("GET a missing nginx file: 404 with its HTML body readable", async () => {
    const { nginxHttp } = suite.servers();
    await using nam = interopManager(transport);
    const url = `${nginxHttp}/static/missing.txt`;
    const reply = nam.get(url);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.ContentNotFoundError);
    assert.equal(reply.errorString(), `Error transferring ${url} - server replied: Not Found`);
    assert.match(text(body), /<title>404 Not Found<\/title>/);
    assertSequence(trace, Sequence.httpError());
    assertDownloadProgress(trace, body.byteLength);
  });

  test("GET /status/418: ProtocolInvalidOperationError, the teapot body and reason phrase", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const url = `${httpbin}/status/418`;
    const reply = nam.get(url);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.ProtocolInvalidOperationError);
    const phrase = httpbinReasonPhrase(transport, "I'm a teapot");
    assert.equal(reply.attribute(Attribute.HttpReasonPhraseAttribute), phrase);
    assert.equal(reply.errorString(), `Error transferring ${url} - server replied: ${phrase}`);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 418);
    assert.match(text(body), /teapot/);
    assertSequence(trace, Sequence.httpError());
    assertDownloadProgress(trace, body.byteLength);
  });

  test("GET /redirect/3: three redirected events, then /get", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const reply = nam.get(`${httpbin}/redirect/3`);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.NoError);
    assert.deepEqual(
      trace.ofType<RedirectedEvent>("redirected").map((event) => event.url.href),
      [`${httpbin}/relative-redirect/2`, `${httpbin}/relative-redirect/1`, `${httpbin}/get`],
    );
    assert.equal(reply.url().href, `${httpbin}/get`);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
    assert.equal(reply.hasRawHeader("location"), false);
    assert.equal(JSON.parse(text(body)).url, `${httpbin}/get`);
    // The socket transport keeps a 3xx's connection for the next hop when the 3xx's body has arrived
    // with its head (as Qt, which reads it); when the body comes in a later segment, that hop opens a
    // new connection. So between one connection and one per hop, and none on fetch.
    const connections = trace.types().split(" ").filter((type) => type === "socketStartedConnecting").length;
    if (transport === "socket") assert.ok(connections >= 1 && connections <= 4, trace.types());
    else assert.equal(connections, 0);
    assertSequence(trace, Sequence.success(3));
    assertDownloadProgress(trace, body.byteLength);
  });

  test("GET /absolute-redirect/2: absolute Location URLs are followed", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const reply = nam.get(`${httpbin}/absolute-redirect/2`);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.NoError);
    assert.deepEqual(
      trace.ofType<RedirectedEvent>("redirected").map((event) => event.url.href),
      [`${httpbin}/absolute-redirect/1`, `${httpbin}/get`],
    );
    assert.equal(reply.url().href, `${httpbin}/get`);
    assertSequence(trace, Sequence.success(2));
    assertDownloadProgress(trace, body.byteLength);
  });

  test("GET /redirect-to a non-http scheme: ProtocolUnknownError, no redirected event", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const reply = nam.get(`${httpbin}/redirect-to?url=${encodeURIComponent("ftp://127.0.0.1/file")}`);
    const trace = traceReply(nam, reply);
    await finish(reply);

    assert.equal(reply.error(), NetworkError.ProtocolUnknownError);
    assert.equal(reply.errorString(), 'Protocol "ftp" is unknown');
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 302);
    assert.equal(trace.ofType("redirected").length, 0);
    assertSequence(trace, Sequence.refusedRedirect());
  });

  for (
    const { path, flag, encoding } of [
      { path: "/gzip", flag: "gzipped", encoding: "gzip" },
      { path: "/brotli", flag: "brotli", encoding: "br" },
      { path: "/deflate", flag: "deflated", encoding: "deflate" },
    ]
  ) {
    // fetch: Deno decodes gzip and br, netreply decodes deflate; socket: netreply decodes all three.
    test(`GET ${path}: the body arrives decoded`, async () => {
      const { httpbin } = suite.servers();
      await using nam = interopManager(transport);
      const reply = nam.get(`${httpbin}${path}`);
      const trace = traceReply(nam, reply);
      const body = await finish(reply);

      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(JSON.parse(text(body))[flag], true);
      assert.equal(reply.rawHeader("content-encoding"), encoding);
      // Qt moves the encoded length to an attribute: it says nothing about the decoded body.
      assert.equal(reply.hasRawHeader("content-length"), false);
      assert.equal(typeof reply.attribute(Attribute.OriginalContentLengthAttribute), "number");
      assertSequence(trace, Sequence.success());
      assertDownloadProgress(trace, body.byteLength);
    });
  }

  test("GET /delay/3 with a 500 ms transfer timeout: TimeoutError", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport, { transferTimeout: 500 });
    const reply = nam.get(`${httpbin}/delay/3`);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.TimeoutError);
    assert.equal(reply.errorString(), "Operation timed out");
    assert.equal(body.byteLength, 0);
    // The socket transport wrote the request before the timer fired; fetch reports requestSent
    // only with the response head.
    const sent = transport === "socket" ? "requestSent " : "";
    assert.match(trace.types(), new RegExp(`^(?:socketStartedConnecting )*${sent}errorOccurred `));
    assertDownloadProgress(trace, 0);
  });

  test("GET /drip: the body arrives in pieces, with download progress", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const reply = nam.get(`${httpbin}/drip?numbytes=10&duration=1&delay=0&code=200`);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.NoError);
    assert.equal(text(body), "*".repeat(10));
    // 10 bytes written 100 ms apart cannot all arrive in one read.
    assert.ok(trace.ofType("readyRead").length >= 2, trace.types());
    assertSequence(trace, Sequence.success());
    assertDownloadProgress(trace, 10);
  });

  test("POST /post with a string body: echoed, with upload progress", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const payload = "hello, httpbin ".repeat(100);
    const reply = nam.post(`${httpbin}/post`, payload);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.NoError);
    const echoed = JSON.parse(text(body));
    assert.equal(echoed.data, payload);
    assert.equal(echoed.headers["Content-Type"], "text/plain;charset=UTF-8");
    assert.equal(echoed.headers["Content-Length"], String(payload.length));
    const upload = trace.ofType<UploadProgressEvent>("uploadProgress");
    assert.ok(upload.length >= 2, trace.types());
    assert.deepEqual([upload[0].bytesSent, upload[0].bytesTotal], [0, payload.length]);
    const last = upload[upload.length - 1];
    assert.deepEqual([last.bytesSent, last.bytesTotal], [payload.length, payload.length]);
    assertSequence(trace, Sequence.success());
    assertDownloadProgress(trace, body.byteLength);
  });

  test("POST /post with a stream body: sent chunked, echoed, progress counts pulled bytes", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const chunks = ["one ", "two ", "three"];
    const stream = ReadableStream.from(chunks.map((chunk) => new TextEncoder().encode(chunk)));
    const reply = nam.post(`${httpbin}/post`, stream);
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    assert.equal(reply.error(), NetworkError.NoError);
    const echoed = JSON.parse(text(body));
    assert.equal(echoed.data, chunks.join(""));
    assert.equal(echoed.headers["Transfer-Encoding"], "chunked");
    const upload = trace.ofType<UploadProgressEvent>("uploadProgress");
    assert.ok(upload.length >= 1, trace.types());
    assert.equal(upload[upload.length - 1].bytesSent, chunks.join("").length);
    assertSequence(trace, Sequence.success());
  });

  test("GET with a body: the socket transport sends it, fetch refuses it", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const reply = nam.sendCustomRequest(`${httpbin}/anything`, "GET", "a GET body");
    const trace = traceReply(nam, reply);
    const body = await finish(reply);

    if (transport === "socket") {
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      const echoed = JSON.parse(text(body));
      assert.deepEqual([echoed.method, echoed.data], ["GET", "a GET body"]);
      assertSequence(trace, Sequence.success());
    } else {
      assert.equal(reply.error(), NetworkError.ProtocolInvalidOperationError);
      assert.equal(
        reply.errorString(),
        'A GET request cannot carry a body over fetch: use the socket transport ({ transport: "socket" })',
      );
      assertSequence(trace, Sequence.networkError());
    }
  });

  test("GET /basic-auth without credentials: AuthenticationRequiredError", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const url = `${httpbin}/basic-auth/user/passwd`;
    const reply = nam.get(url);
    const trace = traceReply(nam, reply);
    await finish(reply);

    assert.equal(reply.error(), NetworkError.AuthenticationRequiredError);
    const phrase = httpbinReasonPhrase(transport, "Unauthorized");
    assert.equal(reply.errorString(), `Error transferring ${url} - server replied: ${phrase}`);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 401);
    assertSequence(trace, Sequence.httpError());
  });

  test("GET /response-headers: duplicate fields and Set-Cookie lines", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport);
    const query = "X-Dup=a&X-Dup=b&Set-Cookie=a%3D1&Set-Cookie=b%3D2";
    const reply = nam.get(`${httpbin}/response-headers?${query}`);
    await finish(reply);

    assert.equal(reply.error(), NetworkError.NoError);
    assert.equal(reply.rawHeader("x-dup"), "a, b");
    assert.equal(reply.rawHeader("set-cookie"), "a=1\nb=2");
    assert.deepEqual(reply.headers().values("set-cookie"), ["a=1", "b=2"]);
    const names = reply.rawHeaderPairs({ originalCase: true }).map(([name]) => name);
    if (transport === "socket") {
      // The wire's fields, in the wire's order and spelling; the duplicates stay apart.
      assert.deepEqual(reply.headers().values("x-dup"), ["a", "b"]);
      assert.deepEqual(names.filter((name) => /^(x-dup|set-cookie)$/i.test(name)), ["X-Dup", "Set-Cookie"]);
    } else {
      // fetch joins duplicate fields before netreply sees them and only gives lower-case names.
      assert.deepEqual(reply.headers().values("x-dup"), ["a, b"]);
      assert.ok(names.every((name) => name === name.toLowerCase()), names.join(" "));
    }
  });
});
