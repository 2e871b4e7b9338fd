/**
 * The Qt autotest scenarios (tst_qnetworkreply.cpp) that the fetch port
 * (tests/fetch/qt_autotests_test.ts) and the socket ports
 * (tests/socket/qt_autotests_socket*_test.ts) run alike: the same server, the
 * same assertions, only the transport and, where it differs, the expected
 * value given as a parameter. Each test file keeps its own `Deno.test` name
 * (tests/QT_AUTOTESTS.md quotes them) and calls the scenario here.
 *
 * A scenario takes the transport's name and makes its manager with
 * {@linkcode qtManager}: `new NetworkAccessManager()` for fetch, `new
 * NetworkAccessManager({ transport: "socket", proxy: null })` for the socket
 * transport. Only the socket transport sees connections, so an expected event
 * sequence starts with `socketStartedConnecting` there alone.
 *
 * @example
 * ```ts
 * import { unknownAuthentication } from "./qt_scenarios.ts";
 * Deno.test("qtbug4121unknownAuthentication (socket): …", () => unknownAuthentication("socket", "bla"));
 * ```
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  Attribute,
  KnownHeader,
  NetworkAccessManager,
  NetworkError,
  type NetworkReply,
  NetworkRequest,
  Operation,
  RedirectPolicy,
} from "../../mod.ts";
import { concatBytes } from "../../src/core/concat_bytes.ts";
import { describe, ERROR_TAIL, matchesSequence, recordTrace, type TraceEntry } from "../conformance/trace.ts";
import { headerOf, type RawExchange, type RawHttpServer, startRawHttpServer } from "./raw_http_server.ts";
import { readInPieces } from "./rate_controlled_reader.ts";
import { assertFailed, countEvents, uploadReports } from "./reply_checks.ts";
import { caCertificate, serveHttp, serveHttps, type TestServer } from "./servers.ts";
import { randomBytes } from "./test_bytes.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const trustTestCa = { caCertificates: [caCertificate()] };

/** The transport a Qt port runs on. */
export type TransportName = "fetch" | "socket";

/** The manager a Qt port uses on `transport` (the socket transport without a proxy). */
export function qtManager(
  transport: TransportName,
  options: { readonly transferTimeout?: number } = {},
): NetworkAccessManager {
  return transport === "socket"
    ? new NetworkAccessManager({ transport: "socket", proxy: null, ...options })
    : new NetworkAccessManager(options);
}

/**
 * The events before a failed reply's ERROR_TAIL when the response is broken:
 * the socket transport opens its connection and sends the request first;
 * fetch sees neither, and dispatches requestSent with the response head.
 */
function beforeBrokenResponse(transport: TransportName): string {
  return transport === "socket"
    ? "socketStartedConnecting requestSent (metaDataChanged DATA)?"
    : "(requestSent metaDataChanged DATA)?";
}

/** `format`-compressed `bytes` (CompressionStream). */
export async function compress(bytes: string | Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
  const input = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
  const stream = new Blob([input as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream(format),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A response: `head` (lines without the blank line) and body bytes. */
export function rawResponse(head: string, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes([encoder.encode(`${head}\r\n\r\n`), body]);
}

/** Answers "/" with `status` to "/target" (or `location`), and "/target" with 200 "ok"; keeps connections. */
export function redirectingServer(status: number, location = "/target"): RawHttpServer {
  return startRawHttpServer(async (exchange: RawExchange) => {
    await exchange.write(
      exchange.request.target === "/"
        ? `HTTP/1.1 ${status} Moved\r\nLocation: ${location}\r\nContent-Length: 0\r\n\r\n`
        : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    );
  }, { keepAlive: true });
}

// ---- Basics and methods ------------------------------------------------------

/** One status line of ioHttpErrorString and the error it gives (`why` ends the error text). */
export interface ErrorStringRow {
  readonly status: string;
  readonly code: NetworkError;
  readonly why: string;
}

/** ioHttpErrorString: each status gives its error and text; the error body stays readable. */
export async function httpErrorString(
  t: Deno.TestContext,
  transport: TransportName,
  rows: readonly ErrorStringRow[],
): Promise<void> {
  await using nam = qtManager(transport);
  for (const row of rows) {
    await t.step(row.status, async () => {
      await using server = startRawHttpServer(`HTTP/1.1 ${row.status}\r\nContent-Length: 4\r\n\r\nbody`);
      const reply = nam.get(server.url);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assertFailed(reply, trace, row.code, `Error transferring ${server.url.href} - ${row.why}`);
      assert.equal(decoder.decode(reply.readAll()), "body", "the error body stays readable");
    });
  }
}

/** httpUserAgent: a user-set User-Agent goes out once, its value verbatim. */
export async function httpUserAgent(transport: TransportName): Promise<void> {
  await using server = startRawHttpServer("HTTP/1.0 200 OK\r\n\r\n");
  await using nam = qtManager(transport);
  const request = new NetworkRequest(server.url);
  request.setHeader(KnownHeader.UserAgentHeader, "abcDEFghi");
  const reply = nam.get(request);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  // Both transports write names as netreply stores them, in lower case (Qt 6.8 stores them so; Qt
  // title-cases them on the wire since Jul 2025); Qt's test looks for the name case-blind. The value
  // is verbatim.
  assert.match(server.requests[0].head, /\r\nuser-agent: abcDEFghi\r\n/);
  assert.equal(server.requests[0].headers.filter(([name]) => /^user-agent$/i.test(name)).length, 1);
}

/**
 * putWithoutBody, postWithoutBody: null and undefined send no body (and no
 * uploadProgress) with `noBodyLength` as Content-Length; a body is sent with
 * its length and reported (0, 9) then (9, 9).
 */
export async function withoutBody(
  transport: TransportName,
  verb: "PUT" | "POST",
  noBodyLength: string | undefined,
): Promise<void> {
  await using server = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", {
    keepAlive: true,
  });
  await using nam = qtManager(transport);
  const send = (body?: null | string) =>
    verb === "PUT" ? nam.put(server.url, body) : nam.post(server.url, body);
  for (const body of [null, undefined]) {
    const reply = send(body);
    const trace = recordTrace(reply, nam);
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    const seen = server.requests.at(-1)!;
    assert.equal(seen.method, verb);
    assert.equal(headerOf(seen, "content-length"), noBodyLength);
    assert.equal(headerOf(seen, "content-type"), undefined);
    assert.equal(headerOf(seen, "transfer-encoding"), undefined);
    assert.equal(seen.body.length, 0);
    assert.equal(countEvents(trace, "uploadProgress"), 0, "no body, no uploadProgress");
  }
  const reply = send("some data");
  const trace = recordTrace(reply, nam);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  const seen = server.requests.at(-1)!;
  assert.equal(headerOf(seen, "content-length"), "9");
  assert.equal(decoder.decode(seen.body), "some data");
  assert.deepEqual(uploadReports(trace), [[0, 9], [9, 9]]);
}

/** qtbug4121unknownAuthentication: no authenticationRequired, one AuthenticationRequiredError with `reason`. */
export async function unknownAuthentication(transport: TransportName, reason: string): Promise<void> {
  await using server = startRawHttpServer(
    "HTTP/1.1 401 bla\r\nWWW-Authenticate: crap\r\nContent-Length: 0\r\n\r\n",
  );
  await using nam = qtManager(transport);
  let asked = 0;
  nam.addEventListener("authenticationRequired", () => asked++);
  const reply = nam.get(server.url);
  const trace = recordTrace(reply, nam);
  await reply.done;
  assertFailed(
    reply,
    trace,
    NetworkError.AuthenticationRequiredError,
    `Error transferring ${server.url.href} - server replied: ${reason}`,
  );
  assert.equal(asked, 0);
  assert.equal(server.requests.length, 1);
}

// ---- Response parsing ------------------------------------------------------------

/** Qt's 22 broken servers of ioGetFromHttpBrokenServer: [name, bytes, close after writing]. */
export const QT_BROKEN_SERVERS = [
  ["no-newline", "Hello World", false],
  ["with-newlines", "Long first line\r\nLong second line", false],
  ["with-newlines2", "\r\nSecond line", false],
  ["with-newlines3", "ICY\r\nSecond line", false],
  ["invalid-version", "HTTP/123 200 \r\n", false],
  ["invalid-version2", "HTTP/a.\x1b 200 \r\n", false],
  ["invalid-reply-code", "HTTP/1.0 fuu \r\n", false],
  ["empty+disconnect", "", true],
  ["no-newline+disconnect", "Hello World", true],
  ["just-newline+disconnect", "\r\n", true],
  ["just-2newline+disconnect", "\r\n\r\n", true],
  ["with-newlines+disconnect", "Long first line\r\nLong second line", true],
  ["with-newlines2+disconnect", "\r\nSecond line", true],
  ["with-newlines3+disconnect", "ICY\r\nSecond line", true],
  ["invalid-version+disconnect", "HTTP/123 200 ", true],
  ["invalid-version2+disconnect", "HTTP/a.\x1b 200 ", true],
  ["invalid-reply-code+disconnect", "HTTP/1.0 fuu ", true],
  ["immediate disconnect", "", true],
  ["justHalfStatus+disconnect", "HTTP/1.1", true],
  ["justStatus+disconnect", "HTTP/1.1 200 OK\r\n", true],
  ["justStatusAndHalfHeaders+disconnect", "HTTP/1.1 200 OK\r\nContent-L", true],
  ["halfContent+disconnect", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nAB", true],
] as const;

/** The name of one of {@linkcode QT_BROKEN_SERVERS}. */
export type BrokenServerName = typeof QT_BROKEN_SERVERS[number][0];

/** The code and message a transport gives for each of {@linkcode QT_BROKEN_SERVERS}. */
export type BrokenServerErrors = Readonly<Record<BrokenServerName, readonly [NetworkError, string]>>;

/**
 * ioGetFromHttpBrokenServer: each of Qt's responses gives exactly one error
 * (the transport's code and text in `errors`), the URL kept, the request
 * sent once.
 */
export async function brokenServer(
  t: Deno.TestContext,
  transport: TransportName,
  errors: BrokenServerErrors,
): Promise<void> {
  // Qt's waitForFinish gives up after 5 s without progress; the timeout plays that part.
  await using nam = qtManager(transport, { transferTimeout: 5_000 });
  for (const [name, bytes, disconnect] of QT_BROKEN_SERVERS) {
    const [code, message] = errors[name];
    await t.step(name, async () => {
      await using server = startRawHttpServer(async (exchange) => {
        await exchange.write(bytes);
        if (disconnect) exchange.close();
        else await exchange.closed;
      });
      const request = new NetworkRequest(server.url);
      const reply = nam.get(request);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assertFailed(reply, trace, code, message);
      assert.ok(
        matchesSequence(trace, `${beforeBrokenResponse(transport)} ${ERROR_TAIL}`),
        describe(trace),
      );
      assert.equal(reply.url().href, request.url().href);
      assert.equal(server.requests.length, 1, "a fresh connection is not re-sent on");
    });
  }
}

/** ioGetFromHttpStatusInformational: 1xx interim responses are skipped, their headers dropped. */
export async function statusInformational(t: Deno.TestContext, transport: TransportName): Promise<void> {
  await using nam = qtManager(transport);
  const rows: readonly (readonly [string, string, number])[] = [
    ["normal", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200],
    ["minimal", "HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200],
    ["minimal2", "HTTP/1.1 100 Continue\n\nHTTP/1.0 200 OK\r\n\r\n", 200],
    ["minimal3", "HTTP/1.1 100 Continue\n\nHTTP/1.0 200 OK\n\n", 200],
    ["minimal+404", "HTTP/1.1 100 Continue\n\nHTTP/1.0 204 No Content\r\n\r\n", 204],
    [
      "with_headers",
      "HTTP/1.1 100 Continue\r\nBla: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      200,
    ],
    ["with_headers2", "HTTP/1.1 100 Continue\nBla: x\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200],
    [
      "133, unknown, with headers",
      "HTTP/1.1 133 Whatever\r\nBla: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      200,
    ],
    [
      "179, bare LF, with headers",
      "HTTP/1.1 179 Whatever\nBla: x\n\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      200,
    ],
  ];
  for (const [name, bytes, status] of rows) {
    await t.step(name, async () => {
      await using server = startRawHttpServer(bytes);
      const reply = nam.get(server.url);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(reply.url().href, server.url.href);
      assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), status);
      assert.equal(reply.hasRawHeader("bla"), false);
      assert.equal(countEvents(trace, "metaDataChanged"), 1, "one response head, the final one");
    });
  }
}

/** A row of ioGetFromHttpBrokenChunkedEncoding: the bytes and the one error (and sequence) they give. */
export interface BrokenChunkRow {
  readonly name: string;
  readonly bytes: string;
  readonly sequence: string;
  readonly code: NetworkError;
  readonly message: string;
}

/**
 * ioGetFromHttpBrokenChunkedEncoding: the server keeps the connection open
 * after a chunk without its CRLF (Qt hangs); each row ends in exactly one
 * error, the transfer timeout being only the safety net.
 */
export async function brokenChunkedEncoding(
  t: Deno.TestContext,
  transport: TransportName,
  rows: readonly BrokenChunkRow[],
): Promise<void> {
  await using nam = qtManager(transport, { transferTimeout: 10_000 });
  for (const row of rows) {
    await t.step(row.name, async () => {
      await using server = startRawHttpServer(async (exchange) => {
        await exchange.write(row.bytes);
        await exchange.closed; // Qt's server.doClose = false
      });
      const reply = nam.get(server.url);
      const trace = recordTrace(reply, nam);
      await reply.done;
      assertFailed(reply, trace, row.code, row.message);
      assert.ok(matchesSequence(trace, row.sequence), describe(trace));
    });
  }
}

/** qtbug27161httpHeaderMayBeDamaged: Qt's response split at each inner byte across two writes parses the same. */
export async function headerMayBeDamaged(transport: TransportName): Promise<void> {
  const response = "HTTP/1.0 200 OK\r\nServer: bogus\r\nContent-Length: 3\r\n\r\nABC";
  let split = 1;
  await using server = startRawHttpServer(async (exchange) => {
    await exchange.write(response.slice(0, split));
    await exchange.pause(5); // lets the first write arrive alone (Qt waits 100 ms)
    await exchange.write(response.slice(split));
  });
  await using nam = qtManager(transport);
  for (; split < response.length; split++) {
    const reply = nam.get(server.url);
    const trace = recordTrace(reply, nam);
    await reply.done;
    const at = `split at ${split}`;
    assert.equal(reply.error(), NetworkError.NoError, `${at}: ${reply.errorString()}`);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200, at);
    assert.equal(reply.header(KnownHeader.ContentLengthHeader), 3, at);
    assert.equal(reply.rawHeader("Content-length"), "3", at);
    assert.equal(reply.rawHeader("Server"), "bogus", at);
    assert.equal(decoder.decode(reply.readAll()), "ABC", at);
    assert.equal(countEvents(trace, "finished"), 1, at);
  }
  assert.equal(server.requests.length, response.length - 1);
}

// ---- Downloads and connections ------------------------------------------------------

/**
 * ioGetFromBuiltinHttp: 1.2 MB of random data read by Qt's rate-controlled
 * reader (4 KiB a turn) arrives intact, with its length and last progress.
 */
export async function getFromBuiltinHttp(
  transport: TransportName,
  scheme: "http" | "https",
  readBufferSize: number,
): Promise<void> {
  const data = randomBytes(1_200_000);
  const handler = () => new Response(data as Uint8Array<ArrayBuffer>);
  await using server = scheme === "http" ? serveHttp(handler) : serveHttps(handler);
  await using nam = qtManager(transport);
  const reply = nam.get(new NetworkRequest(server.url, { sslConfiguration: trustTestCa }));
  reply.setReadBufferSize(readBufferSize);
  const trace = recordTrace(reply, nam);
  const received = await readInPieces(reply, 4096);
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(reply.header(KnownHeader.ContentLengthHeader), data.length);
  assert.deepEqual(received, data, "data integrity");
  assert.equal(
    trace.filter((entry) => entry.type === "downloadProgress").at(-1)?.detail,
    `${data.length},${data.length}`,
  );
  assert.equal(reply.readBufferSize(), readBufferSize);
}

/** moreActivitySignals' rows: a GET and a POST over http (`plain`) and over https (`secure`). */
export function activityRows(plain: URL, secure: URL): { name: string; url: URL; post: boolean }[] {
  return [
    { name: "http GET", url: plain, post: false },
    { name: "http POST", url: plain, post: true },
    { name: "https GET", url: secure, post: false },
    { name: "https POST", url: secure, post: true },
  ];
}

/**
 * ioPostToHttpUploadProgress's server: reads the body slowly (the client's
 * writes are held back by the socket buffers meanwhile) and answers with how
 * many bytes it read.
 */
export function slowReadingServer(): TestServer {
  return serveHttp(async (request) => {
    let read = 0;
    const reader = request.body!.getReader();
    for (let pieces = 0;; pieces++) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
      if (pieces % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return new Response(String(read));
  });
}

/**
 * ioPostToHttpUploadProgress's checks on the upload of `size` bytes: (0,
 * `total`) first, (size, size) last, never shrinking, some progress in
 * between, and `total` (-1: unknown) until the last report.
 */
export function assertUploadProgressGrows(trace: readonly TraceEntry[], size: number, total: number): void {
  const progress = uploadReports(trace);
  assert.deepEqual(progress[0], [0, total]);
  assert.deepEqual(progress.at(-1), [size, size]);
  const sent = progress.map(([n]) => n);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i] >= sent[i - 1], `never shrinks: ${sent}`);
  assert.ok(sent.some((n) => n > 0 && n < size), "progress in between was reported");
  for (const [, reported] of progress.slice(0, -1)) assert.equal(reported, total);
}

/**
 * httpReUsingConnectionFromFinishedSlot: gets `request` and, from the first
 * reply's finished (closing it first if `closeFirst`, Qt's deleteLater row),
 * gets it again; asserts both succeed and returns the second reply's trace.
 */
export async function getAgainFromFinished(
  nam: NetworkAccessManager,
  request: NetworkRequest,
  closeFirst: boolean,
): Promise<TraceEntry[]> {
  const first = nam.get(request);
  let errorInFinished: NetworkError | undefined;
  const second = new Promise<NetworkReply>((resolve) => {
    first.addEventListener("finished", () => {
      errorInFinished = first.error();
      if (closeFirst) first.close(); // a no-op after finished
      resolve(nam.get(request));
    });
  });
  const reply = await second;
  const trace = recordTrace(reply, nam);
  await reply.done;
  assert.equal(errorInFinished, NetworkError.NoError);
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
  assert.equal(first.error(), NetworkError.NoError, "close() after finished changes nothing");
  return trace;
}

// ---- Redirects -------------------------------------------------------------------

/** ioHttpChangeMaxRedirects: max 1 is TooManyRedirectsError after one redirected; max 3 succeeds after two. */
export async function changeMaxRedirects(transport: TransportName): Promise<void> {
  await using third = startRawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", { keepAlive: true });
  const redirectTo = (target: URL) =>
    `HTTP/1.1 307 Temporary Redirect\r\nContent-Type: text/plain\r\nlocation: ${target.href}\r\nContent-Length: 0\r\n\r\n`;
  await using second = startRawHttpServer(redirectTo(third.url), { keepAlive: true });
  await using first = startRawHttpServer(redirectTo(second.url), { keepAlive: true });
  await using nam = qtManager(transport);
  const request = new NetworkRequest(first.url);
  await assertTooManyRedirects(nam, request, 1);

  request.setMaximumRedirectsAllowed(3);
  const reply = nam.get(request);
  const trace = recordTrace(reply, nam);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(countEvents(trace, "redirected"), 2);
  assert.equal(reply.url().href, third.url.href);
  assert.equal(reply.hasRawHeader("location"), false, "validateRedirectedResponseHeaders");
}

/** Gets `request` with at most `max` redirects: TooManyRedirectsError after `max` redirected. */
export async function assertTooManyRedirects(
  nam: NetworkAccessManager,
  request: NetworkRequest,
  max: number,
): Promise<void> {
  request.setMaximumRedirectsAllowed(max);
  const reply = nam.get(request);
  const trace = recordTrace(reply, nam);
  await reply.done;
  assertFailed(reply, trace, NetworkError.TooManyRedirectsError, "Too many redirects");
  assert.equal(countEvents(trace, "redirected"), max);
}

/** ioHttpRedirectPolicy: Manual stops at the 307, NoLessSafe and SameOrigin follow it, over http and https. */
export async function redirectPolicy(t: Deno.TestContext, transport: TransportName): Promise<void> {
  await using plain = startRawHttpServer(async (exchange) => {
    await exchange.write(
      exchange.request.target === "/final"
        ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"
        : "HTTP/1.1 307 Temporary Redirect\r\nlocation: /final\r\nContent-Length: 5\r\n\r\nmoved",
    );
  }, { keepAlive: true });
  await using secure = serveHttps((request) =>
    new URL(request.url).pathname === "/final"
      ? new Response("final")
      : new Response("moved", { status: 307, headers: { location: "/final" } })
  );
  await using nam = qtManager(transport);
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
}

/** ioHttpRedirectDelete, ioHttpRedirectCustom: a 307 keeps DELETE or a custom verb for the target. */
export async function redirectKeepsVerb(nam: NetworkAccessManager, verb: "DELETE" | "CUSTOM"): Promise<void> {
  await using server = redirectingServer(307);
  const reply = verb === "DELETE" ? nam.deleteResource(server.url) : nam.sendCustomRequest(server.url, verb);
  const trace = recordTrace(reply, nam);
  assert.equal(await reply.text(), "ok");
  assert.deepEqual(server.requests.map((r) => `${r.method} ${r.target}`), [`${verb} /`, `${verb} /target`]);
  assert.equal(countEvents(trace, "redirected"), 1);
  if (verb === "DELETE") assert.equal(reply.operation(), Operation.DeleteOperation);
  else {
    assert.equal(reply.operation(), Operation.CustomOperation);
    assert.equal(reply.request().attribute(Attribute.CustomVerbAttribute), verb);
  }
}

/**
 * ioHttpRedirectWithUploadDevice: a streamed POST or custom body goes out
 * chunked; a 301 turns it into a GET without a body, a 307 re-sends the same
 * verb with the body.
 */
export async function redirectWithUploadDevice(t: Deno.TestContext, transport: TransportName): Promise<void> {
  await using nam = qtManager(transport);
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
          // No body is framed on the GET: neither length nor type nor chunking reach the target.
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
}

/**
 * ioHttpRedirectPostPut: 307 and 308 keep POST and PUT and re-send the body
 * (0 B, small, 2 MiB binary); each hop reports its upload from (0, n) to
 * (n, n). `hopUploads`, where given, is every report of one hop for a body
 * of `size` bytes (fetch reports only the two ends).
 */
export async function redirectPostPut(
  t: Deno.TestContext,
  transport: TransportName,
  hopUploads?: (size: number) => [number, number][],
): Promise<void> {
  await using nam = qtManager(transport);
  const bodies = {
    "empty": new Uint8Array(0),
    "small": encoder.encode("Hello, redirected world!"),
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
          const sent = uploadReports(trace);
          const whole = body.length;
          assert.deepEqual(sent[0], [0, whole]);
          assert.equal(
            sent.filter(([n, total]) => n === whole && total === whole).length,
            2,
            "each hop reports its upload",
          );
          if (hopUploads) assert.deepEqual(sent, [...hopUploads(whole), ...hopUploads(whole)]);
        });
      }
    }
  }
}

// ---- Content-Encoding -----------------------------------------------------------

/** qtbug12908compressedHttpReply: Qt's gzip of 16 KiB of zeros decodes, its encoded length kept. */
export async function compressedHttpReply(transport: TransportName): Promise<void> {
  // Qt's bytes: dd if=/dev/zero bs=16384 count=1 | gzip (with a file name in the header).
  const gzip = Uint8Array.from(
    atob("H4sICDdDaUwAA3F0YnVnLTEyOTA4AO3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"),
    (c) => c.charCodeAt(0),
  );
  assert.equal(gzip.length, 63);
  await using server = startRawHttpServer(
    rawResponse("HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 63", gzip),
  );
  await using nam = qtManager(transport);
  const reply = nam.get(server.url);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(reply.bytesAvailable(), 16384);
  assert.deepEqual(reply.readAll(), new Uint8Array(16384));
  assert.equal(reply.attribute(Attribute.OriginalContentLengthAttribute), 63);
}

/** compressedReadyRead: the last decoded bytes of a body sent in three pieces come by readyRead before finished. */
export async function compressedReadyRead(
  transport: TransportName,
  coding: "gzip" | "deflate",
): Promise<void> {
  const lines = Array.from({ length: 4000 }, (_, i) => `line ${i}: the quick brown fox\n`);
  const payload = encoder.encode(lines.join(""));
  const encoded = await compress(payload, coding);
  const third = Math.ceil(encoded.length / 3);
  await using server = startRawHttpServer(async (exchange) => {
    await exchange.write(
      `HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}\r\nContent-Length: ${encoded.length}\r\n\r\n`,
    );
    for (let at = 0; at < encoded.length; at += third) {
      await exchange.write(encoded.subarray(at, at + third));
      await exchange.pause(5);
    }
  });
  await using nam = qtManager(transport);
  const reply = nam.get(server.url);
  const received: Uint8Array[] = [];
  let leftAtFinished = -1;
  reply.addEventListener("readyRead", () => received.push(reply.readAll()));
  reply.addEventListener("finished", () => leftAtFinished = reply.bytesAvailable());
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(leftAtFinished, 0, "nothing was left for finished to deliver");
  assert.deepEqual(concatBytes(received), payload);
  assert.equal(reply.attribute(Attribute.OriginalContentLengthAttribute), encoded.length);
}
