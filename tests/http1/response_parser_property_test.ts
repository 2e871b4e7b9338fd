import assert from "node:assert/strict";
import fc from "fast-check";
import { ResponseParser } from "../../src/http1/response_parser.ts";
import { parseChunks, wire } from "./_parse_outcome.ts";

// Fixed seeds: a failure reproduces, and the runs stay within a small time budget.
const SEED = 0x9112;

const TOKEN_CHARS = [..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
const VALUE_CHARS = [...' \t!"#()*,/:;<=>?@[\\]{}~az09\u0080\u00e9\u00ff'];
const FRAMING_FIELDS = new Set(["content-length", "transfer-encoding", "connection"]);

/** Cuts `bytes` at the given (sorted, deduplicated) fractions of its length. */
function cut(bytes: Uint8Array, fractions: readonly number[]): Uint8Array[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

Deno.test("ResponseParser property: arbitrary bytes, in arbitrary pieces, never throw", () => {
  const interesting = fc.constantFrom(
    ..."HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0;\t: \n\r\n".split(""),
  ).map((c) => c.charCodeAt(0));
  const bytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), interesting), { maxLength: 300 });
  fc.assert(
    fc.property(
      bytes,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      fc.constantFrom("GET", "HEAD", "POST"),
      fc.boolean(),
      (list, fractions, method, prefixed) => {
        // Half the runs start with a valid head so that body and chunk parsing are reached too.
        const prefix = prefixed ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" : "";
        const all = new Uint8Array([...wire(prefix), ...list]);
        const parser = new ResponseParser({ method, maxFields: 8, maxFieldSize: 64, maxHeaderSize: 256 });
        let terminal = 0;
        for (const piece of cut(all, fractions)) {
          for (const event of parser.push(piece)) {
            if (event.type === "end" || event.type === "error") terminal++;
          }
        }
        for (const event of parser.finish()) if (event.type === "end" || event.type === "error") terminal++;
        assert.equal(terminal, 1);
        assert.equal(parser.done, true);
      },
    ),
    { seed: SEED, numRuns: 5000 },
  );
});

interface Generated {
  status: number;
  reason: string;
  fields: [string, string][];
  framing: "length" | "chunked" | "close";
  body: number[];
  chunkSizes: number[];
  trailers: [string, string][];
}

const fieldArbitrary = fc.tuple(
  fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...VALUE_CHARS), maxLength: 20 }),
).filter(([name]) => !FRAMING_FIELDS.has(name.toLowerCase()));

const generated: fc.Arbitrary<Generated> = fc.record({
  status: fc.integer({ min: 200, max: 599 }).filter((status) => status !== 204 && status !== 304),
  reason: fc.string({ unit: fc.constantFrom(...VALUE_CHARS), maxLength: 16 }),
  fields: fc.array(fieldArbitrary, { maxLength: 10 }),
  framing: fc.constantFrom("length", "chunked", "close"),
  body: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 8 }),
  trailers: fc.array(fieldArbitrary, { maxLength: 3 }),
});

/** The wire form of a generated response; values get surrounding whitespace that parsing trims. */
function serialize(response: Generated): string {
  const body = String.fromCharCode(...response.body);
  let text = `HTTP/1.1 ${response.status} ${response.reason}\r\n`;
  for (const [name, value] of response.fields) text += `${name}: ${value}\r\n`;
  if (response.framing === "length") text += `Content-Length: ${body.length}\r\n\r\n${body}`;
  else if (response.framing === "close") text += `\r\n${body}`;
  else {
    text += "Transfer-Encoding: chunked\r\n\r\n";
    let at = 0;
    for (let i = 0; at < body.length; i++) {
      const size = Math.min(
        response.chunkSizes[i % Math.max(1, response.chunkSizes.length)] ?? 7,
        body.length - at,
      );
      text += `${size.toString(16)}${i % 2 === 0 ? "" : ";ext=1"}\r\n${body.slice(at, at + size)}\r\n`;
      at += size;
    }
    text += "0\r\n";
    for (const [name, value] of response.trailers) text += `${name}:${value}\r\n`;
    text += "\r\n";
  }
  return text;
}

function trimmedPairs(fields: readonly [string, string][]): [string, string][] {
  return fields.map((
    [name, value],
  ) => [name.toLowerCase(), value.replace(/^[ \t]+/, "").replace(/[ \t]+$/, "")]);
}

Deno.test("ResponseParser property: generated valid responses round-trip status, fields and body", () => {
  fc.assert(
    fc.property(
      generated,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
      (response, fractions) => {
        const bytes = wire(serialize(response));
        const { outcome, parser } = parseChunks(
          { method: "GET" },
          cut(bytes, fractions),
          response.framing === "close",
        );
        assert.equal(outcome.error, undefined);
        assert.equal(outcome.heads.length, 1);
        const [head] = outcome.heads;
        assert.equal(head.status, response.status);
        assert.equal(head.reasonPhrase, response.reason);
        const framingField: [string, string][] = response.framing === "length"
          ? [["content-length", String(response.body.length)]]
          : response.framing === "chunked"
          ? [["transfer-encoding", "chunked"]]
          : [];
        assert.deepEqual(head.headers, [...trimmedPairs(response.fields), ...framingField]);
        assert.deepEqual(
          head.originalNames.slice(0, response.fields.length),
          response.fields.map(([name]) => name),
        );
        assert.equal(head.body, response.framing);
        assert.equal(outcome.body, String.fromCharCode(...response.body));
        const trailers = response.framing === "chunked" && response.trailers.length > 0
          ? trimmedPairs(response.trailers)
          : undefined;
        assert.deepEqual(outcome.end, { trailers, reusable: response.framing !== "close" });
        assert.equal(parser.done, true);
        assert.equal(parser.leftover, 0);
      },
    ),
    { seed: SEED, numRuns: 1500 },
  );
});
