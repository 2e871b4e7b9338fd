import assert from "node:assert/strict";
import { variedRequestFields } from "../../src/core/cache_freshness.ts";
import { parseHttpDate } from "../../src/core/http_date.ts";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { KnownHeader } from "../../src/core/known_header.ts";
import { parseKnownHeader } from "../../src/core/known_header_values.ts";
import { parseRetryAfter } from "../../src/core/retry_policy.ts";
import { readSetCookie } from "../../src/core/set_cookie.ts";
import { trimOws } from "../../src/core/trim_ows.ts";
import { withinHangLimit } from "../reliability/_fuzz.ts";

const cases: [string, string][] = [
  ["", ""],
  [" \t ", ""],
  ["a", "a"],
  ["  a b\t", "a b"],
  ["\ta\t \t", "a"],
  ["\r\n a \n", "\r\n a \n"],
  ["\u00a0a\u3000", "\u00a0a\u3000"],
];
for (const [text, trimmed] of cases) {
  Deno.test(`trimOws(${JSON.stringify(text)}) is ${JSON.stringify(trimmed)}: only SP and HTAB are OWS`, () => {
    assert.equal(trimOws(text), trimmed);
  });
}

// A peer controls these values; 100 000 spaces followed by a character took each of these
// parsers tens of seconds with the regular expression /^[ \t]+|[ \t]+$/g (quadratic backtracking).
const spaces = " \t".repeat(50_000);
const parsers: [string, () => unknown][] = [
  [
    "readSetCookie (name, value and attributes)",
    () => readSetCookie(`a${spaces}b=c${spaces}d; x${spaces}y=1`, 0),
  ],
  ["HttpHeaders.append (a value)", () => new HttpHeaders().append("x", `a${spaces}b`)],
  ["parseKnownHeader (ETag, If-None-Match, Content-Length)", () => {
    parseKnownHeader(KnownHeader.ETagHeader, [`"a"${spaces}x`]);
    parseKnownHeader(KnownHeader.IfNoneMatchHeader, [`"a"${spaces}x, "b"`]);
    parseKnownHeader(KnownHeader.ContentLengthHeader, [`1${spaces}2`]);
  }],
  ["parseHttpDate", () => parseHttpDate(`Sun,${spaces}x`)],
  ["parseRetryAfter", () => parseRetryAfter(`1${spaces}2`, 0)],
  [
    "variedRequestFields (a Vary member)",
    () => variedRequestFields(new HttpHeaders(), new HttpHeaders([["vary", `accept${spaces}x, accept`]])),
  ],
];
for (const [name, parse] of parsers) {
  Deno.test(`${name}: 100 000 spaces inside a value are trimmed in linear time, not a hang`, () => {
    withinHangLimit(parse)();
  });
}
