/**
 * Fuzzing of the known-header values (src/core/known_header_values.ts, with
 * the HTTP-date parser beneath it): any received field values give the cooked
 * type of their header or `undefined`, never an exception; any value handed
 * to serializeKnownHeader gives a field value HttpHeaders accepts or a
 * TypeError naming the header; and a valid cooked value serialises and
 * parses back to itself.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { KnownHeader } from "../../src/core/known_header.ts";
import {
  knownHeaderName,
  parseKnownHeader,
  serializeKnownHeader,
} from "../../src/core/known_header_values.ts";
import { fuzzParameters, nearGrammar, textFrom, withinHangLimit } from "./_fuzz.ts";

const KINDS = Object.values(KnownHeader);
const NOW = Date.UTC(2026, 11, 2);

/** Whether `value` has the cooked type of `kind` (README's table of known headers). */
function hasCookedType(kind: KnownHeader, value: unknown): boolean {
  switch (kind) {
    case KnownHeader.ContentLengthHeader:
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
    case KnownHeader.LocationHeader:
      return value instanceof URL;
    case KnownHeader.LastModifiedHeader:
    case KnownHeader.IfModifiedSinceHeader:
      return value instanceof Date && !Number.isNaN(value.getTime());
    case KnownHeader.IfMatchHeader:
    case KnownHeader.IfNoneMatchHeader:
      return Array.isArray(value) && value.every((tag) => typeof tag === "string");
    case KnownHeader.CookieHeader:
    case KnownHeader.SetCookieHeader:
      return Array.isArray(value) && value.every((cookie) => typeof cookie.name === "string");
    default:
      return typeof value === "string";
  }
}

// Field values near each header's grammar, then mutated.
const SAMPLES = [
  "123",
  " 3, 3 ",
  "https://example.test/a?b#c",
  "/relative",
  "Sun, 06 Nov 1994 08:49:37 GMT",
  "Sunday, 06-Nov-94 08:49:37 GMT",
  "Sun Nov  6 08:49:37 1994",
  '"xyzzy"',
  'W/"a", "b,c", *',
  "a=1; b=2; c",
  "id=7; Path=/app; Domain=.example.test; Max-Age=60; Secure; HttpOnly; SameSite=Lax\nother=1",
  "text/html; charset=utf-8",
];
const fieldValue = nearGrammar(SAMPLES, '0123456789,;= \t"/:WGMTSunNovabc.-', 60);

Deno.test("fuzz parseKnownHeader: any field values give the header's cooked type or undefined", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...KINDS),
      fc.array(fieldValue, { maxLength: 3 }),
      withinHangLimit((kind, values) => {
        const cooked = parseKnownHeader(kind, values, NOW);
        if (cooked !== undefined) {
          assert.ok(hasCookedType(kind, cooked), `${knownHeaderName(kind)}: ${cooked}`);
        } else assert.ok(values.length > 0 || kind >= 0);
      }),
    ),
    fuzzParameters(0x4e4, 15_000),
  );
});

Deno.test("fuzz serializeKnownHeader: any value gives a field value HttpHeaders accepts or a TypeError naming the header", () => {
  const value = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fieldValue,
    fc.date(),
    fc.array(fieldValue, { maxLength: 3 }),
    fc.array(fc.record({ name: fieldValue, value: fieldValue }), { maxLength: 3 }),
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...KINDS),
      value,
      withinHangLimit((kind, input) => {
        const name = knownHeaderName(kind);
        let field: string;
        try {
          field = serializeKnownHeader(kind, input);
        } catch (error) {
          assert.ok(error instanceof TypeError, String(error));
          assert.ok(error.message.startsWith(`Cannot set header "${name}": `), error.message);
          return;
        }
        // Set-Cookie: one field per line.
        for (const line of kind === KnownHeader.SetCookieHeader ? field.split("\n") : [field]) {
          new HttpHeaders().append(name, line);
        }
      }),
    ),
    fuzzParameters(0x5e7, 12_000),
  );
});

const entityTagChars = "!#$%&'()*+-./0123456789:;<=>?@ABCXYZ[]^_`abcxyz{|}~\u0080\u00ff";
const strongTag = fc.string({ unit: fc.constantFrom(...entityTagChars), maxLength: 12 }).map((tag) =>
  `"${tag}"`
);
const anyTag = fc.tuple(fc.boolean(), strongTag).map(([weak, tag]) => weak ? `W/${tag}` : tag);
const cookieOctets = "!#$%&'()*+-./0123456789:<>?@ABCXYZ[]^_`abcxyz{|}~";
const cookiePair = fc.record({
  name: fc.string({
    unit: fc.constantFrom(..."!#$%&'*+-.^_`|~0123456789abcXYZ"),
    minLength: 1,
    maxLength: 10,
  }),
  value: fc.string({ unit: fc.constantFrom(...cookieOctets), maxLength: 12 }),
});

/** Valid cooked values and what parsing their serialised form gives back. */
const roundTrips: fc.Arbitrary<{ kind: KnownHeader; value: unknown; back: unknown }> = fc.oneof(
  fc.oneof(fc.nat(), fc.maxSafeNat()).map((n) => ({
    kind: KnownHeader.ContentLengthHeader,
    value: n,
    back: n,
  })),
  fc.webUrl({ withQueryParameters: true, withFragments: true }).map((href) => {
    const url = new URL(href);
    return { kind: KnownHeader.LocationHeader, value: url, back: url };
  }),
  fc.tuple(
    fc.constantFrom(KnownHeader.LastModifiedHeader, KnownHeader.IfModifiedSinceHeader),
    fc.integer({ min: Date.UTC(1970, 0, 1) / 1000, max: Date.UTC(9999, 11, 31) / 1000 }),
  ).map(([kind, seconds]) => ({ kind, value: new Date(seconds * 1000), back: new Date(seconds * 1000) })),
  strongTag.map((tag) => ({ kind: KnownHeader.ETagHeader, value: tag, back: tag })),
  fc.array(strongTag, { minLength: 1, maxLength: 5 })
    .map((tags) => ({ kind: KnownHeader.IfMatchHeader, value: tags, back: tags })),
  fc.array(anyTag, { minLength: 1, maxLength: 5 })
    .map((tags) => ({ kind: KnownHeader.IfNoneMatchHeader, value: tags, back: tags })),
  fc.array(cookiePair, { minLength: 1, maxLength: 5 }).map((pairs) => {
    const cookies = pairs.map((pair) => ({
      ...pair,
      domain: "",
      path: "",
      secure: false,
      httpOnly: false,
      sameSite: "Default",
    }));
    return { kind: KnownHeader.CookieHeader, value: cookies, back: cookies };
  }),
  fc.tuple(
    fc.constantFrom(
      KnownHeader.ContentTypeHeader,
      KnownHeader.ContentDispositionHeader,
      KnownHeader.UserAgentHeader,
      KnownHeader.ServerHeader,
    ),
    textFrom("!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\u00e9\u20ac", 40),
  ).map(([kind, text]) => ({ kind, value: text, back: text })),
);

Deno.test("fuzz known headers: a valid cooked value serialises and parses back to itself", () => {
  fc.assert(
    fc.property(
      roundTrips,
      withinHangLimit(({ kind, value, back }) => {
        assert.deepEqual(parseKnownHeader(kind, [serializeKnownHeader(kind, value)], NOW), back);
      }),
    ),
    fuzzParameters(0x2616, 10_000),
  );
});
