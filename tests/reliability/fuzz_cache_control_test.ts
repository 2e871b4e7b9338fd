/**
 * Fuzzing of the Cache-Control parser (src/core/cache_control.ts, RFC 9111
 * §5.2): any field values give directives with lower-case token names and
 * delta-seconds in [0, 2^31] (max-stale may be unbounded), never an
 * exception; and generated directives, written in any case with quoted or
 * token arguments and list noise, read back as what they say.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { type CacheControl, MAX_DELTA_SECONDS, parseCacheControl } from "../../src/core/cache_control.ts";
import { FLAG_DIRECTIVES } from "../core/_cache_directives.ts";
import { fuzzParameters, nearGrammar, randomCase, token, withinHangLimit } from "./_fuzz.ts";

const SAMPLES = [
  "max-age=600, must-revalidate",
  'no-cache="Set-Cookie, X-Y", private',
  "max-stale, min-fresh=10, only-if-cached",
  's-maxage="99999999999999", stale-while-revalidate=30, stale-if-error=60',
  "no-store,,, public , immutable",
];
const fieldValue = nearGrammar(SAMPLES, 'max-agestlno-cache=0123456789,"\\ \t;', 80);

const SECONDS_FIELDS = ["maxAge", "sMaxAge", "minFresh", "staleWhileRevalidate", "staleIfError"] as const;

Deno.test("fuzz Cache-Control: any field values give token directives and bounded seconds", () => {
  fc.assert(
    fc.property(
      fc.array(fieldValue, { maxLength: 3 }),
      withinHangLimit((lines) => {
        const parsed = parseCacheControl(lines);
        for (const directive of parsed.directives) {
          assert.match(directive.name, /^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
          assert.ok(directive.argument === undefined || typeof directive.argument === "string");
        }
        for (const field of SECONDS_FIELDS) {
          const seconds = parsed[field];
          assert.ok(
            seconds === undefined ||
              (Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_DELTA_SECONDS),
          );
        }
        const maxStale = parsed.maxStale;
        assert.ok(
          maxStale === undefined || maxStale === Infinity || (Number.isInteger(maxStale) && maxStale >= 0),
        );
      }),
    ),
    fuzzParameters(0x9111, 14_000),
  );
});

const FLAGS = FLAG_DIRECTIVES;
const SECONDS = {
  "max-age": "maxAge",
  "s-maxage": "sMaxAge",
  "max-stale": "maxStale",
  "min-fresh": "minFresh",
  "stale-while-revalidate": "staleWhileRevalidate",
  "stale-if-error": "staleIfError",
} as const;

const seconds = fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 10n ** 25n }));
type Directive = { text: string; name: string; seconds?: bigint | number };
const directive: fc.Arbitrary<Directive> = fc.oneof(
  fc.constantFrom(...Object.keys(FLAGS)).chain((name) => randomCase(name).map((text) => ({ text, name }))),
  fc.tuple(fc.constantFrom(...Object.keys(SECONDS)), seconds, fc.boolean()).chain(([name, n, quoted]) =>
    randomCase(name).map((text) => ({ text: `${text}=${quoted ? `"${n}"` : n}`, name, seconds: n }))
  ),
  fc.tuple(token(10), fc.option(token(8), { nil: undefined })).filter(([name]) =>
    !(name.toLowerCase() in FLAGS) && !(name.toLowerCase() in SECONDS)
  ).map(([name, value]) => ({
    text: value === undefined ? name : `${name}=${value}`,
    name: name.toLowerCase(),
  })),
);

/** What a private cache reads from `directives`: flags anywhere, seconds from the first of each. */
function expected(directives: readonly Directive[]): Partial<CacheControl> {
  const out: Record<string, unknown> = Object.fromEntries(Object.values(FLAGS).map((flag) => [flag, false]));
  for (const key of Object.values(SECONDS)) out[key] = undefined;
  const seen = new Set<string>();
  for (const d of directives) {
    if (d.name in FLAGS) out[FLAGS[d.name as keyof typeof FLAGS]] = true;
    if (d.name in SECONDS && !seen.has(d.name)) {
      seen.add(d.name);
      const n = BigInt(d.seconds!);
      out[SECONDS[d.name as keyof typeof SECONDS]] = Number(
        n > BigInt(MAX_DELTA_SECONDS) ? MAX_DELTA_SECONDS : n,
      );
    }
  }
  return out;
}

Deno.test("fuzz Cache-Control: generated directives read back as what they say", () => {
  fc.assert(
    fc.property(
      fc.array(directive, { maxLength: 8 }),
      fc.constantFrom(",", ", ", " ,\t", ",,", " , , "),
      fc.boolean(),
      withinHangLimit((directives, separator, split) => {
        const text = directives.map((d) => d.text);
        const parsed = parseCacheControl(split ? text : text.join(separator));
        const { directives: _, ...fields } = parsed;
        assert.deepEqual(fields, expected(directives));
        assert.deepEqual(parsed.directives.map((d) => d.name), directives.map((d) => d.name));
      }),
    ),
    fuzzParameters(0x5861, 6_000),
  );
});
