// NetworkAccessManager: the six operations, request bodies and their
// Content-Type (docs/edge-cases.md), the hop loop's method rewriting,
// re-sends and credential stripping, redirect-policy selection, close(),
// option validation and the URL edge cases. Requests are checked through
// MockTransport's recorded calls.

import assert from "node:assert/strict";
import {
  Attribute,
  HstsPolicy,
  HttpHeaders,
  NetworkAccessManager,
  NetworkError,
  networkErrorName,
  NetworkReply,
  NetworkRequest,
  Operation,
  RedirectPolicy,
  STREAM_RESEND_BUFFER_LIMIT,
  type Transport,
} from "../../mod.ts";
import type { ExchangeEvent } from "../../transport.ts";
import { MockTransport } from "../../testing.ts";
import type { MockCall } from "../../testing.ts";

const BASE = "http://api.test/";
const FOREVER_MS = 3_600_000;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

function echoing(): MockTransport {
  const mock = new MockTransport();
  mock.intercept().reply(200, "ok").persist();
  return mock;
}

function record(reply: NetworkReply): string[] {
  const out: string[] = [];
  for (const type of ["requestSent", "metaDataChanged", "readChannelFinished", "finished"] as const) {
    reply.addEventListener(type, () => out.push(type));
  }
  reply.addEventListener("redirected", (e) => out.push(`redirected(${e.url.href})`));
  reply.addEventListener("errorOccurred", (e) => out.push(`errorOccurred(${e.code})`));
  return out;
}

function streamOf(bytes: Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
}

function bodyText(call: MockCall): string | null {
  return call.body === null ? null : decoder.decode(call.body);
}

// ---- operations ------------------------------------------------------------

const OPERATIONS: readonly {
  readonly name: string;
  readonly send: (nam: NetworkAccessManager, url: string) => NetworkReply;
  readonly operation: Operation;
  readonly method: string;
  readonly body: string | null;
}[] = [
  {
    name: "get",
    send: (nam, url) => nam.get(url),
    operation: Operation.GetOperation,
    method: "GET",
    body: null,
  },
  {
    name: "head",
    send: (nam, url) => nam.head(url),
    operation: Operation.HeadOperation,
    method: "HEAD",
    body: null,
  },
  {
    name: "post",
    send: (nam, url) => nam.post(url, "p"),
    operation: Operation.PostOperation,
    method: "POST",
    body: "p",
  },
  {
    name: "put",
    send: (nam, url) => nam.put(url, "q"),
    operation: Operation.PutOperation,
    method: "PUT",
    body: "q",
  },
  {
    name: "deleteResource",
    send: (nam, url) => nam.deleteResource(url),
    operation: Operation.DeleteOperation,
    method: "DELETE",
    body: null,
  },
  {
    name: "sendCustomRequest PATCH",
    send: (nam, url) => nam.sendCustomRequest(url, "PATCH", "r"),
    operation: Operation.CustomOperation,
    method: "PATCH",
    body: "r",
  },
  {
    name: "sendCustomRequest keeps a custom verb verbatim",
    send: (nam, url) => nam.sendCustomRequest(url, "propfind"),
    operation: Operation.CustomOperation,
    method: "propfind",
    body: null,
  },
  {
    name: 'sendCustomRequest "get" is GetOperation',
    send: (nam, url) => nam.sendCustomRequest(url, "get"),
    operation: Operation.GetOperation,
    method: "GET",
    body: null,
  },
  {
    name: 'sendCustomRequest "Delete" is DeleteOperation',
    send: (nam, url) => nam.sendCustomRequest(url, "Delete"),
    operation: Operation.DeleteOperation,
    method: "DELETE",
    body: null,
  },
  {
    name: 'sendCustomRequest "post" with a body is PostOperation',
    send: (nam, url) => nam.sendCustomRequest(url, "post", "s"),
    operation: Operation.PostOperation,
    method: "POST",
    body: "s",
  },
];

for (const row of OPERATIONS) {
  Deno.test(`operation: ${row.name}`, async () => {
    const mock = echoing();
    await using nam = new NetworkAccessManager({ transport: mock });
    const reply = row.send(nam, BASE);
    assert.equal(reply.operation(), row.operation);
    assert.equal(reply.manager(), nam);
    assert.equal(reply.url().href, BASE);
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError);
    assert.equal(mock.calls.length, 1);
    assert.equal(mock.calls[0].method, row.method);
    assert.equal(bodyText(mock.calls[0]), row.body);
    const verb = reply.request().attribute(Attribute.CustomVerbAttribute);
    assert.equal(verb, row.operation === Operation.CustomOperation ? row.method : undefined);
  });
}

Deno.test("Operation has Qt's numbers", () => {
  assert.deepEqual(
    [
      Operation.UnknownOperation,
      Operation.HeadOperation,
      Operation.GetOperation,
      Operation.PutOperation,
      Operation.PostOperation,
      Operation.DeleteOperation,
      Operation.CustomOperation,
    ],
    [0, 1, 2, 3, 4, 5, 6],
  );
});

Deno.test("sendCustomRequest rejects a verb that is not an RFC 9110 token, naming it", async () => {
  const mock = echoing();
  await using nam = new NetworkAccessManager({ transport: mock });
  for (const verb of ["", "BAD VERB", "GET\r\nX: y", "a:b", "tab\t", "ünï"]) {
    assert.throws(() => nam.sendCustomRequest(BASE, verb), {
      name: "TypeError",
      message: `Cannot send custom request: verb ${JSON.stringify(verb)} is not an RFC 9110 token`,
    });
  }
  assert.throws(() => nam.sendCustomRequest(BASE, 42 as unknown as string), {
    name: "TypeError",
    message: "Cannot send custom request: verb 42 is not an RFC 9110 token",
  });
  assert.equal(mock.calls.length, 0);
});

Deno.test("a request that is neither NetworkRequest, string nor URL is a TypeError", async () => {
  await using nam = new NetworkAccessManager({ transport: echoing() });
  assert.throws(() => nam.get(42 as unknown as string), {
    name: "TypeError",
    message: "Cannot send request 42: expected a NetworkRequest, string or URL",
  });
});

Deno.test("the manager takes a copy of the request: later changes do not reach the reply", async () => {
  const mock = echoing();
  await using nam = new NetworkAccessManager({ transport: mock });
  const request = new NetworkRequest(BASE, { headers: { "x-a": "1" } });
  const reply = nam.get(request);
  request.setRawHeader("x-a", "2");
  request.setUrl("http://elsewhere.test/");
  await reply.done;
  assert.equal(mock.calls[0].url.href, BASE);
  assert.equal(mock.calls[0].headers.value("x-a"), "1");
  assert.equal(reply.request().rawHeader("x-a"), "1");
});

// ---- bodies and Content-Type -------------------------------------------------

const BODIES: readonly {
  readonly name: string;
  readonly body: () => Parameters<NetworkAccessManager["post"]>[1];
  /** The content-type the mock must see; a RegExp for FormData's boundary; null for none. */
  readonly contentType: string | RegExp | null;
  /** The body bytes as text; null for no body. */
  readonly sent: string | RegExp | null;
}[] = [
  { name: "string", body: () => "héllo", contentType: "text/plain;charset=UTF-8", sent: "héllo" },
  { name: "empty string", body: () => "", contentType: "text/plain;charset=UTF-8", sent: "" },
  { name: "Uint8Array", body: () => encoder.encode("bytes"), contentType: null, sent: "bytes" },
  { name: "ArrayBuffer", body: () => encoder.encode("buffer").buffer, contentType: null, sent: "buffer" },
  {
    name: "ReadableStream",
    body: () => streamOf(encoder.encode("streamed"), 3),
    contentType: null,
    sent: "streamed",
  },
  {
    name: "Blob with a type",
    body: () => new Blob(["blob"], { type: "image/png" }),
    contentType: "image/png",
    sent: "blob",
  },
  { name: "Blob without a type", body: () => new Blob(["blob"]), contentType: null, sent: "blob" },
  {
    name: "FormData",
    body: () => {
      const form = new FormData();
      form.append("field", "value");
      return form;
    },
    contentType: /^multipart\/form-data; boundary=\S+$/,
    sent: /name="field"\r\n\r\nvalue\r\n/,
  },
  {
    name: "URLSearchParams",
    body: () => new URLSearchParams({ a: "1", b: "x y" }),
    contentType: "application/x-www-form-urlencoded;charset=UTF-8",
    sent: "a=1&b=x+y",
  },
  { name: "null", body: () => null, contentType: null, sent: null },
  { name: "undefined", body: () => undefined, contentType: null, sent: null },
];

function checkValue(actual: string | null, expected: string | RegExp | null, what: string): void {
  if (expected instanceof RegExp) assert.match(actual ?? "", expected, what);
  else assert.equal(actual, expected, what);
}

for (const row of BODIES) {
  Deno.test(`post() with a ${row.name} body: Content-Type and bytes sent`, async () => {
    const mock = echoing();
    await using nam = new NetworkAccessManager({ transport: mock });
    const reply = nam.post(BASE, row.body());
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    const call = mock.calls[0];
    assert.ok(call.headers.values("content-type").length <= 1);
    checkValue(call.headers.value("content-type") ?? null, row.contentType, "content-type");
    checkValue(bodyText(call), row.sent, "body");
  });

  if (row.sent !== null) {
    Deno.test(`a user Content-Type wins over a ${row.name} body's`, async () => {
      const mock = echoing();
      await using nam = new NetworkAccessManager({ transport: mock });
      const request = new NetworkRequest(BASE, { headers: { "Content-Type": "application/x-mine" } });
      await nam.put(request, row.body()).done;
      assert.deepEqual(mock.calls[0].headers.values("content-type"), ["application/x-mine"]);
    });
  }
}

Deno.test('post(req) and post(req, null) send no body; post(req, "") sends an empty one', async () => {
  const mock = echoing();
  await using nam = new NetworkAccessManager({ transport: mock });
  await nam.post(BASE).done;
  await nam.post(BASE, null).done;
  await nam.post(BASE, "").done;
  assert.deepEqual(mock.calls.map((c) => c.body?.byteLength ?? null), [null, null, 0]);
});

Deno.test("the body is taken at call time: changing it after post() does not change what is sent", async () => {
  const mock = echoing();
  await using nam = new NetworkAccessManager({ transport: mock });
  const bytes = encoder.encode("abc");
  const buffer = encoder.encode("def").buffer;
  const params = new URLSearchParams({ a: "1" });
  const form = new FormData();
  form.append("f", "1");
  const replies = [
    nam.post(BASE, bytes),
    nam.post(BASE, buffer),
    nam.post(BASE, params),
    nam.post(BASE, form),
  ];
  bytes.fill(0x7a);
  new Uint8Array(buffer).fill(0x7a);
  params.set("a", "2");
  form.set("f", "2");
  await Promise.all(replies.map((r) => r.done));
  // The mock records a call once it has read the body: the order may differ from the calls'.
  const sent = mock.calls.map((c) => bodyText(c) ?? "");
  const form_ = sent.filter((body) => body.includes("form-data"));
  assert.deepEqual(sent.filter((body) => !form_.includes(body)).sort(), ["a=1", "abc", "def"]);
  assert.equal(form_.length, 1);
  assert.match(form_[0], /name="f"\r\n\r\n1\r\n/);
});

Deno.test("a FormData body keeps file names and types", async () => {
  const mock = echoing();
  await using nam = new NetworkAccessManager({ transport: mock });
  const form = new FormData();
  form.append("upload", new File(["content"], "notes.txt", { type: "text/plain" }));
  form.append("blob", new Blob(["raw"]));
  await nam.post(BASE, form).done;
  const sent = bodyText(mock.calls[0]) ?? "";
  assert.match(sent, /name="upload"; filename="notes.txt"\r\nContent-Type: text\/plain\r\n\r\ncontent\r\n/);
  assert.match(sent, /name="blob"; filename="blob"/);
});

const BODY_KINDS =
  "expected string, Uint8Array, ArrayBuffer, Blob, URLSearchParams, FormData or ReadableStream";
const JSON_HINT = "; to send JSON, pass it as the json option: post(url, { json: value })";
// A plain object as the second argument of post()/put()/patch() is their options (request_options_test.ts);
// with options after it, and in sendCustomRequest(), it is a body.
const BAD_BODIES: readonly (readonly [string, unknown, string, boolean])[] = [
  ["a number", 42, `number: ${BODY_KINDS}`, true],
  ["a boolean", true, `boolean: ${BODY_KINDS}`, true],
  ["a plain object", { a: 1 }, `Object: ${BODY_KINDS}${JSON_HINT}`, false],
  ["an array", [1, 2], `Array: ${BODY_KINDS}${JSON_HINT}`, true],
  ["a Map", new Map(), `Map: ${BODY_KINDS}`, true],
  ["a DataView", new DataView(new ArrayBuffer(2)), `DataView: ${BODY_KINDS}`, true],
  ["a null-prototype object", Object.create(null), `object: ${BODY_KINDS}${JSON_HINT}`, false],
];

for (const [name, body, what, everywhere] of BAD_BODIES) {
  Deno.test(`a body of ${name} is a TypeError naming its type`, async () => {
    const mock = echoing();
    await using nam = new NetworkAccessManager({ transport: mock });
    const message = `Cannot send a body of type ${what}`;
    const asBody = body as string;
    if (everywhere) {
      assert.throws(() => nam.post(BASE, asBody), { name: "TypeError", message });
      assert.throws(() => nam.put(BASE, asBody), { name: "TypeError", message });
      assert.throws(() => nam.patch(BASE, asBody), { name: "TypeError", message });
    }
    assert.throws(() => nam.post(BASE, asBody, {}), { name: "TypeError", message });
    assert.throws(() => nam.sendCustomRequest(BASE, "PATCH", asBody), { name: "TypeError", message });
    assert.equal(mock.calls.length, 0);
  });
}

Deno.test("a request body stream that errors fails the reply with the transport's error", async () => {
  const mock = echoing();
  await using nam = new NetworkAccessManager({ transport: mock });
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new Error("disk on fire"));
    },
  });
  const reply = nam.post(BASE, stream);
  await reply.done;
  assert.equal(reply.error(), NetworkError.UnknownNetworkError);
  assert.equal(
    reply.errorString(),
    `MockTransport: reading the request body of POST ${BASE} failed: disk on fire`,
  );
});

// ---- the hop loop: method rewriting, re-sends, credentials ------------------

const REWRITES: readonly {
  readonly status: number;
  readonly verb: string;
  readonly body: string | null;
  readonly next: string;
  readonly nextBody: string | null;
  readonly operation: Operation;
}[] = [
  { status: 301, verb: "POST", body: "x", next: "GET", nextBody: null, operation: Operation.GetOperation },
  { status: 302, verb: "PUT", body: "x", next: "GET", nextBody: null, operation: Operation.GetOperation },
  { status: 303, verb: "PUT", body: "x", next: "GET", nextBody: null, operation: Operation.GetOperation },
  { status: 303, verb: "DELETE", body: null, next: "GET", nextBody: null, operation: Operation.GetOperation },
  { status: 305, verb: "POST", body: "x", next: "GET", nextBody: null, operation: Operation.GetOperation },
  { status: 302, verb: "PATCH", body: "x", next: "GET", nextBody: null, operation: Operation.GetOperation },
  { status: 302, verb: "HEAD", body: null, next: "HEAD", nextBody: null, operation: Operation.HeadOperation },
  { status: 303, verb: "HEAD", body: null, next: "HEAD", nextBody: null, operation: Operation.HeadOperation },
  { status: 307, verb: "PUT", body: "x", next: "PUT", nextBody: "x", operation: Operation.PutOperation },
  { status: 308, verb: "POST", body: "x", next: "POST", nextBody: "x", operation: Operation.PostOperation },
  {
    status: 307,
    verb: "DELETE",
    body: null,
    next: "DELETE",
    nextBody: null,
    operation: Operation.DeleteOperation,
  },
  {
    status: 307,
    verb: "PATCH",
    body: "x",
    next: "PATCH",
    nextBody: "x",
    operation: Operation.CustomOperation,
  },
  { status: 308, verb: "GET", body: null, next: "GET", nextBody: null, operation: Operation.GetOperation },
];

for (const row of REWRITES) {
  Deno.test(`${row.verb} + ${row.status} → ${row.next}${row.nextBody === null ? " without a body" : " with the body"}`, async () => {
    const mock = new MockTransport();
    mock.intercept({ url: `${BASE}from` }).reply(row.status, "", { headers: { location: "/to" } });
    mock.intercept({ url: `${BASE}to` }).reply(200, "landed");
    await using nam = new NetworkAccessManager({ transport: mock });
    const request = new NetworkRequest(`${BASE}from`, {
      headers: row.body === null ? {} : { "content-type": "application/x-thing", "content-language": "en" },
    });
    const reply = nam.sendCustomRequest(request, row.verb, row.body);
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.deepEqual(mock.calls.map((c) => c.method), [row.verb, row.next]);
    const second = mock.calls[1];
    assert.equal(bodyText(second), row.nextBody);
    assert.equal(reply.operation(), row.operation);
    if (row.body !== null) {
      // Body headers go with the body; other headers stay.
      assert.equal(second.headers.contains("content-type"), row.nextBody !== null);
      assert.equal(second.headers.value("content-language"), "en");
    }
  });
}

Deno.test("a small ReadableStream body is re-sent on 307 and 308", async () => {
  for (const status of [307, 308]) {
    const mock = new MockTransport();
    mock.intercept({ url: `${BASE}from` }).reply(status, "", { headers: { location: "/to" } });
    mock.intercept({ url: `${BASE}to` }).reply(200, "ok");
    await using nam = new NetworkAccessManager({ transport: mock });
    const payload = encoder.encode("s".repeat(100_000));
    const reply = nam.post(`${BASE}from`, streamOf(payload, 4096));
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.deepEqual(mock.calls.map((c) => c.method), ["POST", "POST"]);
    assert.deepEqual(mock.calls[1].body, payload);
  }
});

Deno.test("a ReadableStream body of exactly STREAM_RESEND_BUFFER_LIMIT bytes is still re-sent", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: `${BASE}from` }).reply(307, "", { headers: { location: "/to" } });
  mock.intercept({ url: `${BASE}to` }).reply(200, "ok");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.post(`${BASE}from`, streamOf(new Uint8Array(STREAM_RESEND_BUFFER_LIMIT).fill(7)));
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.equal(mock.calls[1].body?.byteLength, STREAM_RESEND_BUFFER_LIMIT);
});

Deno.test("a ReadableStream body over STREAM_RESEND_BUFFER_LIMIT + 307 is ContentReSendError", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: `${BASE}from` }).reply(307, "", { headers: { location: "/to" } });
  mock.intercept({ url: `${BASE}to` }).reply(200, "ok");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.post(`${BASE}from`, streamOf(new Uint8Array(STREAM_RESEND_BUFFER_LIMIT + 1)));
  const events = record(reply);
  await reply.done;
  assert.equal(STREAM_RESEND_BUFFER_LIMIT, 1024 * 1024);
  assert.equal(reply.error(), NetworkError.ContentReSendError);
  assert.equal(
    reply.errorString(),
    "Cannot re-send the request body for HTTP 307: a ReadableStream body longer than the re-send buffer (1 MiB) is not kept",
  );
  assert.deepEqual(events, [
    "requestSent",
    "metaDataChanged",
    "errorOccurred(205)",
    "readChannelFinished",
    "finished",
  ]);
  assert.equal(mock.calls.length, 1);
  assert.equal(reply.url().href, `${BASE}from`);
});

Deno.test("a large ReadableStream body + 303 becomes a GET: nothing to re-send, no error", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: `${BASE}from` }).reply(303, "", { headers: { location: "/to" } });
  mock.intercept({ url: `${BASE}to` }).reply(200, "ok");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.post(`${BASE}from`, streamOf(new Uint8Array(STREAM_RESEND_BUFFER_LIMIT + 1)));
  assert.equal(await reply.text(), "ok");
  assert.deepEqual(mock.calls.map((c) => `${c.method} ${c.body?.byteLength ?? "-"}`), [
    `POST ${STREAM_RESEND_BUFFER_LIMIT + 1}`,
    "GET -",
  ]);
});

const CREDENTIALS = {
  authorization: "Bearer secret",
  "proxy-authorization": "Basic cHJveHk=",
  cookie: "session=1",
  "x-custom": "kept",
};

const HOPS: readonly {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly kept: boolean;
}[] = [
  { name: "the same origin", from: "http://a.test/x", to: "/y", kept: true },
  {
    name: "the same origin with the default port spelled out",
    from: "http://a.test/x",
    to: "http://a.test:80/y",
    kept: true,
  },
  { name: "another host", from: "http://a.test/x", to: "http://b.test/y", kept: false },
  { name: "a subdomain", from: "http://a.test/x", to: "http://sub.a.test/y", kept: false },
  { name: "another port", from: "http://a.test/x", to: "http://a.test:8080/y", kept: false },
  { name: "another scheme", from: "http://a.test/x", to: "https://a.test/y", kept: false },
];

for (const hop of HOPS) {
  Deno.test(`Authorization, Proxy-Authorization and Cookie on a redirect to ${hop.name}: ${hop.kept ? "kept" : "dropped"}`, async () => {
    const mock = new MockTransport();
    mock.intercept({ url: hop.from }).reply(302, "", { headers: { location: hop.to } });
    mock.intercept({ url: new URL(hop.to, hop.from).href }).reply(200, "ok");
    await using nam = new NetworkAccessManager({ transport: mock });
    const reply = nam.get(new NetworkRequest(hop.from, { headers: CREDENTIALS }));
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    const [first, second] = mock.calls;
    for (const name of ["authorization", "proxy-authorization", "cookie"]) {
      assert.equal(first.headers.value(name), CREDENTIALS[name as keyof typeof CREDENTIALS]);
      assert.equal(second.headers.contains(name), hop.kept, name);
    }
    assert.equal(second.headers.value("x-custom"), "kept");
    // The request as handed over still has them.
    assert.equal(reply.request().rawHeader("authorization"), "Bearer secret");
  });
}

Deno.test("credentials dropped on leaving the origin stay dropped when the chain comes back (A → B → A)", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "http://a.test/start" }).reply(302, "", {
    headers: { location: "http://b.test/bounce" },
  });
  mock.intercept({ url: "http://b.test/bounce" }).reply(307, "", {
    headers: { location: "http://a.test/admin" },
  });
  mock.intercept({ url: "http://a.test/admin" }).reply(200, "ok");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(new NetworkRequest("http://a.test/start", { headers: CREDENTIALS }));
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  assert.deepEqual(
    mock.calls.map((c) => c.headers.contains("authorization")),
    [true, false, false],
  );
  assert.equal(mock.calls[2].headers.value("x-custom"), "kept");
});

Deno.test("https → http under NoLessSafeRedirectPolicy: InsecureRedirectError, url() already the target", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "https://secure.test/login" }).reply(302, "moved", {
    headers: { location: "http://plain.test/landing" },
  });
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get("https://secure.test/login");
  const events = record(reply);
  await reply.done;
  assert.equal(reply.error(), NetworkError.InsecureRedirectError);
  assert.equal(reply.errorString(), "Insecure redirect: https to http (http://plain.test/landing)");
  assert.equal(reply.url().href, "http://plain.test/landing", "Qt's quirk: url() moved before the refusal");
  assert.equal(reply.request().url().href, "https://secure.test/login");
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 302);
  assert.deepEqual(events, [
    "requestSent",
    "metaDataChanged",
    "errorOccurred(11)",
    "readChannelFinished",
    "finished",
  ]);
  assert.equal(mock.calls.length, 1);
  assert.equal(reply.readAll().byteLength, 0, "a refused redirect's body is not delivered");
});

for (
  const [location, target] of [
    ["/b?x=1", "http://api.test/b?x=1"],
    ["c", "http://api.test/dir/c"],
    ["../up", "http://api.test/up"],
    ["?q=2", "http://api.test/dir/page?q=2"],
    ["//other.test/d", "http://other.test/d"],
    ["  /trimmed  ", "http://api.test/trimmed"],
  ] as const
) {
  Deno.test(`a relative Location ${JSON.stringify(location)} is resolved against the current URL`, async () => {
    const mock = new MockTransport();
    mock.intercept({ url: `${BASE}dir/page` }).reply(301, "", { headers: { location } });
    mock.intercept({ url: target }).reply(200, "ok");
    await using nam = new NetworkAccessManager({ transport: mock });
    const reply = nam.get(`${BASE}dir/page`);
    const events = record(reply);
    await reply.done;
    assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    assert.equal(mock.calls[1].url.href, target);
    assert.equal(reply.url().href, target);
    assert.ok(events.includes(`redirected(${target})`));
  });
}

Deno.test("a ManualRedirectPolicy 3xx carries RedirectionTargetAttribute, resolved", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: `${BASE}dir/page` }).reply(302, "see there", { headers: { location: "../there" } });
  await using nam = new NetworkAccessManager({
    transport: mock,
    redirectPolicy: RedirectPolicy.ManualRedirectPolicy,
  });
  const reply = nam.get(`${BASE}dir/page`);
  assert.equal(await reply.text(), "see there");
  assert.equal((reply.attribute(Attribute.RedirectionTargetAttribute) as URL).href, `${BASE}there`);
});

// ---- redirect policy: manager default and per request ------------------------

Deno.test("the manager's redirect policy applies unless the request sets its own", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: `${BASE}from` }).reply(302, "moved", { headers: { location: "/to" } }).persist();
  mock.intercept({ url: `${BASE}to` }).reply(200, "followed").persist();
  await using nam = new NetworkAccessManager({ transport: mock });
  assert.equal(nam.redirectPolicy(), RedirectPolicy.NoLessSafeRedirectPolicy);
  assert.equal(await nam.get(`${BASE}from`).text(), "followed");

  nam.setRedirectPolicy(RedirectPolicy.ManualRedirectPolicy);
  assert.equal(nam.redirectPolicy(), RedirectPolicy.ManualRedirectPolicy);
  assert.equal(await nam.get(`${BASE}from`).text(), "moved");

  const own = new NetworkRequest(`${BASE}from`, { redirectPolicy: RedirectPolicy.NoLessSafeRedirectPolicy });
  assert.equal(await nam.get(own).text(), "followed");
});

Deno.test("a RedirectPolicyAttribute that is not a policy falls back to the manager's: https → http is refused", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "https://secure.test/" }).reply(302, "", {
    headers: { location: "http://plain.test/" },
  });
  mock.intercept({ url: "http://plain.test/" }).reply(200, "downgraded");
  await using nam = new NetworkAccessManager({ transport: mock });
  const request = new NetworkRequest("https://secure.test/");
  request.setAttribute(Attribute.RedirectPolicyAttribute, 42);
  const reply = nam.get(request);
  await reply.done;
  assert.equal(reply.error(), NetworkError.InsecureRedirectError);
  assert.equal(reply.errorString(), "Insecure redirect: https to http (http://plain.test/)");
  assert.equal(mock.calls.length, 1);
});

// ---- events and lifecycle ------------------------------------------------------

Deno.test("the manager's finished comes before the reply's, with the reply", async () => {
  const mock = echoing();
  await using nam = new NetworkAccessManager({ transport: mock });
  const order: string[] = [];
  nam.addEventListener("finished", (e) => order.push(`nam:${e.reply === reply}`));
  const reply = nam.get(BASE);
  reply.addEventListener("finished", () => order.push("reply"));
  await reply.done;
  assert.deepEqual(order, ["nam:true", "reply"]);
});

Deno.test("the manager's finished comes first even when its listener is added after the reply's", async () => {
  const mock = echoing();
  await using nam = new NetworkAccessManager({ transport: mock });
  const order: string[] = [];
  const reply = nam.get(BASE);
  reply.addEventListener("finished", () => order.push("reply"));
  nam.addEventListener("finished", (e) => order.push(`nam:${e.reply === reply}`));
  await reply.done;
  assert.deepEqual(order, ["nam:true", "reply"]);
});

Deno.test("close() aborts live replies, waits for them, and later requests fail with OperationCanceledError", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: BASE }).reply(200, "late").delay(FOREVER_MS).persist();
  const nam = new NetworkAccessManager({ transport: mock });
  const live = [nam.get(BASE), nam.post(BASE, "x")];
  await new Promise((resolve) => setTimeout(resolve, 0));
  const finishedEvents: NetworkReply[] = [];
  nam.addEventListener("finished", (e) => finishedEvents.push(e.reply));
  await nam.close();
  for (const reply of live) {
    assert.ok(reply.isFinished());
    assert.equal(reply.error(), NetworkError.OperationCanceledError);
    assert.equal(reply.errorString(), "Operation canceled");
  }
  assert.deepEqual(finishedEvents, live);

  const calls = mock.calls.length;
  const later = nam.get(BASE);
  assert.ok(later.isRunning(), "nothing happens inside get(), even when closed");
  await later.done;
  assert.equal(later.error(), NetworkError.OperationCanceledError);
  assert.equal(later.errorString(), "The NetworkAccessManager is closed");
  assert.equal(mock.calls.length, calls, "nothing is sent after close()");
  await nam.close(); // idempotent
});

Deno.test("await using closes the manager", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: BASE }).reply(200, "late").delay(FOREVER_MS);
  let reply: NetworkReply;
  {
    await using nam = new NetworkAccessManager({ transport: mock });
    reply = nam.get(BASE);
  }
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
});

// ---- settings ------------------------------------------------------------------

Deno.test("settings: defaults and setters", async () => {
  await using nam = new NetworkAccessManager({ transport: echoing() });
  assert.equal(nam.transferTimeout(), 0);
  nam.setTransferTimeout(250);
  assert.equal(nam.transferTimeout(), 250);
  assert.equal(nam.isStrictTransportSecurityEnabled(), false);
  nam.setStrictTransportSecurityEnabled(true);
  assert.equal(nam.isStrictTransportSecurityEnabled(), true);
  assert.equal(nam.cache(), null);
  const future = new Date(Date.now() + 86_400_000);
  nam.addStrictTransportSecurityHosts([
    new HstsPolicy({ host: "a.test", expiry: future }),
    new HstsPolicy({ host: "b.test", expiry: new Date(0) }),
  ]);
  assert.deepEqual(nam.strictTransportSecurityHosts().map((p) => p.host), ["a.test"]);
  nam.addStrictTransportSecurityHosts([
    new HstsPolicy({ host: "a.test", expiry: future, includeSubDomains: true }),
  ]);
  const hosts = nam.strictTransportSecurityHosts();
  assert.equal(hosts.length, 1);
  assert.equal(hosts[0].includeSubDomains, true);
  assert.throws(() => nam.addStrictTransportSecurityHosts([{ host: "x" } as unknown as HstsPolicy]), {
    name: "TypeError",
    message: "Cannot add HSTS host [object Object]: expected an HstsPolicy",
  });
  // Connection management is a no-op on a transport without pools.
  nam.clearAccessCache();
  nam.clearConnectionCache();
  nam.connectToHost("api.test");
  nam.connectToHostEncrypted("api.test");
});

const BAD_OPTIONS: readonly {
  readonly name: string;
  readonly options: Record<string, unknown>;
  readonly error: string;
  readonly message: string;
}[] = [
  {
    name: "a negative transferTimeout",
    options: { transferTimeout: -1 },
    error: "RangeError",
    message: "Cannot set transferTimeout: expected an integer >= 0, got -1",
  },
  {
    name: "a fractional transferTimeout",
    options: { transferTimeout: 1.5 },
    error: "RangeError",
    message: "Cannot set transferTimeout: expected an integer >= 0, got 1.5",
  },
  {
    name: "a NaN transferTimeout",
    options: { transferTimeout: Number.NaN },
    error: "RangeError",
    message: "Cannot set transferTimeout: expected an integer >= 0, got NaN",
  },
  {
    name: "an unknown redirectPolicy",
    options: { redirectPolicy: 7 },
    error: "RangeError",
    message: "Cannot set redirectPolicy: 7 is not a RedirectPolicy",
  },
  {
    name: "a proxy that is not a URL",
    options: { proxy: "not a url" },
    error: "TypeError",
    message: 'Cannot use proxy "not a url": not a valid URL',
  },
  {
    name: "a socks proxy",
    options: { proxy: "socks5://127.0.0.1:1080" },
    error: "TypeError",
    message: 'Cannot use proxy "socks5://127.0.0.1:1080": only http: and https: proxies are supported',
  },
  {
    name: "a transport that is a number",
    options: { transport: 42 },
    error: "TypeError",
    message: 'Cannot use transport 42: expected "fetch", "socket" or a Transport',
  },
  {
    name: "a transport object without exchange()",
    options: { transport: { name: "x" } },
    error: "TypeError",
    message: 'Cannot use transport [object Object]: expected "fetch", "socket" or a Transport',
  },
  {
    name: "an unknown transport name",
    options: { transport: "xhr" },
    error: "TypeError",
    message: 'Cannot use transport xhr: expected "fetch", "socket" or a Transport',
  },
];

for (const row of BAD_OPTIONS) {
  Deno.test(`new NetworkAccessManager with ${row.name} throws ${row.error}`, () => {
    assert.throws(() => new NetworkAccessManager(row.options), { name: row.error, message: row.message });
  });
}

Deno.test("setters validate like the options", async () => {
  await using nam = new NetworkAccessManager({ transport: echoing() });
  assert.throws(() => nam.setTransferTimeout(-5), {
    name: "RangeError",
    message: "Cannot set transferTimeout: expected an integer >= 0, got -5",
  });
  assert.throws(() => nam.setRedirectPolicy(99 as RedirectPolicy), {
    name: "RangeError",
    message: "Cannot set redirectPolicy: 99 is not a RedirectPolicy",
  });
  assert.equal(nam.transferTimeout(), 0);
  assert.equal(nam.redirectPolicy(), RedirectPolicy.NoLessSafeRedirectPolicy);
});

Deno.test("the default transport is fetch and closes cleanly", async () => {
  const nam = new NetworkAccessManager();
  await nam.close();
  const explicit = new NetworkAccessManager({ transport: "fetch", proxy: null });
  await explicit.close();
});

// ---- URL edge cases -----------------------------------------------------------

const BAD_URLS: readonly {
  readonly name: string;
  readonly input: string | URL;
  readonly url: string;
  readonly message: string;
}[] = [
  { name: "ftp://x", input: "ftp://x", url: "ftp://x/", message: 'Protocol "ftp" is unknown' },
  {
    name: "a file: URL",
    input: new URL("file:///etc/hosts"),
    url: "file:///etc/hosts",
    message: 'Protocol "file" is unknown',
  },
  { name: "a data: URL", input: "data:,hi", url: "data:,hi", message: 'Protocol "data" is unknown' },
  { name: "the empty string", input: "", url: "about:invalid", message: 'Invalid URL ""' },
  {
    name: "a string that is not a URL",
    input: "not a url",
    url: "about:invalid",
    message: 'Invalid URL "not a url"',
  },
  { name: "a relative path", input: "/relative", url: "about:invalid", message: 'Invalid URL "/relative"' },
];

for (const row of BAD_URLS) {
  Deno.test(`get(${row.name}) fails with ProtocolUnknownError after the call returns`, async () => {
    const mock = echoing();
    await using nam = new NetworkAccessManager({ transport: mock });
    const reply = nam.get(row.input);
    const events = record(reply);
    assert.ok(reply.isRunning(), "no event inside get()");
    assert.equal(reply.url().href, row.url);
    assert.equal(reply.request().url().href, row.url);
    await reply.done;
    assert.equal(reply.error(), NetworkError.ProtocolUnknownError);
    assert.equal(reply.errorString(), row.message);
    assert.deepEqual(events, ["errorOccurred(301)", "readChannelFinished", "finished"]);
    assert.equal(mock.calls.length, 0);
  });
}

Deno.test('new NetworkRequest("not a url") throws a TypeError', () => {
  assert.throws(() => new NetworkRequest("not a url"), {
    name: "TypeError",
    message: 'Cannot create NetworkRequest: "not a url" is not a valid URL',
  });
});

// ---- a transport that breaks its contract --------------------------------------

type Scripted = ExchangeEvent | Error | "done";

/** A Transport that plays `steps` per exchange: an event, a rejected next() (Error) or an early end. */
class ArrayTransport implements Transport {
  readonly name = "array";
  readonly #steps: readonly Scripted[];
  exchanges = 0;
  returns = 0;
  constructor(steps: readonly Scripted[]) {
    this.#steps = steps;
  }
  exchange(): AsyncIterator<ExchangeEvent, undefined> {
    this.exchanges++;
    let i = 0;
    return {
      next: () => {
        const step = this.#steps[i++] ?? "done";
        if (step === "done") return Promise.resolve({ done: true, value: undefined });
        if (step instanceof Error) return Promise.reject(step);
        return Promise.resolve({ done: false, value: step });
      },
      return: () => {
        this.returns++;
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const HEAD: ExchangeEvent = {
  type: "responseHead",
  head: { status: 200, reasonPhrase: "OK", headers: new HttpHeaders() },
};
const DATA: ExchangeEvent = { type: "data", bytes: encoder.encode("bytes"), wireBytes: 5 };

const BROKEN: readonly {
  readonly name: string;
  readonly steps: readonly Scripted[];
  readonly code: NetworkError;
  readonly message: string;
  /** What readAll() gives afterwards: bytes received before a network-level failure stay readable. */
  readonly body: string;
}[] = [
  {
    name: "data before the response head",
    steps: [{ type: "requestSent" }, DATA],
    code: NetworkError.ProtocolFailure,
    message: 'The transport sent "data" before a response head',
    body: "",
  },
  {
    name: "requestSent after the response head",
    steps: [HEAD, { type: "requestSent" }],
    code: NetworkError.ProtocolFailure,
    message: 'The transport sent "requestSent" after the response head',
    body: "",
  },
  {
    name: "a rejected next() before the head",
    steps: [{ type: "requestSent" }, new Error("socket exploded")],
    code: NetworkError.UnknownNetworkError,
    message: "Error: socket exploded",
    body: "",
  },
  {
    name: "a rejected next() in the body",
    steps: [HEAD, DATA, new Error("socket exploded")],
    code: NetworkError.UnknownNetworkError,
    message: "Error: socket exploded",
    body: "bytes",
  },
  {
    name: "an end before the head",
    steps: [{ type: "requestSent" }, "done"],
    code: NetworkError.UnknownNetworkError,
    message: "The transport ended the exchange early",
    body: "",
  },
  {
    name: "an end in the body without an end event",
    steps: [HEAD, DATA, "done"],
    code: NetworkError.UnknownNetworkError,
    message: "The transport ended the exchange early",
    body: "bytes",
  },
  {
    name: "an error event in the body",
    steps: [HEAD, DATA, {
      type: "error",
      code: NetworkError.RemoteHostClosedError,
      message: "Connection closed",
    }],
    code: NetworkError.RemoteHostClosedError,
    message: "Connection closed",
    body: "bytes",
  },
];

for (const row of BROKEN) {
  Deno.test(`a transport that gives ${row.name}: ${networkErrorName(row.code)}, one finished, resources returned`, async () => {
    const transport = new ArrayTransport(row.steps);
    await using nam = new NetworkAccessManager({ transport });
    const reply = nam.get(BASE);
    const events = record(reply);
    await reply.done;
    assert.equal(reply.error(), row.code);
    assert.equal(reply.errorString(), row.message);
    assert.equal(events.filter((e) => e === "finished").length, 1);
    assert.equal(events.filter((e) => e.startsWith("errorOccurred")).length, 1);
    assert.equal(decoder.decode(reply.readAll()), row.body);
    await nam.close();
    assert.equal(transport.returns, transport.exchanges, "return() is called on every exchange");
  });
}

Deno.test("every exchange is returned, redirect hops included", async () => {
  const redirect: ExchangeEvent = {
    type: "responseHead",
    head: { status: 302, reasonPhrase: "Found", headers: new HttpHeaders({ location: "/same" }) },
  };
  const transport = new ArrayTransport([{ type: "requestSent" }, redirect]);
  await using nam = new NetworkAccessManager({ transport });
  const reply = nam.get(new NetworkRequest(BASE, { maximumRedirectsAllowed: 3 }));
  await reply.done;
  assert.equal(reply.error(), NetworkError.TooManyRedirectsError);
  assert.equal(reply.errorString(), "Too many redirects");
  await nam.close();
  assert.equal(transport.exchanges, 4);
  assert.equal(transport.returns, 4);
});

Deno.test("an exchange() that throws (against the contract) fails the reply, not the caller", async () => {
  const transport: Transport = {
    name: "throwing",
    exchange: () => {
      throw new Error("exchange exploded");
    },
    close: () => Promise.resolve(),
  };
  await using nam = new NetworkAccessManager({ transport });
  const reply = nam.get(BASE);
  await reply.done;
  assert.equal(reply.error(), NetworkError.UnknownNetworkError);
  assert.equal(reply.errorString(), "Internal error: Error: exchange exploded");
});

// ---- odds and ends -----------------------------------------------------------------

Deno.test("abort() inside redirected stops the chain: no request to the target", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: `${BASE}from` }).reply(302, "", { headers: { location: "/to" } });
  mock.intercept({ url: `${BASE}to` }).reply(200, "never");
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(`${BASE}from`);
  reply.addEventListener("redirected", () => reply.abort());
  await reply.done;
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
  assert.equal(reply.url().href, `${BASE}to`);
  assert.equal(mock.calls.length, 1);
});

Deno.test("a followed redirect's headers are cleared: the final reply has no Location", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: `${BASE}from` }).reply(301, "", { headers: { location: "/to", "x-hop": "1" } });
  mock.intercept({ url: `${BASE}to` }).reply(200, "ok", { headers: { "x-final": "1" } });
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(`${BASE}from`);
  await reply.done;
  assert.equal(reply.hasRawHeader("location"), false);
  assert.equal(reply.hasRawHeader("x-hop"), false);
  assert.equal(reply.rawHeader("x-final"), "1");
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
  assert.equal(reply.attribute(Attribute.RedirectionTargetAttribute), undefined);
});

Deno.test("null options are no options", async () => {
  const mock = echoing();
  await using nam = new NetworkAccessManager({ transport: mock });
  const reply = nam.get(BASE, null as unknown as undefined);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError);
  const other = new NetworkAccessManager(null as unknown as undefined);
  await other.close();
});

Deno.test("a NetworkReply cannot be constructed directly", () => {
  assert.throws(() => new (NetworkReply as unknown as new () => unknown)(), {
    name: "TypeError",
    message: "Cannot construct NetworkReply directly: use NetworkAccessManager.get() and friends",
  });
});
