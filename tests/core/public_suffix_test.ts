import assert from "node:assert/strict";
import fc from "fast-check";
import { isIpAddress, isPublicSuffix, publicSuffix } from "../../src/core/public_suffix.ts";
import { PUBLIC_SUFFIX_TABLE } from "../../src/core/public_suffix_table.ts";

// Cases in the style of the Public Suffix List's own test_psl.txt ("checkPublicSuffix"),
// given here as the public suffix itself.
const suffixes: { host: string; suffix: string | undefined; why?: string }[] = [
  // Unlisted TLD: the implicit rule "*".
  { host: "example", suffix: "example" },
  { host: "example.example", suffix: "example" },
  { host: "b.example.example", suffix: "example" },
  { host: "localhost", suffix: "localhost" },
  // Listed TLD, one rule.
  { host: "biz", suffix: "biz" },
  { host: "domain.biz", suffix: "biz" },
  { host: "a.b.domain.biz", suffix: "biz" },
  // Listed TLD, some two-level rules.
  { host: "com", suffix: "com" },
  { host: "example.com", suffix: "com" },
  { host: "b.example.com", suffix: "com" },
  { host: "uk.com", suffix: "uk.com", why: "private section rule" },
  { host: "example.uk.com", suffix: "uk.com" },
  { host: "ac", suffix: "ac" },
  { host: "test.ac", suffix: "ac" },
  { host: "com.ac", suffix: "com.ac" },
  { host: "www.test.com.ac", suffix: "com.ac" },
  // TLD with only one (wildcard) rule.
  { host: "mm", suffix: "mm" },
  { host: "c.mm", suffix: "c.mm" },
  { host: "b.c.mm", suffix: "c.mm" },
  // More complex TLD.
  { host: "jp", suffix: "jp" },
  { host: "test.jp", suffix: "jp" },
  { host: "www.test.jp", suffix: "jp" },
  { host: "ac.jp", suffix: "ac.jp" },
  { host: "test.ac.jp", suffix: "ac.jp" },
  { host: "kyoto.jp", suffix: "kyoto.jp" },
  { host: "test.kyoto.jp", suffix: "kyoto.jp" },
  { host: "ide.kyoto.jp", suffix: "ide.kyoto.jp" },
  { host: "b.ide.kyoto.jp", suffix: "ide.kyoto.jp" },
  // Wildcard with exceptions: *.kobe.jp, !city.kobe.jp
  { host: "c.kobe.jp", suffix: "c.kobe.jp" },
  { host: "b.c.kobe.jp", suffix: "c.kobe.jp" },
  { host: "city.kobe.jp", suffix: "kobe.jp", why: "exception rule" },
  { host: "www.city.kobe.jp", suffix: "kobe.jp", why: "exception rule, deeper host" },
  // Wildcard with exceptions: *.ck, !www.ck
  { host: "ck", suffix: "ck" },
  { host: "test.ck", suffix: "test.ck" },
  { host: "b.test.ck", suffix: "test.ck" },
  { host: "www.ck", suffix: "ck", why: "exception rule" },
  { host: "www.www.ck", suffix: "ck" },
  // US K12.
  { host: "us", suffix: "us" },
  { host: "test.us", suffix: "us" },
  { host: "ak.us", suffix: "ak.us" },
  { host: "k12.ak.us", suffix: "k12.ak.us" },
  { host: "test.k12.ak.us", suffix: "k12.ak.us" },
  // IDN: U-labels become A-labels; A-labels as they are.
  { host: "食狮.com.cn", suffix: "com.cn" },
  { host: "食狮.公司.cn", suffix: "xn--55qx5d.cn" },
  { host: "www.食狮.公司.cn", suffix: "xn--55qx5d.cn" },
  { host: "xn--85x722f.xn--55qx5d.cn", suffix: "xn--55qx5d.cn" },
  { host: "中国", suffix: "xn--fiqs8s" },
  { host: "xn--fiqs8s", suffix: "xn--fiqs8s" },
  // Case and a trailing dot.
  { host: "COM", suffix: "com" },
  { host: "WwW.Example.Co.UK", suffix: "co.uk" },
  { host: "example.com.", suffix: "com", why: "trailing dot" },
  // No public suffix.
  { host: "", suffix: undefined },
  { host: ".", suffix: undefined },
  { host: ".com", suffix: undefined, why: "empty label" },
  { host: "a..com", suffix: undefined, why: "empty label" },
  { host: "127.0.0.1", suffix: undefined, why: "IPv4" },
  { host: "::1", suffix: undefined, why: "IPv6" },
  { host: "[::1]", suffix: undefined, why: "bracketed IPv6" },
];

Deno.test("publicSuffix follows the Public Suffix List algorithm", () => {
  for (const { host, suffix, why } of suffixes) {
    assert.equal(publicSuffix(host), suffix, `${JSON.stringify(host)}${why ? ` (${why})` : ""}`);
  }
});

const publicOrNot: [string, boolean][] = [
  ["com", true],
  ["co.uk", true],
  ["github.io", true],
  ["x.kawasaki.jp", true],
  ["test.ck", true],
  ["www.ck", false],
  ["city.kawasaki.jp", false],
  ["example.com", false],
  ["example", true],
  ["localhost", true],
  ["127.0.0.1", false],
  ["::1", false],
  ["", false],
  ["a..b", false],
  ["COM.", true],
];

Deno.test("isPublicSuffix: the host is its own public suffix; IP addresses never are", () => {
  for (const [host, expected] of publicOrNot) assert.equal(isPublicSuffix(host), expected, host);
});

Deno.test("publicSuffix and isPublicSuffix throw a TypeError for a non-string host", () => {
  assert.throws(() => publicSuffix(42 as unknown as string), {
    name: "TypeError",
    message: "Cannot find a public suffix: host must be a string, got number",
  });
  assert.throws(() => isPublicSuffix(undefined as unknown as string), {
    name: "TypeError",
    message: "Cannot check for a public suffix: host must be a string, got undefined",
  });
});

Deno.test("isIpAddress recognises IPv4 dotted quads and IPv6 literals only", () => {
  const cases: [string, boolean][] = [
    ["127.0.0.1", true],
    ["255.255.255.255", true],
    ["::1", true],
    ["[2001:db8::1]", true],
    ["1.2.3", false],
    ["1.2.3.4.5", false],
    ["example.com", false],
    ["1.2.3.com", false],
  ];
  for (const [host, expected] of cases) assert.equal(isIpAddress(host), expected, host);
});

Deno.test("the table keeps wildcard and exception rules, in A-labels, one entry per top-level label", () => {
  assert.ok(PUBLIC_SUFFIX_TABLE.includes("ck:*,!www"));
  const jp = PUBLIC_SUFFIX_TABLE.find((entry) => entry.startsWith("jp:"));
  assert.ok(jp?.split(",").includes("*.kawasaki") && jp.split(",").includes("!city.kawasaki"));
  const tlds = PUBLIC_SUFFIX_TABLE.map((entry) => entry.slice(0, entry.indexOf(":")));
  assert.equal(new Set(tlds).size, tlds.length, "top-level labels are unique");
  assert.deepEqual([...tlds].sort(), tlds, "sorted");
  assert.ok(PUBLIC_SUFFIX_TABLE.every((entry) => /^[\x21-\x7e]+$/.test(entry)), "ASCII only");
});

Deno.test("property: a public suffix is a suffix of the host, and a host's suffix is itself public", () => {
  const label = fc.constantFrom(
    "a",
    "www",
    "city",
    "kobe",
    "ck",
    "jp",
    "co",
    "uk",
    "com",
    "github",
    "io",
    "k12",
  );
  fc.assert(
    fc.property(fc.array(label, { minLength: 1, maxLength: 5 }), (labels) => {
      const host = labels.join(".");
      const suffix = publicSuffix(host);
      assert.ok(suffix !== undefined && (host === suffix || host.endsWith(`.${suffix}`)));
      assert.ok(isPublicSuffix(suffix));
    }),
    { seed: 6265, numRuns: 200 },
  );
});
