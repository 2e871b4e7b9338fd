import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type CacheControl,
  MAX_DELTA_SECONDS,
  parseCacheControl,
  parseDeltaSeconds,
} from "../../src/core/cache_control.ts";
import { FLAG_DIRECTIVES } from "./_cache_directives.ts";

Deno.test("parseDeltaSeconds reads 1*DIGIT and caps at 2^31 (RFC 9111 §1.2.2)", () => {
  const cases: [string | undefined, number | undefined][] = [
    ["0", 0],
    ["60", 60],
    ["003600", 3600],
    ["2147483647", 2147483647],
    ["2147483648", MAX_DELTA_SECONDS],
    ["2147483649", MAX_DELTA_SECONDS],
    ["9".repeat(400), MAX_DELTA_SECONDS],
    ["", undefined],
    ["-1", undefined],
    ["+1", undefined],
    ["1.0", undefined],
    ["1e3", undefined],
    [" 1", undefined],
    ["1 ", undefined],
    ["0x10", undefined],
    ["'60'", undefined],
    ["٣", undefined],
    [undefined, undefined],
  ];
  for (const [text, expected] of cases) {
    assert.equal(parseDeltaSeconds(text), expected, JSON.stringify(text));
  }
  assert.equal(MAX_DELTA_SECONDS, 2147483648);
});

// Each row: field lines → the directives list; other fields checked below.
const directiveCases: { lines: string | string[]; directives: [string, string | undefined, boolean?][] }[] = [
  { lines: "", directives: [] },
  { lines: " , ,\t,", directives: [] },
  { lines: "no-store", directives: [["no-store", undefined]] },
  { lines: "NO-STORE", directives: [["no-store", undefined]] },
  { lines: "Max-Age=60", directives: [["max-age", "60"]] },
  { lines: "max-age=60 , no-cache", directives: [["max-age", "60"], ["no-cache", undefined]] },
  { lines: 'max-age="60"', directives: [["max-age", "60"]] },
  { lines: 'no-cache="Set-Cookie, X-Foo"', directives: [["no-cache", "Set-Cookie, X-Foo"]] },
  { lines: 'private="a\\"b", public', directives: [["private", 'a"b'], ["public", undefined]] },
  { lines: 'ext="a,b", max-age=1', directives: [["ext", "a,b"], ["max-age", "1"]] },
  { lines: "max-age=", directives: [["max-age", ""]] },
  { lines: "max-age =60", directives: [["max-age", undefined, true]] },
  { lines: "max-age= 60", directives: [["max-age", undefined, true]] },
  { lines: "max-age=6 0, public", directives: [["max-age", undefined, true], ["public", undefined]] },
  { lines: 'max-age="60', directives: [["max-age", undefined, true]] },
  { lines: 'a="x"y, b', directives: [["a", undefined, true], ["b", undefined]] },
  { lines: '=60, "max-age=5", max-age=7', directives: [["max-age", "7"]] },
  { lines: "{junk}, no-store", directives: [["no-store", undefined]] },
  { lines: ["max-age=1", "no-store"], directives: [["max-age", "1"], ["no-store", undefined]] },
  {
    lines: ['ext="unterminated, max-age=5', "max-age=9"],
    directives: [["ext", undefined, true], [
      "max-age",
      "9",
    ]],
  },
];

Deno.test("parseCacheControl lists directives: case-insensitive names, token or quoted-string arguments", () => {
  for (const { lines, directives } of directiveCases) {
    const expected = directives.map(([name, argument, malformed]) => ({
      name,
      argument,
      malformed: malformed ?? false,
    }));
    assert.deepEqual(parseCacheControl(lines).directives, expected, JSON.stringify(lines));
  }
});

const noDirectives: CacheControl = {
  directives: [],
  maxAge: undefined,
  sMaxAge: undefined,
  maxStale: undefined,
  minFresh: undefined,
  staleWhileRevalidate: undefined,
  staleIfError: undefined,
  noCache: false,
  noStore: false,
  noTransform: false,
  onlyIfCached: false,
  mustRevalidate: false,
  proxyRevalidate: false,
  mustUnderstand: false,
  private: false,
  public: false,
  immutable: false,
};

Deno.test("parseCacheControl of nothing has no directive set", () => {
  assert.deepEqual(parseCacheControl(""), noDirectives);
  assert.deepEqual(parseCacheControl([]), noDirectives);
});

Deno.test("parseCacheControl sets every boolean directive, with or without an argument", () => {
  const booleans = FLAG_DIRECTIVES;
  for (const [name, field] of Object.entries(booleans)) {
    for (const text of [name, name.toUpperCase(), `${name}="x"`, `${name}=1`, `${name} =1`]) {
      const cc = parseCacheControl(`foo, ${text}, bar`);
      assert.equal(cc[field], true, text);
      for (const other of Object.values(booleans)) {
        if (other !== field) assert.equal(cc[other], false, `${text} sets ${other}`);
      }
    }
  }
});

Deno.test("parseCacheControl reads delta-seconds directives (RFC 9111 §5.2, RFC 5861)", () => {
  const cases: [string | string[], keyof CacheControl, number | undefined][] = [
    ["max-age=60", "maxAge", 60],
    ["max-age=0", "maxAge", 0],
    ['max-age="3600"', "maxAge", 3600],
    ["max-age=99999999999", "maxAge", MAX_DELTA_SECONDS],
    // Invalid freshness information ⇒ stale (RFC 9111 §4.2.1).
    ["max-age", "maxAge", 0],
    ["max-age=", "maxAge", 0],
    ["max-age=-1", "maxAge", 0],
    ["max-age=a3600", "maxAge", 0],
    ["max-age=3600a", "maxAge", 0],
    ["max-age=3600.0", "maxAge", 0],
    ["max-age=3600.5", "maxAge", 0],
    ["max-age='3600'", "maxAge", 0],
    ["max-age =3600", "maxAge", 0],
    ["max-age= 3600", "maxAge", 0],
    // Duplicates: the first occurrence (RFC 9111 §4.2.1).
    ["max-age=1800, max-age=1", "maxAge", 1800],
    ["max-age=1, max-age=1800", "maxAge", 1],
    [["max-age=1800", "max-age=1"], "maxAge", 1800],
    [["max-age=1", "max-age=1800"], "maxAge", 1],
    [["max-age=x", "max-age=1800"], "maxAge", 0],
    ["s-maxage=10", "sMaxAge", 10],
    ["s-maxage=ten", "sMaxAge", 0],
    ["max-stale", "maxStale", Infinity],
    ["max-stale=30", "maxStale", 30],
    ['max-stale="30"', "maxStale", 30],
    ["max-stale=abc", "maxStale", undefined],
    ["max-stale =30", "maxStale", undefined],
    ["min-fresh=20", "minFresh", 20],
    ["min-fresh", "minFresh", undefined],
    ["min-fresh=2.5", "minFresh", undefined],
    ["stale-while-revalidate=86400", "staleWhileRevalidate", 86400],
    ["stale-while-revalidate", "staleWhileRevalidate", undefined],
    ["stale-if-error=60", "staleIfError", 60],
    ["stale-if-error=x", "staleIfError", undefined],
    ["public", "maxAge", undefined],
  ];
  for (const [lines, field, expected] of cases) {
    assert.equal(parseCacheControl(lines)[field], expected, `${JSON.stringify(lines)} ${field}`);
  }
});

Deno.test("parseCacheControl: RFC 9111 examples", () => {
  // §5.2.2.4 and §5.2.2.7: the qualified forms are quoted field-name lists.
  const qualified = parseCacheControl('private, community="UCI"');
  assert.equal(qualified.private, true);
  assert.deepEqual(qualified.directives[1], { name: "community", argument: "UCI", malformed: false });
  // §5.2.3: the unknown extension changes nothing else.
  assert.deepEqual({ ...qualified, directives: [] }, { ...noDirectives, private: true });
  // RFC 8246 §2's example.
  const immutable = parseCacheControl("max-age=31536000, immutable");
  assert.equal(immutable.maxAge, 31536000);
  assert.equal(immutable.immutable, true);
});

Deno.test("cache-tests cc-parse: the directive each case's cache must use", () => {
  const cases: [id: string, lines: string | string[], maxAge: number][] = [
    ["freshness-max-age-two-fresh-stale-sameline", "max-age=1800, max-age=1", 1800],
    ["freshness-max-age-two-fresh-stale-sepline", ["max-age=1800", "max-age=1"], 1800],
    ["freshness-max-age-two-stale-fresh-sameline", "max-age=1, max-age=1800", 1],
    ["freshness-max-age-two-stale-fresh-sepline", ["max-age=1", "max-age=1800"], 1],
    ["freshness-max-age-ignore-quoted", 'extension="max-age=3600", max-age=1', 1],
    ["freshness-max-age-ignore-quoted-rev", 'max-age=1, extension="max-age=3600"', 1],
    ["freshness-max-age-quoted", 'max-age="3600"', 3600],
    ["freshness-max-age-space-before-equals", "max-age =3600", 0],
    ["freshness-max-age-space-after-equals", "max-age= 3600", 0],
    ["freshness-max-age-leading-zero", "max-age=003600", 3600],
    ["freshness-max-age-single-quoted", "max-age='3600'", 0],
    ["freshness-max-age-decimal-zero", "max-age=3600.0", 0],
    ["freshness-max-age-decimal-five", "max-age=3600.5", 0],
    ["freshness-max-age-a100", "max-age=a3600", 0],
    ["freshness-max-age-100a", "max-age=3600a", 0],
  ];
  for (const [id, lines, maxAge] of cases) assert.equal(parseCacheControl(lines).maxAge, maxAge, id);
});

Deno.test("parseCacheControl rejects what is not a string with a clear message", () => {
  assert.throws(() => parseCacheControl(42 as unknown as string), {
    name: "TypeError",
    message: "Cannot parse Cache-Control: expected a string or strings, got number",
  });
  assert.throws(() => parseCacheControl(null as unknown as string), {
    name: "TypeError",
    message: "Cannot parse Cache-Control: expected a string or strings, got null",
  });
  assert.throws(() => parseCacheControl(["max-age=1", 7 as unknown as string]), {
    name: "TypeError",
    message: "Cannot parse Cache-Control: a field value must be a string, got number",
  });
});

Deno.test("parseCacheControl never throws on a string and keeps lines independent", () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }), (lines) => {
      const all = parseCacheControl(lines);
      const oneByOne = lines.flatMap((line) => parseCacheControl(line).directives);
      assert.deepEqual(all.directives, oneByOne);
      for (const d of all.directives) assert.match(d.name, /^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
    }),
    { seed: 9111, numRuns: 200 },
  );
});

Deno.test("parseCacheControl round-trips generated directives", () => {
  const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
  const argument = fc.oneof(
    fc.constant(undefined),
    fc.stringMatching(/^[0-9a-z]{1,6}$/),
    fc.string({ maxLength: 8 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(token, argument), { maxLength: 5 }), (pairs) => {
      const text = pairs.map(([name, arg]) =>
        arg === undefined
          ? name
          : /^[0-9a-z]+$/.test(arg)
          ? `${name}=${arg}`
          : `${name}="${arg.replace(/["\\]/g, "\\$&")}"`
      ).join(" ,\t");
      const parsed = parseCacheControl(text).directives;
      assert.deepEqual(parsed, pairs.map(([name, arg]) => ({ name, argument: arg, malformed: false })));
    }),
    { seed: 5861, numRuns: 200 },
  );
});
