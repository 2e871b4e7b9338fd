// The everyday conveniences of the manager, on MockTransport and on the fetch and socket transports against a
// loopback server: per-call request settings (headers, transferTimeout, ...), `json`, `searchParams`, `baseUrl`,
// `patch()`, the typed status (`status`, `statusText`, `ok`), and the TypeError for an option key that does not
// exist in any options bag.

import assert from "node:assert/strict";
import {
  NetworkAccessManager,
  type NetworkAccessManagerOptions,
  NetworkError,
  NetworkReplyError,
  NetworkRequest,
  type NetworkRequestInit,
  RedirectPolicy,
  type RequestOptions,
} from "../../mod.ts";
import { type MockCall, MockTransport } from "../../testing.ts";
import { serveHttp } from "../support/servers.ts";

const decoder = new TextDecoder();

/** What the echo answers: the request as the server saw it. */
interface Echo {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | null;
  readonly trace: string | null;
  readonly body: string;
}

/** A manager whose requests to `base` are echoed by a server (or MockTransport) that answers `status` JSON. */
interface EchoSetUp extends AsyncDisposable {
  readonly nam: NetworkAccessManager;
  readonly base: URL;
}

type TransportKind = "mock" | "fetch" | "socket";
const TRANSPORTS: readonly TransportKind[] = ["mock", "fetch", "socket"];

function statusOf(path: string): number {
  return Number(/\/status\/(\d+)/.exec(path)?.[1] ?? 200);
}

/** `options` may depend on the echo's base URL (known once the server listens). */
function echoSetUp(
  kind: TransportKind,
  options: NetworkAccessManagerOptions | ((base: URL) => NetworkAccessManagerOptions) = {},
): EchoSetUp {
  const optionsFor = (base: URL) => typeof options === "function" ? options(base) : options;
  if (kind === "mock") {
    const mock = new MockTransport();
    const answer = (call: MockCall) => {
      const path = call.url.pathname + call.url.search;
      const echo: Echo = {
        method: call.method,
        path,
        contentType: call.headers.value("content-type") ?? null,
        trace: call.headers.value("x-trace") ?? null,
        body: call.body === null ? "" : decoder.decode(call.body),
      };
      return { status: statusOf(path), body: JSON.stringify(echo) };
    };
    mock.intercept({ url: /^http:\/\/echo\.test\// }).reply(answer).persist();
    const base = new URL("http://echo.test/");
    const nam = new NetworkAccessManager({ transport: mock, ...optionsFor(base) });
    return { nam, base, [Symbol.asyncDispose]: () => nam.close() };
  }
  const server = serveHttp(async (request) => {
    const url = new URL(request.url);
    const echo: Echo = {
      method: request.method,
      path: url.pathname + url.search,
      contentType: request.headers.get("content-type"),
      trace: request.headers.get("x-trace"),
      body: await request.text(),
    };
    return new Response(JSON.stringify(echo), { status: statusOf(url.pathname) });
  });
  const nam = new NetworkAccessManager({ transport: kind, proxy: null, ...optionsFor(server.url) });
  return {
    nam,
    base: server.url,
    [Symbol.asyncDispose]: async () => {
      await nam.close();
      await server.close();
    },
  };
}

for (const kind of TRANSPORTS) {
  Deno.test(`${kind}: post(url, { json, headers, searchParams }) sends JSON, the header and the query`, async () => {
    await using setUp = echoSetUp(kind);
    const reply = setUp.nam.post(new URL("items?a=1", setUp.base), {
      json: { name: "pen", tags: ["blue"] },
      headers: { "x-trace": "t-1" },
      searchParams: { dry: true, page: 2, skipped: undefined },
    });
    const echo = await reply.json<Echo>();
    assert.deepEqual(echo, {
      method: "POST",
      path: "/items?a=1&dry=true&page=2",
      contentType: "application/json",
      trace: "t-1",
      body: '{"name":"pen","tags":["blue"]}',
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.ok, true);
  });

  Deno.test(`${kind}: a body with options in the third argument: headers replace the request's`, async () => {
    await using setUp = echoSetUp(kind);
    const request = new NetworkRequest(new URL("put", setUp.base), { headers: { "x-trace": "old" } });
    const reply = setUp.nam.put(request, "plain", { headers: { "X-Trace": "new" } });
    const echo = await reply.json<Echo>();
    assert.equal(echo.trace, "new");
    assert.equal(echo.body, "plain");
    assert.equal(echo.contentType, "text/plain;charset=UTF-8");
    assert.equal(request.rawHeader("x-trace"), "old", "the caller's request is not changed");
  });

  Deno.test(`${kind}: a Content-Type among the options wins over json's`, async () => {
    await using setUp = echoSetUp(kind);
    const echo = await setUp.nam.post(setUp.base, {
      json: [1],
      headers: { "content-type": "application/vnd.api+json" },
    }).json<Echo>();
    assert.equal(echo.contentType, "application/vnd.api+json");
    assert.equal(echo.body, "[1]");
  });

  Deno.test(`${kind}: patch() sends PATCH, with a body or json`, async () => {
    await using setUp = echoSetUp(kind);
    const withBody = await setUp.nam.patch(new URL("p", setUp.base), "x=1").json<Echo>();
    assert.deepEqual([withBody.method, withBody.body], ["PATCH", "x=1"]);
    const withJson = await setUp.nam.patch(new URL("p", setUp.base), { json: { x: 1 } }).json<Echo>();
    assert.deepEqual([withJson.method, withJson.body, withJson.contentType], [
      "PATCH",
      '{"x":1}',
      "application/json",
    ]);
    const bare = await setUp.nam.patch(new URL("p", setUp.base)).json<Echo>();
    assert.deepEqual([bare.method, bare.body], ["PATCH", ""]);
  });

  Deno.test(`${kind}: baseUrl resolves relative inputs by URL rules; absolute ones bypass it`, async () => {
    await using relative = echoSetUp(kind, (base) => ({ baseUrl: new URL("api/v1/", base) }));
    const own = relative.base;
    assert.equal((await relative.nam.get("users?x=1").json<Echo>()).path, "/api/v1/users?x=1");
    assert.equal((await relative.nam.get("/users").json<Echo>()).path, "/users");
    const absolute = relative.nam.get(new URL("/elsewhere", own).href);
    assert.equal((await absolute.json<Echo>()).path, "/elsewhere");
    assert.equal(relative.nam.get("users").url().href, new URL("api/v1/users", own).href);
  });

  Deno.test(`${kind}: status, statusText and ok follow the last response; 0 and false without one`, async () => {
    await using setUp = echoSetUp(kind);
    const created = setUp.nam.get(new URL("status/201", setUp.base));
    assert.equal(created.status, 0);
    assert.equal(created.ok, false);
    await created.done;
    assert.equal(created.status, 201);
    assert.equal(created.ok, true);
    assert.equal(created.statusText, "Created");

    const missing = setUp.nam.get(new URL("status/404", setUp.base));
    await missing.done;
    assert.equal(missing.status, 404);
    assert.equal(missing.statusText, "Not Found");
    assert.equal(missing.ok, false);
    assert.equal(missing.error(), NetworkError.ContentNotFoundError);

    const invalid = setUp.nam.get("ftp://echo.test/");
    await invalid.done;
    assert.equal(invalid.status, 0);
    assert.equal(invalid.statusText, "");
    assert.equal(invalid.ok, false);
  });

  Deno.test(`${kind}: per-call request settings reach the reply's request`, async () => {
    await using setUp = echoSetUp(kind, { transferTimeout: 9_000 });
    const reply = setUp.nam.get(setUp.base, {
      transferTimeout: 5_000,
      maximumRedirectsAllowed: 3,
      redirectPolicy: RedirectPolicy.ManualRedirectPolicy,
    });
    await reply.text();
    const request = reply.request();
    assert.equal(request.transferTimeout(), 5_000);
    assert.equal(request.maximumRedirectsAllowed(), 3);
    const defaulted = setUp.nam.get(setUp.base);
    await defaulted.text();
    assert.equal(defaulted.request().transferTimeout(), 9_000);
  });
}

/** Calls with a misplaced or misspelt key or a bad value, and the message each must throw. */
const BAD_OPTIONS: readonly (readonly [string, (nam: NetworkAccessManager) => unknown, string])[] = [
  [
    "a misspelt manager option",
    () => new NetworkAccessManager({ transfertimeout: 5 } as NetworkAccessManagerOptions),
    'Unknown option "transfertimeout" in new NetworkAccessManager(): did you mean "transferTimeout"?',
  ],
  [
    "headers on the manager",
    () => new NetworkAccessManager({ headers: { a: "1" } } as NetworkAccessManagerOptions),
    'Unknown option "headers" in new NetworkAccessManager(): headers go on the NetworkRequest or in the options of get(), post(), put(), patch(), deleteResource() or sendCustomRequest()',
  ],
  [
    "a manager option on a request",
    () => new NetworkRequest("http://x.test/", { cookieJar: null } as NetworkRequestInit),
    'Unknown option "cookieJar" in new NetworkRequest(): it is an option of new NetworkAccessManager()',
  ],
  [
    "a per-call option on a request",
    () => new NetworkRequest("http://x.test/", { signal: AbortSignal.abort() } as NetworkRequestInit),
    'Unknown option "signal" in new NetworkRequest(): it is an option of get(), post(), put(), patch(), deleteResource() or sendCustomRequest()',
  ],
  [
    "a misspelt request setting in get()",
    (nam) => nam.get("http://x.test/", { transfertimeout: 5 } as RequestOptions),
    'Unknown option "transfertimeout" in get(): did you mean "transferTimeout"?',
  ],
  [
    "ky's timeout in post()",
    (nam) => nam.post("http://x.test/", "b", { timeout: 5 } as RequestOptions),
    'Unknown option "timeout" in post(): use transferTimeout (ms of inactivity), or an AbortSignal.timeout(ms) as signal for a total limit',
  ],
  [
    "body among the options",
    (nam) => nam.put("http://x.test/", { body: "b" } as RequestOptions),
    'Unknown option "body" in put(): the body is the second argument of post(), put() and patch() (the third of sendCustomRequest())',
  ],
  [
    "an unknown key in sendCustomRequest()",
    (nam) => nam.sendCustomRequest("http://x.test/", "MOVE", null, { colour: "red" } as RequestOptions),
    'Unknown option "colour" in sendCustomRequest(): expected one of headers, attributes, redirectPolicy, maximumRedirectsAllowed, transferTimeout, priority, peerVerifyName, decompressedSafetyCheckThreshold, sslConfiguration, signal, retry, json, searchParams',
  ],
  [
    "a manager option in deleteResource()",
    (nam) => nam.deleteResource("http://x.test/", { baseUrl: "http://y.test/" } as RequestOptions),
    'Unknown option "baseUrl" in deleteResource(): it is an option of new NetworkAccessManager()',
  ],
  [
    "options that are not an object",
    (nam) => nam.head("http://x.test/", 5 as RequestOptions),
    "Cannot use 5 as the options of head(): expected an object",
  ],
  [
    "json in get()",
    (nam) => nam.get("http://x.test/", { json: {} }),
    "Cannot send options.json with get(): only post(), put(), patch() and sendCustomRequest() send a body",
  ],
  [
    "json and a body",
    (nam) => nam.post("http://x.test/", "b", { json: {} }),
    "Cannot send both a body and options.json in post(): pass one of them",
  ],
  [
    "json without a JSON form",
    (nam) => nam.post("http://x.test/", { json: () => 1 }),
    "Cannot send options.json in post(): a function has no JSON form",
  ],
  [
    "json with a BigInt",
    (nam) => nam.post("http://x.test/", { json: { n: 1n } }),
    "Cannot send options.json in post(): Do not know how to serialize a BigInt",
  ],
  [
    "a searchParams value that is an object",
    (nam) => nam.get("http://x.test/", { searchParams: { q: {} as string } }),
    "Cannot use searchParams.q in get(): expected a string, number or boolean, got object",
  ],
  [
    "searchParams that are a number",
    (nam) => nam.get("http://x.test/", { searchParams: 5 as unknown as string[][] as never }),
    "Cannot use searchParams 5 in get(): expected a string, URLSearchParams, pairs or a record",
  ],
  [
    "a relative baseUrl",
    () => new NetworkAccessManager({ baseUrl: "/api/" }),
    'Cannot use baseUrl "/api/": not an absolute URL',
  ],
];

for (const [name, call, message] of BAD_OPTIONS) {
  Deno.test(`${name} is a TypeError saying what is wrong and where it belongs; nothing is sent`, async () => {
    const mock = new MockTransport();
    await using nam = new NetworkAccessManager({ transport: mock });
    assert.throws(() => call(nam), { name: "TypeError", message });
    assert.equal(mock.calls.length, 0);
  });
}

Deno.test("a header set by the options is checked like setRawHeader(): a TypeError naming it", async () => {
  const mock = new MockTransport();
  await using nam = new NetworkAccessManager({ transport: mock });
  assert.throws(() => nam.get("http://x.test/", { headers: { "x-a": "1\r\nInjected: yes" } }), TypeError);
  assert.equal(mock.calls.length, 0);
});

Deno.test("searchParams on a string that is not a URL: the reply still fails with about:invalid", async () => {
  await using nam = new NetworkAccessManager({ transport: new MockTransport() });
  const reply = nam.get("not a url", { searchParams: { q: "1" } });
  await reply.done;
  assert.equal(reply.error(), NetworkError.ProtocolUnknownError);
  assert.equal(reply.url().href, "about:invalid");
});

Deno.test("an empty plain object after the URL is empty options: post() sends no body", async () => {
  const mock = new MockTransport();
  mock.intercept({ method: "POST" }).reply(204);
  await using nam = new NetworkAccessManager({ transport: mock });
  await nam.post("http://x.test/", {}).done;
  assert.equal(mock.calls[0].body, null);
});

Deno.test("a rejected reader's error names the method and URL, over a redirect's final hop", async () => {
  const mock = new MockTransport();
  mock.intercept({ url: "http://x.test/old" }).reply(303, "", { headers: { location: "/gone" } });
  mock.intercept({ url: "http://x.test/gone" }).reply(410, "tombstone");
  await using nam = new NetworkAccessManager({ transport: mock });
  const error = await nam.post("http://x.test/old", { json: 1 }).bytes().catch((error) => error);
  assert.ok(error instanceof NetworkReplyError);
  assert.equal(
    error.message,
    "GET http://x.test/gone failed with ContentGoneError: Error transferring http://x.test/gone - server replied: Gone",
  );
  assert.equal(decoder.decode(error.body), "tombstone");
});
