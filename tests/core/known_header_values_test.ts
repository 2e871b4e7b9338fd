import assert from "node:assert/strict";
import type { NetworkCookie } from "../../src/cookie_jar.ts";
import { KnownHeader } from "../../src/core/known_header.ts";
import {
  knownHeaderName,
  type KnownHeaderValue,
  parseKnownHeader,
  serializeKnownHeader,
} from "../../src/core/known_header_values.ts";

const K = KnownHeader;

const names: [KnownHeader, string][] = [
  [K.ContentTypeHeader, "content-type"],
  [K.ContentLengthHeader, "content-length"],
  [K.LocationHeader, "location"],
  [K.LastModifiedHeader, "last-modified"],
  [K.CookieHeader, "cookie"],
  [K.SetCookieHeader, "set-cookie"],
  [K.ContentDispositionHeader, "content-disposition"],
  [K.UserAgentHeader, "user-agent"],
  [K.ServerHeader, "server"],
  [K.IfModifiedSinceHeader, "if-modified-since"],
  [K.ETagHeader, "etag"],
  [K.IfMatchHeader, "if-match"],
  [K.IfNoneMatchHeader, "if-none-match"],
];

for (const [kind, name] of names) {
  Deno.test(`knownHeaderName(${kind}) is ${name}`, () => {
    assert.equal(knownHeaderName(kind), name);
  });
}

Deno.test("knownHeaderName covers every KnownHeader", () => {
  assert.deepEqual(
    names.map(([k]) => k).sort((a, b) => a - b),
    Object.values(KnownHeader).sort((a, b) => a - b),
  );
});

for (const bad of [-1, 13, 1.5, 1000]) {
  Deno.test(`knownHeaderName, parseKnownHeader and serializeKnownHeader reject ${bad}`, () => {
    const kind = bad as KnownHeader;
    const expected = { name: "RangeError", message: `Unknown known header ${bad}` };
    assert.throws(() => knownHeaderName(kind), expected);
    assert.throws(() => parseKnownHeader(kind, ["x"]), expected);
    assert.throws(() => serializeKnownHeader(kind, "x"), expected);
  });
}

const date = (iso: string): Date => new Date(iso);
/** A cookie as a Cookie field or an attribute-less Set-Cookie line gives it. */
const cookie = (name: string, value: string): NetworkCookie => ({
  name,
  value,
  domain: "",
  path: "",
  secure: false,
  httpOnly: false,
  sameSite: "Default",
});

// After Qt's tst_QNetworkRequest::rawHeaderParsing, from the spec: raw field values → cooked value.
const parses: { kind: KnownHeader; values: string[]; cooked: KnownHeaderValue | undefined; why?: string }[] =
  [
    // Absent
    ...names.map(([kind]) => ({ kind, values: [] as string[], cooked: undefined, why: "no fields" })),
    // Verbatim headers: first field, untouched
    { kind: K.ContentTypeHeader, values: ["text/html"], cooked: "text/html" },
    { kind: K.ContentTypeHeader, values: ["text/html; charset=utf-8"], cooked: "text/html; charset=utf-8" },
    {
      kind: K.ContentTypeHeader,
      values: ["text/html", "text/plain"],
      cooked: "text/html",
      why: "first field",
    },
    { kind: K.ContentTypeHeader, values: [""], cooked: "" },
    {
      kind: K.ContentDispositionHeader,
      values: ['attachment; filename="a b.txt"'],
      cooked: 'attachment; filename="a b.txt"',
    },
    { kind: K.UserAgentHeader, values: ["Mozilla/5.0 (X11; Linux)"], cooked: "Mozilla/5.0 (X11; Linux)" },
    { kind: K.ServerHeader, values: ["nginx/1.25.3", "other"], cooked: "nginx/1.25.3" },
    { kind: K.ServerHeader, values: ["Apache/2.4 (Unix) ü"], cooked: "Apache/2.4 (Unix) ü" },
    // Content-Length
    { kind: K.ContentLengthHeader, values: ["0"], cooked: 0 },
    { kind: K.ContentLengthHeader, values: ["2"], cooked: 2 },
    { kind: K.ContentLengthHeader, values: [" 42 "], cooked: 42, why: "trimmed" },
    { kind: K.ContentLengthHeader, values: ["007"], cooked: 7 },
    { kind: K.ContentLengthHeader, values: ["9007199254740991"], cooked: 9007199254740991 },
    { kind: K.ContentLengthHeader, values: ["3, 3"], cooked: 3, why: "QTBUG-15311" },
    { kind: K.ContentLengthHeader, values: ["3,4"], cooked: 3, why: "first element of the list" },
    { kind: K.ContentLengthHeader, values: ["3", "4"], cooked: 3, why: "first field wins" },
    { kind: K.ContentLengthHeader, values: ["abc", "4"], cooked: undefined, why: "first field only" },
    { kind: K.ContentLengthHeader, values: [""], cooked: undefined },
    { kind: K.ContentLengthHeader, values: ["-1"], cooked: undefined },
    { kind: K.ContentLengthHeader, values: ["+1"], cooked: undefined },
    { kind: K.ContentLengthHeader, values: ["1.5"], cooked: undefined },
    { kind: K.ContentLengthHeader, values: ["1e3"], cooked: undefined },
    { kind: K.ContentLengthHeader, values: ["0x10"], cooked: undefined },
    { kind: K.ContentLengthHeader, values: ["12 34"], cooked: undefined },
    { kind: K.ContentLengthHeader, values: [", 3"], cooked: undefined },
    {
      kind: K.ContentLengthHeader,
      values: ["9007199254740993"],
      cooked: undefined,
      why: "not a safe integer",
    },
    { kind: K.ContentLengthHeader, values: ["٣"], cooked: undefined, why: "non-ASCII digit" },
    // Location
    {
      kind: K.LocationHeader,
      values: ["http://example.com/a?b#c"],
      cooked: new URL("http://example.com/a?b#c"),
    },
    { kind: K.LocationHeader, values: ["https://example.com"], cooked: new URL("https://example.com/") },
    { kind: K.LocationHeader, values: ["ftp://h/x", "http://other/"], cooked: new URL("ftp://h/x") },
    {
      kind: K.LocationHeader,
      values: ["mailto:someone@example.com"],
      cooked: new URL("mailto:someone@example.com"),
    },
    { kind: K.LocationHeader, values: ["/relative/path"], cooked: undefined, why: "no scheme" },
    { kind: K.LocationHeader, values: ["relative"], cooked: undefined },
    { kind: K.LocationHeader, values: ["//example.com/x"], cooked: undefined, why: "scheme-relative" },
    { kind: K.LocationHeader, values: ["?q=1"], cooked: undefined },
    { kind: K.LocationHeader, values: [""], cooked: undefined },
    { kind: K.LocationHeader, values: ["http://"], cooked: undefined },
    { kind: K.LocationHeader, values: ["/rel", "http://abs/"], cooked: undefined, why: "first field only" },
    // Dates
    {
      kind: K.LastModifiedHeader,
      values: ["Thu, 01 Nov 2007 18:08:30 GMT"],
      cooked: date("2007-11-01T18:08:30Z"),
    },
    {
      kind: K.LastModifiedHeader,
      values: ["Thursday, 01-Nov-07 18:08:30 GMT"],
      cooked: date("1907-11-01T18:08:30Z"),
    },
    {
      kind: K.LastModifiedHeader,
      values: ["Thu Nov  1 18:08:30 2007"],
      cooked: date("2007-11-01T18:08:30Z"),
    },
    { kind: K.LastModifiedHeader, values: ["Thu, 01 Nov 2007 18:08:30 UTC"], cooked: undefined },
    { kind: K.LastModifiedHeader, values: ["yesterday"], cooked: undefined },
    {
      kind: K.LastModifiedHeader,
      values: ["Thu, 01 Nov 2007 18:08:30 GMT", "x"],
      cooked: date("2007-11-01T18:08:30Z"),
    },
    {
      kind: K.IfModifiedSinceHeader,
      values: ["Sun, 06 Nov 1994 08:49:37 GMT"],
      cooked: date("1994-11-06T08:49:37Z"),
    },
    { kind: K.IfModifiedSinceHeader, values: ["Sun, 31 Nov 1994 08:49:37 GMT"], cooked: undefined },
    // ETag
    { kind: K.ETagHeader, values: ['"xyzzy"'], cooked: '"xyzzy"' },
    { kind: K.ETagHeader, values: ['W/"xyzzy"'], cooked: 'W/"xyzzy"' },
    { kind: K.ETagHeader, values: ['""'], cooked: '""' },
    { kind: K.ETagHeader, values: ['W/""'], cooked: 'W/""' },
    { kind: K.ETagHeader, values: ['  "padded"  '], cooked: '"padded"' },
    { kind: K.ETagHeader, values: ['"a", "b"'], cooked: '"a", "b"', why: "Qt only checks the ends" },
    { kind: K.ETagHeader, values: ["xyzzy"], cooked: undefined, why: "unquoted" },
    { kind: K.ETagHeader, values: ['"xyzzy'], cooked: undefined },
    { kind: K.ETagHeader, values: ['xyzzy"'], cooked: undefined },
    { kind: K.ETagHeader, values: ['w/"xyzzy"'], cooked: undefined, why: "W/ is case-sensitive" },
    { kind: K.ETagHeader, values: ['"'], cooked: undefined },
    { kind: K.ETagHeader, values: ['W/"'], cooked: undefined },
    { kind: K.ETagHeader, values: [""], cooked: undefined },
    { kind: K.ETagHeader, values: ["x", '"y"'], cooked: undefined, why: "first field only" },
    // If-Match: strong tags only, every field
    { kind: K.IfMatchHeader, values: ["*"], cooked: ["*"] },
    { kind: K.IfMatchHeader, values: [" * "], cooked: ["*"] },
    { kind: K.IfMatchHeader, values: ['"a"'], cooked: ['"a"'] },
    { kind: K.IfMatchHeader, values: ['"a", "b",  "c"'], cooked: ['"a"', '"b"', '"c"'] },
    { kind: K.IfMatchHeader, values: ['"a", W/"b"'], cooked: ['"a"'], why: "weak tags dropped" },
    { kind: K.IfMatchHeader, values: ['"a"', '"b"'], cooked: ['"a"', '"b"'], why: "fields aggregate" },
    { kind: K.IfMatchHeader, values: ["*", '"b"'], cooked: ['"b"'], why: "* only when alone" },
    { kind: K.IfMatchHeader, values: ['"a", junk, "b'], cooked: ['"a"'] },
    { kind: K.IfMatchHeader, values: ['"a,b", "c"'], cooked: ['"a,b"', '"c"'], why: "comma inside a tag" },
    { kind: K.IfMatchHeader, values: ['W/"a"'], cooked: [], why: "present but no strong tag" },
    { kind: K.IfMatchHeader, values: [""], cooked: [] },
    { kind: K.IfMatchHeader, values: [",,"], cooked: [] },
    // If-None-Match: strong and weak tags
    { kind: K.IfNoneMatchHeader, values: ["*"], cooked: ["*"] },
    { kind: K.IfNoneMatchHeader, values: ['"a", W/"b"'], cooked: ['"a"', 'W/"b"'] },
    { kind: K.IfNoneMatchHeader, values: ['W/"a"', '"b"', 'W/"c", d'], cooked: ['W/"a"', '"b"', 'W/"c"'] },
    { kind: K.IfNoneMatchHeader, values: ['w/"a", "b"'], cooked: ['"b"'] },
    { kind: K.IfNoneMatchHeader, values: ["abc"], cooked: [] },
    // Cookie: name=value pairs of every field (Qt's parseCookieHeader), read by the Set-Cookie parser
    { kind: K.CookieHeader, values: ["a=1; b=2"], cooked: [cookie("a", "1"), cookie("b", "2")] },
    { kind: K.CookieHeader, values: ["a=1", " b = 2 ;"], cooked: [cookie("a", "1"), cookie("b", "2")] },
    { kind: K.CookieHeader, values: ["a=1; flag"], cooked: [cookie("a", "1"), cookie("", "flag")] },
    { kind: K.CookieHeader, values: ["a=1; =; b=2"], cooked: [], why: "a part that is no cookie" },
    { kind: K.CookieHeader, values: ["a=1; b=\x01"], cooked: [], why: "a control character" },
    { kind: K.CookieHeader, values: [""], cooked: [] },
    // Set-Cookie: each field a Set-Cookie line; domain and path only as given
    {
      kind: K.SetCookieHeader,
      values: ["a=1; Path=/p; Domain=Example.COM; Secure; HttpOnly; SameSite=lax", "=", "b=2, c=3; Path=x"],
      cooked: [
        {
          ...cookie("a", "1"),
          path: "/p",
          domain: ".example.com",
          secure: true,
          httpOnly: true,
          sameSite: "Lax",
        },
        cookie("b", "2, c=3"),
      ],
    },
    { kind: K.SetCookieHeader, values: ["=; Path=/"], cooked: [], why: "every line ignored" },
  ];

for (const { kind, values, cooked, why } of parses) {
  const label = `parseKnownHeader(${knownHeaderName(kind)}, ${JSON.stringify(values)})${
    why ? ` (${why})` : ""
  }`;
  Deno.test(label, () => {
    assert.deepEqual(parseKnownHeader(kind, values), cooked);
  });
}

Deno.test("parseKnownHeader returns a fresh array for tag lists", () => {
  const a = parseKnownHeader(K.IfMatchHeader, ['"a"']) as string[];
  a.push("x");
  assert.deepEqual(parseKnownHeader(K.IfMatchHeader, ['"a"']), ['"a"']);
});

const serializes: { kind: KnownHeader; value: unknown; raw: string }[] = [
  { kind: K.ContentTypeHeader, value: "text/plain; charset=utf-8", raw: "text/plain; charset=utf-8" },
  { kind: K.ContentTypeHeader, value: " padded ", raw: "padded" },
  { kind: K.ContentLengthHeader, value: 0, raw: "0" },
  { kind: K.ContentLengthHeader, value: 1234, raw: "1234" },
  { kind: K.ContentLengthHeader, value: Number.MAX_SAFE_INTEGER, raw: "9007199254740991" },
  { kind: K.ContentLengthHeader, value: 2n ** 63n - 1n, raw: "9223372036854775807" },
  { kind: K.ContentLengthHeader, value: -0, raw: "0" },
  {
    kind: K.LocationHeader,
    value: new URL("http://example.com/a b?x=ü"),
    raw: "http://example.com/a%20b?x=%C3%BC",
  },
  { kind: K.LocationHeader, value: "/relative", raw: "/relative" },
  { kind: K.LastModifiedHeader, value: new Date(0), raw: "Thu, 01 Jan 1970 00:00:00 GMT" },
  {
    kind: K.IfModifiedSinceHeader,
    value: new Date("1994-11-06T08:49:37.999Z"),
    raw: "Sun, 06 Nov 1994 08:49:37 GMT",
  },
  { kind: K.ContentDispositionHeader, value: 'inline; filename="x"', raw: 'inline; filename="x"' },
  { kind: K.UserAgentHeader, value: "netreply/0.1", raw: "netreply/0.1" },
  { kind: K.ServerHeader, value: "", raw: "" },
  { kind: K.ETagHeader, value: '"abc"', raw: '"abc"' },
  { kind: K.IfMatchHeader, value: ['"a"', '"b"'], raw: '"a", "b"' },
  { kind: K.IfMatchHeader, value: ["*"], raw: "*" },
  { kind: K.IfMatchHeader, value: [], raw: "" },
  { kind: K.IfNoneMatchHeader, value: ['"a"', 'W/"b"'], raw: '"a", W/"b"' },
  { kind: K.CookieHeader, value: [cookie("a", "1"), cookie("", "flag")], raw: "a=1; flag" },
  {
    kind: K.SetCookieHeader,
    value: [
      {
        ...cookie("a", "1"),
        expires: new Date(0),
        domain: ".example.com",
        path: "/p",
        secure: true,
        httpOnly: true,
        sameSite: "Strict",
      },
      { ...cookie("b", "2"), domain: "host.example" },
    ],
    raw:
      "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Path=/p; Secure; HttpOnly; SameSite=Strict\nb=2",
  },
];

for (const { kind, value, raw } of serializes) {
  Deno.test(`serializeKnownHeader(${knownHeaderName(kind)}, ${String(value)}) → ${JSON.stringify(raw)}`, () => {
    assert.equal(serializeKnownHeader(kind, value), raw);
  });
}

// A serialised cooked value parses back to itself.
const roundTrips: { kind: KnownHeader; value: KnownHeaderValue }[] = [
  { kind: K.ContentLengthHeader, value: 99 },
  { kind: K.LocationHeader, value: new URL("https://example.com/x?y#z") },
  { kind: K.LastModifiedHeader, value: new Date("2024-02-29T12:34:56Z") },
  { kind: K.IfModifiedSinceHeader, value: new Date("1970-01-01T00:00:00Z") },
  { kind: K.ETagHeader, value: 'W/"v1"' },
  { kind: K.IfMatchHeader, value: ['"a"', '"b"'] },
  { kind: K.IfNoneMatchHeader, value: ['"a"', 'W/"b"'] },
  { kind: K.ContentTypeHeader, value: "application/json" },
  { kind: K.CookieHeader, value: [cookie("a", "1"), cookie("b", "x y")] },
];

for (const { kind, value } of roundTrips) {
  Deno.test(`${knownHeaderName(kind)} round-trips through serialise and parse`, () => {
    assert.deepEqual(parseKnownHeader(kind, [serializeKnownHeader(kind, value)]), value);
  });
}

const serializeErrors: { kind: KnownHeader; value: unknown; message: string }[] = [
  {
    kind: K.ContentLengthHeader,
    value: "abc",
    message: 'Cannot set header "content-length": expected a non-negative integer, got "abc"',
  },
  {
    kind: K.ContentLengthHeader,
    value: "12",
    message: 'Cannot set header "content-length": expected a non-negative integer, got "12"',
  },
  {
    kind: K.ContentLengthHeader,
    value: -1,
    message: 'Cannot set header "content-length": expected a non-negative integer, got -1',
  },
  {
    kind: K.ContentLengthHeader,
    value: 1.5,
    message: 'Cannot set header "content-length": expected a non-negative integer, got 1.5',
  },
  {
    kind: K.ContentLengthHeader,
    value: NaN,
    message: 'Cannot set header "content-length": expected a non-negative integer, got NaN',
  },
  {
    kind: K.ContentLengthHeader,
    value: Infinity,
    message: 'Cannot set header "content-length": expected a non-negative integer, got Infinity',
  },
  {
    kind: K.ContentLengthHeader,
    value: 2 ** 53,
    message: 'Cannot set header "content-length": expected a non-negative integer, got 9007199254740992',
  },
  {
    kind: K.ContentLengthHeader,
    value: -1n,
    message: 'Cannot set header "content-length": expected a non-negative integer, got -1n',
  },
  {
    kind: K.ContentLengthHeader,
    value: undefined,
    message: 'Cannot set header "content-length": expected a non-negative integer, got undefined',
  },
  {
    kind: K.ContentLengthHeader,
    value: null,
    message: 'Cannot set header "content-length": expected a non-negative integer, got null',
  },
  {
    kind: K.LocationHeader,
    value: 42,
    message: 'Cannot set header "location": expected a URL or a string, got 42',
  },
  {
    kind: K.LocationHeader,
    value: { href: "http://x/" },
    message: 'Cannot set header "location": expected a URL or a string, got an object',
  },
  {
    kind: K.LocationHeader,
    value: "http://x/\r\nSet-Cookie: a=1",
    message: 'Cannot set header "location": value contains CR or LF',
  },
  {
    kind: K.LastModifiedHeader,
    value: new Date(NaN),
    message: 'Cannot set header "last-modified": expected a valid Date, got Invalid Date',
  },
  {
    kind: K.LastModifiedHeader,
    value: "Thu, 01 Jan 1970 00:00:00 GMT",
    message: 'Cannot set header "last-modified": expected a valid Date, got "Thu, 01 Jan 1970 00:00:00 GMT"',
  },
  {
    kind: K.IfModifiedSinceHeader,
    value: 0,
    message: 'Cannot set header "if-modified-since": expected a valid Date, got 0',
  },
  {
    kind: K.IfModifiedSinceHeader,
    value: new Date("+010000-01-01T00:00:00Z"),
    message:
      'Cannot set header "if-modified-since": expected a Date between years 0 and 9999, got +010000-01-01T00:00:00.000Z',
  },
  {
    kind: K.IfMatchHeader,
    value: '"a"',
    message: 'Cannot set header "if-match": expected an array of strings, got "\\"a\\""',
  },
  {
    kind: K.IfNoneMatchHeader,
    value: ['"a"', 1],
    message: 'Cannot set header "if-none-match": expected an array of strings, got an array of 2',
  },
  {
    kind: K.IfNoneMatchHeader,
    value: ['"a"\n'],
    message: 'Cannot set header "if-none-match": value contains CR or LF',
  },
  {
    kind: K.ContentTypeHeader,
    value: 1,
    message: 'Cannot set header "content-type": expected a string, got 1',
  },
  {
    kind: K.ContentTypeHeader,
    value: new Map(),
    message: 'Cannot set header "content-type": expected a string, got a Map',
  },
  {
    kind: K.ContentTypeHeader,
    value: Object.create(null),
    message: 'Cannot set header "content-type": expected a string, got an object',
  },
  {
    kind: K.ContentTypeHeader,
    value: new ArrayBuffer(1),
    message: 'Cannot set header "content-type": expected a string, got an ArrayBuffer',
  },
  { kind: K.UserAgentHeader, value: "a\0b", message: 'Cannot set header "user-agent": value contains NUL' },
  {
    kind: K.ETagHeader,
    value: ['"a"'],
    message: 'Cannot set header "etag": expected a string, got an array of 1',
  },
  {
    kind: K.ServerHeader,
    value: new URL("http://x/"),
    message: 'Cannot set header "server": expected a string, got URL "http://x/"',
  },
  {
    kind: K.ContentDispositionHeader,
    value: true,
    message: 'Cannot set header "content-disposition": expected a string, got true',
  },
  {
    kind: K.CookieHeader,
    value: "a=1",
    message: 'Cannot set header "cookie": expected an array of cookies, got "a=1"',
  },
  {
    kind: K.SetCookieHeader,
    value: ["a=1"],
    message: 'Cannot set header "set-cookie": expected an array of cookies, got an array of 1',
  },
  {
    kind: K.SetCookieHeader,
    value: [{ name: "a", value: "1\n" }],
    message: 'Cannot set header "set-cookie": value contains CR or LF',
  },
];

for (const { kind, value, message } of serializeErrors) {
  Deno.test(`serializeKnownHeader(${knownHeaderName(kind)}) rejects ${message.split(", got ")[1] ?? message}`, () => {
    assert.throws(() => serializeKnownHeader(kind, value), (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.equal(e.message, message);
      return true;
    });
  });
}

Deno.test("Set-Cookie: Max-Age is counted from now (the third argument, default Date.now())", () => {
  const [withNow] = parseKnownHeader(K.SetCookieHeader, ["a=1; Max-Age=60"], 1_000) as NetworkCookie[];
  assert.equal(withNow.expires?.getTime(), 61_000);
  const before = Date.now();
  const [cooked] = parseKnownHeader(K.SetCookieHeader, ["a=1; Max-Age=60"]) as NetworkCookie[];
  assert.ok(cooked.expires !== undefined && cooked.expires.getTime() >= before + 60_000);
});

Deno.test("Set-Cookie round-trips through serialise and parse, one line per cookie", () => {
  const cookies: NetworkCookie[] = [
    { ...cookie("a", "1"), domain: ".example.com", path: "/", expires: new Date("2030-01-01T00:00:00Z") },
    { ...cookie("b", "2"), secure: true, sameSite: "None" },
  ];
  const lines = serializeKnownHeader(K.SetCookieHeader, cookies).split("\n");
  assert.deepEqual(parseKnownHeader(K.SetCookieHeader, lines, Date.UTC(2029, 0, 1)), cookies);
});
