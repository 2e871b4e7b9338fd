/**
 * Fuzzing of the Strict-Transport-Security parser
 * (src/core/strict_transport_security.ts, RFC 6797 §6.1): any field value is
 * a policy with a max-age in [0, 2^31] or ignored with a reason naming the
 * field, never an exception; and any valid field (directives in any order and
 * case, quoted or not, unknown ones, empty ones, spaces) reads back as what
 * it says, also as one of several fields joined with commas.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  firstValidStrictTransportSecurity,
  MAX_HSTS_MAX_AGE,
  parseStrictTransportSecurity,
} from "../../src/core/strict_transport_security.ts";
import { fuzzParameters, nearGrammar, randomCase, token, withinHangLimit } from "./_fuzz.ts";

const SAMPLES = [
  "max-age=31536000; includeSubDomains; preload",
  'MAX-AGE="0"',
  "max-age=99999999999999999999 ; includesubdomains",
  'max-age=60; ext="a;b,c\\"d"',
  ";;max-age=5;;",
];
const field = nearGrammar(SAMPLES, 'max-ge=0123456789;"\\ \t,includeSubDomains=', 80);

Deno.test("fuzz Strict-Transport-Security: any field is a bounded policy or ignored with a reason", () => {
  fc.assert(
    fc.property(
      fc.array(field, { minLength: 1, maxLength: 3 }),
      withinHangLimit((fields) => {
        const parsed = parseStrictTransportSecurity(fields[0]);
        if (parsed.valid) {
          assert.ok(
            Number.isInteger(parsed.maxAge) && parsed.maxAge >= 0 && parsed.maxAge <= MAX_HSTS_MAX_AGE,
          );
          assert.equal(typeof parsed.includeSubDomains, "boolean");
        } else {
          assert.ok(
            parsed.reason.startsWith(`Ignoring Strict-Transport-Security ${JSON.stringify(fields[0])}: `),
          );
        }
        const first = firstValidStrictTransportSecurity(fields);
        if (parsed.valid) assert.deepEqual(first, parsed);
        else if (first.valid) assert.ok(first.maxAge <= MAX_HSTS_MAX_AGE);
        else assert.ok(first.reason.startsWith("Ignoring Strict-Transport-Security "));
      }),
    ),
    fuzzParameters(0x6797, 8_000),
  );
});

const ows = fc.constantFrom("", " ", "\t", "  \t ");
const quotedString = fc.string({ unit: fc.constantFrom(...' \t!#az09;,="\\\u00e9'), maxLength: 10 })
  .map((text) => `"${text.replace(/["\\]/g, "\\$&")}"`);
const unknownDirective = fc.tuple(
  token(10).filter((name) => !["max-age", "includesubdomains"].includes(name.toLowerCase())),
  fc.option(fc.oneof(token(8), quotedString), { nil: undefined }),
);

/** A valid field and the policy it sets. */
const validField = fc.record({
  maxAge: fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 10n ** 30n })),
  quoted: fc.boolean(),
  maxAgeName: randomCase("max-age"),
  includeSubDomains: fc.option(randomCase("includeSubDomains"), { nil: undefined }),
  unknown: fc.uniqueArray(unknownDirective, { maxLength: 3, selector: ([name]) => name.toLowerCase() }),
  spaces: fc.array(ows, { minLength: 16, maxLength: 16 }),
  emptyDirectives: fc.array(fc.nat(2), { minLength: 8, maxLength: 8 }),
  order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
}).map((g) => {
  const age = g.quoted ? `"${g.maxAge}"` : String(g.maxAge);
  const directives = [`${g.maxAgeName}${g.spaces[0]}=${g.spaces[1]}${age}`];
  if (g.includeSubDomains !== undefined) directives.push(g.includeSubDomains);
  for (const [name, value] of g.unknown) directives.push(value === undefined ? name : `${name}=${value}`);
  // Shuffle by the generated keys, then separate with ";", some empty directives and spaces.
  const shuffled = directives.map((d, i) => [g.order[i], d] as const).sort((a, b) => a[0] - b[0]).map((
    [, d],
  ) => d);
  const text = shuffled.map((d, i) =>
    `${g.spaces[2 + i]}${d}${g.spaces[8 + i]}${";".repeat(g.emptyDirectives[i])}`
  )
    .join(";");
  const maxAge = Number(BigInt(g.maxAge) > BigInt(MAX_HSTS_MAX_AGE) ? MAX_HSTS_MAX_AGE : g.maxAge);
  return { text, policy: { valid: true, maxAge, includeSubDomains: g.includeSubDomains !== undefined } };
});

Deno.test("fuzz Strict-Transport-Security: a valid field reads back as its policy, alone or joined after invalid ones", () => {
  fc.assert(
    fc.property(
      validField,
      fc.array(fc.constantFrom("max-age=x", "includeSubDomains", "max-age=1; max-age=2", ""), {
        maxLength: 2,
      }),
      withinHangLimit(({ text, policy }, invalidBefore) => {
        assert.deepEqual(parseStrictTransportSecurity(text), policy);
        assert.deepEqual(firstValidStrictTransportSecurity([...invalidBefore, text].join(", ")), policy);
      }),
    ),
    fuzzParameters(0x616, 6_000),
  );
});
