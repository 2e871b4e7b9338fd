import assert from "node:assert/strict";
import {
  cacheMayEvaluate,
  notModifiedHeaders,
  storedNotModified,
} from "../../src/core/cache_conditional_request.ts";
import { HttpHeaders } from "../../src/core/http_headers.ts";

type Fields = [string, string][];

const LM = "Thu, 01 Jan 2026 12:00:00 GMT";

Deno.test("storedNotModified: the request's own If-None-Match / If-Modified-Since (RFC 9110 §13.1, cache-tests conditional-*)", () => {
  const cases: [why: string, stored: Fields, request: Fields, notModified: boolean][] = [
    ["conditional-etag-strong-respond", [["ETag", '"abcdef"']], [["If-None-Match", '"abcdef"']], true],
    ["conditional-etag-strong-respond-obs-text", [["ETag", '"abcdef\u00fc"']], [[
      "If-None-Match",
      '"abcdef\u00fc"',
    ]], true],
    ["conditional-etag-strong-respond-unquote: compared as written", [["ETag", "abcdef"]], [[
      "If-None-Match",
      "abcdef",
    ]], true],
    ["conditional-etag-weak-respond", [["ETag", 'W/"abcdef"']], [["If-None-Match", 'W/"abcdef"']], true],
    ["weak comparison: a weak request tag matches a strong stored one", [["ETag", '"abcdef"']], [[
      "If-None-Match",
      'W/"abcdef"',
    ]], true],
    ["multiple tags, first", [["ETag", '"abcdef"']], [["If-None-Match", '"abcdef", "1234", "5678"']], true],
    ["multiple tags, middle", [["ETag", '"abcdef"']], [["If-None-Match", '"1234", "abcdef", "5678"']], true],
    ["multiple tags over two lines", [["ETag", '"abcdef"']], [["If-None-Match", '"1234"'], [
      "If-None-Match",
      '"abcdef"',
    ]], true],
    ["* matches any stored response", [], [["If-None-Match", "*"]], true],
    ["another tag", [["ETag", '"abcdef"']], [["If-None-Match", '"abcdeg"']], false],
    ["an unquoted request tag is not the quoted stored one", [["ETag", '"abcdef"']], [[
      "If-None-Match",
      "abcdef",
    ]], false],
    ["no stored ETag", [["Last-Modified", LM]], [["If-None-Match", '"abcdef"']], false],
    ["If-None-Match decides over If-Modified-Since", [["ETag", '"a"'], ["Last-Modified", LM]], [
      ["If-None-Match", '"b"'],
      ["If-Modified-Since", LM],
    ], false],
    ["If-Modified-Since at Last-Modified", [["Last-Modified", LM]], [["If-Modified-Since", LM]], true],
    ["If-Modified-Since after Last-Modified", [["Last-Modified", LM]], [[
      "If-Modified-Since",
      "Fri, 02 Jan 2026 12:00:00 GMT",
    ]], true],
    ["If-Modified-Since before Last-Modified", [["Last-Modified", LM]], [[
      "If-Modified-Since",
      "Wed, 31 Dec 2025 12:00:00 GMT",
    ]], false],
    ["an invalid If-Modified-Since", [["Last-Modified", LM]], [["If-Modified-Since", "yesterday"]], false],
    ["no stored Last-Modified", [], [["If-Modified-Since", LM]], false],
    ["no precondition", [["ETag", '"a"']], [], false],
    [
      "If-Match is the origin's to judge",
      [["ETag", '"a"']],
      [["If-None-Match", '"a"'], ["If-Match", '"a"']],
      false,
    ],
    [
      "If-Range is the origin's to judge",
      [["ETag", '"a"']],
      [["If-None-Match", '"a"'], ["If-Range", '"a"']],
      false,
    ],
  ];
  for (const [why, stored, request, notModified] of cases) {
    assert.equal(storedNotModified(new HttpHeaders(stored), new HttpHeaders(request)), notModified, why);
  }
});

Deno.test("storedNotModified: a comma inside an If-None-Match entity-tag does not split it (RFC 9110 §8.8.3)", () => {
  const stored = new HttpHeaders({ "ETag": '"a,b"' });
  const cases: [request: string, notModified: boolean][] = [
    ['"a,b"', true],
    ['"x", W/"a,b"', true],
    ['"a", "b"', false],
  ];
  for (const [request, notModified] of cases) {
    assert.equal(
      storedNotModified(stored, new HttpHeaders({ "If-None-Match": request })),
      notModified,
      request,
    );
  }
});

Deno.test("cacheMayEvaluate: only If-None-Match and If-Modified-Since, and none of the origin's preconditions", () => {
  const cases: [Fields, boolean][] = [
    [[["If-None-Match", '"a"']], true],
    [[["If-Modified-Since", LM]], true],
    [[], false],
    [[["If-Match", '"a"']], false],
    [[["If-Modified-Since", LM], ["If-Unmodified-Since", LM]], false],
  ];
  for (const [fields, may] of cases) {
    assert.equal(cacheMayEvaluate(new HttpHeaders(fields)), may, JSON.stringify(fields));
  }
});

Deno.test("notModifiedHeaders: a 304's fields from the stored response (RFC 9110 §15.4.5)", () => {
  const served = new HttpHeaders([
    ["date", LM],
    ["content-type", "text/plain"],
    ["content-length", "12"],
    ["cache-control", "max-age=60"],
    ["etag", '"a"'],
    ["vary", "Accept"],
    ["x-other", "1"],
    ["expires", LM],
    ["content-location", "/a"],
    ["age", "3"],
  ]);
  assert.deepEqual(notModifiedHeaders(served).toListOfPairs(), [
    ["date", LM],
    ["cache-control", "max-age=60"],
    ["etag", '"a"'],
    ["vary", "Accept"],
    ["expires", LM],
    ["content-location", "/a"],
    ["age", "3"],
  ]);
});

Deno.test("cache_conditional_request rejects what is not HttpHeaders, naming the step", () => {
  const bad = { "if-none-match": '"a"' } as unknown as HttpHeaders;
  const cases: [() => unknown, string][] = [
    [
      () => storedNotModified(bad, new HttpHeaders()),
      "Cannot evaluate a conditional request against a stored response: headers must be HttpHeaders, got object",
    ],
    [
      () => storedNotModified(new HttpHeaders(), null as unknown as HttpHeaders),
      "Cannot evaluate a conditional request against a stored response: headers must be HttpHeaders, got null",
    ],
    [
      () => cacheMayEvaluate(bad),
      "Cannot tell whether a cache may evaluate a request's preconditions: headers must be HttpHeaders, got object",
    ],
    [
      () => notModifiedHeaders(bad),
      "Cannot select the fields of a 304: headers must be HttpHeaders, got object",
    ],
  ];
  for (const [call, message] of cases) assert.throws(call, { name: "TypeError", message });
});
