import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type CacheLookup,
  type CacheRequest,
  conditionalHeaders,
  currentAge,
  freshnessLifetime,
  headersToStore,
  HEURISTIC_FRACTION,
  invalidatedUris,
  invalidates,
  isFresh,
  lookupStoredResponse,
  MAX_HEURISTIC_FRESHNESS_SECONDS,
  mergeNotModified,
  notModifiedSelects,
  servedHeaders,
  staleIfErrorAllows,
  storable,
  type StoredResponse,
  varyMatches,
} from "../../src/core/cache_freshness.ts";
import { formatHttpDate } from "../../src/core/http_date.ts";
import { HttpHeaders } from "../../src/core/http_headers.ts";

// The origin's clock at the first response ("Date: 0" in the cache-tests suite).
const T = Date.UTC(2026, 0, 1, 12);
// The suite's `pause_after` between a stored response and the next request.
const PAUSE = 3000;

/** An HTTP date `seconds` after T. */
function at(seconds: number): string {
  return formatHttpDate(new Date(T + seconds * 1000));
}

type Fields = [string, string][];

function stored(
  fields: Fields,
  options: {
    status?: number;
    method?: string;
    requestFields?: Fields;
    requestTime?: number;
    responseTime?: number;
  } = {},
): StoredResponse {
  return {
    requestMethod: options.method ?? "GET",
    requestHeaders: new HttpHeaders(options.requestFields ?? []),
    status: options.status ?? 200,
    headers: new HttpHeaders(fields),
    requestTime: options.requestTime ?? options.responseTime ?? T,
    responseTime: options.responseTime ?? T,
  };
}

function get(fields: Fields = [], method = "GET"): CacheRequest {
  return { method, headers: new HttpHeaders(fields) };
}

Deno.test("freshnessLifetime follows RFC 9111 §4.2.1's order for a private cache", () => {
  const cases: [why: string, status: number, fields: Fields, seconds: number, source: string][] = [
    ["max-age", 200, [["Cache-Control", "max-age=60"]], 60, "max-age"],
    [
      "max-age beats Expires",
      200,
      [["Cache-Control", "max-age=60"], ["Expires", at(600)], ["Date", at(0)]],
      60,
      "max-age",
    ],
    [
      "max-age=0 beats a future Expires",
      200,
      [["Expires", at(10000)], ["Cache-Control", "max-age=0"], [
        "Date",
        at(0),
      ]],
      0,
      "max-age",
    ],
    ["invalid max-age is stale", 200, [["Cache-Control", "max-age=1.5"], ["Expires", at(600)]], 0, "max-age"],
    ["s-maxage ignored (private cache)", 200, [["Cache-Control", "s-maxage=3600, max-age=1"]], 1, "max-age"],
    ["s-maxage alone is no freshness", 299, [["Cache-Control", "s-maxage=3600"]], 0, "none"],
    ["Expires minus Date", 200, [["Date", at(0)], ["Expires", at(3600)]], 3600, "expires"],
    ["Expires minus responseTime without Date", 200, [["Expires", at(100)]], 100, "expires"],
    [
      "Expires with an invalid Date uses responseTime",
      200,
      [["Date", "yesterday"], ["Expires", at(100)]],
      100,
      "expires",
    ],
    ["Expires before Date", 200, [["Date", at(0)], ["Expires", at(-10)]], 0, "expires"],
    ["Expires: 0 is in the past (§5.3)", 200, [["Date", at(0)], ["Expires", "0"]], 0, "expires"],
    ["first Expires line", 200, [["Date", at(0)], ["Expires", at(50)], ["Expires", at(500)]], 50, "expires"],
    ["first Date line", 200, [["Date", at(-100)], ["Date", at(0)], ["Expires", at(0)]], 100, "expires"],
    [
      "Expires beats the heuristic",
      200,
      [["Date", at(0)], ["Expires", at(0)], ["Last-Modified", at(-86400)]],
      0,
      "expires",
    ],
    [
      "heuristic: 10% since Last-Modified",
      200,
      [["Date", at(0)], ["Last-Modified", at(-3000)]],
      300,
      "heuristic",
    ],
    [
      "heuristic is capped at one day",
      200,
      [["Date", at(0)], ["Last-Modified", at(-86400 * 365)]],
      86400,
      "heuristic",
    ],
    ["heuristic without Date uses responseTime", 200, [["Last-Modified", at(-1000)]], 100, "heuristic"],
    ["Last-Modified after Date", 200, [["Date", at(0)], ["Last-Modified", at(100)]], 0, "heuristic"],
    ["invalid Last-Modified", 200, [["Date", at(0)], ["Last-Modified", "last week"]], 0, "none"],
    ["no information", 200, [], 0, "none"],
    ["201 is not heuristically cacheable", 201, [["Date", at(0)], ["Last-Modified", at(-1000)]], 0, "none"],
    [
      "public makes any status heuristic",
      299,
      [["Cache-Control", "public"], ["Date", at(0)], [
        "Last-Modified",
        at(-1000),
      ]],
      100,
      "heuristic",
    ],
  ];
  for (const [why, status, fields, seconds, source] of cases) {
    assert.deepEqual(
      freshnessLifetime({ status, headers: new HttpHeaders(fields) }, T),
      { seconds, source },
      why,
    );
  }
  assert.equal(MAX_HEURISTIC_FRESHNESS_SECONDS, 86400);
  assert.equal(HEURISTIC_FRACTION, 0.1);
});

Deno.test("cache-tests heuristic: which statuses get a heuristic lifetime (Last-Modified a day before Date)", () => {
  const fields: Fields = [["Last-Modified", at(-86400)], ["Date", at(0)]];
  const cases: [id: string, status: number, extra: Fields, heuristic: boolean][] = [
    ["heuristic-200-cached", 200, [], true],
    ["heuristic-201-not_cached", 201, [], false],
    ["heuristic-202-not_cached", 202, [], false],
    ["heuristic-203-cached", 203, [], true],
    ["heuristic-204-cached", 204, [], true],
    ["heuristic-403-not_cached", 403, [], false],
    ["heuristic-404-cached", 404, [], true],
    ["heuristic-405-cached", 405, [], true],
    ["heuristic-410-cached", 410, [], true],
    ["heuristic-414-cached", 414, [], true],
    ["heuristic-501-cached", 501, [], true],
    ["heuristic-502-not_cached", 502, [], false],
    ["heuristic-503-not_cached", 503, [], false],
    ["heuristic-504-not_cached", 504, [], false],
    ["heuristic-599-not_cached", 599, [], false],
    ["heuristic-599-cached", 599, [["Cache-Control", "public"]], true],
  ];
  for (const [id, status, extra, heuristic] of cases) {
    const lifetime = freshnessLifetime({ status, headers: new HttpHeaders([...fields, ...extra]) }, T);
    assert.deepEqual(
      lifetime,
      heuristic ? { seconds: 8640, source: "heuristic" } : { seconds: 0, source: "none" },
      id,
    );
  }
  // The 4xx and 5xx ones are never stored here (an error reply is never kept, as in Qt):
  assert.equal(storable(get(), { status: 404, headers: new HttpHeaders(fields) }), false);
  // heuristic-delta-N: Last-Modified N seconds ago, reused after the pause once 10% of N exceeds it.
  for (const delta of [5, 10, 30, 60, 300, 600, 1200, 1800, 3600, 3600 * 12, 3600 * 24]) {
    const entry = stored([["Last-Modified", at(-delta)], ["Date", at(0)]]);
    assert.equal(isFresh(entry, T + PAUSE), delta * 0.1 > PAUSE / 1000, `heuristic-delta-${delta}`);
  }
});

/** An age case: the stored fields and times, the time asked about, and the age expected. */
type AgeCase<Age> = [
  why: string,
  fields: Fields,
  requestTime: number,
  responseTime: number,
  now: number,
  age: Age,
];

Deno.test("currentAge: RFC 9111 §4.2.3", () => {
  const cases: AgeCase<number>[] = [
    ["no Date, no Age", [], T, T, T, 0],
    ["resident time", [], T, T, T + 5000, 5],
    ["response delay", [], T - 2000, T, T, 2],
    ["apparent age from Date", [["Date", at(-10)]], T, T, T, 10],
    ["Date in the future: apparent age 0", [["Date", at(10)]], T, T, T, 0],
    ["Age", [["Age", "100"]], T, T, T, 100],
    ["Age plus response delay", [["Age", "100"]], T - 3000, T, T, 103],
    ["the larger of apparent age and corrected Age", [["Date", at(-50)], ["Age", "20"]], T, T, T + 1000, 51],
    ["Age larger than apparent age", [["Date", at(-5)], ["Age", "20"]], T - 1000, T, T + 1000, 22],
    ["Age capped at 2^31", [["Age", "99999999999"]], T, T, T, 2 ** 31],
    ["fractions of a second count", [], T - 500, T, T + 250, 0.75],
    ["now before the response counts as 0", [["Age", "7"]], T, T, T - 60_000, 7],
    ["response before request counts as 0", [["Age", "7"]], T + 60_000, T, T, 7],
  ];
  for (const [why, fields, requestTime, responseTime, now, age] of cases) {
    assert.equal(currentAge(stored(fields, { requestTime, responseTime }), now), age, why);
  }
});

Deno.test("cache-tests age-parse: the Age value used (RFC 9111 §5.1: first member, invalid ignored)", () => {
  const cases: [id: string, ages: string[], ageValue: number][] = [
    ["age-parse-nonnumeric", ["abc"], 0],
    ["age-parse-negative", ["-7200"], 0],
    ["age-parse-float", ["7200.0"], 0],
    ["age-parse-suffix", ["7200,0"], 7200],
    ["age-parse-suffix-twoline", ["7200", "0"], 7200],
    ["age-parse-prefix", ["0,7200"], 0],
    ["age-parse-prefix-twoline", ["0", "7200"], 0],
    ["age-parse-dup-0", ["0, 0"], 0],
    ["age-parse-dup-0-twoline", ["0", "0"], 0],
    ["age-parse-dup-old", ["7200, 7200"], 7200],
    ["age-parse-dup-old-twoline", ["7200", "7200"], 7200],
  ];
  for (const [id, ages, ageValue] of cases) {
    const entry = stored([
      ["Date", at(0)],
      ["Cache-Control", "max-age=3600"],
      ...ages.map((a): [string, string] => [
        "Age",
        a,
      ]),
    ]);
    assert.equal(currentAge(entry, T), ageValue, id);
    assert.equal(isFresh(entry, T + PAUSE), ageValue < 3600, id);
  }
});

Deno.test("isFresh: fresh while the lifetime is greater than the age (RFC 9111 §4.2)", () => {
  const entry = stored([["Cache-Control", "max-age=10"]]);
  assert.equal(isFresh(entry, T), true);
  assert.equal(isFresh(entry, T + 9999), true);
  assert.equal(isFresh(entry, T + 10000), false);
  assert.equal(isFresh(stored([["Cache-Control", "max-age=0"]]), T), false);
  assert.equal(isFresh(stored([]), T), false);
});

Deno.test("cache-tests cc-freshness: fresh after the pause?", () => {
  const cases: [id: string, fields: Fields, fresh: boolean][] = [
    ["freshness-none", [], false],
    ["freshness-max-age", [["Cache-Control", "max-age=3600"]], true],
    ["freshness-max-age-quoted", [["Cache-Control", 'max-age="3600"']], true],
    ["freshness-max-age-single-quoted", [["Cache-Control", "max-age='3600'"]], false],
    ["freshness-max-age-ignore-quoted", [["Cache-Control", 'extension="max-age=100", max-age=1']], false],
    ["freshness-max-age-ignore-quoted-rev", [["Cache-Control", 'max-age=1, extension="max-age=100"']], false],
    [
      "freshness-max-age-ignore-quoted-all",
      [["Cache-Control", 'extension="max-age=100", max-age="1"']],
      false,
    ],
    [
      "freshness-max-age-ignore-quoted-all-rev",
      [["Cache-Control", 'max-age="1", extension="max-age=100"']],
      false,
    ],
    ["freshness-max-age-space-before-equals", [["Cache-Control", "max-age =100"]], false],
    ["freshness-max-age-space-after-equals", [["Cache-Control", "max-age= 100"]], false],
    ["freshness-max-age-0", [["Cache-Control", "max-age=0"]], false],
    ["freshness-max-age-a100", [["Cache-Control", "max-age=a100"]], false],
    ["freshness-max-age-100a", [["Cache-Control", "max-age=100a"]], false],
    ["freshness-max-age-negative", [["Cache-Control", "max-age=-100"]], false],
    ["freshness-max-age-max", [["Cache-Control", "max-age=2147483648"]], true],
    ["freshness-max-age-max-plus", [["Cache-Control", "max-age=99999999999"]], true],
    ["freshness-max-age-age", [["Date", at(0)], ["Cache-Control", "max-age=10"], ["Age", "15"]], false],
    ["freshness-max-age-expires", [["Cache-Control", "max-age=3600"], ["Expires", at(-10000)], [
      "Date",
      at(0),
    ]], true],
    ["freshness-max-age-expires-invalid", [["Cache-Control", "max-age=3600"], ["Expires", "0"], [
      "Date",
      at(0),
    ]], true],
    [
      "freshness-max-age-0-expires",
      [["Expires", at(10000)], ["Cache-Control", "max-age=0"], ["Date", at(0)]],
      false,
    ],
    ["freshness-max-age-extension", [["Cache-Control", "foobar, max-age=3600"]], true],
    ["freshness-max-age-case-insenstive", [["Cache-Control", "MaX-aGe=3600"]], true],
    ["freshness-max-age-s-maxage-private", [["Cache-Control", "s-maxage=3600, max-age=1"]], false],
    ["freshness-max-age-s-maxage-private-multiple", [["Cache-Control", "s-maxage=3600"], [
      "Cache-Control",
      "max-age=1",
    ]], false],
  ];
  for (const [id, fields, fresh] of cases) assert.equal(isFresh(stored(fields), T + PAUSE), fresh, id);
});

Deno.test("cache-tests expires: fresh at the next request?", () => {
  const month = 30 * 24 * 60 * 60;
  const cases: [id: string, fields: Fields, pause: number, fresh: boolean][] = [
    ["freshness-expires-none", [], PAUSE, false],
    ["freshness-expires-future", [["Expires", at(month)], ["Date", at(0)]], PAUSE, true],
    ["freshness-expires-past", [["Expires", at(-month)], ["Date", at(0)]], PAUSE, false],
    ["freshness-expires-present", [["Expires", at(0)], ["Date", at(0)]], 0, false],
    ["freshness-expires-old-date", [["Expires", at(300)], ["Date", at(400)]], PAUSE, false],
    // Case-insensitive dates, as RFC 9111 §4.2 asks of cache recipients.
    [
      "freshness-expires-wrong-case-weekday",
      [["Expires", "THU, 18 Aug 2050 02:01:18 GMT"], ["Date", at(0)]],
      PAUSE,
      true,
    ],
    [
      "freshness-expires-wrong-case-month",
      [["Expires", "Thu, 18 AUG 2050 02:01:18 GMT"], ["Date", at(0)]],
      PAUSE,
      true,
    ],
    [
      "freshness-expires-wrong-case-tz",
      [["Expires", "Thu, 18 Aug 2050 02:01:18 gMT"], ["Date", at(0)]],
      PAUSE,
      true,
    ],
    ["freshness-expires-invalid", [["Expires", "0"], ["Date", at(0)]], PAUSE, false],
    [
      "freshness-expires-invalid-utc",
      [["Expires", "Thu, 18 Aug 2050 02:01:18 UTC"], ["Date", at(0)]],
      PAUSE,
      false,
    ],
    [
      "freshness-expires-invalid-2-digit-year",
      [["Expires", "Thu, 18 Aug 50 02:01:18 GMT"], ["Date", at(0)]],
      PAUSE,
      false,
    ],
    [
      "freshness-expires-invalid-no-comma",
      [["Expires", "Thu 18 Aug 2050 02:01:18 GMT"], ["Date", at(0)]],
      PAUSE,
      false,
    ],
    [
      "freshness-expires-invalid-multiple-spaces",
      [["Expires", "Thu, 18  Aug  2050 02:01:18 GMT"], ["Date", at(0)]],
      0,
      false,
    ],
    [
      "freshness-expires-invalid-date-dashes",
      [["Expires", "Thu, 18-Aug-2050 02:01:18 GMT"], ["Date", at(0)]],
      0,
      false,
    ],
    [
      "freshness-expires-invalid-time-periods",
      [["Expires", "Thu, 18 Aug 2050 02.01.18 GMT"], ["Date", at(0)]],
      0,
      false,
    ],
    [
      "freshness-expires-invalid-1-digit-hour",
      [["Expires", "Thu, 18 Aug 2050 2:01:18 GMT"], ["Date", at(0)]],
      0,
      false,
    ],
    ["freshness-expires-invalid-date", [["Date", "foo"], ["Expires", at(10)]], 0, true],
    ["freshness-expires-age-slow-date", [["Date", at(-10)], ["Expires", at(10)], ["Age", "25"]], 0, false],
    ["freshness-expires-age-fast-date", [["Date", at(10)], ["Expires", at(20)], ["Age", "15"]], 0, false],
  ];
  for (const [id, fields, pause, fresh] of cases) assert.equal(isFresh(stored(fields), T + pause), fresh, id);
});

Deno.test("lookupStoredResponse: miss, fresh, stale or must-revalidate (RFC 9111 §4)", () => {
  const fresh: Fields = [["Cache-Control", "max-age=60"]];
  const cases: [
    why: string,
    entry: StoredResponse | undefined,
    request: CacheRequest,
    now: number,
    CacheLookup,
  ][] = [
    ["no entry", undefined, get(), T, "miss"],
    ["fresh", stored(fresh), get(), T + 59_000, "fresh"],
    ["stale", stored(fresh), get(), T + 60_000, "stale"],
    ["POST never reads the cache", stored(fresh), get([], "POST"), T, "miss"],
    ["methods are case-sensitive", stored(fresh), get([], "get"), T, "miss"],
    ["a stored GET answers HEAD", stored(fresh), get([], "HEAD"), T, "fresh"],
    ["a stored HEAD answers HEAD", stored(fresh, { method: "HEAD" }), get([], "HEAD"), T, "fresh"],
    ["a stored HEAD does not answer GET", stored(fresh, { method: "HEAD" }), get(), T, "miss"],
    ["a stored POST answers nothing", stored(fresh, { method: "POST" }), get(), T, "miss"],
    ["Range never reads the cache (Qt)", stored(fresh), get([["Range", "bytes=2-6"]]), T, "miss"],
    [
      "Vary mismatch",
      stored([...fresh, ["Vary", "Foo"]], { requestFields: [["Foo", "1"]] }),
      get([["Foo", "2"]]),
      T,
      "miss",
    ],
    [
      "Vary match",
      stored([...fresh, ["Vary", "Foo"]], { requestFields: [["Foo", "1"]] }),
      get([["Foo", "1"]]),
      T,
      "fresh",
    ],
    ["response no-cache", stored([["Cache-Control", "max-age=60, no-cache"]]), get(), T, "must-revalidate"],
    [
      "qualified no-cache",
      stored([["Cache-Control", 'max-age=60, no-cache="X"']]),
      get(),
      T,
      "must-revalidate",
    ],
    ["request no-cache", stored(fresh), get([["Cache-Control", "no-cache"]]), T, "must-revalidate"],
    [
      "Pragma: no-cache is ignored (RFC 9111 §5.4 deprecates it)",
      stored(fresh),
      get([["Pragma", "no-cache"]]),
      T,
      "fresh",
    ],
    ["request max-age=0", stored(fresh), get([["Cache-Control", "max-age=0"]]), T + 1000, "must-revalidate"],
    ["request max-age not exceeded", stored(fresh), get([["Cache-Control", "max-age=5"]]), T + 5000, "fresh"],
    [
      "request max-age=0 on a fresh immutable response (RFC 8246 §2, cache-tests cc-resp-immutable-fresh)",
      stored([["Cache-Control", "max-age=60, immutable"]]),
      get([["Cache-Control", "max-age=0"]]),
      T + 1000,
      "fresh",
    ],
    [
      "request max-age=0 on a stale immutable response (cc-resp-immutable-stale)",
      stored([["Cache-Control", "max-age=60, immutable"]]),
      get([["Cache-Control", "max-age=0"]]),
      T + 60_000,
      "must-revalidate",
    ],
    ["min-fresh satisfied", stored(fresh), get([["Cache-Control", "min-fresh=10"]]), T + 50_000, "fresh"],
    ["min-fresh not satisfied", stored(fresh), get([["Cache-Control", "min-fresh=10"]]), T + 50_001, "stale"],
    ["max-stale covers it", stored(fresh), get([["Cache-Control", "max-stale=10"]]), T + 70_000, "fresh"],
    ["max-stale too short", stored(fresh), get([["Cache-Control", "max-stale=10"]]), T + 70_001, "stale"],
    ["bare max-stale: any staleness", stored(fresh), get([["Cache-Control", "max-stale"]]), T + 1e9, "fresh"],
    [
      "must-revalidate while fresh",
      stored([["Cache-Control", "max-age=60, must-revalidate"]]),
      get(),
      T,
      "fresh",
    ],
    [
      "must-revalidate once stale",
      stored([["Cache-Control", "max-age=60, must-revalidate"]]),
      get(),
      T + 60_000,
      "must-revalidate",
    ],
    [
      "must-revalidate beats max-stale",
      stored([["Cache-Control", "max-age=60, must-revalidate"]]),
      get([["Cache-Control", "max-stale"]]),
      T + 61_000,
      "must-revalidate",
    ],
    [
      "proxy-revalidate is for shared caches",
      stored([["Cache-Control", "max-age=1, proxy-revalidate"]]),
      get(),
      T + 2000,
      "stale",
    ],
    ["no freshness at all", stored([]), get(), T, "stale"],
  ];
  for (const [why, entry, request, now, expected] of cases) {
    assert.equal(lookupStoredResponse(entry, request, now), expected, why);
  }
});

Deno.test("storable: RFC 9111 §3 for a private cache, with Qt's exclusions", () => {
  const cases: [
    why: string,
    method: string,
    requestFields: Fields,
    status: number,
    fields: Fields,
    ok: boolean,
  ][] = [
    ["200 without information (heuristically cacheable)", "GET", [], 200, [], true],
    ["HEAD", "HEAD", [], 200, [], true],
    ["POST", "POST", [], 200, [["Cache-Control", "max-age=60"]], false],
    ["PUT", "PUT", [], 200, [], false],
    ["lower-case get is another method", "get", [], 200, [], false],
    ["203", "GET", [], 203, [], true],
    ["204", "GET", [], 204, [], true],
    ["300", "GET", [], 300, [], true],
    ["301", "GET", [], 301, [], true],
    ["308", "GET", [], 308, [], true],
    ["302 without freshness", "GET", [], 302, [], false],
    ["302 with max-age", "GET", [], 302, [["Cache-Control", "max-age=60"]], true],
    ["307 with Expires", "GET", [], 307, [["Expires", at(60)]], true],
    ["307 with an invalid Expires (still present)", "GET", [], 307, [["Expires", "0"]], true],
    ["302 private", "GET", [], 302, [["Cache-Control", "private"]], true],
    ["302 public", "GET", [], 302, [["Cache-Control", "public"]], true],
    ["302 with s-maxage only (shared caches)", "GET", [], 302, [["Cache-Control", "s-maxage=60"]], false],
    ["201 with max-age", "GET", [], 201, [["Cache-Control", "max-age=60"]], true],
    ["201 without freshness", "GET", [], 201, [], false],
    ["299 with Expires", "GET", [], 299, [["Expires", at(60)]], true],
    ["must-understand with an understood status", "GET", [], 200, [[
      "Cache-Control",
      "max-age=60, must-understand",
    ]], true],
    ["request no-store beats must-understand", "GET", [["Cache-Control", "no-store"]], 200, [[
      "Cache-Control",
      "max-age=60, must-understand",
    ]], false],
    ["206 never (Qt)", "GET", [], 206, [["Cache-Control", "max-age=60"]], false],
    ["303 never (Qt)", "GET", [], 303, [["Cache-Control", "max-age=60"]], false],
    ["304 never", "GET", [], 304, [["Cache-Control", "max-age=60"]], false],
    ["1xx never", "GET", [], 100, [], false],
    ["404 never (an error reply is never stored, as in Qt)", "GET", [], 404, [[
      "Cache-Control",
      "max-age=60",
    ]], false],
    ["404 without information never", "GET", [], 404, [], false],
    ["500 never", "GET", [], 500, [["Cache-Control", "max-age=60"]], false],
    ["response no-store", "GET", [], 200, [["Cache-Control", "max-age=60, no-store"]], false],
    ["response NO-STORE on a second line", "GET", [], 200, [["Cache-Control", "max-age=60"], [
      "Cache-Control",
      "NO-STORE",
    ]], false],
    [
      "request no-store",
      "GET",
      [["Cache-Control", "no-store"]],
      200,
      [["Cache-Control", "max-age=60"]],
      false,
    ],
    ["no-cache is storable", "GET", [], 200, [["Cache-Control", "no-cache"]], true],
    ["must-understand overrides no-store for an understood status", "GET", [], 200, [[
      "Cache-Control",
      "max-age=60, must-understand, no-store",
    ]], true],
    ["must-understand with an unknown status", "GET", [], 299, [[
      "Cache-Control",
      "max-age=60, must-understand",
    ]], false],
    // cache-tests other-authorization*: shared caches only; a private cache stores (§3.5).
    ["Authorization is no obstacle for a private cache", "GET", [["Authorization", "FOO"]], 200, [
      ["Expires", at(30 * 24 * 60 * 60)],
      ["Date", at(0)],
    ], true],
  ];
  for (const [why, method, requestFields, status, fields, ok] of cases) {
    assert.equal(storable(get(requestFields, method), { status, headers: new HttpHeaders(fields) }), ok, why);
  }
});

Deno.test("cache-tests status: stored and reused fresh, not reused stale, per status", () => {
  const freshFields: Fields = [["Cache-Control", "max-age=100000"], ["Date", at(0)]];
  const staleFields: Fields = [["Cache-Control", "max-age=1"], ["Date", at(-100)]];
  // 303: not stored, as Qt. 4xx and 5xx: never stored, as Qt keeps no error reply (status-*-fresh are
  // "optimal" there; status-*-stale hold trivially).
  const storedStatuses = [200, 203, 204, 299, 301, 302, 307, 308];
  for (const status of [...storedStatuses, 303, 400, 404, 410, 499, 500, 502, 503, 504, 599]) {
    const stores = storedStatuses.includes(status);
    assert.equal(
      storable(get(), { status, headers: new HttpHeaders(freshFields) }),
      stores,
      `status-${status}-fresh`,
    );
    if (!stores) continue;
    assert.equal(
      lookupStoredResponse(stored(freshFields, { status }), get(), T + PAUSE),
      "fresh",
      `status-${status}-fresh`,
    );
    assert.equal(
      lookupStoredResponse(stored(staleFields, { status }), get(), T),
      "stale",
      `status-${status}-stale`,
    );
  }
});

Deno.test("cache-tests vary: does the new request select the stored response?", () => {
  const cases: [id: string, storedRequest: Fields, vary: string[], request: Fields, match: boolean][] = [
    ["vary-match", [["Foo", "1"]], ["Foo"], [["Foo", "1"]], true],
    ["vary-no-match", [["Foo", "1"]], ["Foo"], [["Foo", "2"]], false],
    ["vary-omit", [["Foo", "1"]], ["Foo"], [], false],
    ["vary-cache-key", [["Foo", "1"], ["Other", "2"]], ["Foo"], [["Foo", "1"], ["Other", "3"]], true],
    ["vary-2-match", [["Foo", "1"], ["Bar", "abc"]], ["Foo, Bar"], [["Foo", "1"], ["Bar", "abc"]], true],
    ["vary-2-no-match", [["Foo", "1"], ["Bar", "abc"]], ["Foo, Bar"], [["Foo", "2"], ["Bar", "abc"]], false],
    ["vary-2-match-omit", [["Foo", "1"]], ["Foo, Bar"], [], false],
    ["vary-3-match", [["Foo", "1"], ["Bar", "abc"], ["Baz", "789"]], ["Foo, Bar, Baz"], [["Foo", "1"], [
      "Bar",
      "abc",
    ], ["Baz", "789"]], true],
    ["vary-3-no-match", [["Foo", "1"], ["Bar", "abc"], ["Baz", "789"]], ["Foo, Bar, Baz"], [["Foo", "2"], [
      "Bar",
      "abc",
    ], ["Baz", "789"]], false],
    ["vary-3-order", [["Foo", "1"], ["Bar", "abc4"], ["Baz", "789"]], ["Foo, Bar, Baz"], [["Foo", "1"], [
      "Bar",
      "abc",
    ], ["Baz", "789"]], false],
    ["vary-3-omit", [["Foo", "1"], ["Baz", "789"]], ["Foo, Bar, Baz"], [["Foo", "1"], ["Baz", "789"]], true],
    ["vary-star", [["Foo", "1"], ["Baz", "789"]], ["*"], [["Foo", "1"], ["Baz", "789"]], false],
    ["vary-normalise-space", [["Foo", "1,2"]], ["Foo"], [["Foo", " 1, 2 "]], true],
    ["vary-normalise-combine", [["Foo", "1, 2"]], ["Foo"], [["Foo", "1"], ["Foo", "2"]], true],
    // Not ported: vary-normalise-lang-order (the order of equal-weight languages may matter, RFC 9110 §12.5.4).
    ["vary-normalise-lang-order (not normalised)", [["Accept-Language", "en, de"]], ["Accept-Language"], [[
      "Accept-Language",
      "de, en",
    ]], false],
    ["vary-normalise-lang-case", [["Accept-Language", "en, de"]], ["Accept-Language"], [[
      "Accept-Language",
      "eN, De",
    ]], true],
    ["Accept-Encoding codings are case-insensitive", [["Accept-Encoding", "gzip, br"]], ["Accept-Encoding"], [
      [
        "Accept-Encoding",
        "GZIP, BR",
      ],
    ], true],
    ["other fields keep their case", [["Foo", "abc"]], ["Foo"], [["Foo", "ABC"]], false],
  ];
  for (const [id, storedRequest, vary, request, match] of cases) {
    const response = new HttpHeaders(vary.map((v): [string, string] => ["Vary", v]));
    assert.equal(varyMatches(new HttpHeaders(storedRequest), response, new HttpHeaders(request)), match, id);
  }
});

Deno.test("varyMatches: names case-insensitive, lines combined, whitespace normalised outside quotes", () => {
  const cases: [why: string, vary: string[], storedRequest: Fields, request: Fields, match: boolean][] = [
    ["no Vary", [], [["Foo", "1"]], [["Foo", "2"]], true],
    ["empty Vary", [""], [["Foo", "1"]], [["Foo", "2"]], true],
    ["Vary names are case-insensitive", ["FOO"], [["foo", "1"]], [["Foo", "1"]], true],
    ["Vary on two lines", ["Foo", "Bar"], [["Foo", "1"], ["Bar", "1"]], [["Foo", "1"], ["Bar", "2"]], false],
    ["* among names", ["Foo, *"], [["Foo", "1"]], [["Foo", "1"]], false],
    ["values are case-sensitive", ["Foo"], [["Foo", "a"]], [["Foo", "A"]], false],
    ["empty value vs absent", ["Foo"], [["Foo", ""]], [], false],
    ["both empty", ["Foo"], [["Foo", ""]], [["Foo", "  "]], true],
    ["runs of spaces collapse", ["Foo"], [["Foo", "a  b"]], [["Foo", "a\tb"]], true],
    ["OWS around ;", ["Accept"], [["Accept", "text/html;q=0.9"]], [["Accept", "text/html ; q=0.9"]], true],
    ["inside quotes whitespace counts", ["Foo"], [["Foo", '"a  b"']], [["Foo", '"a b"']], false],
    ["quoted comma kept", ["Foo"], [["Foo", '"a, b"']], [["Foo", '"a,b"']], false],
    ["escaped quote inside quotes", ["Foo"], [["Foo", '"a\\"  b"']], [["Foo", '"a\\" b"']], false],
    ["a space is not removed between tokens", ["Foo"], [["Foo", "a b"]], [["Foo", "ab"]], false],
  ];
  for (const [why, vary, storedRequest, request, match] of cases) {
    const response = new HttpHeaders(vary.map((v): [string, string] => ["Vary", v]));
    assert.equal(varyMatches(new HttpHeaders(storedRequest), response, new HttpHeaders(request)), match, why);
  }
});

Deno.test("varyMatches is reflexive and ignores unlisted fields (property)", () => {
  const name = fc.constantFrom("foo", "bar", "accept", "x-a");
  const value = fc.stringMatching(/^[a-z0-9 ,;="]{0,8}$/).map((v) => v.trim());
  const fields = fc.array(fc.tuple(name, value), { maxLength: 5 });
  fc.assert(
    fc.property(fields, fc.array(name, { maxLength: 3 }), fields, (request, vary, other) => {
      const response = new HttpHeaders(vary.map((v): [string, string] => ["Vary", v]));
      const headers = new HttpHeaders(request);
      assert.equal(varyMatches(headers, response, headers), true);
      const unlisted = other.filter(([n]) => !vary.includes(n));
      const listed = request.filter(([n]) => vary.includes(n));
      assert.equal(varyMatches(headers, response, new HttpHeaders([...listed, ...unlisted])), true);
    }),
    { seed: 4101, numRuns: 150 },
  );
});

Deno.test("conditionalHeaders: If-None-Match from ETag, If-Modified-Since from Last-Modified (RFC 9111 §4.3.1)", () => {
  const cases: [why: string, fields: Fields, expected: [string, string][]][] = [
    ["none", [], []],
    ["strong ETag", [["ETag", '"xyzzy"']], [["If-None-Match", '"xyzzy"']]],
    ["weak ETag", [["ETag", 'W/"xyzzy"']], [["If-None-Match", 'W/"xyzzy"']]],
    ["empty ETag", [["ETag", '""']], [["If-None-Match", '""']]],
    ["unquoted ETag is not an entity-tag", [["ETag", "xyzzy"]], []],
    ["ETag with a space inside", [["ETag", '"a b"']], []],
    ["lower-case w/", [["ETag", 'w/"x"']], []],
    ["first ETag line", [["ETag", '"1"'], ["ETag", '"2"']], [["If-None-Match", '"1"']]],
    ["Last-Modified re-formatted", [["Last-Modified", "Sun Nov  6 08:49:37 1994"]], [[
      "If-Modified-Since",
      "Sun, 06 Nov 1994 08:49:37 GMT",
    ]]],
    ["Last-Modified read case-insensitively (RFC 9111 §4.2)", [[
      "Last-Modified",
      "sun, 06 NOV 1994 08:49:37 gmt",
    ]], [[
      "If-Modified-Since",
      "Sun, 06 Nov 1994 08:49:37 GMT",
    ]]],
    ["invalid Last-Modified", [["Last-Modified", "yesterday"]], []],
    ["both, ETag first", [["Last-Modified", at(-60)], ["ETag", '"v"']], [["If-None-Match", '"v"'], [
      "If-Modified-Since",
      at(-60),
    ]]],
    ["Date is not a validator", [["Date", at(0)]], []],
  ];
  for (const [why, fields, expected] of cases) {
    assert.deepEqual(conditionalHeaders(new HttpHeaders(fields)), expected, why);
  }
});

Deno.test("headersToStore drops hop-by-hop fields, proxy credentials and Set-Cookie (RFC 9111 §3.1, Qt)", () => {
  const received = new HttpHeaders([
    ["Connection", "keep-alive, X-Hop"],
    ["Keep-Alive", "timeout=5"],
    ["Proxy-Connection", "keep-alive"],
    ["TE", "trailers"],
    ["Transfer-Encoding", "chunked"],
    ["Upgrade", "h2c"],
    ["Trailer", "X-T"],
    ["Proxy-Authenticate", "Basic"],
    ["Proxy-Authorization", "Basic eDp5"],
    ["Set-Cookie", "a=b"],
    ["X-Hop", "1"],
    ["Content-Type", "text/plain"],
    ["Cache-Control", "max-age=60"],
    ["Set-Cookie2", "a=b"],
  ]);
  assert.deepEqual(headersToStore(received).toListOfPairs(), [
    ["content-type", "text/plain"],
    ["cache-control", "max-age=60"],
    ["set-cookie2", "a=b"],
  ]);
});

Deno.test("mergeNotModified: the 304's fields replace the stored ones (RFC 9111 §3.2, §4.3.4)", () => {
  const storedHeaders = new HttpHeaders([
    ["Date", at(-10)],
    ["Cache-Control", "max-age=1"],
    ["X-Multi", "a"],
    ["Content-Type", "text/plain"],
    ["X-Multi", "b"],
    ["Content-Length", "8"],
    ["Content-Encoding", "gzip"],
    ["Content-Range", "bytes 0-7/8"],
    ["ETag", '"1"'],
  ]);
  const notModified = new HttpHeaders([
    ["Date", at(0)],
    ["Connection", "keep-alive, X-Hop"],
    ["X-Hop", "1"],
    ["Keep-Alive", "timeout=5"],
    ["Cache-Control", "max-age=3600"],
    ["Content-Length", "0"],
    ["Content-Encoding", "br"],
    ["Content-Range", "bytes 0-0/1"],
    ["Content-Type", "text/plain;charset=utf-8"],
    ["Set-Cookie", "a=c"],
    ["X-Multi", "c"],
    ["X-New", "1"],
    ["X-New", "2"],
  ]);
  assert.deepEqual(mergeNotModified(storedHeaders, notModified).toListOfPairs(), [
    ["date", at(0)],
    ["cache-control", "max-age=3600"],
    ["x-multi", "c"],
    ["content-type", "text/plain;charset=utf-8"],
    ["content-length", "8"],
    ["content-encoding", "gzip"],
    ["content-range", "bytes 0-7/8"],
    ["etag", '"1"'],
    ["x-new", "1"],
    ["x-new", "2"],
  ]);
  // The stored headers are not modified.
  assert.equal(storedHeaders.value("cache-control"), "max-age=1");
  assert.deepEqual(
    mergeNotModified(storedHeaders, new HttpHeaders()).toListOfPairs(),
    storedHeaders.toListOfPairs(),
  );
});

Deno.test("cache-tests update304: the header a 304 sends is the one served and stored", () => {
  const headers = [
    ["Test-Header", "A", "B"],
    ["X-Test-Header", "A", "B"],
    ["Content-Foo", "A", "B"],
    ["X-Content-Foo", "A", "B"],
    ["Content-Type", "text/plain", "text/plain;charset=utf-8"],
    ["Content-MD5", "rL0Y20zC+Fzt72VPzMSk2A==", "N7UdGUp1E+RbVvZSTy1R8g=="],
    ["Content-Location", "/foo", "/bar"],
    ["Content-Security-Policy", "default-src 'self'", "default-src 'self' cdn.example.com"],
    ["X-Frame-Options", "deny", "sameorigin"],
    ["X-XSS-Protection", "1", "1; mode=block"],
    ["Cache-Control", "max-age=1", "max-age=3600"],
    ["Expires", at(1), at(3600)],
    ["Clear-Site-Data", "cache", "cookies"],
    ["Public-Key-Pins", "A", "B"],
    ["Set-Cookie2", "a=b", "a=c"],
  ];
  for (const [name, a, b] of headers) {
    for (const [validator, value] of [["ETag", '"1"'], ["Last-Modified", at(-86400)]]) {
      const id = `304-${validator === "ETag" ? "etag" : "lm"}-update-response-${name}`;
      const storedHeaders = new HttpHeaders([["Date", at(0)], [validator, value], [name, a]]);
      const notModified = new HttpHeaders([["Date", at(0)], [validator, value], [name, b]]);
      assert.equal(notModifiedSelects(storedHeaders, notModified), true, id);
      assert.equal(mergeNotModified(storedHeaders, notModified).value(name), b, id);
    }
  }
  // 304-lm-use-stored-Test-Header: a field the 304 omits stays.
  const storedHeaders = new HttpHeaders([["Last-Modified", at(-86400)], ["Test-Header", "A"]]);
  assert.equal(
    mergeNotModified(storedHeaders, new HttpHeaders([["Cache-Control", "max-age=3600"]])).value(
      "test-header",
    ),
    "A",
  );
  // Not ported: 304-*-Set-Cookie. Set-Cookie is never stored (as Qt): the cookie jar takes it on arrival.
  assert.equal(
    mergeNotModified(new HttpHeaders([["Set-Cookie", "a=b"]]), new HttpHeaders([["Set-Cookie", "a=c"]]))
      .value(
        "set-cookie",
      ),
    "a=b",
  );
});

Deno.test("notModifiedSelects: which stored response a 304 updates (RFC 9111 §4.3.4)", () => {
  const cases: [why: string, storedFields: Fields, notModified: Fields, selects: boolean][] = [
    ["same strong ETag", [["ETag", '"1"']], [["ETag", '"1"']], true],
    ["different ETag", [["ETag", '"1"']], [["ETag", '"2"']], false],
    ["stored has no ETag", [], [["ETag", '"1"']], false],
    ["strong 304 vs weak stored", [["ETag", 'W/"1"']], [["ETag", '"1"']], false],
    ["weak 304 vs strong stored", [["ETag", '"1"']], [["ETag", 'W/"1"']], true],
    ["weak 304 vs weak stored", [["ETag", 'W/"1"']], [["ETag", 'W/"1"']], true],
    ["same Last-Modified", [["Last-Modified", at(-60)]], [["Last-Modified", at(-60)]], true],
    ["same Last-Modified, another shape", [["Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"]], [[
      "Last-Modified",
      "Sun Nov  6 08:49:37 1994",
    ]], true],
    ["different Last-Modified", [["Last-Modified", at(-60)]], [["Last-Modified", at(-30)]], false],
    ["ETag decides before Last-Modified", [["ETag", '"1"'], ["Last-Modified", at(-60)]], [["ETag", '"1"'], [
      "Last-Modified",
      at(-30),
    ]], true],
    ["no validator in the 304", [["ETag", '"1"']], [["Date", at(0)]], true],
  ];
  for (const [why, storedFields, notModified, selects] of cases) {
    assert.equal(
      notModifiedSelects(new HttpHeaders(storedFields), new HttpHeaders(notModified)),
      selects,
      why,
    );
  }
});

Deno.test("invalidates: a non-error response to an unsafe method (RFC 9111 §4.4)", () => {
  for (const method of ["GET", "HEAD", "OPTIONS", "TRACE"]) {
    for (const status of [200, 204, 301, 404, 500]) {
      assert.equal(invalidates(method, status), false, `${method} ${status}`);
    }
  }
  // cache-tests invalidate-METHOD and invalidate-METHOD-failed.
  for (const method of ["POST", "PUT", "DELETE", "M-SEARCH", "PATCH", "get"]) {
    assert.equal(invalidates(method, 200), true, `invalidate-${method}`);
    assert.equal(invalidates(method, 201), true, method);
    assert.equal(invalidates(method, 303), true, method);
    assert.equal(invalidates(method, 399), true, method);
    assert.equal(invalidates(method, 100), false, method);
    assert.equal(invalidates(method, 404), false, method);
    assert.equal(invalidates(method, 500), false, `invalidate-${method}-failed`);
  }
});

Deno.test("invalidatedUris: target, and same-origin Location and Content-Location (RFC 9111 §4.4)", () => {
  const target = new URL("https://h.example/a/b?q=1");
  const uris = (method: string, status: number, fields: Fields): string[] =>
    invalidatedUris(target, method, { status, headers: new HttpHeaders(fields) }).map(String);
  // cache-tests invalidate-POST-location, invalidate-POST-cl.
  assert.deepEqual(uris("POST", 200, [["Location", "c"], ["Content-Location", "/d"]]), [
    "https://h.example/a/b?q=1",
    "https://h.example/a/c",
    "https://h.example/d",
  ]);
  assert.deepEqual(
    uris("PUT", 201, [["Location", "https://other.example/c"], ["Content-Location", "http://h.example/d"]]),
    [
      "https://h.example/a/b?q=1",
    ],
  );
  assert.deepEqual(uris("DELETE", 204, [["Location", "http://["], ["Content-Location", "?q=1"]]), [
    "https://h.example/a/b?q=1",
  ]);
  assert.deepEqual(uris("POST", 500, [["Location", "/c"]]), []);
  assert.deepEqual(uris("GET", 200, [["Location", "/c"]]), []);
});

Deno.test("servedHeaders: Age is the current age in whole seconds (RFC 9111 §5.1, cache-tests other-age-*)", () => {
  const cases: AgeCase<string>[] = [
    [
      "other-age-gen: no Age from the origin, 3 s in the cache",
      [["Cache-Control", "max-age=100000"]],
      T,
      T,
      T + PAUSE,
      "3",
    ],
    ["other-age-update-max-age: the origin's Age grows", [["Age", "30"]], T, T, T + PAUSE, "33"],
    [
      "other-age-update-expires: with Date and a response delay",
      [["Date", at(0)], ["Age", "30"]],
      T - 400,
      T,
      T + PAUSE,
      "33",
    ],
    ["apparent age from Date", [["Date", at(-20)]], T, T, T + 1500, "21"],
    ["fractions are dropped", [], T, T, T + 999, "0"],
    ["an age beyond delta-seconds is sent as 2^31", [["Age", "2147483648"]], T, T, T + PAUSE, "2147483648"],
  ];
  for (const [why, fields, requestTime, responseTime, now, age] of cases) {
    const entry = stored(fields, { requestTime, responseTime });
    const served = servedHeaders(entry, now);
    assert.deepEqual(served.values("age"), [age], why);
    // The stored fields stay as the origin sent them: its Age still counts in the next age.
    assert.deepEqual(
      entry.headers.values("age"),
      fields.filter(([name]) => name === "Age").map(([, v]) => v),
      why,
    );
  }
  // Age takes the place of the origin's first Age line; the other fields keep their order.
  const entry = stored([["ETag", '"a"'], ["Age", "5"], ["X", "1"], ["Age", "9"]]);
  assert.deepEqual(servedHeaders(entry, T).toListOfPairs(), [["etag", '"a"'], ["age", "5"], ["x", "1"]]);
  assert.throws(() => servedHeaders(entry, NaN), {
    name: "RangeError",
    message: "Cannot compute the age of a stored response: now NaN is not a finite number of ms",
  });
});

Deno.test("RFC 850 dates: a two-digit year is read within 50 years of the response (RFC 9110 §5.6.7)", () => {
  const arrived = Date.UTC(2026, 11, 2);
  const cases: [why: string, expires: string, seconds: number][] = [
    [
      "freshness-expires-rfc850: 50 is 2050",
      "Thursday, 18-Aug-50 02:01:18 GMT",
      (Date.UTC(2050, 7, 18, 2, 1, 18) - arrived) / 1000,
    ],
    [
      "76 is 2076, exactly 50 years on",
      "Wednesday, 02-Dec-76 00:00:00 GMT",
      (Date.UTC(2076, 11, 2) - arrived) / 1000,
    ],
    ["77 is 1977, more than 50 years on", "Thursday, 02-Dec-77 00:00:00 GMT", 0],
    ["94 is 1994", "Sunday, 06-Nov-94 08:49:37 GMT", 0],
    [
      "an IMF-fixdate keeps its four digits",
      "Thu, 18 Aug 2050 02:01:18 GMT",
      (Date.UTC(2050, 7, 18, 2, 1, 18) - arrived) / 1000,
    ],
  ];
  for (const [why, expires, seconds] of cases) {
    const headers = new HttpHeaders([["Expires", expires], ["Date", formatHttpDate(new Date(arrived))]]);
    assert.deepEqual(
      freshnessLifetime({ status: 200, headers }, arrived),
      { seconds, source: "expires" },
      why,
    );
  }
});

Deno.test("RFC 850 dates: 29-Feb-00 near 2026 is 2000's leap day, checked after the year is chosen", () => {
  const arrived = Date.UTC(2026, 11, 2);
  const headers = new HttpHeaders([
    ["Date", "Wed, 01 Mar 2000 00:00:00 GMT"],
    ["Last-Modified", "Tuesday, 29-Feb-00 00:00:00 GMT"],
  ]);
  // One day between Last-Modified and Date: the heuristic lifetime is a tenth of it.
  assert.deepEqual(freshnessLifetime({ status: 200, headers }, arrived), {
    seconds: 86_400 * HEURISTIC_FRACTION,
    source: "heuristic",
  });
});

Deno.test("staleIfErrorAllows: the stale-if-error window of the response or request (RFC 5861 §4, cache-tests cc-stale)", () => {
  const cases: [why: string, fields: Fields, requestFields: Fields, now: number, allowed: boolean][] = [
    [
      "no directive: no limit (Qt's rule applies)",
      [["Cache-Control", "max-age=0"]],
      [],
      T + 86_400_000,
      true,
    ],
    [
      "stale-if-error-cc-response: within 3600 s",
      [["Cache-Control", "max-age=0, stale-if-error=3600"]],
      [],
      T,
      true,
    ],
    [
      "stale-if-error-cc-response-expired: 3 s past a 1 s window",
      [[
        "Cache-Control",
        "max-age=0, stale-if-error=1",
      ]],
      [],
      T + PAUSE,
      false,
    ],
    [
      "stale-if-error-cc-request: within 3600 s",
      [["Cache-Control", "max-age=0"]],
      [["Cache-Control", "stale-if-error=3600"]],
      T,
      true,
    ],
    [
      "stale-if-error-cc-request-expired",
      [["Cache-Control", "max-age=0"]],
      [[
        "Cache-Control",
        "stale-if-error=1",
      ]],
      T + PAUSE,
      false,
    ],
    [
      "the larger window of the two",
      [["Cache-Control", "max-age=0, stale-if-error=1"]],
      [[
        "Cache-Control",
        "stale-if-error=10",
      ]],
      T + PAUSE,
      true,
    ],
    [
      "staleness counts from the end of freshness",
      [["Cache-Control", "max-age=10, stale-if-error=5"], ["Age", "12"]],
      [],
      T,
      true,
    ],
    ["Age past the window", [["Cache-Control", "max-age=10, stale-if-error=5"], ["Age", "16"]], [], T, false],
    [
      "an invalid window is no directive",
      [["Cache-Control", "max-age=0, stale-if-error=soon"]],
      [],
      T + PAUSE,
      true,
    ],
  ];
  for (const [why, fields, requestFields, now, allowed] of cases) {
    assert.equal(staleIfErrorAllows(stored(fields), get(requestFields), now), allowed, why);
  }
  assert.throws(() => staleIfErrorAllows(stored([]), get(), Infinity), {
    name: "RangeError",
    message: "Cannot decide on stale-if-error: now Infinity is not a finite number of ms",
  });
  assert.throws(() => staleIfErrorAllows(stored([]), { method: "GET", headers: {} as HttpHeaders }, T), {
    name: "TypeError",
    message: "Cannot decide on stale-if-error: headers must be HttpHeaders, got object",
  });
});

Deno.test("every function rejects malformed input with a clear message", () => {
  const ok = stored([]);
  const headers = new HttpHeaders();
  const cases: [() => unknown, string, string][] = [
    [
      () => freshnessLifetime({ status: 42, headers }, T),
      "RangeError",
      "Cannot compute a freshness lifetime: status 42 is not an HTTP status (100-599)",
    ],
    [
      () => freshnessLifetime({ status: 200.5, headers }, T),
      "RangeError",
      "Cannot compute a freshness lifetime: status 200.5 is not an HTTP status (100-599)",
    ],
    [
      () => freshnessLifetime({ status: 200, headers: {} as HttpHeaders }, T),
      "TypeError",
      "Cannot compute a freshness lifetime: headers must be HttpHeaders, got object",
    ],
    [
      () => freshnessLifetime({ status: 200, headers }, NaN),
      "RangeError",
      "Cannot compute a freshness lifetime: responseTime NaN is not a finite number of ms",
    ],
    [
      () => currentAge(ok, Infinity),
      "RangeError",
      "Cannot compute the age of a stored response: now Infinity is not a finite number of ms",
    ],
    [
      () => currentAge({ ...ok, requestTime: "0" as unknown as number }, T),
      "RangeError",
      'Cannot compute the age of a stored response: requestTime "0" is not a finite number of ms',
    ],
    [
      () => currentAge(null as unknown as StoredResponse, T),
      "TypeError",
      "Cannot compute the age of a stored response: the stored response must be an object, got null",
    ],
    [
      () => lookupStoredResponse(ok, { method: "G T", headers }, T),
      "TypeError",
      'Cannot look up a stored response: method "G T" is not an RFC 9110 token',
    ],
    [
      () => lookupStoredResponse(ok, undefined as unknown as CacheRequest, T),
      "TypeError",
      "Cannot look up a stored response: the request must be an object, got undefined",
    ],
    [
      () => lookupStoredResponse({ ...ok, requestMethod: "" }, get(), T),
      "TypeError",
      'Cannot look up a stored response: method "" is not an RFC 9110 token',
    ],
    [
      () => lookupStoredResponse({ ...ok, requestHeaders: undefined as unknown as HttpHeaders }, get(), T),
      "TypeError",
      "Cannot look up a stored response: headers must be HttpHeaders, got undefined",
    ],
    [
      () => storable(get(), { status: 600, headers }),
      "RangeError",
      "Cannot decide whether to store a response: status 600 is not an HTTP status (100-599)",
    ],
    [
      () => storable(get(), undefined as unknown as StoredResponse),
      "RangeError",
      "Cannot decide whether to store a response: status undefined is not an HTTP status (100-599)",
    ],
    [
      () => varyMatches(headers, headers, "Foo: 1" as unknown as HttpHeaders),
      "TypeError",
      'Cannot match Vary: headers must be HttpHeaders, got "Foo: 1"',
    ],
    [
      () => conditionalHeaders(new Headers() as unknown as HttpHeaders),
      "TypeError",
      "Cannot build conditional headers: headers must be HttpHeaders, got object",
    ],
    [
      () => headersToStore(null as unknown as HttpHeaders),
      "TypeError",
      "Cannot select the header fields to store: headers must be HttpHeaders, got null",
    ],
    [
      () => mergeNotModified(headers, [] as unknown as HttpHeaders),
      "TypeError",
      "Cannot merge a 304 into a stored response: headers must be HttpHeaders, got object",
    ],
    [
      () => notModifiedSelects(undefined as unknown as HttpHeaders, headers),
      "TypeError",
      "Cannot match a 304 to a stored response: headers must be HttpHeaders, got undefined",
    ],
    [
      () => invalidates("POST", 99),
      "RangeError",
      "Cannot decide on invalidation: status 99 is not an HTTP status (100-599)",
    ],
    [
      () => invalidates("", 200),
      "TypeError",
      'Cannot decide on invalidation: method "" is not an RFC 9110 token',
    ],
    [
      () => invalidatedUris("https://h/" as unknown as URL, "POST", { status: 200, headers }),
      "TypeError",
      'Cannot list invalidated URIs: target must be a URL, got "https://h/"',
    ],
    [
      () => invalidatedUris(new URL("https://h/"), "POST", { status: 200 } as StoredResponse),
      "TypeError",
      "Cannot list invalidated URIs: headers must be HttpHeaders, got undefined",
    ],
  ];
  for (const [call, name, message] of cases) assert.throws(call, { name, message }, message);
});

Deno.test("freshness is monotonic: once stale, a response stays stale (property)", () => {
  const directive = fc.constantFrom(
    "max-age=0",
    "max-age=5",
    "max-age=100",
    "no-cache",
    "must-revalidate",
    "public",
  );
  fc.assert(
    fc.property(
      fc.array(directive, { maxLength: 3 }),
      fc.integer({ min: -200, max: 200 }),
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 0, max: 300_000 }),
      fc.integer({ min: 0, max: 300_000 }),
      (directives, dateOffset, age, first, later) => {
        const entry = stored([
          ["Cache-Control", directives.join(", ")],
          ["Date", at(dateOffset)],
          ["Age", String(age)],
          ["Last-Modified", at(-1000)],
        ]);
        const [early, late] = first <= later ? [first, later] : [later, first];
        if (!isFresh(entry, T + early)) assert.equal(isFresh(entry, T + late), false);
        assert.ok(currentAge(entry, T + late) >= currentAge(entry, T + early));
      },
    ),
    { seed: 9111, numRuns: 200 },
  );
});
