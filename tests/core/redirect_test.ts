// decideRedirect / redirectedMethod / isRedirectStatus (Qt's redirect handling,
// after Qt's ioHttpRedirectPolicyErrors matrix). Origins are compared by
// WHATWG URL rules, so http://h equals http://h:80 — a deliberate deviation
// from Qt's literal port comparison (docs/qt-deviations.md).

import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import {
  decideRedirect,
  isRedirectStatus,
  type RedirectDecision,
  redirectedMethod,
  type RedirectInput,
} from "../../src/core/redirect.ts";
import { RedirectPolicy } from "../../src/core/redirect_policy.ts";

const { ManualRedirectPolicy: Manual, NoLessSafeRedirectPolicy: NoLessSafe } = RedirectPolicy;
const { SameOriginRedirectPolicy: SameOrigin, UserVerifiedRedirectPolicy: UserVerified } = RedirectPolicy;
const POLICIES = [Manual, NoLessSafe, SameOrigin, UserVerified] as const;

function decide(
  partial: Partial<Omit<RedirectInput, "currentUrl">> & { currentUrl?: URL | string },
): RedirectDecision {
  return decideRedirect({
    status: 302,
    location: "/next",
    policy: NoLessSafe,
    remaining: 50,
    method: "GET",
    ...partial,
    currentUrl: new URL(partial.currentUrl ?? "http://h.test/start"),
  });
}

/** A decision in one comparable line: `none`, `follow GET http://…`, `refuse 11 <message>`. */
function show(decision: RedirectDecision): string {
  switch (decision.kind) {
    case "none":
      return "none";
    case "follow":
      return `follow ${decision.method}${decision.keepBody ? "+body" : ""} ${decision.url.href}`;
    case "refuse":
      return `refuse ${decision.code} ${decision.message}${decision.url ? ` @ ${decision.url.href}` : ""}`;
  }
}

// ---- statuses -----------------------------------------------------------------

const STATUSES: readonly (readonly [number, boolean])[] = [
  [200, false],
  [204, false],
  [300, false],
  [301, true],
  [302, true],
  [303, true],
  [304, false],
  [305, true],
  [306, false],
  [307, true],
  [308, true],
  [309, false],
  [399, false],
  [404, false],
  [500, false],
];

for (const [status, followed] of STATUSES) {
  Deno.test(`status ${status} is ${followed ? "" : "not "}a redirect`, () => {
    assert.equal(isRedirectStatus(status), followed);
    for (const policy of POLICIES) {
      const decision = decide({ status, policy });
      const expected = followed && policy !== Manual ? "follow" : "none";
      assert.equal(decision.kind, expected, `policy ${policy}`);
    }
  });
}

Deno.test("ManualRedirectPolicy never follows nor refuses, whatever the Location or budget", () => {
  for (const location of [undefined, "", "ftp://x/", "https://other.test/", "http://"]) {
    for (const remaining of [0, 50]) {
      assert.equal(show(decide({ policy: Manual, location, remaining })), "none");
    }
  }
});

// ---- the policy × target matrix (ioHttpRedirectPolicyErrors) ------------------

const INSECURE = NetworkError.InsecureRedirectError;

/** [from, Location, NoLessSafe, SameOrigin, UserVerified]: "follow" or the refusal code. */
const MATRIX: readonly (readonly [string, string, string | number, string | number, string | number])[] = [
  ["http://h.test/a", "/b", "follow", "follow", "follow"],
  ["http://h.test/a", "http://h.test/b", "follow", "follow", "follow"],
  ["http://h.test/a", "http://h.test:80/b", "follow", "follow", "follow"],
  ["http://h.test:80/a", "http://h.test/b", "follow", "follow", "follow"],
  ["https://h.test/a", "https://h.test:443/b", "follow", "follow", "follow"],
  ["http://H.TEST/a", "http://h.test/b", "follow", "follow", "follow"],
  ["http://h.test/a", "https://h.test/b", "follow", INSECURE, "follow"],
  ["http://h.test/a", "https://other.test/b", "follow", INSECURE, "follow"],
  ["http://h.test/a", "http://other.test/b", "follow", INSECURE, "follow"],
  ["http://h.test/a", "http://sub.h.test/b", "follow", INSECURE, "follow"],
  ["http://h.test/a", "http://h.test:8080/b", "follow", INSECURE, "follow"],
  ["http://h.test:8080/a", "http://h.test:8081/b", "follow", INSECURE, "follow"],
  ["http://h.test:8080/a", "/b", "follow", "follow", "follow"],
  ["https://h.test/a", "https://other.test/b", "follow", INSECURE, "follow"],
  ["https://h.test/a", "http://h.test/b", INSECURE, INSECURE, "follow"],
  ["https://h.test/a", "http://other.test/b", INSECURE, INSECURE, "follow"],
  ["https://h.test:8443/a", "http://h.test:8443/b", INSECURE, INSECURE, "follow"],
  ["http://[::1]/a", "http://[::1]:80/b", "follow", "follow", "follow"],
  ["http://127.0.0.1/a", "http://localhost/b", "follow", INSECURE, "follow"],
];

for (const [from, location, ...outcomes] of MATRIX) {
  for (const [i, policy] of [NoLessSafe, SameOrigin, UserVerified].entries()) {
    const expected = outcomes[i];
    Deno.test(`policy ${policy}: ${from} → ${location} is ${expected === "follow" ? "followed" : "refused"}`, () => {
      const decision = decide({ currentUrl: from, location, policy });
      const target = new URL(location, from);
      if (expected === "follow") {
        assert.equal(show(decision), `follow GET ${target.href}`);
        return;
      }
      assert.equal(decision.kind, "refuse");
      assert.equal(decision.code, expected);
      // The refused target is reported, so the manager can move url() first (Qt's quirk).
      assert.equal(decision.url?.href, target.href);
      const message = policy === SameOrigin
        ? `Insecure redirect: ${target.origin} is not the same origin as ${new URL(from).origin}`
        : `Insecure redirect: https to http (${target.href})`;
      assert.equal(decision.message, message);
    });
  }
}

// ---- Location and budget checks, in Qt's order ---------------------------------

const CHECKS: readonly {
  readonly name: string;
  readonly input: Partial<RedirectInput>;
  readonly expected: string;
}[] = [
  {
    name: "no Location",
    input: { location: undefined },
    expected: "refuse 301 Redirect (HTTP 302) without a Location header",
  },
  {
    name: "an empty Location",
    input: { location: "" },
    expected: 'refuse 301 Redirect (HTTP 302) to an invalid Location: ""',
  },
  {
    name: "a blank Location",
    input: { status: 307, location: "   " },
    expected: 'refuse 301 Redirect (HTTP 307) to an invalid Location: "   "',
  },
  {
    name: "a Location that does not parse",
    input: { location: "http://" },
    expected: 'refuse 301 Redirect (HTTP 302) to an invalid Location: "http://"',
  },
  {
    name: "a Location with a bad port",
    input: { status: 301, location: "http://h.test:99999/" },
    expected: 'refuse 301 Redirect (HTTP 301) to an invalid Location: "http://h.test:99999/"',
  },
  {
    name: "two Location fields, joined",
    input: { location: "/a, /b" },
    expected: 'refuse 301 Redirect (HTTP 302) with more than one Location: "/a, /b"',
  },
  {
    name: "a comma inside one Location is no second field",
    input: { location: "/search?q=a,b" },
    expected: "follow GET http://h.test/search?q=a,b",
  },
  {
    name: "an ftp: target",
    input: { location: "ftp://files.test/x" },
    expected: 'refuse 301 Protocol "ftp" is unknown',
  },
  {
    name: "a file: target",
    input: { location: "file:///etc/passwd" },
    expected: 'refuse 301 Protocol "file" is unknown',
  },
  {
    name: "a data: target",
    input: { location: "data:,x" },
    expected: 'refuse 301 Protocol "data" is unknown',
  },
  {
    name: "a javascript: target",
    input: { location: "javascript:alert(1)" },
    expected: 'refuse 301 Protocol "javascript" is unknown',
  },
  {
    name: "an ftp: target under UserVerified too",
    input: { location: "ftp://files.test/x", policy: UserVerified },
    expected: 'refuse 301 Protocol "ftp" is unknown',
  },
  { name: "budget 0", input: { remaining: 0 }, expected: "refuse 10 Too many redirects" },
  { name: "a negative budget", input: { remaining: -1 }, expected: "refuse 10 Too many redirects" },
  { name: "budget 1 still follows", input: { remaining: 1 }, expected: "follow GET http://h.test/next" },
  {
    name: "the Location is checked before the budget",
    input: { remaining: 0, location: undefined },
    expected: "refuse 301 Redirect (HTTP 302) without a Location header",
  },
  {
    name: "the budget is checked before the scheme",
    input: { remaining: 0, location: "ftp://files.test/x" },
    expected: "refuse 10 Too many redirects",
  },
  {
    name: "the budget is checked before the origin",
    input: { remaining: 0, location: "https://other.test/", policy: SameOrigin },
    expected: "refuse 10 Too many redirects",
  },
  {
    name: "the scheme is checked before the origin",
    input: { location: "ftp://other.test/", policy: SameOrigin },
    expected: 'refuse 301 Protocol "ftp" is unknown',
  },
];

for (const row of CHECKS) {
  Deno.test(`check: ${row.name}`, () => {
    assert.equal(show(decide(row.input)), row.expected);
  });
}

// ---- resolution of the target ---------------------------------------------------

const RESOLUTION: readonly (readonly [string, string, string])[] = [
  ["http://h.test/dir/page", "other", "http://h.test/dir/other"],
  ["http://h.test/dir/page", "/root", "http://h.test/root"],
  ["http://h.test/dir/page", "../up", "http://h.test/up"],
  ["http://h.test/dir/page", "?q=1", "http://h.test/dir/page?q=1"],
  ["http://h.test/dir/page", "//cdn.test/x", "http://cdn.test/x"],
  ["https://h.test/dir/page", "//cdn.test/x", "https://cdn.test/x"],
  ["http://h.test/a", "  /trimmed \t", "http://h.test/trimmed"],
  ["http://h.test/a", "/b c", "http://h.test/b%20c"],
  // Fragments: a Location without one inherits the current URL's (RFC 9110 §10.2.2).
  ["http://h.test/a#frag", "/b", "http://h.test/b#frag"],
  ["http://h.test/a#frag", "/b#own", "http://h.test/b#own"],
  ["http://h.test/a", "/b#own", "http://h.test/b#own"],
];

for (const [from, location, target] of RESOLUTION) {
  Deno.test(`Location ${JSON.stringify(location)} from ${from} resolves to ${target}`, () => {
    assert.equal(show(decide({ currentUrl: from, location })), `follow GET ${target}`);
  });
}

Deno.test("decideRedirect does not change the current URL it is given", () => {
  const currentUrl = new URL("http://h.test/a#frag");
  decideRedirect({
    status: 302,
    location: "/b",
    currentUrl,
    policy: NoLessSafe,
    remaining: 5,
    method: "GET",
  });
  assert.equal(currentUrl.href, "http://h.test/a#frag");
});

Deno.test("upgrade: its URL replaces the resolved target before the policy judges it; several Locations never reach it", () => {
  const upgrade = (target: URL) =>
    target.protocol === "http:" ? new URL(`https://${target.host}${target.pathname}`) : undefined;
  const from = "https://h.test/start#frag";
  assert.equal(show(decide({ currentUrl: from, location: "http://h.test/b" })).startsWith("refuse"), true);
  assert.equal(
    show(decide({ currentUrl: from, location: "http://h.test/b", upgrade })),
    "follow GET https://h.test/b#frag",
  );
  assert.equal(
    show(decide({ currentUrl: from, location: "/c", upgrade })),
    "follow GET https://h.test/c#frag",
  );
  const calls: string[] = [];
  const several = decide({
    location: "http://h.test/x, http://h.test/y",
    upgrade: (target) => void calls.push(target.href),
  });
  assert.equal(several.kind, "refuse");
  assert.deepEqual(calls, []);
});

// ---- method rewriting --------------------------------------------------------------

/** [status, method, next method, body kept]. */
const METHODS: readonly (readonly [number, string, string, boolean])[] = [
  [301, "GET", "GET", false],
  [301, "POST", "GET", false],
  [301, "PUT", "GET", false],
  [302, "POST", "GET", false],
  [302, "DELETE", "GET", false],
  [302, "PATCH", "GET", false],
  [303, "POST", "GET", false],
  [303, "PUT", "GET", false],
  [305, "POST", "GET", false],
  [301, "HEAD", "HEAD", false],
  [302, "HEAD", "HEAD", false],
  [303, "HEAD", "HEAD", false],
  [305, "HEAD", "HEAD", false],
  [307, "GET", "GET", false],
  [308, "GET", "GET", true],
  [307, "POST", "POST", true],
  [308, "POST", "POST", true],
  [307, "PUT", "PUT", true],
  [308, "DELETE", "DELETE", true],
  [307, "PATCH", "PATCH", true],
  [308, "propfind", "propfind", true],
];

for (const [status, method, next, keepBody] of METHODS) {
  Deno.test(`${method} + ${status} → ${next}${keepBody ? " with the body" : ""}`, () => {
    assert.deepEqual(redirectedMethod(status, method), { method: next, keepBody });
    assert.equal(
      show(decide({ status, method })),
      `follow ${next}${keepBody ? "+body" : ""} http://h.test/next`,
    );
  });
}
