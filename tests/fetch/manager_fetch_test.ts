/**
 * End to end through `new NetworkAccessManager()` (the fetch transport, the
 * default) against loopback servers: the self-contained Qt autotests of
 * tests/QT_AUTOTESTS.md that fetch can honour.
 */
import assert from "node:assert/strict";
import {
  Attribute,
  KnownHeader,
  NetworkAccessManager,
  NetworkError,
  type NetworkReply,
  NetworkRequest,
  RedirectPolicy,
} from "../../mod.ts";
import { describe, ERROR_TAIL, matchesSequence, OK_TAIL, recordTrace } from "../conformance/trace.ts";
import { headerOf, silent, stallAfter, startRawHttpServer } from "../support/raw_http_server.ts";
import { caCertificate, closedPort, serveHttp, serveHttps } from "../support/servers.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function compress(text: string, format: CompressionFormat): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function rawResponse(head: string, body: Uint8Array): Uint8Array {
  const headBytes = encoder.encode(`${head}\r\n\r\n`);
  const out = new Uint8Array(headBytes.length + body.length);
  out.set(headBytes);
  out.set(body, headBytes.length);
  return out;
}

/** Waits for the reply to finish and returns what it read. */
async function finish(reply: NetworkReply): Promise<string> {
  await reply.done;
  return decoder.decode(reply.readAll());
}

Deno.test("manager over fetch: a redirect chain is followed (ioHttpSingleRedirect, ioHttpRedirect)", async () => {
  await using server = serveHttp((request) => {
    const { pathname } = new URL(request.url);
    const hop = /^\/r\/(\d)$/.exec(pathname);
    if (hop) {
      const next = Number(hop[1]) - 1;
      const status = [301, 302, 303, 307, 308][Number(hop[1]) % 5];
      return new Response("moved", { status, headers: { location: next === 0 ? "/final" : `/r/${next}` } });
    }
    return new Response(`final via ${request.method}`);
  });
  await using nam = new NetworkAccessManager();
  const request = new NetworkRequest(new URL("/r/5", server.url));
  const reply = nam.get(request);
  const trace = recordTrace(reply, nam);
  assert.equal(await finish(reply), "final via GET");
  assert.equal(reply.error(), NetworkError.NoError);
  assert.equal(reply.url().pathname, "/final");
  assert.equal(reply.request().url().pathname, "/r/5", "the request URL is unchanged");
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
  assert.equal(reply.hasRawHeader("location"), false, "the final reply carries no Location");
  assert.equal(trace.filter((e) => e.type === "redirected").length, 5);
  assert.equal(trace.filter((e) => e.type === "finished").length, 1);
});

Deno.test("manager over fetch: Manual policy stops at the 3xx; a loop is TooManyRedirectsError", async () => {
  await using server = serveHttp((request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/loop") return new Response(null, { status: 302, headers: { location: "/loop" } });
    return new Response("temp", { status: 307, headers: { location: "/loop" } });
  });
  await using nam = new NetworkAccessManager();
  const manual = nam.get(
    new NetworkRequest(server.url, { redirectPolicy: RedirectPolicy.ManualRedirectPolicy }),
  );
  assert.equal(await finish(manual), "temp");
  assert.equal(manual.error(), NetworkError.NoError);
  assert.equal(manual.attribute(Attribute.HttpStatusCodeAttribute), 307);

  const loop = nam.get(new NetworkRequest(new URL("/loop", server.url), { maximumRedirectsAllowed: 3 }));
  const trace = recordTrace(loop, nam);
  await loop.done;
  assert.equal(loop.error(), NetworkError.TooManyRedirectsError);
  assert.equal(trace.filter((e) => e.type === "redirected").length, 3);
});

Deno.test("manager over fetch: https to http is an InsecureRedirectError (ioHttpRedirectErrors)", async () => {
  await using plain = serveHttp(() => new Response("insecure"));
  await using secure = serveHttps(() =>
    new Response(null, { status: 302, headers: { location: plain.url.href } })
  );
  await using nam = new NetworkAccessManager();
  const reply = nam.get(
    new NetworkRequest(secure.url, { sslConfiguration: { caCertificates: [caCertificate()] } }),
  );
  await reply.done;
  assert.equal(reply.error(), NetworkError.InsecureRedirectError);
});

Deno.test("manager over fetch: a 404 delivers its body, then ContentNotFoundError (getErrors)", async () => {
  await using server = serveHttp(() => new Response("no such page", { status: 404 }));
  await using nam = new NetworkAccessManager();
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  assert.equal(await finish(reply), "no such page");
  assert.equal(reply.error(), NetworkError.ContentNotFoundError);
  assert.equal(reply.errorString(), `Error transferring ${server.url.href} - server replied: Not Found`);
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 404);
  assert.ok(matchesSequence(trace, `requestSent metaDataChanged DATA ${ERROR_TAIL}`), describe(trace));
});

Deno.test("manager over fetch: a silent server times out with TimeoutError (requestWithTimeout)", async () => {
  await using server = startRawHttpServer(silent);
  await using nam = new NetworkAccessManager();
  const reply = nam.get(new NetworkRequest(server.url, { transferTimeout: 50 }));
  const trace = recordTrace(reply, nam);
  await reply.done;
  assert.equal(reply.error(), NetworkError.TimeoutError);
  assert.equal(reply.errorString(), "Operation timed out");
  assert.ok(matchesSequence(trace, ERROR_TAIL), describe(trace));
  await using timed = new NetworkAccessManager({ transferTimeout: 50 });
  const post = timed.post(server.url, "data");
  await post.done;
  assert.equal(post.error(), NetworkError.TimeoutError, "the manager's timeout applies to a POST too");
});

Deno.test("manager over fetch: abort right after post gives one OperationCanceledError (abortAndError)", async () => {
  await using server = startRawHttpServer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
  await using nam = new NetworkAccessManager();
  const reply = nam.post(server.url, "body");
  const trace = recordTrace(reply, nam);
  reply.abort();
  await reply.done;
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
  assert.equal(reply.errorString(), "Operation canceled");
  assert.equal(
    describe(trace),
    `errorOccurred(${NetworkError.OperationCanceledError}) downloadProgress(0,0) readChannelFinished nam:finished finished`,
  );
});

Deno.test("manager over fetch: an AbortSignal aborts a running reply", async () => {
  await using server = startRawHttpServer(stallAfter("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst"));
  await using nam = new NetworkAccessManager();
  const controller = new AbortController();
  const reply = nam.get(server.url, { signal: controller.signal });
  reply.addEventListener("readyRead", () => controller.abort(), { once: true });
  await reply.done;
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
});

Deno.test({
  name: "manager over fetch: no net permission gives PermissionDeniedError",
  permissions: { net: false },
  async fn() {
    await using nam = new NetworkAccessManager();
    const reply = nam.get("http://127.0.0.1:8080/");
    await reply.done;
    assert.equal(reply.error(), NetworkError.PermissionDeniedError);
    assert.equal(
      reply.errorString(),
      'Net access to "127.0.0.1:8080" was denied by the runtime: run with --allow-net=127.0.0.1:8080',
    );
  },
});

Deno.test("manager over fetch: every reply to a closed port gets one error and one finished (emitErrorForAllReplies)", async () => {
  await using nam = new NetworkAccessManager();
  const url = `http://127.0.0.1:${closedPort()}/`;
  const replies = [nam.get(url), nam.get(url), nam.get(url)];
  const traces = replies.map((reply) => recordTrace(reply, nam));
  await Promise.all(replies.map((reply) => reply.done));
  for (const [i, reply] of replies.entries()) {
    assert.equal(reply.error(), NetworkError.ConnectionRefusedError);
    assert.equal(reply.errorString(), "Connection refused");
    assert.ok(matchesSequence(traces[i], ERROR_TAIL), describe(traces[i]));
  }
});

Deno.test("manager over fetch: an empty POST body gives exactly one uploadProgress (ioPostToHttpEmptyUploadProgress)", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  await using nam = new NetworkAccessManager();
  const reply = nam.post(server.url, "");
  const trace = recordTrace(reply, nam);
  await reply.done;
  assert.deepEqual(trace.filter((e) => e.type === "uploadProgress").map((e) => e.detail), ["0,0"]);
  assert.equal(headerOf(server.requests[0], "content-length"), "0");
});

Deno.test("manager over fetch: a POST body reports (0, n) then (n, n) before metaDataChanged", async () => {
  await using server = serveHttp(async (request) => new Response(await request.text()));
  await using nam = new NetworkAccessManager();
  const reply = nam.post(server.url, "hello");
  const trace = recordTrace(reply, nam);
  assert.equal(await finish(reply), "hello");
  assert.ok(
    matchesSequence(trace, `uploadProgress uploadProgress requestSent metaDataChanged DATA ${OK_TAIL}`),
    describe(trace),
  );
  assert.deepEqual(trace.filter((e) => e.type === "uploadProgress").map((e) => e.detail), ["0,5", "5,5"]);
});

Deno.test("manager over fetch: odd framings Qt accepts (NoHeaders, WithoutContentLength, doubleContentLength)", async (t) => {
  await using nam = new NetworkAccessManager();
  await t.step("status line only", async () => {
    await using server = startRawHttpServer("HTTP/1.1 200 OK\r\n\r\n");
    const reply = nam.get(server.url);
    assert.equal(await finish(reply), "");
    assert.equal(reply.error(), NetworkError.NoError);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
  });
  await t.step("body delimited by close", async () => {
    await using server = startRawHttpServer("HTTP/1.1 200 OK\r\n\r\nHello, no length");
    const reply = nam.get(server.url);
    assert.equal(await finish(reply), "Hello, no length");
    assert.equal(reply.error(), NetworkError.NoError);
  });
  await t.step("Content-Length twice", async () => {
    await using server = startRawHttpServer(
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nABC",
    );
    const reply = nam.get(server.url);
    assert.equal(await finish(reply), "ABC");
    assert.equal(reply.rawHeader("content-length"), "3, 3");
    assert.equal(reply.header(KnownHeader.ContentLengthHeader), 3);
  });
});

Deno.test("manager over fetch: broken servers give exactly one error, the URL kept (ioGetFromHttpBrokenServer)", async (t) => {
  await using nam = new NetworkAccessManager();
  const cases = {
    "garbage": "Bla bla bla bla bla\r\n\r\n",
    "truncated headers": "HTTP/1.1 200 OK\r\nContent-Le",
    "truncated body": "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
    "nothing": "",
  };
  for (const [name, bytes] of Object.entries(cases)) {
    await t.step(name, async () => {
      await using server = startRawHttpServer(bytes);
      const reply = nam.get(server.url);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assert.notEqual(reply.error(), NetworkError.NoError);
      assert.equal(trace.filter((e) => e.type === "errorOccurred").length, 1);
      assert.equal(reply.url().href, server.url.href);
    });
  }
});

Deno.test("manager over fetch: IPv6 loopback (connectToIPv6Address)", async () => {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6", {
    hostname: "::1",
  });
  await using nam = new NetworkAccessManager();
  const reply = nam.get(server.url);
  assert.equal(await finish(reply), "v6");
  assert.equal(headerOf(server.requests[0], "host"), `[::1]:${server.port}`);
});

const payload = "Content-Encoding test payload. ".repeat(100);

Deno.test("manager over fetch: gzip and deflate are decoded, Content-Length moved (contentEncoding)", async (t) => {
  await using nam = new NetworkAccessManager();
  for (const [coding, format] of [["gzip", "gzip"], ["deflate", "deflate"]] as const) {
    await t.step(coding, async () => {
      const encoded = await compress(payload, format);
      await using server = startRawHttpServer(
        rawResponse(
          `HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}\r\nContent-Length: ${encoded.length}`,
          encoded,
        ),
      );
      const reply = nam.get(server.url);
      assert.equal(await finish(reply), payload);
      assert.equal(reply.error(), NetworkError.NoError);
      assert.equal(reply.hasRawHeader("content-length"), false);
      assert.equal(reply.attribute(Attribute.OriginalContentLengthAttribute), encoded.length);
      assert.equal(reply.rawHeader("content-encoding"), coding);
      assert.match(headerOf(server.requests[0], "accept-encoding") ?? "", new RegExp(coding));
    });
  }
  await t.step("a user Accept-Encoding turns netreply's decoding off", async () => {
    const encoded = await compress(payload, "deflate");
    await using server = startRawHttpServer(
      rawResponse(
        `HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: ${encoded.length}`,
        encoded,
      ),
    );
    const reply = nam.get(new NetworkRequest(server.url, { headers: { "accept-encoding": "deflate" } }));
    await reply.done;
    assert.deepEqual(reply.readAll(), encoded);
    assert.equal(reply.header(KnownHeader.ContentLengthHeader), encoded.length);
  });
});

Deno.test("manager over fetch: corrupt gzip is UnknownContentError (compressedHttpReplyBrokenGzip)", async () => {
  await using server = startRawHttpServer(
    "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\nabcdefghij",
  );
  await using nam = new NetworkAccessManager();
  const reply = nam.get(server.url);
  await reply.done;
  assert.equal(reply.error(), NetworkError.UnknownContentError);
  assert.equal(reply.errorString(), "Decompression failed: Invalid gzip header");
});

Deno.test("manager over fetch: a 404 with a gzip body is decoded (notFoundWithCompression)", async () => {
  const encoded = await compress("not found, but compressed", "gzip");
  await using server = startRawHttpServer(
    rawResponse(
      `HTTP/1.1 404 Not Found\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}`,
      encoded,
    ),
  );
  await using nam = new NetworkAccessManager();
  const reply = nam.get(server.url);
  assert.equal(await finish(reply), "not found, but compressed");
  assert.equal(reply.error(), NetworkError.ContentNotFoundError);
});

Deno.test("manager over fetch: download progress counts decoded bytes, total -1 (downloadProgressWithContentEncoding)", async () => {
  const big = "decoded progress ".repeat(20_000);
  const encoded = await compress(big, "gzip");
  await using server = startRawHttpServer(
    rawResponse(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${encoded.length}`, encoded),
  );
  await using nam = new NetworkAccessManager();
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  assert.equal((await finish(reply)).length, big.length);
  const progress = trace.filter((e) => e.type === "downloadProgress").map((e) =>
    e.detail.split(",").map(Number)
  );
  const received = progress.map(([n]) => n);
  assert.deepEqual(received, [...received].sort((a, b) => a - b), "progress never shrinks");
  assert.deepEqual(progress.at(-1), [big.length, big.length]);
  for (const [, total] of progress.slice(0, -1)) assert.equal(total, -1);
});
