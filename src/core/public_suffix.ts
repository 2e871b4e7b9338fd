/**
 * Public suffixes by the Public Suffix List's algorithm
 * (https://publicsuffix.org/list/, "Algorithm"), over the table generated
 * from Debian's publicsuffix 20230209.2326-1 (the list as of 2023-02-09:
 * 9506 rules, ICANN and private sections both; 98,659 characters of source).
 * RFC 6265bis §5.7 rejects a cookie whose Domain attribute is one, as Qt's
 * QNetworkCookieJar does with its built-in list.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { isPublicSuffix, publicSuffix } from "./public_suffix.ts";
 * equal(publicSuffix("www.example.co.uk"), "co.uk");
 * equal(isPublicSuffix("co.uk"), true);
 * equal(isPublicSuffix("example.co.uk"), false);
 * ```
 *
 * @module
 */

import { PUBLIC_SUFFIX_TABLE } from "./public_suffix_table.ts";

let rules: Set<string> | undefined;

/** The rules as a set, built on first use (`"*.ck"`, `"!www.ck"`, `"co.uk"`...). */
function ruleSet(): Set<string> {
  if (rules) return rules;
  rules = new Set();
  for (const entry of PUBLIC_SUFFIX_TABLE) {
    const colon = entry.indexOf(":");
    const tld = entry.slice(0, colon);
    for (const sub of entry.slice(colon + 1).split(",")) rules.add(sub === "" ? tld : `${sub}.${tld}`);
  }
  return rules;
}

/**
 * Whether `host` is an IP address literal (IPv4 dotted quad or a bracketed or
 * bare IPv6 address), which has no public suffix and never domain-matches
 * another string (RFC 6265bis §5.1.3).
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { isIpAddress } from "./public_suffix.ts";
 * equal(isIpAddress("127.0.0.1"), true);
 * equal(isIpAddress("[::1]"), true);
 * equal(isIpAddress("example.com"), false);
 * ```
 */
export function isIpAddress(host: string): boolean {
  return host.includes(":") || /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Lower-case, without one trailing dot; `undefined` when there is no host name to look up. */
function normalizeHost(host: string, caller: string): string | undefined {
  if (typeof host !== "string") {
    throw new TypeError(`Cannot ${caller}: host must be a string, got ${typeof host}`);
  }
  const name = host.toLowerCase().replace(/\.$/, "");
  if (name === "" || isIpAddress(name) || name.split(".").includes("")) return undefined;
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(name)) return name;
  // A U-label host: the table holds A-labels, the form URL.hostname gives.
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The public suffix of `host` by the Public Suffix List's algorithm: the
 * labels matched by the prevailing rule, where an exception rule (`!www.ck`)
 * prevails over every other rule and removes its leftmost label, otherwise the
 * matching rule with the most labels prevails, and no match means the implicit
 * rule `*` (the top-level label). Matching is case-insensitive; a trailing dot
 * is ignored; U-labels are converted to A-labels.
 *
 * Returns `undefined` for an IP address, an empty host or one with an empty label
 * (`"a..b"`), which have no public suffix.
 *
 * @throws {TypeError} If `host` is not a string.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { publicSuffix } from "./public_suffix.ts";
 * equal(publicSuffix("a.b.ck"), "b.ck");
 * equal(publicSuffix("www.ck"), "ck");
 * equal(publicSuffix("example.unknowntld"), "unknowntld");
 * equal(publicSuffix("192.168.0.1"), undefined);
 * ```
 */
export function publicSuffix(host: string): string | undefined {
  const name = normalizeHost(host, "find a public suffix");
  if (name === undefined) return undefined;
  const set = ruleSet();
  const labels = name.split(".");
  const suffix = (from: number): string => labels.slice(from).join(".");
  for (let i = 0; i < labels.length; i++) {
    if (set.has(`!${suffix(i)}`)) return suffix(i + 1);
  }
  for (let i = 0; i < labels.length; i++) {
    if (set.has(suffix(i)) || (i + 1 < labels.length && set.has(`*.${suffix(i + 1)}`))) return suffix(i);
  }
  return labels[labels.length - 1];
}

/**
 * Whether `host` is itself a public suffix (`"com"`, `"co.uk"`, `"foo.ck"`
 * under the rule `*.ck`, but not `"www.ck"`, the exception). IP addresses,
 * empty hosts and hosts with an empty label are not.
 *
 * @throws {TypeError} If `host` is not a string.
 *
 * @example
 * ```ts
 * import { strictEqual as equal } from "node:assert/strict";
 * import { isPublicSuffix } from "./public_suffix.ts";
 * equal(isPublicSuffix("com"), true);
 * equal(isPublicSuffix("foo.ck"), true);
 * equal(isPublicSuffix("www.ck"), false);
 * equal(isPublicSuffix("127.0.0.1"), false);
 * ```
 */
export function isPublicSuffix(host: string): boolean {
  const name = normalizeHost(host, "check for a public suffix");
  return name !== undefined && publicSuffix(name) === name;
}
