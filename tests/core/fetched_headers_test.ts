/**
 * `fetchedHeaders()`: HttpHeaders over a runtime's `Headers` that copies the
 * fields only when a method needs them as a list. Every method must answer
 * exactly as the copied fields would, before and after the copy.
 */

import { deepStrictEqual as deepEqual, strictEqual as equal, throws } from "node:assert/strict";
import fc from "fast-check";
import { fetchedHeaders, HttpHeaders } from "../../src/core/http_headers.ts";

/** The eager copy: what fetchedHeaders() must be indistinguishable from. */
function copied(fields: Headers): HttpHeaders {
  const headers = fetchedHeaders(fields);
  headers.size(); // copies
  return headers;
}

const names = fc.constantFrom("a", "B", "content-length", "set-cookie", "Set-Cookie", "x-dup", "location");
const values = fc.stringMatching(/^[!-~]([ !-~]{0,8}[!-~])?$/);
const fieldLists = fc.array(fc.tuple(names, values), { maxLength: 12 });
const lookups = fc.constantFrom(
  "a",
  "A",
  "b",
  "content-length",
  "SET-COOKIE",
  "set-cookie",
  "x-dup",
  "nope",
  "bad name",
  "é",
);

function responseHeaders(list: [string, string][]): Headers {
  // A response's headers: immutable, as fetchedHeaders() requires.
  return new Response(null, { headers: list }).headers;
}

Deno.test("fetchedHeaders() answers every lookup by name as the copied fields do, without copying", () => {
  fc.assert(
    fc.property(fieldLists, lookups, (list, name) => {
      const fields = responseHeaders(list);
      const lazy = fetchedHeaders(fields);
      const eager = copied(fields);
      deepEqual(lazy.values(name), eager.values(name));
      equal(lazy.value(name), eager.value(name));
      equal(lazy.value(name, "default"), eager.value(name, "default"));
      equal(lazy.combinedValue(name), eager.combinedValue(name));
      equal(lazy.contains(name), eager.contains(name));
    }),
    { seed: 0x6e72, numRuns: 2000 },
  );
});

Deno.test("fetchedHeaders() gives the copied list to every method that needs positions, size or iteration", () => {
  fc.assert(
    fc.property(fieldLists, (list) => {
      const fields = responseHeaders(list);
      const eager = copied(fields);
      const pairs = eager.toListOfPairs();
      deepEqual(fetchedHeaders(fields).toListOfPairs(), pairs);
      deepEqual([...fetchedHeaders(fields)], pairs);
      equal(fetchedHeaders(fields).size(), pairs.length);
      equal(fetchedHeaders(fields).isEmpty(), pairs.length === 0);
      deepEqual(new HttpHeaders(fetchedHeaders(fields)).toListOfPairs(), pairs);
      deepEqual([...fetchedHeaders(fields).toHeaders()], [...eager.toHeaders()]);
      if (pairs.length > 0) {
        equal(fetchedHeaders(fields).nameAt(pairs.length - 1), pairs.at(-1)![0]);
        equal(fetchedHeaders(fields).valueAt(0), pairs[0][1]);
      }
    }),
    { seed: 0x6e73, numRuns: 1000 },
  );
});

Deno.test("fetchedHeaders() keeps Set-Cookie fields apart, at the first one's place in the runtime's order", () => {
  const headers = fetchedHeaders(
    responseHeaders([["z", "1"], ["set-cookie", "a=1"], ["b", "2"], ["set-cookie", "b=2"]]),
  );
  deepEqual(headers.values("set-cookie"), ["a=1", "b=2"]);
  deepEqual(headers.toListOfPairs(), [["b", "2"], ["set-cookie", "a=1"], ["set-cookie", "b=2"], ["z", "1"]]);
});

Deno.test("fetchedHeaders() changes work on the copied fields, and clear() drops them", () => {
  const fields = responseHeaders([["content-length", "3"], ["b", "2"]]);
  const removed = fetchedHeaders(fields);
  removed.removeAll("Content-Length");
  deepEqual(removed.toListOfPairs(), [["b", "2"]]);
  equal(removed.contains("content-length"), false);
  equal(fields.get("content-length"), "3"); // the runtime's Headers is left alone
  const appended = fetchedHeaders(fields);
  appended.append("x", "1");
  deepEqual(appended.toListOfPairs(), [["b", "2"], ["content-length", "3"], ["x", "1"]]);
  const replaced = fetchedHeaders(fields);
  replaced.replaceOrAppend("b", "9");
  deepEqual(replaced.values("b"), ["9"]);
  const inserted = fetchedHeaders(fields);
  inserted.insert(0, "a", "0");
  deepEqual(inserted.toListOfPairs()[0], ["a", "0"]);
  const cleared = fetchedHeaders(fields);
  cleared.clear();
  equal(cleared.size(), 0);
  equal(cleared.value("b"), undefined);
  const removedAt = fetchedHeaders(fields);
  removedAt.removeAt(0);
  deepEqual(removedAt.toListOfPairs(), [["content-length", "3"]]);
  const replacedAt = fetchedHeaders(fields);
  replacedAt.replace(1, "c", "4");
  deepEqual(replacedAt.toListOfPairs(), [["b", "2"], ["c", "4"]]);
});

Deno.test("fetchedHeaders() checks positions against the copied fields", () => {
  const headers = fetchedHeaders(responseHeaders([["a", "1"]]));
  throws(() => headers.nameAt(1), { name: "RangeError", message: "Index 1 is out of range: size is 1" });
  throws(() => headers.removeAt(-1), { name: "RangeError", message: "Index -1 is out of range: size is 1" });
});

Deno.test("fetchedHeaders(): a Set-Cookie lookup asks getSetCookie() alone, with or without cookies", () => {
  for (const list of [[["a", "1"]], [["set-cookie", "x=1"], ["set-cookie", "y=2"]]] as [string, string][][]) {
    const fields = responseHeaders(list);
    const asked: string[] = [];
    const get = fields.get.bind(fields);
    fields.get = (name: string) => {
      asked.push(name);
      return get(name);
    };
    const headers = fetchedHeaders(fields);
    deepEqual(headers.values("set-cookie"), list.filter(([name]) => name === "set-cookie").map(([, v]) => v));
    equal(headers.contains("Set-Cookie"), list.length === 2);
    deepEqual(asked, []);
  }
});
