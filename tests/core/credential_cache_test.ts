import assert from "node:assert/strict";
import fc from "fast-check";
import { parseAuthChallenges } from "../../src/core/auth_challenge.ts";
import { CredentialCache, type StoredCredential } from "../../src/core/credential_cache.ts";

const basic = (realm: string, user = "ann", password = "pw"): StoredCredential => ({
  scheme: "Basic",
  realm,
  user,
  password,
});

const digest = (realm: string, field: string, user = "ann"): StoredCredential => ({
  scheme: "Digest",
  realm,
  user,
  password: "pw",
  challenge: parseAuthChallenges(field)[0],
});

/** Which user `lookup` gives for each path (undefined: none). */
function usersAt(cache: CredentialCache, base: string, paths: string[]): (string | undefined)[] {
  return paths.map((path) => cache.lookup(new URL(path, base))?.user);
}

const basicSpaces: { stored: string; covered: string[]; notCovered: string[]; why: string }[] = [
  {
    stored: "/docs/a.html",
    covered: ["/docs/", "/docs/a.html", "/docs/b/c.html", "/docs/?q=1"],
    notCovered: ["/", "/docs", "/docsx/", "/other/a.html", "/Docs/a.html"],
    why: "the directory of the request and below (RFC 7617 §2.2)",
  },
  {
    stored: "/docs/",
    covered: ["/docs/", "/docs/x"],
    notCovered: ["/docs", "/"],
    why: "a directory URL is its own space",
  },
  {
    stored: "/file",
    covered: ["/", "/anything/below"],
    notCovered: [],
    why: "a file at the root covers the whole origin",
  },
  {
    stored: "/a%20b/c?x=1#f",
    covered: ["/a%20b/", "/a b/d"],
    notCovered: ["/a/"],
    why: "percent-encoded paths compare as the URL parser encodes them; query and fragment ignored",
  },
];

for (const { stored, covered, notCovered, why } of basicSpaces) {
  Deno.test(`CredentialCache: Basic space from ${stored}: ${why}`, () => {
    const cache = new CredentialCache();
    cache.store(new URL(stored, "http://h.test"), basic("r"));
    assert.deepEqual(usersAt(cache, "http://h.test", covered), covered.map(() => "ann"));
    assert.deepEqual(usersAt(cache, "http://h.test", notCovered), notCovered.map(() => undefined));
  });
}

Deno.test("CredentialCache: the key is the WHATWG origin: scheme, host and port", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://H.test/a/"), basic("r"));
  assert.equal(cache.lookup(new URL("http://h.test:80/a/x"))?.user, "ann", "default port and host case");
  assert.equal(
    cache.lookup(new URL("http://user:pw@h.test/a/x"))?.user,
    "ann",
    "user info is not part of it",
  );
  assert.equal(cache.lookup(new URL("https://h.test/a/x")), undefined, "another scheme");
  assert.equal(cache.lookup(new URL("http://h.test:8080/a/x")), undefined, "another port");
  assert.equal(cache.lookup(new URL("http://sub.h.test/a/x")), undefined, "a sub-domain");
  assert.equal(cache.lookupRealm(new URL("https://h.test/a/"), "r"), undefined);
});

Deno.test("CredentialCache: storing again widens the space and replaces the credentials", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://h.test/a/b/x"), basic("r", "ann", "one"));
  cache.store(new URL("http://h.test/c/y"), basic("r", "ann", "two"));
  assert.deepEqual(usersAt(cache, "http://h.test", ["/a/b/z", "/c/z", "/a/z", "/"]), [
    "ann",
    "ann",
    undefined,
    undefined,
  ]);
  assert.equal(cache.lookup(new URL("http://h.test/a/b/z"))?.password, "two");
  cache.store(new URL("http://h.test/a/q"), basic("r", "bob"));
  assert.deepEqual(usersAt(cache, "http://h.test", ["/a/b/z", "/a/z", "/c/z"]), ["bob", "bob", "bob"]);
});

Deno.test("CredentialCache: the most specific space wins; among equal ones the latest stored", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://h.test/"), basic("site", "all"));
  cache.store(new URL("http://h.test/admin/"), basic("admin", "root"));
  assert.deepEqual(usersAt(cache, "http://h.test", ["/admin/users", "/admin", "/x"]), ["root", "all", "all"]);
  cache.store(new URL("http://h.test/admin/"), basic("other", "eve"));
  assert.equal(cache.lookup(new URL("http://h.test/admin/x"))?.user, "eve");
  cache.store(new URL("http://h.test/admin/"), basic("admin", "root"));
  assert.equal(
    cache.lookup(new URL("http://h.test/admin/x"))?.user,
    "root",
    "storing again makes it the latest",
  );
});

Deno.test("CredentialCache: a realm that worked deeper stays the better match there after widening", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://h.test/a/"), basic("deep", "deep"));
  cache.store(new URL("http://h.test/"), basic("deep", "deep"));
  cache.store(new URL("http://h.test/"), basic("root", "root"));
  assert.deepEqual(usersAt(cache, "http://h.test", ["/a/x", "/b/x"]), ["deep", "root"]);
});

Deno.test("CredentialCache: lookupRealm finds a realm anywhere on the origin, case-sensitively", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://h.test/deep/dir/x"), basic("Realm"));
  assert.equal(cache.lookupRealm(new URL("http://h.test/elsewhere"), "Realm")?.user, "ann");
  assert.equal(cache.lookupRealm(new URL("http://h.test/elsewhere"), "realm"), undefined);
  assert.equal(cache.lookupRealm(new URL("http://other.test/"), "Realm"), undefined);
});

Deno.test("CredentialCache: forget by realm, or what lookup gives; forgetting nothing is fine", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://h.test/"), basic("site", "all"));
  cache.store(new URL("http://h.test/admin/"), basic("admin", "root"));
  cache.forget(new URL("http://h.test/admin/x"));
  assert.equal(
    cache.lookup(new URL("http://h.test/admin/x"))?.user,
    "all",
    "admin forgotten, the site's remain",
  );
  cache.forget(new URL("http://h.test/"), "nope");
  cache.forget(new URL("http://other.test/"));
  cache.forget(new URL("http://other.test/"), "site");
  assert.equal(cache.lookup(new URL("http://h.test/x"))?.user, "all");
  cache.forget(new URL("http://h.test/anywhere"), "site");
  assert.equal(cache.lookup(new URL("http://h.test/x")), undefined);
  assert.equal(cache.lookupRealm(new URL("http://h.test/x"), "site"), undefined);
  cache.forget(new URL("http://h.test/x"));
  cache.store(new URL("http://h.test/"), basic("site", "again"));
  assert.equal(
    cache.lookup(new URL("http://h.test/x"))?.user,
    "again",
    "the origin works again after forgetting all",
  );
});

Deno.test("CredentialCache: a forgotten realm's space starts again from nothing", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://h.test/a/x"), basic("r"));
  cache.forget(new URL("http://h.test/a/x"), "r");
  cache.store(new URL("http://h.test/b/x"), basic("r"));
  assert.deepEqual(usersAt(cache, "http://h.test", ["/a/y", "/b/y"]), [undefined, "ann"]);
});

Deno.test("CredentialCache: clear forgets every origin", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://a.test/"), basic("r"));
  cache.store(new URL("https://b.test/"), basic("r"));
  cache.clear();
  assert.equal(cache.lookup(new URL("http://a.test/")), undefined);
  assert.equal(cache.lookup(new URL("https://b.test/")), undefined);
});

Deno.test("CredentialCache: stored credentials are a frozen copy", () => {
  const cache = new CredentialCache();
  const credential = { scheme: "Basic", realm: "r", user: "ann", password: "pw" };
  cache.store(new URL("http://h.test/"), credential);
  credential.password = "changed";
  const found = cache.lookup(new URL("http://h.test/"))!;
  assert.equal(found.password, "pw");
  assert.equal(Object.isFrozen(found), true);
});

for (const href of ["data:,x", "file:///etc/passwd", "blob:null/1234", "about:blank", "foo:bar"]) {
  Deno.test(`CredentialCache: store refuses ${href}, which has no origin; lookups find nothing`, () => {
    const cache = new CredentialCache();
    assert.throws(() => cache.store(new URL(href), basic("r")), {
      name: "TypeError",
      message: `Cannot store credentials for ${href}: the URL has no origin`,
    });
    assert.equal(cache.lookup(new URL(href)), undefined);
    assert.equal(cache.lookupRealm(new URL(href), "r"), undefined);
    cache.forget(new URL(href));
  });
}

Deno.test("CredentialCache: a proxy's credentials, keyed by the proxy URL, cover every request through it", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://proxy.test:3128"), basic("proxy"));
  assert.equal(cache.lookup(new URL("http://proxy.test:3128"))?.realm, "proxy");
  assert.equal(cache.lookup(new URL("http://proxy.test:3128/"))?.realm, "proxy");
});

const digestSpaces: { field: string; covered: string[]; notCovered: string[]; why: string }[] = [
  {
    field: 'Digest realm="r", nonce="n"',
    covered: ["/", "/a/b", "/z"],
    notCovered: [],
    why: "no domain: the whole origin (RFC 7616 §3.3)",
  },
  {
    field: 'Digest realm="r", nonce="n", domain="/api/v1 /static/"',
    covered: ["/api/v1", "/api/v1/users", "/api/v1x", "/static/a.css"],
    notCovered: ["/", "/api/", "/static", "/docs/a/x"],
    why: "abs-path domain URIs are prefixes (RFC 7616 §3.3), the request's own path is not added",
  },
  {
    field:
      'Digest realm="r", nonce="n", domain="http://h.test/a/  https://h.test/b/ http://other.test/c/ http://[bad/ rel/"',
    covered: ["/a/x", "/docs/a/rel/x"],
    notCovered: ["/b/x", "/c/x", "/", "/rel/x"],
    why:
      "absolute URIs on the same origin only; bad ones skipped; relative ones resolved against the request",
  },
  {
    field: 'Digest realm="r", nonce="n", domain=""',
    covered: [],
    notCovered: ["/", "/docs/a/x"],
    why: "an empty domain: no pre-emptive use",
  },
];

for (const { field, covered, notCovered, why } of digestSpaces) {
  Deno.test(`CredentialCache: Digest space: ${why}`, () => {
    const cache = new CredentialCache();
    cache.store(new URL("http://h.test/docs/a/x"), digest("r", field));
    assert.deepEqual(usersAt(cache, "http://h.test", covered), covered.map(() => "ann"));
    assert.deepEqual(usersAt(cache, "http://h.test", notCovered), notCovered.map(() => undefined));
    assert.equal(cache.lookupRealm(new URL("http://h.test/"), "r")?.user, "ann", "the realm is found anyway");
  });
}

Deno.test("CredentialCache: Digest keeps the latest challenge for a pre-emptive answer", () => {
  const cache = new CredentialCache();
  cache.store(new URL("http://h.test/"), digest("r", 'Digest realm="r", nonce="first"'));
  cache.store(new URL("http://h.test/"), digest("r", 'dIgEsT realm="r", nonce="second", stale=true'));
  assert.equal(cache.lookup(new URL("http://h.test/x"))?.challenge?.params.nonce, "second");
});

Deno.test("CredentialCache: lookup always gives what a model of the RFC 7617 §2.2 spaces gives (property)", () => {
  const segment = fc.constantFrom("a", "b", "c");
  const path = fc.array(segment, { maxLength: 3 }).chain((dirs) =>
    fc.constantFrom(`/${dirs.join("/")}`, `/${dirs.join("/")}/`.replace("//", "/"))
  );
  const step = fc.oneof(
    fc.record({
      op: fc.constant("store" as const),
      path,
      realm: fc.constantFrom("r1", "r2", "r3"),
      user: segment,
    }),
    fc.record({
      op: fc.constant("forget" as const),
      path,
      realm: fc.option(fc.constantFrom("r1", "r2", "r3"), { nil: undefined }),
    }),
  );
  fc.assert(
    fc.property(
      fc.array(step, { maxLength: 12 }),
      fc.array(path, { minLength: 1, maxLength: 5 }),
      (steps, probes) => {
        const cache = new CredentialCache();
        // The model: per realm every directory stored since it was last forgotten, in storing order.
        let model: { realm: string; user: string; dirs: string[] }[] = [];
        const lookupModel = (probe: string) => {
          let best: { realm: string; user: string } | undefined;
          let bestLength = -1;
          for (const entry of model) {
            for (const dir of entry.dirs) {
              if (probe.startsWith(dir) && dir.length >= bestLength) {
                best = entry;
                bestLength = dir.length;
              }
            }
          }
          return best;
        };
        for (const s of steps) {
          const url = new URL(s.path, "http://h.test");
          if (s.op === "store") {
            cache.store(url, basic(s.realm, s.user));
            const dir = url.pathname.slice(0, url.pathname.lastIndexOf("/") + 1);
            const earlier = model.find((entry) => entry.realm === s.realm);
            model = model.filter((entry) => entry.realm !== s.realm);
            model.push({ realm: s.realm, user: s.user, dirs: [...(earlier?.dirs ?? []), dir] });
          } else {
            cache.forget(url, s.realm);
            const forgotten = s.realm ?? lookupModel(url.pathname)?.realm;
            model = model.filter((entry) => entry.realm !== forgotten);
          }
        }
        for (const probe of probes) {
          const found = cache.lookup(new URL(probe, "http://h.test"));
          const expected = lookupModel(new URL(probe, "http://h.test").pathname);
          assert.deepEqual(
            found && { realm: found.realm, user: found.user },
            expected && { realm: expected.realm, user: expected.user },
          );
        }
      },
    ),
    { seed: 7617, numRuns: 300 },
  );
});
