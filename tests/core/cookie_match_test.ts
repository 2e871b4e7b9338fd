import assert from "node:assert/strict";
import fc from "fast-check";
import {
  canonicalHost,
  defaultPath,
  domainMatch,
  isSecureCookieUrl,
  pathMatch,
} from "../../src/core/cookie_match.ts";

Deno.test("canonicalHost: lower-case A-labels, no trailing dot, no IPv6 brackets (§5.1.2)", () => {
  const cases: [string, string][] = [
    ["http://Example.COM/", "example.com"],
    ["http://example.com./", "example.com"],
    ["http://bücher.example/", "xn--bcher-kva.example"],
    ["http://[::1]:8080/", "::1"],
    ["http://127.0.0.1/", "127.0.0.1"],
  ];
  for (const [url, host] of cases) assert.equal(canonicalHost(new URL(url)), host, url);
});

Deno.test("domainMatch (§5.1.3): identical, or a dot-separated suffix of a host name", () => {
  const cases: [string, string, boolean][] = [
    ["example.com", "example.com", true],
    ["www.example.com", "example.com", true],
    ["a.b.example.com", "example.com", true],
    ["EXAMPLE.com", "example.COM", true],
    ["wwwexample.com", "example.com", false],
    ["example.com", "www.example.com", false],
    ["example.com", "", false],
    ["example.com", ".example.com", false],
    ["example.com", "com", true],
    ["1.2.3.4", "1.2.3.4", true],
    ["1.2.3.4", "2.3.4", false],
    ["1.2.3.4", "3.4", false],
    ["::1", "::1", true],
  ];
  for (const [host, domain, expected] of cases) {
    assert.equal(domainMatch(host, domain), expected, `${host} / ${domain}`);
  }
});

Deno.test("defaultPath (§5.1.4): up to the last slash, or /", () => {
  const cases: [string, string][] = [
    ["http://h/", "/"],
    ["http://h", "/"],
    ["http://h/a", "/"],
    ["http://h/a/", "/a"],
    ["http://h/a/b", "/a"],
    ["http://h/a/b/c?q=/x/y#/z/w", "/a/b"],
    ["http://h//", "/"],
    ["http://h//a", "/"],
    ["http://h/a//b", "/a/"],
    ["foo:bar/baz", "/"],
  ];
  for (const [url, path] of cases) assert.equal(defaultPath(new URL(url)), path, url);
});

Deno.test("pathMatch (§5.1.4): identical, or a prefix ending in / or followed by /", () => {
  const cases: [string, string, boolean][] = [
    ["/", "/", true],
    ["/a", "/", true],
    ["/a/b", "/a", true],
    ["/a/b", "/a/", true],
    ["/a", "/a", true],
    ["/a/", "/a", true],
    ["/ab", "/a", false],
    ["/a", "/a/", false],
    ["/A", "/a", false],
    ["/a//b", "/a/", true],
    ["/", "/a", false],
  ];
  for (const [request, cookie, expected] of cases) {
    assert.equal(pathMatch(request, cookie), expected, `${request} / ${cookie}`);
  }
});

Deno.test("isSecureCookieUrl: https, wss, and loopback over http or ws", () => {
  const cases: [string, boolean][] = [
    ["https://example.com/", true],
    ["wss://example.com/", true],
    ["http://example.com/", false],
    ["ws://example.com/", false],
    ["http://localhost/", true],
    ["http://LOCALHOST:3000/", true],
    ["http://app.localhost/", true],
    ["http://localhost.example.com/", false],
    ["http://127.0.0.1/", true],
    ["http://127.1.2.3:8080/", true],
    ["http://128.0.0.1/", false],
    ["http://[::1]/", true],
    ["ws://localhost/", true],
    ["ftp://localhost/", false],
    ["file:///tmp/x", false],
  ];
  for (const [url, expected] of cases) assert.equal(isSecureCookieUrl(new URL(url)), expected, url);
});

Deno.test("property: a default-path always path-matches the path it came from", () => {
  const segment = fc.constantFrom("a", "b", "", "x.html", "%20");
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 5 }), (segments) => {
      const url = new URL(`http://h/${segments.join("/")}`);
      assert.ok(pathMatch(url.pathname, defaultPath(url)), url.pathname);
    }),
    { seed: 6265, numRuns: 200 },
  );
});
