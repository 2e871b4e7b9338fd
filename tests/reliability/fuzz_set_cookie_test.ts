/**
 * Fuzzing of the Set-Cookie parser (src/core/set_cookie.ts, RFC 6265bis
 * §5.6–§5.7): any line, near the grammar or not, is read into a cookie
 * without control characters and within the size limits, or ignored with a
 * reason, never an exception; and a cookie written as a Set-Cookie line
 * (serializeKnownHeader, Qt's toRawForm) reads back as itself.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { KnownHeader } from "../../src/core/known_header.ts";
import { serializeKnownHeader } from "../../src/core/known_header_values.ts";
import type { NetworkCookie } from "../../src/core/network_cookie.ts";
import {
  COOKIE_AGE_LIMIT_MS,
  MAX_NAME_VALUE_OCTETS,
  parseSetCookie,
  readSetCookie,
} from "../../src/core/set_cookie.ts";
import { fuzzParameters, nearGrammar, withinHangLimit } from "./_fuzz.ts";

const NOW = Date.UTC(2026, 11, 2, 4, 5, 6);
const encoder = new TextEncoder();

const SAMPLES = [
  "id=42",
  "SID=31d4d96e407aad42; Path=/; Secure; HttpOnly",
  "lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Domain=.Example.com; SameSite=Strict",
  "a=b; Max-Age=-1; Path=docs; SameSite=None; Secure",
  "=value-only; Domain=; Max-Age=99999999999999999999",
  "__Host-x=1; Path=/; Secure",
];
const line = nearGrammar(
  SAMPLES,
  '=;,. \t"abcXYZ019-/_\u00e9\u20acPathDomainExpiresMax-AgeSecureHttpOnlySameSite',
  120,
);
const requestUrl = fc.constantFrom(
  "http://example.com/docs/page",
  "https://www.example.com/",
  "http://127.0.0.1:8080/a/b/",
  "https://[::1]/x",
  "http://localhost/",
).map((href) => new URL(href));

/** Asserts what every stored or read cookie keeps to (RFC 6265bis §5.6). */
function assertCleanCookie(cookie: NetworkCookie): void {
  // deno-lint-ignore no-control-regex
  const control = /[\x00-\x08\x0a-\x1f\x7f]/;
  for (const text of [cookie.name, cookie.value, cookie.domain, cookie.path]) {
    assert.doesNotMatch(text, control);
  }
  assert.ok(encoder.encode(cookie.name + cookie.value).length <= MAX_NAME_VALUE_OCTETS);
  assert.ok(cookie.name !== "" || cookie.value !== "");
  if (cookie.expires !== undefined) {
    assert.ok(cookie.expires.getTime() >= 0 && cookie.expires.getTime() <= NOW + COOKIE_AGE_LIMIT_MS);
  }
  assert.ok(["Default", "None", "Lax", "Strict"].includes(cookie.sameSite));
}

Deno.test("fuzz Set-Cookie: any line is read into a clean cookie or ignored with a reason, never thrown", () => {
  fc.assert(
    fc.property(
      line,
      requestUrl,
      withinHangLimit((text, url) => {
        const read = readSetCookie(text, NOW);
        if (read.ok) assertCleanCookie(read.cookie);
        else assert.match(read.reason, /^Set-Cookie ignored: /);
        const parsed = parseSetCookie(text, url, NOW);
        if (parsed.ok) {
          assertCleanCookie(parsed.cookie);
          assert.ok(parsed.cookie.path.startsWith("/"), parsed.cookie.path);
        } else assert.match(parsed.reason, /^(Set-Cookie ignored|Cookie ".*" rejected): /s);
      }),
    ),
    fuzzParameters(0x6265, 14_000),
  );
});

const TCHARS_NO_EQUALS = "!#$%&'*+-.^_`|~0123456789abcXYZ";
const COOKIE_OCTETS = "!#$%&'()*+-./0123456789:<>?@ABCXYZ[]^_`abcxyz{|}~";
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const generatedCookie: fc.Arbitrary<NetworkCookie> = fc.record({
  name: fc.string({ unit: fc.constantFrom(...TCHARS_NO_EQUALS), minLength: 1, maxLength: 16 }),
  value: fc.string({ unit: fc.constantFrom(...COOKIE_OCTETS), maxLength: 24 }),
  domain: fc.oneof(
    fc.constant(""),
    fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => `.${l.join(".")}`),
  ),
  path: fc.oneof(fc.constant(""), fc.stringMatching(/^\/[a-zA-Z0-9/._~%-]{0,20}$/)),
  expires: fc.option(
    fc.integer({ min: 1, max: Math.floor((NOW + COOKIE_AGE_LIMIT_MS) / 1000) }).map((s) =>
      new Date(s * 1000)
    ),
    { nil: undefined },
  ),
  secure: fc.boolean(),
  httpOnly: fc.boolean(),
  sameSite: fc.constantFrom("Default" as const, "None" as const, "Lax" as const, "Strict" as const),
}).map(({ expires, ...cookie }) => expires === undefined ? cookie : { ...cookie, expires });

Deno.test("fuzz Set-Cookie: a cookie written as a Set-Cookie line reads back as itself", () => {
  fc.assert(
    fc.property(
      generatedCookie,
      withinHangLimit((cookie) => {
        const written = serializeKnownHeader(KnownHeader.SetCookieHeader, [cookie]);
        const read = readSetCookie(written, NOW);
        assert.ok(read.ok, written);
        assert.deepEqual(read.cookie, cookie);
        assert.equal(read.pathGiven, cookie.path !== "");
      }),
    ),
    fuzzParameters(0x1511, 6_000),
  );
});
