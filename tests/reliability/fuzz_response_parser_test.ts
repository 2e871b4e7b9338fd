/**
 * Fuzzing of the HTTP/1.1 response parser (src/http1/response_parser.ts):
 * arbitrary bytes, mutated valid responses and valid responses, each pushed
 * in pieces cut at random points, under the default limits and small ones.
 * Whatever arrives, the parser never throws, ends with exactly one "end" or
 * "error" (a typed code and a message), reports nothing after it, and never
 * hands on a field that HttpHeaders would refuse (CR, LF, NUL, a bad name).
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { NetworkError } from "../../src/core/network_error.ts";
import {
  type ResponseParseEvent,
  ResponseParser,
  type ResponseParserOptions,
} from "../../src/http1/response_parser.ts";
import { assertReadBack, generatedResponse, serializeResponse } from "../http1/_generated_response.ts";
import { parseChunks, wire } from "../http1/_parse_outcome.ts";
import { cut, cutPoints, fuzzParameters, mutate, mutation, withinHangLimit } from "./_fuzz.ts";

const parserOptions: fc.Arbitrary<ResponseParserOptions> = fc.record({
  method: fc.constantFrom("GET", "HEAD", "POST", "CONNECT"),
  maxFields: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  maxFieldSize: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
  maxHeaderSize: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
});

/** Asserts that `fields` would pass HttpHeaders' own checks unchanged. */
function assertValidFields(fields: HttpHeaders): void {
  const pairs = fields.toListOfPairs();
  assert.deepEqual(HttpHeaders.fromListOfPairs(pairs).toListOfPairs(), pairs);
}

/** Pushes `pieces` then finish(), checking every event the parser gives against its contract. */
function assertWellBehaved(options: ResponseParserOptions, pieces: readonly Uint8Array[]): void {
  const parser = new ResponseParser(options);
  let terminal: ResponseParseEvent | undefined;
  let heads = 0;
  let bodyBytes = 0;
  let pushed = 0;
  const check = (events: ResponseParseEvent[]): void => {
    for (const event of events) {
      assert.equal(terminal, undefined, `an event after the ${terminal?.type}: ${event.type}`);
      if (event.type === "head") {
        heads++;
        const { status, reasonPhrase, headers, contentLength, body } = event.head;
        assert.ok(Number.isInteger(status) && status >= 200 && status <= 999, `status ${status}`);
        // deno-lint-ignore no-control-regex
        assert.doesNotMatch(reasonPhrase, /[\x00-\x08\x0a-\x1f\x7f]/);
        assertValidFields(headers);
        assert.ok(
          body === "length"
            ? Number.isSafeInteger(contentLength) && contentLength >= 0
            : contentLength === -1,
        );
      } else if (event.type === "body") {
        assert.equal(heads, 1, "body bytes before the head");
        bodyBytes += event.bytes.length;
      } else {
        terminal = event;
        if (event.type === "end") {
          assert.equal(heads, 1, "the end before a head");
          if (event.trailers !== undefined) assertValidFields(event.trailers);
        } else {
          assert.ok(
            event.code === NetworkError.ProtocolFailure || event.code === NetworkError.RemoteHostClosedError,
            `error code ${event.code}`,
          );
          assert.ok(event.message.length > 0);
        }
      }
    }
  };
  for (const piece of pieces) {
    pushed += piece.length;
    check(parser.push(piece));
  }
  check(parser.finish());
  assert.notEqual(terminal, undefined, "neither an end nor an error");
  assert.ok(heads <= 1);
  assert.ok(bodyBytes <= pushed);
  assert.equal(parser.done, true);
  assert.deepEqual(parser.push(wire("HTTP/1.1 200 OK\r\n\r\n")), []);
}

// Bytes an HTTP/1.1 response is made of, weighted against uniformly random ones.
const HTTP_BYTES = [...'HTTP/1.0 1.1 100 101 200 204 304 OK\r\n:;, \t0123456789abcdefABCDEF"\\']
  .map((char) => char.charCodeAt(0));
const HEADS = [
  "",
  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
  "HTTP/1.0 200 OK\r\n\r\n",
  "HTTP/1.1 100 Continue\r\n\r\n",
  "HTTP/1.1 200 OK\r\nTrailer: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\na\r\n0\r\n",
];

Deno.test("fuzz ResponseParser: arbitrary bytes after any start, in any pieces, never break its contract", () => {
  const bytes = fc.array(
    fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...HTTP_BYTES)),
    { maxLength: 400 },
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...HEADS),
      bytes,
      cutPoints,
      parserOptions,
      withinHangLimit((head, list, fractions, options) => {
        assertWellBehaved(options, cut(new Uint8Array([...wire(head), ...list]), fractions));
      }),
    ),
    fuzzParameters(0x9112, 25_000),
  );
});

Deno.test("fuzz ResponseParser: mutated valid responses, in any pieces, never break its contract", () => {
  fc.assert(
    fc.property(
      generatedResponse,
      fc.array(mutation, { minLength: 1, maxLength: 6 }),
      cutPoints,
      parserOptions,
      withinHangLimit((response, mutations, fractions, options) => {
        const bytes = mutate(wire(serializeResponse(response)), mutations);
        assertWellBehaved(options, cut(bytes, fractions));
      }),
    ),
    fuzzParameters(0x7230, 15_000),
  );
});

Deno.test("fuzz ResponseParser: valid responses after interim heads read back exactly, a byte at a time too", () => {
  const interim = fc.array(
    fc.constantFrom("HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"),
    {
      maxLength: 2,
    },
  );
  fc.assert(
    fc.property(
      generatedResponse,
      interim,
      fc.oneof(cutPoints, fc.constant("every byte" as const)),
      withinHangLimit((response, interimHeads, split) => {
        const bytes = wire(interimHeads.join("") + serializeResponse(response));
        const pieces = split === "every byte"
          ? Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1))
          : cut(bytes, split);
        assertReadBack(response, parseChunks({ method: "GET" }, pieces, response.framing === "close"));
      }),
    ),
    fuzzParameters(0x1f1f, 8_000),
  );
});
