// NetworkRequest (QNetworkRequest): every accessor, header validation,
// raw and known headers, attributes, defaults and range checks.

import assert from "node:assert/strict";
import {
  Attribute,
  HttpHeaders,
  KnownHeader,
  type NetworkCookie,
  NetworkRequest,
  Priority,
  RedirectPolicy,
  type SslConfiguration,
} from "../mod.ts";

const URL_ = "https://api.test/path?q=1";

Deno.test("defaults", () => {
  const request = new NetworkRequest(URL_);
  assert.equal(request.url().href, URL_);
  assert.equal(request.headers().size(), 0);
  assert.deepEqual(request.rawHeaderList(), []);
  assert.equal(request.rawHeader("accept"), "");
  assert.equal(request.hasRawHeader("accept"), false);
  assert.equal(request.header(KnownHeader.ContentTypeHeader), undefined);
  assert.equal(request.attribute(Attribute.RedirectPolicyAttribute), undefined);
  assert.equal(request.attribute(Attribute.CacheLoadControlAttribute, 1), 1, "the default argument");
  assert.equal(request.attributes().size, 0);
  assert.equal(request.maximumRedirectsAllowed(), 50);
  assert.equal(request.transferTimeout(), 0);
  assert.equal(request.priority(), Priority.NormalPriority);
  assert.equal(request.peerVerifyName(), "");
  assert.equal(request.decompressedSafetyCheckThreshold(), 10 * 1024 * 1024);
  assert.equal(request.sslConfiguration(), undefined);
});

Deno.test("init sets every field", () => {
  const ssl: SslConfiguration = { caCertificates: ["PEM"], allowedNextProtocols: ["h2"] };
  const request = new NetworkRequest(new URL(URL_), {
    headers: [["Accept", "text/html"], ["accept", "text/plain"]],
    attributes: { [Attribute.CustomVerbAttribute]: "X", [Attribute.User + 1]: { mine: true } },
    redirectPolicy: RedirectPolicy.SameOriginRedirectPolicy,
    maximumRedirectsAllowed: 3,
    transferTimeout: 5_000,
    priority: Priority.HighPriority,
    peerVerifyName: "peer.test",
    decompressedSafetyCheckThreshold: -1,
    sslConfiguration: ssl,
  });
  assert.deepEqual(request.headers().toListOfPairs(), [["accept", "text/html"], ["accept", "text/plain"]]);
  assert.equal(request.rawHeader("ACCEPT"), "text/html, text/plain");
  assert.equal(request.attribute(Attribute.CustomVerbAttribute), "X");
  assert.deepEqual(request.attribute(Attribute.User + 1), { mine: true });
  assert.equal(request.attribute(Attribute.RedirectPolicyAttribute), RedirectPolicy.SameOriginRedirectPolicy);
  assert.equal(request.maximumRedirectsAllowed(), 3);
  assert.equal(request.transferTimeout(), 5_000);
  assert.equal(request.priority(), Priority.HighPriority);
  assert.equal(request.peerVerifyName(), "peer.test");
  assert.equal(request.decompressedSafetyCheckThreshold(), -1);
  assert.deepEqual(request.sslConfiguration(), ssl);
});

Deno.test("init headers accept Headers, records, pairs and HttpHeaders", () => {
  const inits = [
    new Headers({ "X-A": "1" }),
    { "X-A": "1" },
    [["X-A", "1"]] as [string, string][],
    new HttpHeaders([["X-A", "1"]]),
  ];
  for (const headers of inits) {
    assert.deepEqual(new NetworkRequest(URL_, { headers }).headers().toListOfPairs(), [["x-a", "1"]]);
  }
});

Deno.test("url(): a copy; setUrl() replaces it; the URL given is copied", () => {
  const given = new URL(URL_);
  const request = new NetworkRequest(given);
  given.pathname = "/changed";
  assert.equal(request.url().pathname, "/path");
  const got = request.url();
  got.pathname = "/mutated";
  assert.equal(request.url().pathname, "/path");
  request.setUrl("http://other.test/x");
  assert.equal(request.url().href, "http://other.test/x");
  request.setUrl(new URL("http://third.test/"));
  assert.equal(request.url().href, "http://third.test/");
});

for (const bad of ["not a url", "", "/relative", "http://"]) {
  Deno.test(`an invalid URL ${JSON.stringify(bad)} is a TypeError naming it`, () => {
    assert.throws(() => new NetworkRequest(bad), {
      name: "TypeError",
      message: `Cannot create NetworkRequest: ${JSON.stringify(bad)} is not a valid URL`,
    });
    const request = new NetworkRequest(URL_);
    assert.throws(() => request.setUrl(bad), {
      name: "TypeError",
      message: `Cannot set URL: ${JSON.stringify(bad)} is not a valid URL`,
    });
    assert.equal(request.url().href, URL_, "unchanged after a failed setUrl");
  });
}

// ---- header validation ------------------------------------------------------

const BAD_HEADERS: readonly { readonly name: string; readonly value: string; readonly message: string }[] = [
  { name: "bad name", value: "x", message: 'Cannot set header "bad name": name is not an RFC 9110 token' },
  { name: "x-a:", value: "x", message: 'Cannot set header "x-a:": name is not an RFC 9110 token' },
  { name: "x-a\r\n", value: "x", message: 'Cannot set header "x-a\\r\\n": name is not an RFC 9110 token' },
  { name: "x\0a", value: "x", message: 'Cannot set header "x\\u0000a": name is not an RFC 9110 token' },
  { name: "", value: "x", message: 'Cannot set header "": name is empty' },
  { name: "x-a", value: "evil\r\nInjected: 1", message: 'Cannot set header "x-a": value contains CR or LF' },
  { name: "x-a", value: "line\nbreak", message: 'Cannot set header "x-a": value contains CR or LF' },
  { name: "x-a", value: "nul\0", message: 'Cannot set header "x-a": value contains NUL' },
  {
    name: "x-a",
    value: "bell\x07",
    message: 'Cannot set header "x-a": value contains control character U+0007',
  },
];

for (const bad of BAD_HEADERS) {
  Deno.test(`header ${JSON.stringify(bad.name)}: ${JSON.stringify(bad.value)} is refused wherever it is set`, () => {
    const expected = { name: "TypeError", message: bad.message };
    assert.throws(() => new NetworkRequest(URL_, { headers: [[bad.name, bad.value]] }), expected);
    const request = new NetworkRequest(URL_, { headers: { "x-a": "kept" } });
    assert.throws(() => request.setRawHeader(bad.name, bad.value), expected);
    assert.throws(() => request.setHeaders([[bad.name, bad.value]]), expected);
    assert.deepEqual(request.headers().toListOfPairs(), [["x-a", "kept"]], "nothing changed");
  });
}

Deno.test("setRawHeader with a name or value that is not a string is a TypeError naming it", () => {
  const request = new NetworkRequest(URL_);
  assert.throws(() => request.setRawHeader(42 as unknown as string, "x"), {
    name: "TypeError",
    message: "Cannot set header: name must be a string, got number",
  });
  assert.throws(() => request.setRawHeader("x-a", 42 as unknown as string), {
    name: "TypeError",
    message: 'Cannot set header "x-a": value must be a string, got number',
  });
  assert.throws(() => request.setRawHeader("set-cookie", 42 as unknown as string), {
    name: "TypeError",
    message: 'Cannot set header "set-cookie": value must be a string, got number',
  });
  assert.throws(() => request.setRawHeader("bad name", null), {
    name: "TypeError",
    message: 'Cannot set header "bad name": name is not an RFC 9110 token',
  });
});

Deno.test("a known header with CR/LF in its value is refused, naming the header", () => {
  const request = new NetworkRequest(URL_);
  assert.throws(() => request.setHeader(KnownHeader.UserAgentHeader, "ua\r\nX: y"), {
    name: "TypeError",
    message: 'Cannot set header "user-agent": value contains CR or LF',
  });
  assert.equal(request.hasRawHeader("user-agent"), false);
});

// ---- raw headers --------------------------------------------------------------

Deno.test("setRawHeader replaces every field of that name, case-insensitively", () => {
  const request = new NetworkRequest(URL_, {
    headers: [["X-A", "1"], ["b", "2"], ["x-a", "3"]],
  });
  request.setRawHeader("x-A", "new");
  assert.deepEqual(request.headers().toListOfPairs(), [["b", "2"], ["x-a", "new"]]);
  assert.equal(request.rawHeader("X-a"), "new");
  assert.ok(request.hasRawHeader("X-A"));
  assert.deepEqual(request.rawHeaderList(), ["b", "x-a"]);
});

Deno.test("setRawHeader with null or undefined removes the header", () => {
  const request = new NetworkRequest(URL_, { headers: [["x-a", "1"], ["x-a", "2"], ["x-b", "3"]] });
  request.setRawHeader("X-A", null);
  assert.deepEqual(request.rawHeaderList(), ["x-b"]);
  request.setRawHeader("x-b", undefined);
  assert.deepEqual(request.rawHeaderList(), []);
  request.setRawHeader("absent", null);
  assert.equal(request.headers().size(), 0);
});

Deno.test("setRawHeader trims the value; an empty value is kept", () => {
  const request = new NetworkRequest(URL_);
  request.setRawHeader("x-a", "  padded\t");
  request.setRawHeader("x-empty", "");
  assert.equal(request.rawHeader("x-a"), "padded");
  assert.ok(request.hasRawHeader("x-empty"));
  assert.equal(request.rawHeader("x-empty"), "");
});

Deno.test("Set-Cookie is split on LF into separate fields, and read back joined by LF", () => {
  const request = new NetworkRequest(URL_);
  request.setRawHeader("Set-Cookie", "a=1; Path=/\nb=2");
  assert.deepEqual(request.headers().values("set-cookie"), ["a=1; Path=/", "b=2"]);
  assert.equal(request.rawHeader("set-cookie"), "a=1; Path=/\nb=2");
  request.setRawHeader("set-cookie", "c=3");
  assert.deepEqual(request.headers().values("set-cookie"), ["c=3"]);
  // Only Set-Cookie is split: LF in any other value is refused.
  assert.throws(() => request.setRawHeader("cookie", "a=1\nb=2"), {
    name: "TypeError",
    message: 'Cannot set header "cookie": value contains CR or LF',
  });
});

Deno.test('rawHeader joins duplicates with ", "', () => {
  const request = new NetworkRequest(URL_, { headers: [["accept", "a"], ["x", "1"], ["Accept", "b"]] });
  assert.equal(request.rawHeader("accept"), "a, b");
  assert.deepEqual(request.rawHeaderList(), ["accept", "x"]);
});

Deno.test("headers() is a copy; setHeaders() replaces everything", () => {
  const request = new NetworkRequest(URL_, { headers: { "x-a": "1" } });
  const copy = request.headers();
  copy.append("x-b", "2");
  assert.deepEqual(request.rawHeaderList(), ["x-a"]);
  request.setHeaders(new HttpHeaders([["x-c", "3"]]));
  assert.deepEqual(request.headers().toListOfPairs(), [["x-c", "3"]]);
  request.setHeaders({});
  assert.equal(request.headers().size(), 0);
});

// ---- known headers -------------------------------------------------------------

const KNOWN: readonly {
  readonly kind: KnownHeader;
  readonly name: string;
  readonly value: unknown;
  readonly raw: string;
  readonly cooked?: unknown;
}[] = [
  {
    kind: KnownHeader.ContentTypeHeader,
    name: "content-type",
    value: "text/html; charset=utf-8",
    raw: "text/html; charset=utf-8",
  },
  { kind: KnownHeader.ContentLengthHeader, name: "content-length", value: 42, raw: "42" },
  { kind: KnownHeader.ContentLengthHeader, name: "content-length", value: 7n, raw: "7", cooked: 7 },
  {
    kind: KnownHeader.LocationHeader,
    name: "location",
    value: new URL("https://a.test/b?c"),
    raw: "https://a.test/b?c",
  },
  {
    kind: KnownHeader.LocationHeader,
    name: "location",
    value: "https://a.test/x",
    raw: "https://a.test/x",
    cooked: new URL("https://a.test/x"),
  },
  {
    kind: KnownHeader.LastModifiedHeader,
    name: "last-modified",
    value: new Date("1994-11-06T08:49:37Z"),
    raw: "Sun, 06 Nov 1994 08:49:37 GMT",
  },
  {
    kind: KnownHeader.IfModifiedSinceHeader,
    name: "if-modified-since",
    value: new Date("2024-02-29T23:59:59.750Z"),
    raw: "Thu, 29 Feb 2024 23:59:59 GMT",
    cooked: new Date("2024-02-29T23:59:59Z"),
  },
  {
    kind: KnownHeader.ContentDispositionHeader,
    name: "content-disposition",
    value: 'attachment; filename="a.txt"',
    raw: 'attachment; filename="a.txt"',
  },
  { kind: KnownHeader.UserAgentHeader, name: "user-agent", value: "netreply/1", raw: "netreply/1" },
  { kind: KnownHeader.ServerHeader, name: "server", value: "test", raw: "test" },
  { kind: KnownHeader.ETagHeader, name: "etag", value: 'W/"v1"', raw: 'W/"v1"' },
  { kind: KnownHeader.IfMatchHeader, name: "if-match", value: ['"a"', '"b"'], raw: '"a", "b"' },
  { kind: KnownHeader.IfNoneMatchHeader, name: "if-none-match", value: ['"a"', 'W/"b"'], raw: '"a", W/"b"' },
  { kind: KnownHeader.IfNoneMatchHeader, name: "if-none-match", value: ["*"], raw: "*" },
];

for (const row of KNOWN) {
  Deno.test(`setHeader/header round trip: ${row.name} = ${String(row.value)}`, () => {
    const request = new NetworkRequest(URL_);
    request.setHeader(row.kind, row.value);
    assert.equal(request.rawHeader(row.name), row.raw);
    assert.deepEqual(request.header(row.kind), row.cooked ?? row.value);
    // setHeader replaces, like setRawHeader.
    request.setRawHeader(row.name, row.raw);
    request.setHeader(row.kind, row.value);
    assert.equal(request.headers().values(row.name).length, 1);
    // null removes.
    request.setHeader(row.kind, null);
    assert.equal(request.hasRawHeader(row.name), false);
    assert.equal(request.header(row.kind), undefined);
  });
}

Deno.test("header() of a raw value that does not parse is undefined, the raw value stays", () => {
  const request = new NetworkRequest(URL_);
  request.setRawHeader("content-length", "abc");
  request.setRawHeader("location", "/relative");
  request.setRawHeader("last-modified", "yesterday");
  request.setRawHeader("etag", "unquoted");
  assert.equal(request.header(KnownHeader.ContentLengthHeader), undefined);
  assert.equal(request.header(KnownHeader.LocationHeader), undefined);
  assert.equal(request.header(KnownHeader.LastModifiedHeader), undefined);
  assert.equal(request.header(KnownHeader.ETagHeader), undefined);
  assert.equal(request.rawHeader("location"), "/relative");
});

const BAD_KNOWN: readonly {
  readonly kind: KnownHeader;
  readonly value: unknown;
  readonly message: string;
}[] = [
  {
    kind: KnownHeader.ContentLengthHeader,
    value: "abc",
    message: 'Cannot set header "content-length": expected a non-negative integer, got "abc"',
  },
  {
    kind: KnownHeader.ContentLengthHeader,
    value: -1,
    message: 'Cannot set header "content-length": expected a non-negative integer, got -1',
  },
  {
    kind: KnownHeader.LastModifiedHeader,
    value: new Date(Number.NaN),
    message: 'Cannot set header "last-modified": expected a valid Date, got Invalid Date',
  },
  {
    kind: KnownHeader.IfMatchHeader,
    value: '"a"',
    message: 'Cannot set header "if-match": expected an array of strings, got "\\"a\\""',
  },
  {
    kind: KnownHeader.UserAgentHeader,
    value: 5,
    message: 'Cannot set header "user-agent": expected a string, got 5',
  },
  {
    kind: KnownHeader.CookieHeader,
    value: "a=1",
    message: 'Cannot set header "cookie": expected an array of cookies, got "a=1"',
  },
];

for (const row of BAD_KNOWN) {
  Deno.test(`setHeader(${row.kind}, ${String(row.value)}) is a TypeError naming the header`, () => {
    const request = new NetworkRequest(URL_);
    assert.throws(() => request.setHeader(row.kind, row.value), { name: "TypeError", message: row.message });
    assert.equal(request.headers().size(), 0);
  });
}

Deno.test("setHeader/header with a number that is not a KnownHeader is a RangeError", () => {
  const request = new NetworkRequest(URL_);
  assert.throws(() => request.setHeader(99 as KnownHeader, "x"), {
    name: "RangeError",
    message: "Unknown known header 99",
  });
  assert.throws(() => request.header(99 as KnownHeader), {
    name: "RangeError",
    message: "Unknown known header 99",
  });
});

// ---- attributes ----------------------------------------------------------------

Deno.test("attributes: set, read, default, remove, list", () => {
  const request = new NetworkRequest(URL_);
  request.setAttribute(Attribute.CacheLoadControlAttribute, 2);
  request.setAttribute(Attribute.User, "mine");
  request.setAttribute(Attribute.Http2AllowedAttribute, false);
  assert.equal(request.attribute(Attribute.CacheLoadControlAttribute), 2);
  assert.equal(
    request.attribute(Attribute.Http2AllowedAttribute, true),
    false,
    "a set false wins over the default",
  );
  assert.equal(request.attribute(Attribute.User), "mine");
  assert.deepEqual([...request.attributes().keys()].sort((a, b) => a - b), [4, 19, 1000]);
  request.setAttribute(Attribute.User, undefined);
  assert.equal(request.attribute(Attribute.User, "default"), "default");
  const copy = request.attributes() as Map<number, unknown>;
  copy.set(Attribute.User, "sneaky");
  assert.equal(request.attribute(Attribute.User), undefined, "attributes() is a copy");
});

Deno.test("an attribute that is not a number is a TypeError naming it", () => {
  const request = new NetworkRequest(URL_);
  for (const bad of ["x", 1.5, Number.NaN]) {
    assert.throws(() => request.setAttribute(bad as Attribute, 1), {
      name: "TypeError",
      message: `Cannot set attribute ${String(bad)}: not an Attribute number`,
    });
  }
});

// ---- numbers -------------------------------------------------------------------

const RANGES: readonly {
  readonly what: string;
  readonly set: (request: NetworkRequest, value: number) => void;
  readonly init: (value: number) => ConstructorParameters<typeof NetworkRequest>[1];
  readonly bad: readonly number[];
  readonly min: number;
  readonly good: readonly number[];
}[] = [
  {
    what: "maximumRedirectsAllowed",
    set: (r, v) => r.setMaximumRedirectsAllowed(v),
    init: (v) => ({ maximumRedirectsAllowed: v }),
    bad: [-1, 1.5, Number.NaN],
    min: 0,
    good: [0, 1, 50, 1000],
  },
  {
    what: "transferTimeout",
    set: (r, v) => r.setTransferTimeout(v),
    init: (v) => ({ transferTimeout: v }),
    bad: [-1, 0.5, Number.POSITIVE_INFINITY],
    min: 0,
    good: [0, 1, 30_000],
  },
  {
    what: "decompressedSafetyCheckThreshold",
    set: (r, v) => r.setDecompressedSafetyCheckThreshold(v),
    init: (v) => ({ decompressedSafetyCheckThreshold: v }),
    bad: [-2, 1.5, Number.NaN],
    min: -1,
    good: [-1, 0, 1024],
  },
];

for (const row of RANGES) {
  Deno.test(`${row.what}: accepts integers >= ${row.min}, else a RangeError naming the value`, () => {
    const request = new NetworkRequest(URL_);
    for (const value of row.good) {
      row.set(request, value);
      assert.equal((request[row.what as keyof NetworkRequest] as () => number).call(request), value);
    }
    for (const value of row.bad) {
      const expected = {
        name: "RangeError",
        message: `Cannot set ${row.what}: expected an integer >= ${row.min}, got ${value}`,
      };
      assert.throws(() => row.set(request, value), expected);
      assert.throws(() => new NetworkRequest(URL_, row.init(value)), expected);
    }
  });
}

Deno.test("priority: only the Priority values, else a RangeError naming the value", () => {
  const request = new NetworkRequest(URL_);
  for (const priority of [Priority.LowPriority, Priority.HighPriority, Priority.NormalPriority]) {
    request.setPriority(priority);
    assert.equal(request.priority(), priority);
  }
  for (const bad of [0, 2, 4, 6, 1.5]) {
    assert.throws(() => request.setPriority(bad as Priority), {
      name: "RangeError",
      message: `Cannot set priority: ${bad} is not a Priority`,
    });
    assert.throws(() => new NetworkRequest(URL_, { priority: bad as Priority }), { name: "RangeError" });
  }
  assert.equal(request.priority(), Priority.NormalPriority);
});

Deno.test("redirectPolicy in init: only the RedirectPolicy values, else a RangeError naming the value", () => {
  for (const policy of Object.values(RedirectPolicy)) {
    assert.equal(
      new NetworkRequest(URL_, { redirectPolicy: policy }).attribute(Attribute.RedirectPolicyAttribute),
      policy,
    );
  }
  for (const bad of [-1, 4, 1.5]) {
    assert.throws(() => new NetworkRequest(URL_, { redirectPolicy: bad as RedirectPolicy }), {
      name: "RangeError",
      message: `Cannot set redirectPolicy: ${bad} is not a RedirectPolicy`,
    });
  }
});

// ---- other settings and copies ------------------------------------------------------

Deno.test("peerVerifyName and sslConfiguration round-trip; sslConfiguration is a copy", () => {
  const request = new NetworkRequest(URL_);
  request.setPeerVerifyName("cert.test");
  assert.equal(request.peerVerifyName(), "cert.test");
  const ssl: SslConfiguration = { caCertificates: ["PEM"] };
  request.setSslConfiguration(ssl);
  ssl.localCertificate = "changed later";
  assert.deepEqual(request.sslConfiguration(), { caCertificates: ["PEM"] });
  const got = request.sslConfiguration() as SslConfiguration;
  got.privateKey = "mutated";
  assert.deepEqual(request.sslConfiguration(), { caCertificates: ["PEM"] });
  request.setSslConfiguration(undefined);
  assert.equal(request.sslConfiguration(), undefined);
});

Deno.test("clone() is deep: changing the copy leaves the original alone", () => {
  const original = new NetworkRequest(URL_, {
    headers: { "x-a": "1" },
    attributes: { [Attribute.User]: "u" },
    transferTimeout: 10,
    maximumRedirectsAllowed: 2,
    priority: Priority.LowPriority,
    peerVerifyName: "p",
    decompressedSafetyCheckThreshold: 5,
    sslConfiguration: { caCertificates: ["PEM"] },
  });
  const copy = original.clone();
  assert.equal(copy.url().href, original.url().href);
  assert.deepEqual(copy.headers().toListOfPairs(), original.headers().toListOfPairs());
  assert.equal(copy.attribute(Attribute.User), "u");
  assert.equal(copy.transferTimeout(), 10);
  assert.equal(copy.maximumRedirectsAllowed(), 2);
  assert.equal(copy.priority(), Priority.LowPriority);
  assert.equal(copy.peerVerifyName(), "p");
  assert.equal(copy.decompressedSafetyCheckThreshold(), 5);
  assert.deepEqual(copy.sslConfiguration(), { caCertificates: ["PEM"] });

  copy.setUrl("http://other.test/");
  copy.setRawHeader("x-a", "2");
  copy.setAttribute(Attribute.User, "v");
  copy.setTransferTimeout(20);
  assert.equal(original.url().href, URL_);
  assert.equal(original.rawHeader("x-a"), "1");
  assert.equal(original.attribute(Attribute.User), "u");
  assert.equal(original.transferTimeout(), 10);
});

Deno.test("setPeerVerifyName with a non-string throws a TypeError naming the type", () => {
  const request = new NetworkRequest("https://example.test/");
  assert.throws(
    () => request.setPeerVerifyName(42 as unknown as string),
    { name: "TypeError", message: "Cannot set peerVerifyName: expected a string, got number" },
  );
  assert.equal(request.peerVerifyName(), "");
});

Deno.test("Cookie and Set-Cookie: setHeader takes NetworkCookie[], header() gives them back", () => {
  const base = { domain: "", path: "", secure: false, httpOnly: false, sameSite: "Default" } as const;
  const request = new NetworkRequest(URL_);
  request.setHeader(KnownHeader.CookieHeader, [{ ...base, name: "a", value: "1" }, {
    ...base,
    name: "b",
    value: "2",
  }]);
  assert.equal(request.rawHeader("cookie"), "a=1; b=2");
  assert.deepEqual((request.header(KnownHeader.CookieHeader) as NetworkCookie[]).map((c) => c.name), [
    "a",
    "b",
  ]);
  request.setHeader(KnownHeader.SetCookieHeader, [
    { ...base, name: "s", value: "1", path: "/p", secure: true },
    { ...base, name: "t", value: "2" },
  ]);
  // One field per cookie, read back as Qt's rawHeader joins them.
  assert.deepEqual(request.headers().values("set-cookie"), ["s=1; Path=/p; Secure", "t=2"]);
  assert.equal(request.rawHeader("set-cookie"), "s=1; Path=/p; Secure\nt=2");
  assert.deepEqual(request.header(KnownHeader.SetCookieHeader), [
    { ...base, name: "s", value: "1", path: "/p", secure: true },
    { ...base, name: "t", value: "2" },
  ]);
  request.setHeader(KnownHeader.SetCookieHeader, null);
  assert.equal(request.hasRawHeader("set-cookie"), false);
  assert.equal(request.header(KnownHeader.SetCookieHeader), undefined);
});
