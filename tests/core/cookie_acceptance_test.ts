import assert from "node:assert/strict";
import type { NetworkCookie } from "../../src/cookie_jar.ts";
import { checkCookieForUrl, controlCharacterIn, prefixViolation } from "../../src/core/cookie_acceptance.ts";

const base: NetworkCookie = {
  name: "a",
  value: "1",
  domain: "",
  path: "/",
  secure: false,
  httpOnly: false,
  sameSite: "Default",
};

function accepted(cookie: Partial<NetworkCookie>, url: string): NetworkCookie {
  const check = checkCookieForUrl({ ...base, ...cookie }, new URL(url));
  if (!check.ok) throw new Error(`expected acceptance, got: ${check.reason}`);
  return check.cookie;
}

function rejected(cookie: Partial<NetworkCookie>, url: string): string {
  const check = checkCookieForUrl({ ...base, ...cookie }, new URL(url));
  assert.equal(check.ok, false, `expected ${JSON.stringify(cookie)} from ${url} to be rejected`);
  return check.ok ? "" : check.reason;
}

Deno.test("checkCookieForUrl normalises the domain: host-only or Domain cookie (RFC 6265bis §5.7)", () => {
  const cases: [string, string, string][] = [
    ["", "http://www.example.com/", "www.example.com"],
    ["www.example.com", "http://www.example.com/", "www.example.com"],
    ["WWW.Example.com", "http://www.example.com/", "www.example.com"],
    [".www.example.com", "http://www.example.com/", ".www.example.com"],
    ["example.com", "http://www.example.com/", ".example.com"],
    [".example.com", "http://www.example.com/", ".example.com"],
    ["", "http://[::1]:8080/", "::1"],
    ["127.0.0.1", "http://127.0.0.1/", "127.0.0.1"],
    ["github.io", "https://github.io/", "github.io"],
    [".github.io", "https://github.io/", "github.io"],
  ];
  for (const [domain, url, normal] of cases) {
    assert.equal(accepted({ domain }, url).domain, normal, `${domain} @ ${url}`);
  }
});

Deno.test("checkCookieForUrl gives a path not starting with / the default-path", () => {
  assert.equal(accepted({ path: "" }, "http://h.test/a/b").path, "/a");
  assert.equal(accepted({ path: "rel" }, "http://h.test/a/b").path, "/a");
  assert.equal(accepted({ path: "/x" }, "http://h.test/a/b").path, "/x");
});

Deno.test("checkCookieForUrl rejects with a message naming the cookie and the reason", () => {
  const cases: [Partial<NetworkCookie>, string, string][] = [
    [
      { value: "a\r\nb" },
      "http://h.test/",
      'Cookie "a" rejected: its name or value contains the control character U+000D',
    ],
    [
      { name: "x\u0000" },
      "http://h.test/",
      'Cookie "x\u0000" rejected: its name or value contains the control character U+0000',
    ],
    [
      { name: "", value: "__Host-x=1" },
      "https://h.test/",
      `Cookie "" rejected: a nameless cookie's value must not start with __Secure- or __Host-`,
    ],
    [{ domain: "co.uk" }, "http://example.co.uk/", 'Cookie "a" rejected: Domain "co.uk" is a public suffix'],
    [{ domain: ".ck" }, "http://www.ck/", 'Cookie "a" rejected: Domain "ck" is a public suffix'],
    [{ domain: "foo.ck" }, "http://a.foo.ck/", 'Cookie "a" rejected: Domain "foo.ck" is a public suffix'],
    [
      { domain: "xn--bcher-kva.example" },
      "http://other.example/",
      'Cookie "a" rejected: Domain "xn--bcher-kva.example" does not domain-match the host "other.example"',
    ],
    [
      { domain: "bücher.example" },
      "http://xn--bcher-kva.example/",
      'Cookie "a" rejected: Domain "bücher.example" is not ASCII',
    ],
    [
      { domain: "2.3.4" },
      "http://1.2.3.4/",
      'Cookie "a" rejected: Domain "2.3.4" does not domain-match the host "1.2.3.4"',
    ],
    [
      { domain: "example.com" },
      "http://example.org/",
      'Cookie "a" rejected: Domain "example.com" does not domain-match the host "example.org"',
    ],
    [
      { secure: true },
      "http://h.test:8080/",
      'Cookie "a" rejected: Secure cookie from the insecure URL http://h.test:8080',
    ],
    [
      { sameSite: "None" },
      "https://h.test/",
      'Cookie "a" rejected: SameSite=None needs the Secure attribute',
    ],
    [
      { name: "__Secure-a" },
      "https://h.test/",
      'Cookie "__Secure-a" rejected: the __Secure- prefix needs the Secure attribute',
    ],
    [
      { name: "__Host-a", secure: true, domain: "h.test", path: "/x" },
      "https://h.test/",
      'Cookie "__Host-a" rejected: the __Host- prefix needs "Path=/"',
    ],
    [
      { name: "__Host-a", secure: true, domain: ".h.test" },
      "https://h.test/",
      'Cookie "__Host-a" rejected: the __Host- prefix needs a host-only cookie (no Domain attribute)',
    ],
  ];
  for (const [cookie, url, reason] of cases) assert.equal(rejected(cookie, url), reason, reason);
});

Deno.test("checkCookieForUrl rejects a cookie from a URL without a host", () => {
  assert.equal(
    rejected({}, "file:///tmp/page.html"),
    'Cookie "a" rejected: the URL file:///tmp/page.html has no host',
  );
  assert.equal(
    rejected({}, "data:text/plain,x"),
    'Cookie "a" rejected: the URL data:text/plain,x has no host',
  );
});

Deno.test("checkCookieForUrl: a public suffix is fine for the host itself, and wildcard exceptions are not suffixes", () => {
  assert.equal(accepted({ domain: "www.ck" }, "http://a.www.ck/").domain, ".www.ck");
  assert.equal(
    accepted({ domain: "city.kawasaki.jp" }, "http://www.city.kawasaki.jp/").domain,
    ".city.kawasaki.jp",
  );
  assert.equal(accepted({ domain: "localhost" }, "http://localhost/").domain, "localhost");
});

Deno.test("checkCookieForUrl: __Host- counts path / as given unless told it was the default-path", () => {
  const host = { name: "__Host-a", secure: true };
  assert.equal(accepted(host, "https://h.test/").domain, "h.test");
  const check = checkCookieForUrl({ ...base, ...host }, new URL("https://h.test/"), { rootPathGiven: false });
  assert.deepEqual(check, {
    ok: false,
    reason: 'Cookie "__Host-a" rejected: the __Host- prefix needs "Path=/"',
  });
});

Deno.test("checkCookieForUrl copies: the input is not changed", () => {
  const cookie: NetworkCookie = { ...base, domain: "Example.COM", path: "" };
  accepted(cookie, "http://example.com/a/b");
  assert.deepEqual(cookie, { ...base, domain: "Example.COM", path: "" });
});

Deno.test("prefixViolation and controlCharacterIn", () => {
  const ok = { secure: true, hostOnly: true, rootPath: true };
  assert.equal(prefixViolation("__Host-x", ok), undefined);
  assert.equal(prefixViolation("__HOST-x", { ...ok, rootPath: false }), 'the __Host- prefix needs "Path=/"');
  assert.equal(
    prefixViolation("__secure-x", { ...ok, secure: false }),
    "the __Secure- prefix needs the Secure attribute",
  );
  assert.equal(prefixViolation("_Host-x", { secure: false, hostOnly: false, rootPath: false }), undefined);
  assert.equal(prefixViolation("__Hostx", { secure: false, hostOnly: false, rootPath: false }), undefined);
  assert.equal(controlCharacterIn("tab\tok"), undefined);
  assert.equal(controlCharacterIn("del\u007f"), "U+007F");
  assert.equal(controlCharacterIn("unicode é ok"), undefined);
});
