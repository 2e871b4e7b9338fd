/**
 * Credentials across redirects, on the fetch and the socket transport with
 * two real servers on loopback: the user's Authorization,
 * Proxy-Authorization and Cookie headers go only to the origin they were
 * set for. A Location that leaves it in any spelling — another port, the
 * same server as `localhost` instead of `127.0.0.1`, a scheme-relative
 * `//host`, backslashes that WHATWG URL parsing reads as slashes, user info
 * or a fragment that hides the real host — gets none of them; origins
 * compare by WHATWG URL rules, so a spelling of the same origin keeps them.
 * Cookies from the jar follow RFC 6265bis: never to another host, but, as
 * cookies do not isolate ports (RFC 6265bis §8.5), to another port of it.
 * User info in the request's URL answers a 401 on its own origin only;
 * after a redirect away the user is asked instead.
 */

import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError, NetworkRequest } from "../../mod.ts";
import { serveHttp, type TestServer } from "../support/servers.ts";

const transports = ["fetch", "socket"] as const;
const CREDENTIALS = {
  authorization: "Bearer secret",
  "proxy-authorization": "Basic cHJveHk=",
  cookie: "session=1",
};

/** What a landing server saw: its own host:port and the credentials that came with the request. */
interface Landing {
  readonly host: string;
  readonly authorization: string | null;
  readonly proxyAuthorization: string | null;
  readonly cookie: string | null;
}

/** A server that redirects `/start?to=...` to `to` (setting a jar cookie) and records every `/land`. */
function redirectingServer(landings: Landing[]): TestServer {
  return serveHttp((request) => {
    const url = new URL(request.url);
    if (url.pathname === "/start") {
      return new Response(null, {
        status: 302,
        headers: { location: url.searchParams.get("to")!, "set-cookie": "jar=1; Path=/" },
      });
    }
    landings.push({
      host: request.headers.get("host")!,
      authorization: request.headers.get("authorization"),
      proxyAuthorization: request.headers.get("proxy-authorization"),
      cookie: request.headers.get("cookie"),
    });
    return new Response("landed");
  });
}

/** Locations and whether they stay on the origin (A = the first server's port, B = the second's). */
const locations: [name: string, location: (a: number, b: number) => string, sameOrigin: boolean][] = [
  ["a path on the same origin", () => "/land", true],
  ["the same origin with the scheme in capitals", (a) => `HTTP://127.0.0.1:${a}/land`, true],
  ["the same origin as a hexadecimal IPv4 address", (a) => `http://0x7f.0.0.1:${a}/land`, true],
  ["another port of the same host", (_, b) => `http://127.0.0.1:${b}/land`, false],
  ["the same server as localhost", (a) => `http://localhost:${a}/land`, false],
  ["a scheme-relative //localhost", (a) => `//localhost:${a}/land`, false],
  ["backslashes \\\\localhost\\land", (a) => `\\\\localhost:${a}\\land`, false],
  ["a slash and a backslash /\\localhost", (a) => `/\\localhost:${a}/land`, false],
  ["user info that spells the first origin", (a) => `http://127.0.0.1:${a}@localhost:${a}/land`, false],
  ["a fragment that spells the first origin", (a) => `http://localhost:${a}#@127.0.0.1:${a}/land`, false],
];

for (const transport of transports) {
  for (const [name, location, sameOrigin] of locations) {
    Deno.test(`[${transport}] a redirect to ${name}: Authorization, Proxy-Authorization and Cookie ${sameOrigin ? "kept" : "dropped"}`, async () => {
      const landings: Landing[] = [];
      await using first = redirectingServer(landings);
      await using second = redirectingServer(landings);
      await using nam = new NetworkAccessManager({ transport, proxy: null, cookieJar: null });
      const to = location(first.port, second.port);
      const start = new URL(`/start?to=${encodeURIComponent(to)}`, first.url);
      const reply = nam.get(new NetworkRequest(start, { headers: CREDENTIALS }));
      await reply.done;
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
      assert.equal(landings.length, 1);
      const [landing] = landings;
      const expectedHost = sameOrigin
        ? `127.0.0.1:${first.port}`
        : to.includes(`127.0.0.1:${second.port}`)
        ? `127.0.0.1:${second.port}`
        : `localhost:${first.port}`;
      assert.equal(landing.host, expectedHost);
      assert.deepEqual(
        [landing.authorization, landing.proxyAuthorization, landing.cookie],
        sameOrigin ? Object.values(CREDENTIALS) : [null, null, null],
      );
    });
  }
}

for (const transport of transports) {
  Deno.test(`[${transport}] a jar cookie follows a redirect to another port of its host, never to another host`, async () => {
    const landings: Landing[] = [];
    await using first = redirectingServer(landings);
    await using second = redirectingServer(landings);
    await using nam = new NetworkAccessManager({ transport, proxy: null });
    for (const to of [`http://127.0.0.1:${second.port}/land`, `http://localhost:${first.port}/land`]) {
      const reply = nam.get(new URL(`/start?to=${encodeURIComponent(to)}`, first.url));
      await reply.done;
      assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
    }
    assert.deepEqual(landings.map((landing) => [landing.host, landing.cookie]), [
      [`127.0.0.1:${second.port}`, "jar=1"],
      [`localhost:${first.port}`, null],
    ]);
  });
}

/** A server that redirects `/start?to=...` to `to` and asks for Basic credentials everywhere else. */
function challengingServer(seen: string[], name: string): TestServer {
  return serveHttp((request) => {
    const url = new URL(request.url);
    const authorization = request.headers.get("authorization");
    seen.push(`${name} ${url.pathname} ${authorization}`);
    if (url.pathname === "/start") {
      return new Response(null, { status: 302, headers: { location: url.searchParams.get("to")! } });
    }
    if (authorization !== null) return new Response("in");
    return new Response("no", { status: 401, headers: { "www-authenticate": 'Basic realm="r"' } });
  });
}

for (const transport of transports) {
  Deno.test(`[${transport}] the URL's user info answers a 401 on its own origin only, never after a redirect away`, async () => {
    const seen: string[] = [];
    await using first = challengingServer(seen, "A");
    await using second = challengingServer(seen, "B");
    const userInfo = `Basic ${btoa("user:pw")}`;
    const cases: [to: string, error: NetworkError, expected: string[]][] = [
      ["/land", NetworkError.NoError, ["A /start null", "A /land null", `A /land ${userInfo}`]],
      [`http://127.0.0.1:${second.port}/land`, NetworkError.AuthenticationRequiredError, [
        "A /start null",
        "B /land null",
      ]],
      [`http://localhost:${first.port}/land`, NetworkError.AuthenticationRequiredError, [
        "A /start null",
        "A /land null",
      ]],
    ];
    for (const [to, error, expected] of cases) {
      seen.length = 0;
      await using nam = new NetworkAccessManager({ transport, proxy: null });
      let asked = 0;
      nam.addEventListener("authenticationRequired", () => asked++);
      const reply = nam.get(`http://user:pw@127.0.0.1:${first.port}/start?to=${encodeURIComponent(to)}`);
      await reply.done;
      assert.equal(reply.error(), error, `${to}: ${reply.errorString()}`);
      assert.deepEqual(seen, expected, to);
      assert.equal(asked, error === NetworkError.NoError ? 0 : 1, "the user is asked instead");
    }
  });
}
