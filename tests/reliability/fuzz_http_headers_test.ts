/**
 * Fuzzing of HttpHeaders (src/core/http_headers.ts): any name and value is
 * either stored as RFC 9110 allows (lower-case token, value trimmed, no CR,
 * LF, NUL or other control) or refused with a TypeError naming the header;
 * any sequence of edits behaves as a plain list of pairs; and every list it
 * holds can be handed to fetch's Headers.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { anyText, fuzzParameters, TCHARS, textFrom, token, withinHangLimit } from "./_fuzz.ts";

// deno-lint-ignore no-control-regex
const FORBIDDEN_IN_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** What HttpHeaders must refuse in a name or value, in the words of its message; undefined if valid. */
function expectedRefusal(name: string, value: string): string | undefined {
  if (name === "") return "name is empty";
  if (!TOKEN.test(name)) return "name is not an RFC 9110 token";
  const bad = FORBIDDEN_IN_VALUE.exec(value)?.[0];
  if (bad === undefined) return undefined;
  if (bad === "\r" || bad === "\n") return "value contains CR or LF";
  if (bad === "\0") return "value contains NUL";
  return `value contains control character U+${
    bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")
  }`;
}

const trimmed = (value: string): string => value.replace(/^[ \t]+|[ \t]+$/g, "");

const anyName = fc.oneof(token(16), anyText(16), textFrom(TCHARS + " :\r\n\0\u00e9", 16));
const validValue = textFrom(
  " \t!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\u0080\u00e9\u00ff\u20ac\u{1f600}",
  40,
);

Deno.test("fuzz HttpHeaders: any name and value is stored as RFC 9110 allows or refused with a TypeError naming it", () => {
  fc.assert(
    fc.property(
      anyName,
      fc.oneof(validValue, anyText(40)),
      fc.constantFrom("append", "insert", "replace", "replaceOrAppend"),
      withinHangLimit((name, value, method) => {
        const headers = new HttpHeaders([["x-first", "1"]]);
        const set = (): void => {
          if (method === "append") headers.append(name, value);
          else if (method === "insert") headers.insert(0, name, value);
          else if (method === "replace") headers.replace(0, name, value);
          else headers.replaceOrAppend(name, value);
        };
        const refusal = expectedRefusal(name, value);
        if (refusal === undefined) {
          set();
          assert.deepEqual(headers.values(name).at(method === "insert" ? 0 : -1), trimmed(value));
          assert.ok(headers.contains(name.toUpperCase()));
        } else {
          assert.throws(set, {
            name: "TypeError",
            message: `Cannot set header ${JSON.stringify(name)}: ${refusal}`,
          });
          assert.deepEqual(headers.toListOfPairs(), [["x-first", "1"]]);
        }
      }),
    ),
    fuzzParameters(0x5110, 12_000),
  );
});

type Edit =
  | { op: "append" | "replaceOrAppend"; name: string; value: string }
  | { op: "insert" | "replace"; index: number; name: string; value: string }
  | { op: "removeAt"; index: number }
  | { op: "removeAll"; name: string };

const NAMES = ["a", "B", "set-cookie", "X-Long-Name", "content-length"];
const editName = fc.constantFrom(...NAMES);
const index = fc.integer({ min: -1, max: 6 });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    op: fc.constantFrom("append" as const, "replaceOrAppend" as const),
    name: editName,
    value: validValue,
  }),
  fc.record({
    op: fc.constantFrom("insert" as const, "replace" as const),
    index,
    name: editName,
    value: validValue,
  }),
  fc.record({ op: fc.constant("removeAt" as const), index }),
  fc.record({ op: fc.constant("removeAll" as const), name: editName }),
);

/** Applies `edit` to the model list (lower-case names, trimmed values); an error message if it is refused. */
function applyToModel(model: [string, string][], edit: Edit): string | undefined {
  const outOfRange = (i: number, limit: number): string | undefined =>
    i < 0 || i >= limit ? `Index ${i} is out of range: size is ${model.length}` : undefined;
  if (edit.op === "removeAll") {
    const key = edit.name.toLowerCase();
    model.splice(0, model.length, ...model.filter(([name]) => name !== key));
    return undefined;
  }
  if (edit.op === "removeAt") return outOfRange(edit.index, model.length) ?? void model.splice(edit.index, 1);
  const pair: [string, string] = [edit.name.toLowerCase(), trimmed(edit.value)];
  if (edit.op === "append") return void model.push(pair);
  if (edit.op === "insert") {
    return outOfRange(edit.index, model.length + 1) ?? void model.splice(edit.index, 0, pair);
  }
  if (edit.op === "replace") return outOfRange(edit.index, model.length) ?? void (model[edit.index] = pair);
  const first = model.findIndex(([name]) => name === pair[0]);
  if (first < 0) return void model.push(pair);
  model.splice(0, model.length, ...model.filter(([name], i) => i <= first || name !== pair[0]));
  model[first] = pair;
  return undefined;
}

function applyToHeaders(headers: HttpHeaders, edit: Edit): void {
  if (edit.op === "append") headers.append(edit.name, edit.value);
  else if (edit.op === "replaceOrAppend") headers.replaceOrAppend(edit.name, edit.value);
  else if (edit.op === "insert") headers.insert(edit.index, edit.name, edit.value);
  else if (edit.op === "replace") headers.replace(edit.index, edit.name, edit.value);
  else if (edit.op === "removeAt") headers.removeAt(edit.index);
  else headers.removeAll(edit.name);
}

Deno.test("fuzz HttpHeaders: any sequence of edits behaves as a list of pairs, a bad index a RangeError", () => {
  fc.assert(
    fc.property(
      fc.array(edit, { maxLength: 30 }),
      withinHangLimit((edits) => {
        const headers = new HttpHeaders();
        const model: [string, string][] = [];
        for (const step of edits) {
          const before = headers.toListOfPairs();
          const refusal = applyToModel(model, step);
          if (refusal === undefined) applyToHeaders(headers, step);
          else {
            assert.throws(() => applyToHeaders(headers, step), { name: "RangeError", message: refusal });
            assert.deepEqual(headers.toListOfPairs(), before);
          }
          assert.deepEqual(headers.toListOfPairs(), model);
        }
        for (const name of NAMES) {
          const values = model.filter(([key]) => key === name.toLowerCase()).map(([, value]) => value);
          assert.deepEqual(headers.values(name), values);
          assert.equal(headers.value(name), values[0]);
          assert.equal(headers.combinedValue(name), values.length === 0 ? undefined : values.join(", "));
        }
        assert.equal(headers.size(), model.length);
        assert.equal(headers.isEmpty(), model.length === 0);
      }),
    ),
    fuzzParameters(0x9110, 6_000),
  );
});

Deno.test("fuzz HttpHeaders: every valid list copies exactly and goes into fetch's Headers", () => {
  const encoder = new TextEncoder();
  fc.assert(
    fc.property(
      fc.array(fc.tuple(token(16), validValue), { maxLength: 12 }),
      withinHangLimit((pairs) => {
        const headers = HttpHeaders.fromListOfPairs(pairs);
        const expected = pairs.map(([name, value]): [string, string] => [name.toLowerCase(), trimmed(value)]);
        assert.deepEqual(headers.toListOfPairs(), expected);
        assert.deepEqual(new HttpHeaders(headers).toListOfPairs(), expected);
        assert.deepEqual([...headers], expected);
        const web = headers.toHeaders();
        // A value with a character beyond Latin-1 goes as its UTF-8 bytes, one character per byte.
        const sent = (value: string): string =>
          /[\u0100-\uffff]/.test(value) ? String.fromCharCode(...encoder.encode(value)) : value;
        for (const name of new Set(expected.map(([name]) => name))) {
          const values = headers.values(name).map(sent);
          if (name === "set-cookie") assert.deepEqual(web.getSetCookie(), values);
          else assert.equal(web.get(name), values.join(", "));
        }
      }),
    ),
    fuzzParameters(0x0ff, 3_000),
  );
});
