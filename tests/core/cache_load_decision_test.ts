import assert from "node:assert/strict";
import { parseCacheControl } from "../../src/core/cache_control.ts";
import {
  type CacheLookup,
  lookupStoredResponse,
  type StoredResponse,
} from "../../src/core/cache_freshness.ts";
import { CacheLoadControl } from "../../src/core/cache_load_control.ts";
import {
  type CacheLoadDecision,
  decideCacheLoad,
  decideRevalidationOutcome,
  type RevalidationOutcome,
} from "../../src/core/cache_load_decision.ts";
import { formatHttpDate } from "../../src/core/http_date.ts";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { NetworkError } from "../../src/core/network_error.ts";

const { AlwaysNetwork, PreferNetwork, PreferCache, AlwaysCache } = CacheLoadControl;
const network: CacheLoadDecision = { kind: "network" };
const serve: CacheLoadDecision = { kind: "serve" };
const revalidate: CacheLoadDecision = { kind: "revalidate" };
const notFound: CacheLoadDecision = { kind: "fail", code: NetworkError.ContentNotFoundError };

Deno.test("decideCacheLoad: every load control against every lookup", () => {
  const table: [CacheLoadControl, Record<CacheLookup, CacheLoadDecision>][] = [
    [AlwaysNetwork, { "miss": network, "fresh": network, "stale": network, "must-revalidate": network }],
    [PreferNetwork, { "miss": network, "fresh": serve, "stale": revalidate, "must-revalidate": revalidate }],
    // The deliberate fix of Qt: a stale entry is served without the network.
    [PreferCache, { "miss": network, "fresh": serve, "stale": serve, "must-revalidate": revalidate }],
    [AlwaysCache, { "miss": notFound, "fresh": serve, "stale": serve, "must-revalidate": notFound }],
  ];
  for (const [control, row] of table) {
    for (const [lookup, expected] of Object.entries(row) as [CacheLookup, CacheLoadDecision][]) {
      assert.deepEqual(decideCacheLoad({ control, lookup }), expected, `${control} ${lookup}`);
      // must-revalidate on the entry matters to AlwaysCache only (Qt refuses such an entry there).
      const withMustRevalidate: CacheLoadDecision = control === AlwaysCache ? notFound : expected;
      assert.deepEqual(
        decideCacheLoad({ control, lookup, mustRevalidate: true }),
        withMustRevalidate,
        `${control} ${lookup} m-r`,
      );
      assert.deepEqual(
        decideCacheLoad({ control, lookup, mustRevalidate: false }),
        expected,
        `${control} ${lookup}`,
      );
    }
  }
});

Deno.test("decideRevalidationOutcome: 304 updates, 5xx falls back unless validation is required (RFC 9111 §4.3.3)", () => {
  const cases: [CacheLookup, number, RevalidationOutcome][] = [
    ["stale", 304, "update-stored"],
    ["must-revalidate", 304, "update-stored"],
    ["fresh", 304, "update-stored"],
    ["miss", 304, "use-response"],
    ["stale", 200, "use-response"],
    ["must-revalidate", 200, "use-response"],
    ["stale", 404, "use-response"],
    ["stale", 301, "use-response"],
    ["stale", 500, "serve-stored"],
    ["stale", 503, "serve-stored"],
    ["stale", 599, "serve-stored"],
    ["fresh", 502, "serve-stored"],
    ["must-revalidate", 500, "use-response"],
    ["must-revalidate", 504, "use-response"],
    ["miss", 500, "use-response"],
  ];
  for (const [lookup, status, outcome] of cases) {
    assert.equal(decideRevalidationOutcome(lookup, status), outcome, `${lookup} ${status}`);
  }
});

Deno.test("decideRevalidationOutcome: past its stale-if-error window, a 5xx is the reply (RFC 5861 §4)", () => {
  assert.equal(decideRevalidationOutcome("stale", 500, true), "serve-stored");
  assert.equal(decideRevalidationOutcome("stale", 500, false), "use-response");
  assert.equal(decideRevalidationOutcome("stale", 304, false), "update-stored");
  assert.throws(() => decideRevalidationOutcome("stale", 500, "no" as unknown as boolean), {
    name: "TypeError",
    message: 'Cannot decide on a revalidation response: staleAllowed must be a boolean, got "no"',
  });
});

// Qt's tst_QNetworkReply::ioGetFromHttpWithCache, at the level of decisions.
// Each row: the cached entry, the load control, the server's answer, and Qt's
// expectations (loadedFromCache, networkUsed) next to netreply's.
const NOW = Date.UTC(2026, 0, 1, 12);
const past = formatHttpDate(new Date(NOW - 3600_000));

function entry(cacheControl: string): StoredResponse {
  return {
    requestMethod: "GET",
    requestHeaders: new HttpHeaders(),
    status: 200,
    headers: new HttpHeaders([["Date", past], ["Cache-Control", cacheControl]]),
    requestTime: NOW - 3600_000,
    responseTime: NOW - 3600_000,
  };
}

const expired = entry("max-age=0");
const notExpired = entry("max-age=7200");
const mustRevalidate = entry("max-age=7200, must-revalidate");

interface Row {
  readonly tag: string;
  readonly cached: StoredResponse | undefined;
  readonly control: CacheLoadControl;
  readonly answer: 200 | 304 | 206;
  readonly extraHeaders?: [string, string][];
  /** Qt's [loadedFromCache, networkUsed]. */
  readonly qt: [boolean, boolean];
  /** netreply's, where it differs, and why. */
  readonly netreply?: [boolean, boolean, string];
}

const PREFER_CACHE = "PreferCache serves a stale entry (deliberate fix of Qt, see docs/qt-deviations.md)";
const FRESH_MUST_REVALIDATE =
  "a fresh must-revalidate entry is served (RFC 9111 §5.2.2.2; Qt dev/6.8.x honour freshness too, the row is expected-fail there)";

const rows: Row[] = [
  {
    tag: "not-cached,always-network",
    cached: undefined,
    control: AlwaysNetwork,
    answer: 200,
    qt: [false, true],
  },
  {
    tag: "not-cached,prefer-network",
    cached: undefined,
    control: PreferNetwork,
    answer: 200,
    qt: [false, true],
  },
  { tag: "not-cached,prefer-cache", cached: undefined, control: PreferCache, answer: 200, qt: [false, true] },
  {
    tag: "expired,200,prefer-network",
    cached: expired,
    control: PreferNetwork,
    answer: 200,
    qt: [false, true],
  },
  {
    tag: "expired,200,prefer-cache",
    cached: expired,
    control: PreferCache,
    answer: 200,
    qt: [false, true],
    netreply: [true, false, PREFER_CACHE],
  },
  {
    tag: "expired,304,prefer-network",
    cached: expired,
    control: PreferNetwork,
    answer: 304,
    qt: [true, true],
  },
  {
    tag: "expired,304,prefer-cache",
    cached: expired,
    control: PreferCache,
    answer: 304,
    qt: [true, true],
    netreply: [true, false, PREFER_CACHE],
  },
  {
    tag: "not-expired,200,always-network",
    cached: notExpired,
    control: AlwaysNetwork,
    answer: 200,
    qt: [false, true],
  },
  {
    tag: "not-expired,200,prefer-network",
    cached: notExpired,
    control: PreferNetwork,
    answer: 200,
    qt: [true, false],
  },
  {
    tag: "not-expired,200,prefer-cache",
    cached: notExpired,
    control: PreferCache,
    answer: 200,
    qt: [true, false],
  },
  {
    tag: "not-expired,200,always-cache",
    cached: notExpired,
    control: AlwaysCache,
    answer: 200,
    qt: [true, false],
  },
  {
    tag: "not-expired,304,prefer-network",
    cached: notExpired,
    control: PreferNetwork,
    answer: 304,
    qt: [true, false],
  },
  {
    tag: "not-expired,304,prefer-cache",
    cached: notExpired,
    control: PreferCache,
    answer: 304,
    qt: [true, false],
  },
  {
    tag: "not-expired,304,always-cache",
    cached: notExpired,
    control: AlwaysCache,
    answer: 304,
    qt: [true, false],
  },
  {
    tag: "must-revalidate,200,always-network",
    cached: mustRevalidate,
    control: AlwaysNetwork,
    answer: 200,
    qt: [false, true],
  },
  {
    tag: "must-revalidate,200,prefer-network",
    cached: mustRevalidate,
    control: PreferNetwork,
    answer: 200,
    qt: [false, true],
    netreply: [true, false, FRESH_MUST_REVALIDATE],
  },
  {
    tag: "must-revalidate,200,prefer-cache",
    cached: mustRevalidate,
    control: PreferCache,
    answer: 200,
    qt: [false, true],
    netreply: [true, false, FRESH_MUST_REVALIDATE],
  },
  {
    tag: "must-revalidate,200,always-cache",
    cached: mustRevalidate,
    control: AlwaysCache,
    answer: 200,
    qt: [false, false],
  },
  {
    tag: "must-revalidate,304,prefer-network",
    cached: mustRevalidate,
    control: PreferNetwork,
    answer: 304,
    qt: [true, true],
    netreply: [true, false, FRESH_MUST_REVALIDATE],
  },
  {
    tag: "must-revalidate,304,prefer-cache",
    cached: mustRevalidate,
    control: PreferCache,
    answer: 304,
    qt: [true, true],
    netreply: [true, false, FRESH_MUST_REVALIDATE],
  },
  {
    tag: "must-revalidate,304,always-cache",
    cached: mustRevalidate,
    control: AlwaysCache,
    answer: 304,
    qt: [false, false],
  },
  {
    tag: "partial,dontuse-cache",
    cached: notExpired,
    control: PreferCache,
    answer: 206,
    extraHeaders: [["Range", "bytes=2-6"]],
    qt: [false, true],
  },
];

/** The pure decisions chained as the manager will: [loadedFromCache, networkUsed]. */
function run(row: Row): [boolean, boolean] {
  const request = { method: "GET", headers: new HttpHeaders(row.extraHeaders ?? []) };
  const lookup = lookupStoredResponse(row.cached, request, NOW);
  const mustRevalidate = row.cached !== undefined &&
    parseCacheControl(row.cached.headers.values("cache-control")).mustRevalidate;
  const decision = decideCacheLoad({ control: row.control, lookup, mustRevalidate });
  switch (decision.kind) {
    case "serve":
      return [true, false];
    case "fail":
      return [false, false];
    case "network":
      return [false, true];
    case "revalidate":
      return [decideRevalidationOutcome(lookup, row.answer) !== "use-response", true];
  }
}

Deno.test("Qt ioGetFromHttpWithCache: body source and network use per row", () => {
  assert.equal(rows.length, 22);
  for (const row of rows) {
    const expected = row.netreply ? [row.netreply[0], row.netreply[1]] : row.qt;
    assert.deepEqual(run(row), expected, row.netreply ? `${row.tag}: ${row.netreply[2]}` : row.tag);
  }
});

Deno.test("Qt ioGetFromHttpWithCache: the stale rows follow Qt once stale content is not preferred", () => {
  // Expired entries under PreferNetwork: Qt's answers exactly (revalidate; 304 ⇒ from cache).
  for (const row of rows.filter((r) => r.cached === expired)) {
    const asPreferNetwork = { ...row, control: PreferNetwork };
    assert.deepEqual(run(asPreferNetwork), [row.answer === 304, true], row.tag);
  }
  // A must-revalidate entry once stale: revalidated in every mode that may use the network.
  const staleMustRevalidate = {
    ...mustRevalidate,
    responseTime: NOW - 7200_000,
    requestTime: NOW - 7200_000,
  };
  for (const control of [PreferNetwork, PreferCache]) {
    for (const answer of [200, 304] as const) {
      const row: Row = {
        tag: "stale must-revalidate",
        cached: staleMustRevalidate,
        control,
        answer,
        qt: [false, true],
      };
      assert.deepEqual(run(row), [answer === 304, true], `${control} ${answer}`);
    }
  }
  assert.deepEqual(
    run({
      tag: "stale must-revalidate",
      cached: staleMustRevalidate,
      control: AlwaysCache,
      answer: 200,
      qt: [false, false],
    }),
    [false, false],
  );
});

Deno.test("decideCacheLoad and decideRevalidationOutcome reject bad input with a clear message", () => {
  const cases: [() => unknown, string, string][] = [
    [
      () => decideCacheLoad({ control: 4 as CacheLoadControl, lookup: "miss" }),
      "RangeError",
      "Cannot decide a cache load: control 4 is not a CacheLoadControl (0-3)",
    ],
    [
      () => decideCacheLoad({ control: "1" as unknown as CacheLoadControl, lookup: "miss" }),
      "RangeError",
      'Cannot decide a cache load: control "1" is not a CacheLoadControl (0-3)',
    ],
    [
      () => decideCacheLoad({ control: PreferCache, lookup: "hit" as CacheLookup }),
      "TypeError",
      'Cannot decide a cache load: lookup "hit" is not "miss", "fresh", "stale" or "must-revalidate"',
    ],
    [
      () => decideCacheLoad({ control: PreferCache, lookup: undefined as unknown as CacheLookup }),
      "TypeError",
      'Cannot decide a cache load: lookup undefined is not "miss", "fresh", "stale" or "must-revalidate"',
    ],
    [
      () => decideCacheLoad(null as unknown as { control: CacheLoadControl; lookup: CacheLookup }),
      "TypeError",
      "Cannot decide a cache load: input must be an object, got null",
    ],
    [
      () => decideRevalidationOutcome("Stale" as CacheLookup, 304),
      "TypeError",
      'Cannot decide on a revalidation response: lookup "Stale" is not "miss", "fresh", "stale" or "must-revalidate"',
    ],
    [
      () => decideRevalidationOutcome("stale", 99),
      "RangeError",
      "Cannot decide on a revalidation response: status 99 is not an HTTP status (100-599)",
    ],
    [
      () => decideRevalidationOutcome("stale", NaN),
      "RangeError",
      "Cannot decide on a revalidation response: status NaN is not an HTTP status (100-599)",
    ],
  ];
  for (const [call, name, message] of cases) assert.throws(call, { name, message }, message);
});
