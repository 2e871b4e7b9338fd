// parseStrictTransportSecurity / firstValidStrictTransportSecurity: the
// grammar of RFC 6797 §6.1 and the field choice of §8.1 (Qt's
// QHstsHeaderParser: the first valid field wins).

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  firstValidStrictTransportSecurity,
  MAX_HSTS_MAX_AGE,
  parseStrictTransportSecurity,
  type StrictTransportSecurity,
} from "../../src/core/strict_transport_security.ts";

/** A parse in one comparable line: `60` , `60 sub` or `invalid: <why>`. */
function show(parsed: StrictTransportSecurity): string {
  if (!parsed.valid) {
    return `invalid: ${parsed.reason.replace(/^Ignoring Strict-Transport-Security ".*?": /s, "")}`;
  }
  return `${parsed.maxAge}${parsed.includeSubDomains ? " sub" : ""}`;
}

const grammar: { field: string; expected: string; why?: string }[] = [
  // RFC 6797 §6.2 examples.
  { field: "max-age=31536000", expected: "31536000" },
  { field: "max-age=15768000 ; includeSubDomains", expected: "15768000 sub" },
  { field: 'max-age="31536000"', expected: "31536000", why: "§6.1.1: quoted-string value" },
  { field: "max-age=0", expected: "0", why: "§6.1.1: zero means forget the host" },
  { field: "max-age=0; includeSubDomains", expected: "0 sub" },
  // Case-insensitive names (§6.1 item 4).
  { field: "MAX-AGE=60", expected: "60" },
  { field: "Max-Age=60; INCLUDESUBDOMAINS", expected: "60 sub" },
  { field: "includesubdomains; max-age=60", expected: "60 sub", why: "order is free" },
  // Whitespace and empty directives.
  { field: "  max-age=60  ", expected: "60" },
  { field: "max-age = 60", expected: "60", why: "OWS around =" },
  { field: "\tmax-age=60\t;\tincludeSubDomains\t", expected: "60 sub" },
  { field: ";max-age=60;", expected: "60", why: "empty directives" },
  { field: "max-age=60;;; includeSubDomains", expected: "60 sub" },
  // Unknown directives are ignored (§6.1 item 3), with or without values.
  { field: "max-age=60; preload", expected: "60" },
  { field: 'max-age=60; foo=bar; baz="q;u,o\\"te"', expected: "60" },
  { field: 'max-age=60; x=""', expected: "60", why: "empty quoted-string" },
  { field: 'max-age="6\\0"', expected: "60", why: "quoted-pair unescapes" },
  { field: "max-age=060", expected: "60", why: "leading zeros are digits" },
  { field: "max-age=99999999999999999999", expected: String(MAX_HSTS_MAX_AGE), why: "clamped to 2^31" },
  { field: `max-age=${MAX_HSTS_MAX_AGE - 1}`, expected: String(MAX_HSTS_MAX_AGE - 1) },
  // max-age is required (§6.1.1).
  { field: "", expected: "invalid: max-age is missing" },
  { field: "   ", expected: "invalid: max-age is missing" },
  { field: ";", expected: "invalid: max-age is missing" },
  { field: "includeSubDomains", expected: "invalid: max-age is missing" },
  { field: "maxage=60", expected: "invalid: max-age is missing" },
  // Duplicates make the field invalid (§6.1 item 2), whatever the case.
  { field: "max-age=60; max-age=60", expected: 'invalid: directive "max-age" appears twice' },
  { field: "max-age=60; MAX-AGE=70", expected: 'invalid: directive "max-age" appears twice' },
  {
    field: "max-age=60; includeSubDomains; includesubdomains",
    expected: 'invalid: directive "includesubdomains" appears twice',
  },
  { field: "max-age=60; preload; preload", expected: 'invalid: directive "preload" appears twice' },
  // Bad max-age values.
  { field: "max-age", expected: "invalid: max-age has no value" },
  { field: "max-age=", expected: 'invalid: directive "max-age" has "=" but no value' },
  { field: "max-age=;", expected: 'invalid: unexpected ";" at offset 8' },
  { field: "max-age=-1", expected: 'invalid: max-age "-1" is not a number of seconds' },
  { field: "max-age=+1", expected: 'invalid: max-age "+1" is not a number of seconds' },
  { field: "max-age=1.5", expected: 'invalid: max-age "1.5" is not a number of seconds' },
  { field: "max-age=1e3", expected: 'invalid: max-age "1e3" is not a number of seconds' },
  { field: "max-age=abc", expected: 'invalid: max-age "abc" is not a number of seconds' },
  { field: 'max-age=""', expected: 'invalid: max-age "" is not a number of seconds' },
  { field: 'max-age=" 60"', expected: 'invalid: max-age " 60" is not a number of seconds' },
  // includeSubDomains is valueless (§6.1.2).
  {
    field: "max-age=60; includeSubDomains=yes",
    expected: 'invalid: includeSubDomains takes no value, got "yes"',
  },
  {
    field: 'max-age=60; includeSubDomains=""',
    expected: 'invalid: includeSubDomains takes no value, got ""',
  },
  // Syntax errors.
  { field: "max-age=60 includeSubDomains", expected: 'invalid: unexpected "i" at offset 11' },
  { field: "max-age=6 0", expected: 'invalid: unexpected "0" at offset 10' },
  { field: "max-age=60; =x", expected: 'invalid: expected a directive name at offset 12, found "="' },
  { field: "max-age=60; @", expected: 'invalid: expected a directive name at offset 12, found "@"' },
  { field: 'max-age="60', expected: "invalid: a quoted-string is not closed" },
  { field: 'max-age="60\\', expected: "invalid: a quoted-string is not closed" },
  { field: 'max-age="60"x', expected: 'invalid: unexpected "x" at offset 12' },
  {
    field: 'max-age=60; x="a\u0001"',
    expected: 'invalid: character "\\u0001" is not allowed in a quoted-string at offset 16',
  },
  {
    field: 'max-age=60; x="\\\u0001"',
    expected: 'invalid: character "\\u0001" cannot be escaped at offset 16',
  },
  { field: "max-age=60; x=a=b", expected: 'invalid: unexpected "=" at offset 15' },
  {
    field: "max-age=60, max-age=70",
    expected: 'invalid: unexpected "," at offset 10',
    why: "one line: no split",
  },
  { field: "max-age=6\u00e9", expected: 'invalid: unexpected "é" at offset 9' },
];

for (const { field, expected, why } of grammar) {
  Deno.test(`parseStrictTransportSecurity(${JSON.stringify(field)}) is ${expected}${why ? ` (${why})` : ""}`, () => {
    assert.equal(show(parseStrictTransportSecurity(field)), expected);
  });
}

Deno.test("parseStrictTransportSecurity: the reason quotes the whole field", () => {
  assert.deepEqual(parseStrictTransportSecurity("max-age=x"), {
    valid: false,
    reason: 'Ignoring Strict-Transport-Security "max-age=x": max-age "x" is not a number of seconds',
  });
});

Deno.test("parseStrictTransportSecurity: a non-string is invalid, not an exception", () => {
  assert.deepEqual(parseStrictTransportSecurity(undefined as unknown as string), {
    valid: false,
    reason: "Ignoring Strict-Transport-Security undefined: not a string",
  });
});

Deno.test("parseStrictTransportSecurity: a valid result has exactly maxAge and includeSubDomains", () => {
  assert.deepEqual(parseStrictTransportSecurity("max-age=5; includeSubDomains; preload"), {
    valid: true,
    maxAge: 5,
    includeSubDomains: true,
  });
});

Deno.test("parseStrictTransportSecurity never throws and returns a maxAge within [0, 2^31]", () => {
  const alphabet = fc.constantFrom(...'max-ge=0123456789;"\\ \t,includeSubDomains=\u00ff\u0001'.split(""));
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join("")), (field) => {
      const parsed = parseStrictTransportSecurity(field);
      if (parsed.valid) {
        assert.ok(Number.isInteger(parsed.maxAge) && parsed.maxAge >= 0 && parsed.maxAge <= MAX_HSTS_MAX_AGE);
      } else {
        assert.ok(parsed.reason.startsWith(`Ignoring Strict-Transport-Security ${JSON.stringify(field)}: `));
      }
    }),
    { seed: 6797, numRuns: 300 },
  );
});

Deno.test("parseStrictTransportSecurity: any max-age, quoted or not, with any directive case", () => {
  fc.assert(
    fc.property(fc.nat(), fc.boolean(), fc.boolean(), fc.boolean(), (age, quoted, sub, upper) => {
      const value = quoted ? `"${age}"` : String(age);
      let field = `max-age=${value}${sub ? "; includeSubDomains" : ""}`;
      if (upper) field = field.toUpperCase();
      assert.deepEqual(parseStrictTransportSecurity(field), {
        valid: true,
        maxAge: Math.min(age, MAX_HSTS_MAX_AGE),
        includeSubDomains: sub,
      });
    }),
    { seed: 616, numRuns: 100 },
  );
});

const fieldLists: { fields: string | string[]; expected: string; why: string }[] = [
  { fields: [], expected: "invalid: No Strict-Transport-Security field", why: "no field" },
  {
    fields: ["max-age=60", "max-age=70; includeSubDomains"],
    expected: "60",
    why: "the first field only (§8.1)",
  },
  { fields: ["max-age=x", "max-age=70"], expected: "70", why: "an invalid field is skipped, as Qt does" },
  { fields: ["includeSubDomains", "max-age=70"], expected: "70", why: "a field without max-age is invalid" },
  {
    fields: ["max-age=1; max-age=1", "max-age=70"],
    expected: "70",
    why: "a field with a duplicate is skipped",
  },
  { fields: "max-age=60, max-age=70", expected: "60", why: "fetch-joined lines are split again" },
  { fields: "max-age=x, max-age=70; includeSubDomains", expected: "70 sub", why: "joined, first invalid" },
  { fields: 'max-age="6,0", max-age=70', expected: "70", why: "a comma inside quotes does not split" },
  { fields: 'x="a\\",b"; max-age=5, max-age=70', expected: "5", why: "an escaped quote stays quoted" },
  { fields: "max-age=0, max-age=70", expected: "0", why: "max-age=0 is valid and wins" },
  {
    fields: ["max-age=x", "max-age=y"],
    expected: 'invalid: max-age "x" is not a number of seconds',
    why: "none valid: the first reason",
  },
];

for (const { fields, expected, why } of fieldLists) {
  Deno.test(`firstValidStrictTransportSecurity(${JSON.stringify(fields)}) is ${expected} (${why})`, () => {
    assert.equal(show(firstValidStrictTransportSecurity(fields)), expected);
  });
}

Deno.test("firstValidStrictTransportSecurity: no field has a reason of its own", () => {
  assert.deepEqual(firstValidStrictTransportSecurity([]), {
    valid: false,
    reason: "No Strict-Transport-Security field",
  });
});
