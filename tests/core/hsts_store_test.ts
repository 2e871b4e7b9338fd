// HstsStore: learning (RFC 6797 §8.1), host matching (§8.2), URL upgrade
// (§8.3, with Qt's port rule), expiry with the time passed in, and JSON.

import assert from "node:assert/strict";
import fc from "fast-check";
import { HstsPolicy } from "../../src/core/hsts_policy.ts";
import { type HstsPoliciesJson, HstsStore } from "../../src/core/hsts_store.ts";

const SECURE = { https: true, certificateErrors: false } as const;
const T0 = Date.UTC(2026, 0, 1);
const SECOND = 1000;

/** A store that learnt `header` for each host at T0. */
function storeWith(entries: Record<string, string>): HstsStore {
  const store = new HstsStore();
  for (const [host, header] of Object.entries(entries)) {
    assert.equal(store.learn(host, header, T0, SECURE).action, "stored", host);
  }
  return store;
}

/** The store's policies in one comparable line each: `host +<seconds left> [sub]`. */
function listing(store: HstsStore, now = T0): string[] {
  return store.policies(now).map((p) =>
    `${p.host} +${(p.expiry.getTime() - T0) / SECOND}${p.includeSubDomains ? " sub" : ""}`
  );
}

// ---------------------------------------------------------------- learning

Deno.test("learn: stores host, expiry now + max-age and includeSubDomains", () => {
  const store = new HstsStore();
  const update = store.learn("example.com", "max-age=60; includeSubDomains", T0, SECURE);
  assert.equal(update.action, "stored");
  assert.ok(update.action === "stored" && update.policy instanceof HstsPolicy);
  assert.deepEqual(listing(store), ["example.com +60 sub"]);
});

Deno.test("learn: a later field updates the host, includeSubDomains included", () => {
  const store = storeWith({ "example.com": "max-age=60; includeSubDomains" });
  store.learn("example.com", "max-age=120", T0 + 10 * SECOND, SECURE);
  assert.deepEqual(listing(store), ["example.com +130"]);
});

Deno.test("learn: max-age=0 removes the host, and only that host (RFC 6797 §6.1.1)", () => {
  const store = storeWith({ "example.com": "max-age=60", "a.example.com": "max-age=60" });
  assert.deepEqual(store.learn("example.com", "max-age=0; includeSubDomains", T0, SECURE), {
    action: "removed",
    host: "example.com",
  });
  assert.deepEqual(listing(store), ["a.example.com +60"]);
  assert.deepEqual(store.learn("unknown.test", "max-age=0", T0, SECURE), {
    action: "removed",
    host: "unknown.test",
  });
});

Deno.test("learn: the first valid field of several wins", () => {
  const store = new HstsStore();
  store.learn("example.com", ["max-age=bad", "max-age=30", "max-age=90; includeSubDomains"], T0, SECURE);
  store.learn("joined.test", "max-age=bad, max-age=40; includeSubDomains", T0, SECURE);
  assert.deepEqual(listing(store), ["example.com +30", "joined.test +40 sub"]);
});

Deno.test("learn: host names are canonical: case, IDNA, trailing dot", () => {
  const store = new HstsStore();
  store.learn("EXAMPLE.com", "max-age=1", T0, SECURE);
  store.learn("Bücher.example", "max-age=2", T0, SECURE);
  store.learn("dot.test.", "max-age=3", T0, SECURE);
  assert.deepEqual(listing(store), ["dot.test +3", "example.com +1", "xn--bcher-kva.example +2"]);
  assert.equal(store.policyFor("dot.test", T0)?.host, "dot.test");
  assert.equal(store.policyFor("DOT.TEST.", T0)?.host, "dot.test");
});

const ignored: {
  why: string;
  host: string;
  header: string | string[] | null | undefined;
  security?: { https: boolean; certificateErrors: boolean };
  reason: string;
}[] = [
  {
    why: "plain http (§8.1)",
    host: "example.com",
    header: "max-age=60",
    security: { https: false, certificateErrors: false },
    reason: 'Ignoring Strict-Transport-Security for "example.com": the response did not come over https',
  },
  {
    why: "certificate errors, even ignored ones (§8.1, §8.4)",
    host: "example.com",
    header: "max-age=60",
    security: { https: true, certificateErrors: true },
    reason: 'Ignoring Strict-Transport-Security for "example.com": the connection had certificate errors',
  },
  {
    why: "IPv4 literal (§8.1)",
    host: "192.0.2.1",
    header: "max-age=60",
    reason: 'Ignoring Strict-Transport-Security for "192.0.2.1": an IP address is never an HSTS host',
  },
  {
    why: "IPv4 in another notation",
    host: "0x7f.1",
    header: "max-age=60",
    reason: 'Ignoring Strict-Transport-Security for "0x7f.1": an IP address is never an HSTS host',
  },
  {
    why: "IPv6 literal",
    host: "[::1]",
    header: "max-age=60",
    reason: 'Ignoring Strict-Transport-Security for "[::1]": an IP address is never an HSTS host',
  },
  {
    why: "IPv6 without brackets",
    host: "2001:db8::1",
    header: "max-age=60",
    reason: 'Ignoring Strict-Transport-Security for "2001:db8::1": an IP address is never an HSTS host',
  },
  { why: "no header", host: "example.com", header: null, reason: "No Strict-Transport-Security field" },
  {
    why: "undefined header",
    host: "example.com",
    header: undefined,
    reason: "No Strict-Transport-Security field",
  },
  { why: "no field", host: "example.com", header: [], reason: "No Strict-Transport-Security field" },
  {
    why: "invalid field",
    host: "example.com",
    header: "max-age=60; max-age=60",
    reason: 'Ignoring Strict-Transport-Security "max-age=60; max-age=60": directive "max-age" appears twice',
  },
];

for (const { why, host, header, security, reason } of ignored) {
  Deno.test(`learn: ignored for ${why}`, () => {
    const store = new HstsStore();
    assert.deepEqual(store.learn(host, header, T0, security ?? SECURE), { action: "ignored", reason });
    assert.deepEqual(store.policies(T0), []);
  });
}

Deno.test("learn: an ignored field leaves the known policy alone", () => {
  const store = storeWith({ "example.com": "max-age=60" });
  store.learn("example.com", "max-age=0", T0, { https: false, certificateErrors: false });
  store.learn("example.com", "max-age=0", T0, { https: true, certificateErrors: true });
  store.learn("example.com", "max-age=0; max-age=0", T0, SECURE);
  assert.deepEqual(listing(store), ["example.com +60"]);
});

const badHosts: { host: unknown; message: string }[] = [
  { host: "", message: 'Cannot learn HSTS for "": not a host name' },
  { host: "example.com:443", message: 'Cannot learn HSTS for "example.com:443": not a host name' },
  { host: "example.com/path", message: 'Cannot learn HSTS for "example.com/path": not a host name' },
  { host: "user@example.com", message: 'Cannot learn HSTS for "user@example.com": not a host name' },
  { host: "exa mple.com", message: 'Cannot learn HSTS for "exa mple.com": not a host name' },
  { host: "ex%41mple.com", message: 'Cannot learn HSTS for "ex%41mple.com": not a host name' },
  { host: "a<b", message: 'Cannot learn HSTS for "a<b": not a host name' },
  { host: ".", message: 'Cannot learn HSTS for ".": not a host name' },
  { host: "[nope]", message: 'Cannot learn HSTS for "[nope]": not a host name' },
  { host: "1.2.3.4.5", message: 'Cannot learn HSTS for "1.2.3.4.5": not a host name' },
  { host: 42, message: "Cannot learn HSTS for 42: the host is not a string" },
];

for (const { host, message } of badHosts) {
  Deno.test(`learn: host ${JSON.stringify(host)} throws a TypeError`, () => {
    assert.throws(() => new HstsStore().learn(host as string, "max-age=60", T0, SECURE), {
      name: "TypeError",
      message,
    });
  });
}

Deno.test("learn: security must say https and certificateErrors as booleans", () => {
  const message =
    'Cannot learn HSTS for "a.test": security must be { https: boolean, certificateErrors: boolean }';
  for (const security of [undefined, null, {}, { https: true }, { https: "yes", certificateErrors: false }]) {
    assert.throws(
      () => new HstsStore().learn("a.test", "max-age=1", T0, security as unknown as typeof SECURE),
      { name: "TypeError", message },
    );
  }
});

Deno.test("the time must be a finite number, at every entry point", () => {
  const store = new HstsStore();
  const cases: [() => unknown, string][] = [
    [
      () => store.learn("a.test", "max-age=1", NaN, SECURE),
      "Cannot learn HSTS: now must be a finite number of milliseconds, got NaN",
    ],
    [
      () => store.add(new HstsPolicy({ host: "a.test", expiry: new Date(T0) }), Infinity),
      "Cannot add HSTS policy: now must be a finite number of milliseconds, got Infinity",
    ],
    [
      () => store.policyFor("a.test", "0" as unknown as number),
      'Cannot look up HSTS: now must be a finite number of milliseconds, got "0"',
    ],
    [
      () => store.upgrade(new URL("http://a.test/"), -Infinity),
      "Cannot upgrade a URL: now must be a finite number of milliseconds, got -Infinity",
    ],
    [
      () => store.policies(undefined as unknown as number),
      "Cannot list HSTS policies: now must be a finite number of milliseconds, got undefined",
    ],
  ];
  for (const [call, message] of cases) assert.throws(call, { name: "RangeError", message });
});

// ------------------------------------------------------------------ add()

Deno.test("add: stores a user policy, canonicalising its host", () => {
  const store = new HstsStore();
  const expiry = new Date(T0 + 60 * SECOND);
  const update = store.add(new HstsPolicy({ host: "Example.COM.", expiry, includeSubDomains: true }), T0);
  assert.equal(update.action, "stored");
  assert.deepEqual(listing(store), ["example.com +60 sub"]);
});

Deno.test("add: an expired policy removes the host, as Qt does", () => {
  const store = storeWith({ "example.com": "max-age=60" });
  assert.deepEqual(store.add(new HstsPolicy({ host: "example.com", expiry: new Date(T0) }), T0), {
    action: "removed",
    host: "example.com",
  });
  assert.deepEqual(store.policies(T0), []);
});

Deno.test("add: an IP address is ignored; a non-policy or a bad host throws", () => {
  const store = new HstsStore();
  assert.deepEqual(store.add(new HstsPolicy({ host: "10.0.0.1", expiry: new Date(T0 + 1) }), T0), {
    action: "ignored",
    reason: 'Ignoring HSTS policy for "10.0.0.1": an IP address is never an HSTS host',
  });
  assert.throws(() => store.add({ host: "a.test" } as unknown as HstsPolicy, T0), {
    name: "TypeError",
    message: "Cannot add HSTS policy [object Object]: expected an HstsPolicy",
  });
  assert.throws(() => store.add(new HstsPolicy({ host: "a.test:1", expiry: new Date(T0 + 1) }), T0), {
    name: "TypeError",
    message: 'Cannot add HSTS policy for "a.test:1": not a host name',
  });
});

// ----------------------------------------------------------- matching §8.2

const matching: { host: string; expected: string | undefined; why: string }[] = [
  { host: "sub.test", expected: "sub.test", why: "congruent match" },
  { host: "a.sub.test", expected: "sub.test", why: "superdomain with includeSubDomains" },
  { host: "x.y.z.sub.test", expected: "sub.test", why: "any depth" },
  { host: "A.SUB.TEST", expected: "sub.test", why: "case-insensitive" },
  { host: "a.sub.test.", expected: "sub.test", why: "trailing dot" },
  { host: "nosub.test", expected: "nosub.test", why: "congruent match without includeSubDomains" },
  { host: "a.nosub.test", expected: undefined, why: "superdomain without includeSubDomains" },
  { host: "xsub.test", expected: undefined, why: "a suffix that is not a label boundary" },
  { host: "test", expected: undefined, why: "a parent is not covered by its child" },
  { host: "own.a.nosub.test", expected: "own.a.nosub.test", why: "own policy under an uncovering parent" },
  { host: "b.own.a.nosub.test", expected: undefined, why: "own policy without includeSubDomains" },
  { host: "deep.sub.test", expected: "deep.sub.test", why: "the nearest policy first" },
  {
    host: "x.deep.sub.test",
    expected: "sub.test",
    why: "nearest has no includeSubDomains: farther one covers",
  },
  { host: "unknown.example", expected: undefined, why: "unknown host" },
  { host: "192.0.2.1", expected: undefined, why: "IP address" },
  { host: "[2001:db8::1]", expected: undefined, why: "IPv6 address" },
];

for (const { host, expected, why } of matching) {
  Deno.test(`policyFor(${JSON.stringify(host)}) is ${expected} (${why})`, () => {
    const store = storeWith({
      "sub.test": "max-age=60; includeSubDomains",
      "nosub.test": "max-age=60",
      "own.a.nosub.test": "max-age=60",
      "deep.sub.test": "max-age=60",
    });
    assert.equal(store.policyFor(host, T0)?.host, expected);
  });
}

Deno.test("policyFor: a longer-lived subdomain policy does not stand in for its parent", () => {
  const store = storeWith({ "a.example.com": "max-age=60; includeSubDomains" });
  assert.equal(store.policyFor("example.com", T0), undefined);
});

// ----------------------------------------------------------------- expiry

Deno.test("expiry: a policy holds until now reaches expiry, then is purged", () => {
  const store = storeWith({ "example.com": "max-age=60; includeSubDomains" });
  const expiry = T0 + 60 * SECOND;
  assert.equal(store.policyFor("a.example.com", expiry - 1)?.host, "example.com");
  assert.equal(store.policyFor("example.com", expiry), undefined);
  // Purged: even an earlier time no longer finds it.
  assert.equal(store.policyFor("example.com", T0), undefined);
});

Deno.test("expiry: an expired congruent policy gives way to a live superdomain policy", () => {
  const store = storeWith({ "example.com": "max-age=100; includeSubDomains", "a.example.com": "max-age=10" });
  assert.equal(store.policyFor("a.example.com", T0 + 5 * SECOND)?.host, "a.example.com");
  assert.equal(store.policyFor("a.example.com", T0 + 10 * SECOND)?.host, "example.com");
  assert.deepEqual(listing(store, T0 + 10 * SECOND), ["example.com +100 sub"]);
});

Deno.test("expiry: policies(now) lists only the live ones and purges the rest", () => {
  const store = storeWith({ "c.test": "max-age=30", "a.test": "max-age=10", "b.test": "max-age=20" });
  assert.deepEqual(listing(store), ["a.test +10", "b.test +20", "c.test +30"]);
  assert.deepEqual(listing(store, T0 + 20 * SECOND), ["c.test +30"]);
  assert.deepEqual(store.toJSON().policies.map((p) => p.host), ["c.test"]);
});

Deno.test("expiry: the maximal max-age (2^31 s) gives a valid date", () => {
  const store = storeWith({ "example.com": "max-age=99999999999999999999" });
  assert.equal(store.policyFor("example.com", T0)?.expiry.getTime(), T0 + 2 ** 31 * SECOND);
});

Deno.test("HstsPolicy.isExpired(now): expired when expiry <= now; Date.now() by default", () => {
  const policy = new HstsPolicy({ host: "example.com", expiry: new Date(T0) });
  assert.equal(policy.isExpired(T0 - 1), false);
  assert.equal(policy.isExpired(T0), true);
  assert.equal(policy.isExpired(T0 + 1), true);
  assert.equal(new HstsPolicy({ host: "a.test", expiry: new Date(Date.now() + 60_000) }).isExpired(), false);
  assert.equal(new HstsPolicy({ host: "a.test", expiry: new Date(0) }).isExpired(), true);
  assert.throws(() => policy.isExpired(NaN), {
    name: "RangeError",
    message:
      'Cannot check HSTS policy for "example.com": now must be a finite number of milliseconds, got NaN',
  });
});

// ---------------------------------------------------------- upgrade §8.3

const upgrades: { url: string; expected: string | undefined; why: string }[] = [
  { url: "http://example.com/", expected: "https://example.com/", why: "scheme becomes https" },
  {
    url: "http://example.com:80/",
    expected: "https://example.com/",
    why: "explicit 80 becomes 443 (default)",
  },
  { url: "http://example.com:443/", expected: "https://example.com/", why: "explicit 443 stays 443" },
  { url: "http://example.com:8080/", expected: "https://example.com:8080/", why: "other ports are kept" },
  { url: "http://example.com:1/", expected: "https://example.com:1/", why: "port 1 kept" },
  {
    url: "http://u:p@example.com:80/a/b?c=d#e",
    expected: "https://u:p@example.com/a/b?c=d#e",
    why: "user info, path, query and fragment kept",
  },
  { url: "http://EXAMPLE.COM./x", expected: "https://example.com./x", why: "trailing dot matches, is kept" },
  { url: "http://www.example.com/", expected: "https://www.example.com/", why: "includeSubDomains" },
  { url: "http://only.test/", expected: "https://only.test/", why: "congruent, no includeSubDomains" },
  { url: "http://www.only.test/", expected: undefined, why: "subdomain not covered" },
  { url: "https://example.com:80/", expected: undefined, why: "already https: untouched, even port 80" },
  { url: "ws://example.com/", expected: undefined, why: "only http is upgraded" },
  { url: "ftp://example.com/", expected: undefined, why: "other schemes" },
  { url: "http://unknown.test/", expected: undefined, why: "unknown host" },
  { url: "http://127.0.0.1/", expected: undefined, why: "IP address" },
  { url: "http://[::1]/", expected: undefined, why: "IPv6 address" },
];

for (const { url, expected, why } of upgrades) {
  Deno.test(`upgrade(${url}) is ${expected} (${why})`, () => {
    const store = storeWith({ "example.com": "max-age=60; includeSubDomains", "only.test": "max-age=60" });
    store.learn("127.0.0.1", "max-age=60", T0, SECURE);
    const original = new URL(url);
    assert.equal(store.upgrade(original, T0)?.href, expected);
    assert.equal(original.href, new URL(url).href, "the given URL is not changed");
  });
}

Deno.test("upgrade: a new URL object, only while the policy lives", () => {
  const store = storeWith({ "example.com": "max-age=60" });
  const url = new URL("http://example.com/");
  assert.notEqual(store.upgrade(url, T0), url);
  assert.equal(store.upgrade(url, T0 + 60 * SECOND), undefined);
});

Deno.test("upgrade: a non-URL throws a TypeError", () => {
  assert.throws(() => new HstsStore().upgrade("http://example.com/" as unknown as URL, T0), {
    name: "TypeError",
    message: "Cannot upgrade http://example.com/: expected a URL",
  });
});

// ------------------------------------------------------------------- JSON

Deno.test("JSON: round trip through JSON.stringify keeps every policy, sorted", () => {
  const store = storeWith({
    "b.test": "max-age=20",
    "a.test": "max-age=10; includeSubDomains",
    "xn--bcher-kva.example": "max-age=30",
  });
  const text = JSON.stringify(store);
  assert.deepEqual(JSON.parse(text), {
    version: 1,
    policies: [
      { host: "a.test", expiry: new Date(T0 + 10 * SECOND).toISOString(), includeSubDomains: true },
      { host: "b.test", expiry: new Date(T0 + 20 * SECOND).toISOString(), includeSubDomains: false },
      {
        host: "xn--bcher-kva.example",
        expiry: new Date(T0 + 30 * SECOND).toISOString(),
        includeSubDomains: false,
      },
    ],
  });
  const copy = HstsStore.fromJSON(text);
  assert.deepEqual(listing(copy), listing(store));
  assert.deepEqual(listing(HstsStore.fromJSON(JSON.parse(text))), listing(store));
  assert.equal(copy.policyFor("x.a.test", T0)?.host, "a.test");
  assert.equal(JSON.stringify(copy), text);
});

Deno.test("JSON: round trip of arbitrary stores (property)", () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
  const host = fc.tuple(label, fc.constantFrom("test", "example", "com")).map(([l, tld]) => `${l}.${tld}`);
  const entry = fc.record({ host, seconds: fc.integer({ min: 1, max: 10 ** 9 }), sub: fc.boolean() });
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 8 }), (entries) => {
      const store = new HstsStore();
      for (const { host, seconds, sub } of entries) {
        store.learn(host, `max-age=${seconds}${sub ? "; includeSubDomains" : ""}`, T0, SECURE);
      }
      const copy = HstsStore.fromJSON(JSON.parse(JSON.stringify(store)));
      assert.deepEqual(copy.toJSON(), store.toJSON());
      assert.deepEqual(listing(copy), listing(store));
    }),
    { seed: 8, numRuns: 50 },
  );
});

Deno.test("JSON: expired policies survive until a lookup with a time purges them", () => {
  const store = HstsStore.fromJSON({
    version: 1,
    policies: [{ host: "old.test", expiry: "2000-01-01T00:00:00.000Z", includeSubDomains: false }],
  });
  assert.equal(store.toJSON().policies.length, 1);
  assert.equal(store.upgrade(new URL("http://old.test/"), T0), undefined);
  assert.deepEqual(store.toJSON(), { version: 1, policies: [] });
});

Deno.test("JSON: fromJSON(json, now) drops the policies expired at now (expiry <= now)", () => {
  const json: HstsPoliciesJson = {
    version: 1,
    policies: [
      { host: "gone.test", expiry: new Date(T0).toISOString(), includeSubDomains: false },
      { host: "kept.test", expiry: new Date(T0 + 1).toISOString(), includeSubDomains: true },
    ],
  };
  assert.deepEqual(HstsStore.fromJSON(json, T0).toJSON().policies.map((p) => p.host), ["kept.test"]);
  assert.equal(HstsStore.fromJSON(json).toJSON().policies.length, 2);
  assert.throws(() => HstsStore.fromJSON(json, NaN), {
    name: "RangeError",
    message: "Cannot read HSTS JSON: now must be a finite number of milliseconds, got NaN",
  });
});

Deno.test("JSON: host names are canonicalised on the way in", () => {
  const store = HstsStore.fromJSON({
    version: 1,
    policies: [{ host: "Bücher.Example.", expiry: "2030-01-01T00:00:00Z", includeSubDomains: true }],
  });
  assert.equal(store.policies(T0)[0].host, "xn--bcher-kva.example");
});

const policy = { host: "a.test", expiry: "2030-01-01T00:00:00Z", includeSubDomains: true };
const badJson: { json: unknown; message: string }[] = [
  { json: null, message: "expected an object with version 1 and a policies array, got null" },
  { json: "{", message: "Expected property name or '}' in JSON at position 1 (line 1 column 2)" },
  { json: "[]", message: "expected an object with version 1 and a policies array, got an array" },
  { json: 7, message: "expected an object with version 1 and a policies array, got 7" },
  { json: { policies: [] }, message: "version must be 1, got undefined" },
  { json: { version: "1", policies: [] }, message: 'version must be 1, got "1"' },
  { json: { version: 1, policies: {} }, message: "policies must be an array, got an object" },
  { json: { version: 1 }, message: "policies must be an array, got undefined" },
  { json: { version: 1, policies: [null] }, message: "policies[0] must be an object, got null" },
  {
    json: { version: 1, policies: [{ ...policy, host: undefined }] },
    message: "policies[0].host must be a non-empty string, got undefined",
  },
  {
    json: { version: 1, policies: [{ ...policy, host: " " }] },
    message: 'policies[0].host must be a non-empty string, got " "',
  },
  {
    json: { version: 1, policies: [{ ...policy, host: "a b" }] },
    message: 'policies[0].host "a b" is not a host name',
  },
  {
    json: { version: 1, policies: [{ ...policy, host: "10.1.2.3" }] },
    message: 'policies[0].host "10.1.2.3" is an IP address',
  },
  {
    json: { version: 1, policies: [{ ...policy, expiry: "soon" }] },
    message: 'policies[0].expiry must be an ISO 8601 date string, got "soon"',
  },
  {
    json: { version: 1, policies: [{ ...policy, expiry: 1893456000000 }] },
    message: "policies[0].expiry must be an ISO 8601 date string, got 1893456000000",
  },
  {
    json: { version: 1, policies: [{ ...policy, includeSubDomains: undefined }] },
    message: "policies[0].includeSubDomains must be a boolean, got undefined",
  },
  {
    json: { version: 1, policies: [policy, { ...policy, host: "A.TEST" }] },
    message: 'policies[1].host "a.test" appears twice',
  },
];

for (const { json, message } of badJson) {
  Deno.test(`fromJSON(${JSON.stringify(json)}) throws a TypeError`, () => {
    assert.throws(() => HstsStore.fromJSON(json as HstsPoliciesJson), {
      name: "TypeError",
      message: `Cannot read HSTS JSON: ${message}`,
    });
  });
}

// ------------------------------------------------------- HstsPolicy JSON

Deno.test("HstsPolicy JSON: toJSON and fromJSON round trip, from an object or a string", () => {
  const original = new HstsPolicy({ host: "Example.com", expiry: new Date(T0), includeSubDomains: true });
  assert.deepEqual(original.toJSON(), {
    host: "example.com",
    expiry: "2026-01-01T00:00:00.000Z",
    includeSubDomains: true,
  });
  for (const json of [original.toJSON(), JSON.stringify(original)]) {
    const copy = HstsPolicy.fromJSON(json);
    assert.ok(copy instanceof HstsPolicy);
    assert.deepEqual(copy, original);
  }
  // An expired policy is read as it is: the manager and the store drop it, not the value.
  assert.equal(
    HstsPolicy.fromJSON({ ...original.toJSON(), expiry: "2000-01-01T00:00:00Z" }).isExpired(),
    true,
  );
});

const badPolicyJson: { json: unknown; message: string }[] = [
  { json: "nope", message: "Unexpected token 'o', \"nope\" is not valid JSON" },
  { json: [], message: "the policy must be an object, got an array" },
  { json: { ...policy, host: 1 }, message: "host must be a non-empty string, got 1" },
  { json: { ...policy, expiry: null }, message: "expiry must be an ISO 8601 date string, got null" },
  {
    json: { ...policy, includeSubDomains: "yes" },
    message: 'includeSubDomains must be a boolean, got "yes"',
  },
];

for (const { json, message } of badPolicyJson) {
  Deno.test(`HstsPolicy.fromJSON(${JSON.stringify(json)}) throws a TypeError`, () => {
    assert.throws(() => HstsPolicy.fromJSON(json as string), {
      name: "TypeError",
      message: `Cannot read HSTS policy JSON: ${message}`,
    });
  });
}
