import assert from "node:assert/strict";
import fc from "fast-check";
import { CookieJar, type CookieJson, type NetworkCookie } from "../../src/cookie_jar.ts";
import { parseSetCookieLines } from "../../src/core/set_cookie.ts";

const T0 = Date.UTC(2026, 0, 1);

const base: NetworkCookie = {
  name: "a",
  value: "1",
  domain: "h.test",
  path: "/",
  secure: false,
  httpOnly: false,
  sameSite: "Default",
};

/** A jar whose clock the test moves. */
function clockedJar(): { jar: CookieJar; clock: { now: number } } {
  const clock = { now: T0 };
  return { jar: new CookieJar({ now: () => clock.now }), clock };
}

/** Receives Set-Cookie lines from `url` the way the manager will. */
function receive(jar: CookieJar, url: string, lines: string, now = T0): boolean {
  const from = new URL(url);
  return jar.setCookiesFromUrl(parseSetCookieLines(lines, from, now), from, now);
}

Deno.test("host-only cookies go to their exact host only; Domain cookies to sub-domains too", () => {
  const { jar } = clockedJar();
  receive(jar, "http://www.example.com/", "host=1\ndomain=2; Domain=example.com");
  assert.equal(jar.cookieHeaderFor(new URL("http://www.example.com/")), "host=1; domain=2");
  assert.equal(jar.cookieHeaderFor(new URL("http://a.www.example.com/")), "domain=2");
  assert.equal(jar.cookieHeaderFor(new URL("http://example.com/")), "domain=2");
  assert.equal(jar.cookieHeaderFor(new URL("http://WWW.EXAMPLE.COM./")), "host=1; domain=2");
  assert.equal(jar.cookieHeaderFor(new URL("http://other.com/")), undefined);
  assert.equal(jar.cookieHeaderFor(new URL("http://badexample.com/")), undefined);
  assert.equal(
    jar.cookieHeaderFor(new URL("https://www.example.com:8443/")),
    "host=1; domain=2",
    "ports ignored",
  );
});

Deno.test("an IP address host gets only its own host-only cookies", () => {
  const { jar } = clockedJar();
  assert.equal(receive(jar, "http://1.2.3.4/", "a=1\nb=2; Domain=2.3.4\nc=3; Domain=1.2.3.4"), true);
  assert.deepEqual(jar.allCookies().map((c) => [c.name, c.domain]), [["a", "1.2.3.4"], ["c", ".1.2.3.4"]]);
  assert.equal(jar.cookieHeaderFor(new URL("http://1.2.3.4/")), "a=1; c=3");
  assert.equal(jar.cookieHeaderFor(new URL("http://5.1.2.3.4.example/")), undefined);
});

Deno.test("Domain attributes that are public suffixes are rejected, unless equal to the host", () => {
  const { jar } = clockedJar();
  assert.equal(receive(jar, "http://www.example.co.uk/", "a=1; Domain=co.uk\nb=2; Domain=uk"), false);
  assert.equal(receive(jar, "http://a.b.ck/", "c=3; Domain=b.ck"), false, "*.ck makes b.ck public");
  assert.equal(receive(jar, "http://a.www.ck/", "d=4; Domain=www.ck"), true, "!www.ck is an exception");
  assert.equal(receive(jar, "https://github.io/", "e=5; Domain=github.io"), true);
  assert.deepEqual(jar.allCookies().map((c) => [c.name, c.domain]), [["d", ".www.ck"], ["e", "github.io"]]);
  assert.equal(jar.cookieHeaderFor(new URL("https://user.github.io/")), undefined, "host-only after all");
});

Deno.test("path-match: a cookie goes to its path and below, longer paths first, then earlier creation", () => {
  const { jar, clock } = clockedJar();
  receive(jar, "http://h.test/", "root=1; Path=/");
  clock.now += 1000;
  receive(jar, "http://h.test/", "deep=2; Path=/a/b", clock.now);
  clock.now += 1000;
  receive(jar, "http://h.test/", "mid=3; Path=/a", clock.now);
  clock.now += 1000;
  receive(jar, "http://h.test/", "root2=4; Path=/", clock.now);
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/a/b/c")), "deep=2; mid=3; root=1; root2=4");
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/a")), "mid=3; root=1; root2=4");
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/ab")), "root=1; root2=4");
  assert.equal(
    jar.cookieHeaderFor(new URL("http://h.test/A/b")),
    "root=1; root2=4",
    "paths are case-sensitive",
  );
  assert.deepEqual(jar.cookiesForUrl(new URL("http://h.test/a/b")).map((c) => c.path), [
    "/a/b",
    "/a",
    "/",
    "/",
  ]);
});

Deno.test("replacing a cookie keeps its creation time, so its place in the Cookie header", () => {
  const { jar, clock } = clockedJar();
  receive(jar, "http://h.test/", "first=1\nsecond=2");
  clock.now += 5000;
  receive(jar, "http://h.test/", "first=updated", clock.now);
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/")), "first=updated; second=2");
  assert.equal(jar.toJSON().cookies.find((c) => c.name === "first")?.created, new Date(T0).toISOString());
});

Deno.test("Secure cookies: stored from and sent to https and loopback only", () => {
  const { jar } = clockedJar();
  assert.equal(receive(jar, "http://h.test/", "s=1; Secure"), false);
  assert.equal(receive(jar, "https://h.test/", "s=1; Secure\nplain=2"), true);
  assert.equal(jar.cookieHeaderFor(new URL("https://h.test/")), "s=1; plain=2");
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/")), "plain=2");
  assert.equal(jar.cookieHeaderFor(new URL("wss://h.test/")), "s=1; plain=2");
  assert.equal(receive(jar, "http://localhost:8000/", "local=1; Secure"), true);
  assert.equal(jar.cookieHeaderFor(new URL("http://localhost:9000/")), "local=1");
});

Deno.test("a non-Secure cookie from http may not overlay a Secure one (RFC 6265bis §5.7)", () => {
  const { jar } = clockedJar();
  receive(jar, "https://www.h.test/", "a=secure; Secure; Path=/login; Domain=h.test");
  const cases: [string, boolean, string][] = [
    ["a=x; Path=/login", false, "same path"],
    ["a=x; Path=/login/en", false, "a path below"],
    ["a=x; Domain=h.test; Path=/login", false, "the same Domain"],
    ["a=x; Path=/", true, "a path above: no overlay"],
    ["a=x; Path=/foo", true, "another path"],
    ["b=x; Path=/login", true, "another name"],
  ];
  for (const [line, stored, why] of cases) {
    assert.equal(receive(jar, "http://www.h.test/", line), stored, why);
  }
  assert.equal(receive(jar, "https://www.h.test/", "a=x; Path=/login"), true, "from https it may");
});

Deno.test("expired cookies are evicted by the injected clock, and an expired Set-Cookie deletes", () => {
  const { jar, clock } = clockedJar();
  receive(jar, "http://h.test/", "short=1; Max-Age=10\nsession=2\nlong=3; Max-Age=3600");
  assert.equal(jar.allCookies().length, 3);
  clock.now = T0 + 9_999;
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/")), "short=1; session=2; long=3");
  clock.now = T0 + 10_000;
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/")), "session=2; long=3", "expiry at now is past");
  assert.equal(jar.allCookies().length, 2, "evicted from the store too");
  assert.equal(
    receive(jar, "http://h.test/", "long=gone; Max-Age=0", clock.now),
    false,
    "a deletion stores nothing",
  );
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/")), "session=2");
  assert.equal(
    receive(jar, "http://h.test/", "session=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT", clock.now),
    false,
  );
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/")), undefined);
});

Deno.test("the now argument overrides the jar's clock for one call", () => {
  const jar = new CookieJar({ now: () => T0 });
  receive(jar, "http://h.test/", "a=1; Max-Age=60");
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/"), T0 + 59_000), "a=1");
  assert.equal(jar.cookiesForUrl(new URL("http://h.test/"), T0 + 60_000).length, 0);
  assert.equal(jar.allCookies().length, 0, "the later call evicted it");
});

Deno.test("the clock defaults to Date.now", () => {
  const jar = new CookieJar();
  jar.insertCookie({ ...base, expires: new Date(Date.now() + 60_000) });
  jar.insertCookie({ ...base, name: "old", expires: new Date(Date.now() - 1) });
  assert.deepEqual(jar.allCookies().map((c) => c.name), ["a"]);
});

Deno.test("insertCookie, updateCookie and deleteCookie use Qt's identity: name, domain, path", () => {
  const { jar } = clockedJar();
  assert.equal(jar.insertCookie(base), true);
  assert.equal(jar.insertCookie({ ...base, path: "/x" }), true, "another path is another cookie");
  assert.equal(jar.insertCookie({ ...base, domain: ".h.test" }), true, "a Domain cookie is another cookie");
  assert.equal(jar.insertCookie({ ...base, value: "2" }), true, "replaces");
  assert.equal(jar.allCookies().length, 3);
  assert.equal(
    jar.updateCookie({ ...base, domain: "H.TEST", value: "3" }),
    true,
    "domains compare case-insensitively",
  );
  assert.equal(jar.updateCookie({ ...base, name: "nope" }), false);
  assert.equal(jar.allCookies().length, 3);
  assert.equal(jar.deleteCookie({ ...base, value: "whatever" }), true);
  assert.equal(jar.deleteCookie(base), false);
  assert.equal(jar.insertCookie({ ...base, path: "/x", expires: new Date(T0) }), false, "expired: deletes");
  assert.deepEqual(jar.allCookies().map((c) => c.domain + c.path), [".h.test/"]);
  assert.equal(
    jar.updateCookie({ ...base, domain: ".h.test", expires: new Date(0) }),
    false,
    "updated to expired",
  );
  assert.deepEqual(jar.allCookies(), []);
});

Deno.test("the jar copies cookies in and out", () => {
  const { jar } = clockedJar();
  const cookie: NetworkCookie = { ...base, expires: new Date(T0 + 1000) };
  jar.insertCookie(cookie);
  cookie.value = "changed";
  cookie.expires!.setTime(0);
  const out = jar.allCookies()[0];
  assert.equal(out.value, "1");
  assert.equal(out.expires?.getTime(), T0 + 1000);
  out.value = "changed too";
  jar.cookiesForUrl(new URL("http://h.test/"))[0].expires!.setTime(0);
  assert.equal(jar.cookieHeaderFor(new URL("http://h.test/")), "a=1");
});

Deno.test("setAllCookies replaces everything, as given, without the storage rules", () => {
  const { jar } = clockedJar();
  receive(jar, "http://h.test/", "old=1");
  jar.setAllCookies([
    { ...base, name: "x", domain: "com" },
    { ...base, name: "y", secure: true, sameSite: "None" },
    { ...base, name: "y", value: "2", secure: true, sameSite: "None" },
    { ...base, name: "z", expires: new Date(T0 - 1) },
  ]);
  assert.deepEqual(jar.allCookies().map((c) => `${c.name}=${c.value}@${c.domain}`), [
    "x=1@com",
    "y=2@h.test",
  ]);
  assert.equal(jar.cookieHeaderFor(new URL("http://com/")), "x=1");
});

Deno.test("toJSON and fromJSON round-trip cookies, expiry and creation order", () => {
  const { jar, clock } = clockedJar();
  receive(jar, "https://www.h.test/", "late=1; Path=/; Max-Age=600");
  clock.now += 1000;
  receive(
    jar,
    "https://www.h.test/",
    "s=2; Secure; HttpOnly; SameSite=Strict; Domain=h.test; Path=/",
    clock.now,
  );
  receive(jar, "https://www.h.test/app/x", "deep=3", clock.now);
  const text = JSON.stringify(jar);
  assert.deepEqual(JSON.parse(text), {
    version: 1,
    cookies: [
      {
        name: "late",
        value: "1",
        domain: "www.h.test",
        path: "/",
        expires: new Date(T0 + 600_000).toISOString(),
        secure: false,
        httpOnly: false,
        sameSite: "Default",
        created: new Date(T0).toISOString(),
      },
      {
        name: "s",
        value: "2",
        domain: ".h.test",
        path: "/",
        secure: true,
        httpOnly: true,
        sameSite: "Strict",
        created: new Date(T0 + 1000).toISOString(),
      },
      {
        name: "deep",
        value: "3",
        domain: "www.h.test",
        path: "/app",
        secure: false,
        httpOnly: false,
        sameSite: "Default",
        created: new Date(T0 + 1000).toISOString(),
      },
    ],
  });
  const copy = CookieJar.fromJSON(text, { now: () => clock.now });
  assert.deepEqual(copy.allCookies(), jar.allCookies());
  assert.deepEqual(copy.toJSON(), jar.toJSON());
  assert.equal(copy.cookieHeaderFor(new URL("https://www.h.test/app/y")), "deep=3; late=1; s=2");
  const fromObject = CookieJar.fromJSON(jar.toJSON(), { now: () => T0 + 600_000 });
  assert.deepEqual(fromObject.allCookies().map((c) => c.name), ["s", "deep"], "expired dropped on load");
});

Deno.test("fromJSON: a later duplicate replaces an earlier one in its place", () => {
  const cookie: CookieJson = {
    name: "a",
    value: "1",
    domain: "h.test",
    path: "/",
    secure: false,
    httpOnly: false,
    sameSite: "Lax",
    created: new Date(T0).toISOString(),
  };
  const jar = CookieJar.fromJSON({
    version: 1,
    cookies: [
      { ...cookie, value: "first" },
      { ...cookie, name: "b" },
      { ...cookie, value: "second", created: new Date(T0 + 5).toISOString() },
    ],
  }, { now: () => T0 });
  assert.deepEqual(jar.toJSON().cookies.map((c) => [c.name, c.value, c.created]), [
    ["a", "second", new Date(T0 + 5).toISOString()],
    ["b", "1", new Date(T0).toISOString()],
  ]);
});

Deno.test("fromJSON rejects what toJSON does not write, naming the field", () => {
  const good = {
    name: "a",
    value: "1",
    domain: "h",
    path: "/",
    secure: false,
    httpOnly: false,
    sameSite: "Lax",
    created: "2026-01-01T00:00:00.000Z",
  };
  const cases: [unknown, string][] = [
    ["{", "Cannot read cookie jar JSON: "],
    ["[]", "Cannot read cookie jar JSON: expected an object, got an array"],
    [null, "Cannot read cookie jar JSON: expected an object, got null"],
    [{ cookies: [] }, "Cannot read cookie jar JSON: version must be 1, got undefined"],
    [{ version: 2, cookies: [] }, "Cannot read cookie jar JSON: version must be 1, got 2"],
    [{ version: 1 }, "Cannot read cookie jar JSON: cookies must be an array, got undefined"],
    [{ version: 1, cookies: [1] }, "Cannot read cookie jar JSON: cookies[0] must be an object, got number"],
    [
      { version: 1, cookies: [{ ...good, name: 1 }] },
      "Cannot read cookie jar JSON: cookies[0].name must be a string, got number",
    ],
    [
      { version: 1, cookies: [good, { ...good, path: null }] },
      "Cannot read cookie jar JSON: cookies[1].path must be a string, got null",
    ],
    [
      { version: 1, cookies: [{ ...good, secure: "yes" }] },
      "Cannot read cookie jar JSON: cookies[0].secure must be a boolean, got string",
    ],
    [
      { version: 1, cookies: [{ ...good, sameSite: "lax" }] },
      'Cannot read cookie jar JSON: cookies[0].sameSite must be "Default", "None", "Lax" or "Strict", got "lax"',
    ],
    [
      { version: 1, cookies: [{ ...good, expires: "soon" }] },
      "Cannot read cookie jar JSON: cookies[0].expires must be an ISO 8601 date string, got soon",
    ],
    [
      { version: 1, cookies: [{ ...good, created: undefined }] },
      "Cannot read cookie jar JSON: cookies[0].created must be an ISO 8601 date string",
    ],
  ];
  for (const [json, message] of cases) {
    assert.throws(() => CookieJar.fromJSON(json as string), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.ok(error.message.startsWith(message), `${error.message} should start with ${message}`);
      if (!message.endsWith(": ")) assert.equal(error.message, message);
      return true;
    });
  }
});

Deno.test("methods throw a TypeError naming the bad argument", () => {
  const jar = new CookieJar({ now: () => T0 });
  const cases: [() => unknown, string][] = [
    [
      () => new CookieJar({ now: 5 as unknown as () => number }),
      "Cannot create CookieJar: options.now must be a function, got number",
    ],
    [() => jar.cookiesForUrl("http://h/" as unknown as URL), "Cannot look up cookies: url must be a URL"],
    [
      () => jar.cookieHeaderFor(new URL("http://h/"), NaN),
      "Cannot use cookies: now is NaN, not a finite number of milliseconds",
    ],
    [
      () => jar.setCookiesFromUrl({} as unknown as NetworkCookie[], new URL("http://h/")),
      "Cannot store cookies: cookies must be an array",
    ],
    [
      () => jar.setCookiesFromUrl([], "http://h/" as unknown as URL),
      "Cannot store cookies: url must be a URL",
    ],
    [
      () => jar.setCookiesFromUrl([null as unknown as NetworkCookie], new URL("http://h/")),
      "Cannot store cookies: cookies[0] must be an object, got null",
    ],
    [
      () => jar.setAllCookies("x" as unknown as NetworkCookie[]),
      "Cannot set all cookies: cookies must be an array",
    ],
    [
      () => jar.setAllCookies([{ ...base, httpOnly: 1 as unknown as boolean }]),
      "Cannot set all cookies: cookies[0].httpOnly must be a boolean, got number",
    ],
    [
      () => jar.insertCookie({ ...base, expires: "tomorrow" as unknown as Date }),
      "Cannot insert cookie: cookie.expires must be a valid Date, got tomorrow",
    ],
    [
      () => jar.insertCookie({ ...base, expires: new Date(NaN) }),
      "Cannot insert cookie: cookie.expires must be a valid Date, got Invalid Date",
    ],
    [
      () => jar.updateCookie({ ...base, sameSite: undefined as unknown as "Lax" }),
      'Cannot update cookie: cookie.sameSite must be "Default", "None", "Lax" or "Strict", got undefined',
    ],
    [
      () => jar.deleteCookie([] as unknown as NetworkCookie),
      "Cannot delete cookie: cookie must be an object, got an array",
    ],
    [
      () => new CookieJar({ now: () => NaN }).allCookies(),
      "Cannot use cookies: the CookieJar clock returned NaN, not a finite number of milliseconds",
    ],
  ];
  for (const [call, message] of cases) assert.throws(call, { name: "TypeError", message });
});

Deno.test("a name or value that would change the Cookie header is refused by every way into the jar, naming it", () => {
  const jar = new CookieJar({ now: () => T0 });
  const cases: [NetworkCookie, string][] = [
    [{ ...base, name: "a\r\nX-Evil" }, "name contains the control character U+000D"],
    [{ ...base, value: "1\nX-Evil: 2" }, "value contains the control character U+000A"],
    [{ ...base, value: "1\0" }, "value contains the control character U+0000"],
    [{ ...base, value: "x; admin=1" }, 'value contains ";"'],
    [{ ...base, name: "a;b" }, 'name contains ";"'],
    [{ ...base, name: "admin=1" }, 'name contains "="'],
  ];
  for (const [cookie, why] of cases) {
    assert.throws(() => jar.insertCookie(cookie), {
      name: "TypeError",
      message: `Cannot insert cookie: cookie.${why}`,
    });
    assert.throws(() => jar.updateCookie(cookie), {
      name: "TypeError",
      message: `Cannot update cookie: cookie.${why}`,
    });
    assert.throws(() => jar.setAllCookies([cookie]), {
      name: "TypeError",
      message: `Cannot set all cookies: cookies[0].${why}`,
    });
    const json = { version: 1, cookies: [{ ...cookie, created: new Date(T0).toISOString() }] };
    assert.throws(
      () => CookieJar.fromJSON(JSON.stringify(json)),
      (error: Error) => error instanceof TypeError && error.message.endsWith(`cookies[0].${why}`),
    );
  }
  assert.deepEqual(jar.allCookies(), []);
  // A tab is allowed, as in a Set-Cookie line.
  assert.equal(jar.insertCookie({ ...base, value: "a\tb" }), true);
});

Deno.test("a bad element leaves setAllCookies without effect", () => {
  const jar = new CookieJar({ now: () => T0 });
  jar.insertCookie(base);
  assert.throws(() =>
    jar.setAllCookies([{ ...base, name: "b" }, { ...base, value: 1 as unknown as string }])
  );
  assert.deepEqual(jar.allCookies().map((c) => c.name), ["a"]);
});

Deno.test("property: the Cookie header lists each cookie once, longest path first", () => {
  const path = fc.constantFrom("/", "/a", "/a/b", "/a/b/c", "/b");
  const name = fc.constantFrom("x", "y", "z");
  fc.assert(
    fc.property(fc.array(fc.tuple(name, path), { maxLength: 12 }), (pairs) => {
      const jar = new CookieJar({ now: () => T0 });
      for (const [n, p] of pairs) jar.insertCookie({ ...base, name: n, path: p });
      const sent = jar.cookiesForUrl(new URL("http://h.test/a/b/c/d"));
      const keys = sent.map((c) => `${c.name}@${c.path}`);
      assert.equal(new Set(keys).size, keys.length);
      for (let i = 1; i < sent.length; i++) assert.ok(sent[i - 1].path.length >= sent[i].path.length);
      assert.ok(sent.every((c) => c.path !== "/b"));
    }),
    { seed: 6265, numRuns: 200 },
  );
});
