import assert from "node:assert/strict";
import { HttpHeaders } from "../../src/core/http_headers.ts";

type Pairs = [string, string][];

// Name validation, after Qt's tst_QHttpHeaders: every RFC 9110 tchar is fine, anything else is not.
const validNames: { name: string; stored: string }[] = [
  { name: "accept", stored: "accept" },
  { name: "Accept", stored: "accept" },
  { name: "X-CUSTOM-Header", stored: "x-custom-header" },
  { name: "x_underscore", stored: "x_underscore" },
  { name: "a1", stored: "a1" },
  { name: "0", stored: "0" },
  { name: "!#$%&'*+-.^_`|~", stored: "!#$%&'*+-.^_`|~" },
];

const invalidNames: { name: string; message: string }[] = [
  { name: "", message: 'Cannot set header "": name is empty' },
  { name: "bad name", message: 'Cannot set header "bad name": name is not an RFC 9110 token' },
  { name: " accept", message: 'Cannot set header " accept": name is not an RFC 9110 token' },
  { name: "accept:", message: 'Cannot set header "accept:": name is not an RFC 9110 token' },
  { name: 'na"me', message: 'Cannot set header "na\\"me": name is not an RFC 9110 token' },
  { name: "(x)", message: 'Cannot set header "(x)": name is not an RFC 9110 token' },
  { name: "a/b", message: 'Cannot set header "a/b": name is not an RFC 9110 token' },
  { name: "a@b", message: 'Cannot set header "a@b": name is not an RFC 9110 token' },
  { name: "a,b", message: 'Cannot set header "a,b": name is not an RFC 9110 token' },
  { name: "a;b", message: 'Cannot set header "a;b": name is not an RFC 9110 token' },
  { name: "a=b", message: 'Cannot set header "a=b": name is not an RFC 9110 token' },
  { name: "a?b", message: 'Cannot set header "a?b": name is not an RFC 9110 token' },
  { name: "[x]", message: 'Cannot set header "[x]": name is not an RFC 9110 token' },
  { name: "{x}", message: 'Cannot set header "{x}": name is not an RFC 9110 token' },
  { name: "a\\b", message: 'Cannot set header "a\\\\b": name is not an RFC 9110 token' },
  { name: "<x>", message: 'Cannot set header "<x>": name is not an RFC 9110 token' },
  { name: "a\tb", message: 'Cannot set header "a\\tb": name is not an RFC 9110 token' },
  { name: "a\r\nb", message: 'Cannot set header "a\\r\\nb": name is not an RFC 9110 token' },
  { name: "a\0b", message: 'Cannot set header "a\\u0000b": name is not an RFC 9110 token' },
  { name: "\x7f", message: 'Cannot set header "\x7f": name is not an RFC 9110 token' },
  { name: "é", message: 'Cannot set header "é": name is not an RFC 9110 token' },
  { name: "x-ü", message: 'Cannot set header "x-ü": name is not an RFC 9110 token' },
];

// Value validation: HTAB, 0x20–0x7E and ≥0x80 allowed; trimmed of SP/HTAB only.
const validValues: { value: string; stored: string }[] = [
  { value: "", stored: "" },
  { value: "text/html", stored: "text/html" },
  { value: "  padded  ", stored: "padded" },
  { value: "\tv\t", stored: "v" },
  { value: " \t mixed \t ", stored: "mixed" },
  { value: "a\tb", stored: "a\tb" },
  { value: "a   b", stored: "a   b" },
  { value: "   ", stored: "" },
  { value: "üñí©ødé", stored: "üñí©ødé" },
  { value: "\x80\xff", stored: "\x80\xff" },
  { value: "emoji 😀", stored: "emoji 😀" },
  {
    value: Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join("").trim(),
    stored: Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join("").trim(),
  },
];

const invalidValues: { value: string; why: string }[] = [
  { value: "a\rb", why: "value contains CR or LF" },
  { value: "a\nb", why: "value contains CR or LF" },
  { value: "a\r\n b", why: "value contains CR or LF" }, // obs-fold is not accepted either
  { value: "evil\r\nInjected: 1", why: "value contains CR or LF" },
  { value: "trailing\r\n", why: "value contains CR or LF" },
  { value: "\n", why: "value contains CR or LF" },
  { value: "a\0b", why: "value contains NUL" },
  { value: "\0", why: "value contains NUL" },
  { value: "a\x01", why: "value contains control character U+0001" },
  { value: "\x08", why: "value contains control character U+0008" },
  { value: "\x0b", why: "value contains control character U+000B" },
  { value: "\x0c", why: "value contains control character U+000C" },
  { value: "\x1b[31m", why: "value contains control character U+001B" },
  { value: "\x1f", why: "value contains control character U+001F" },
  { value: "del\x7f", why: "value contains control character U+007F" },
];

for (const { name, stored } of validNames) {
  Deno.test(`HttpHeaders accepts name ${JSON.stringify(name)}`, () => {
    const h = new HttpHeaders();
    h.append(name, "v");
    assert.deepEqual(h.toListOfPairs(), [[stored, "v"]]);
    assert.equal(h.contains(name.toUpperCase()), true);
  });
}

const mutators: { op: string; run: (h: HttpHeaders, name: string, value: string) => void }[] = [
  { op: "append", run: (h, n, v) => h.append(n, v) },
  { op: "insert", run: (h, n, v) => h.insert(0, n, v) },
  { op: "replace", run: (h, n, v) => h.replace(0, n, v) },
  { op: "replaceOrAppend", run: (h, n, v) => h.replaceOrAppend(n, v) },
  { op: "constructor", run: (_h, n, v) => new HttpHeaders([[n, v]]) },
  { op: "fromListOfPairs", run: (_h, n, v) => HttpHeaders.fromListOfPairs([[n, v]]) },
];

for (const { name, message } of invalidNames) {
  for (const { op, run } of mutators) {
    Deno.test(`HttpHeaders.${op} rejects name ${JSON.stringify(name)}`, () => {
      const h = new HttpHeaders([["keep", "1"]]);
      assert.throws(() => run(h, name, "v"), (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.equal(e.message, message);
        return true;
      });
      assert.deepEqual(h.toListOfPairs(), [["keep", "1"]], "a rejected call changes nothing");
    });
  }
}

for (const { value, stored } of validValues) {
  Deno.test(`HttpHeaders accepts value ${JSON.stringify(value)}`, () => {
    const h = new HttpHeaders();
    h.append("x-v", value);
    assert.equal(h.value("x-v"), stored);
  });
}

for (const { value, why } of invalidValues) {
  for (const { op, run } of mutators) {
    Deno.test(`HttpHeaders.${op} rejects value ${JSON.stringify(value)}`, () => {
      const h = new HttpHeaders([["keep", "1"]]);
      assert.throws(() => run(h, "X-A", value), (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.equal(e.message, `Cannot set header "X-A": ${why}`);
        return true;
      });
      assert.deepEqual(h.toListOfPairs(), [["keep", "1"]]);
    });
  }
}

Deno.test("HttpHeaders rejects non-string names and values from untyped callers", () => {
  const h = new HttpHeaders();
  const untyped = h as unknown as { append(n: unknown, v: unknown): void };
  assert.throws(() => untyped.append(1, "v"), {
    name: "TypeError",
    message: "Cannot set header: name must be a string, got number",
  });
  assert.throws(() => untyped.append("x", 1), {
    name: "TypeError",
    message: 'Cannot set header "x": value must be a string, got number',
  });
  assert.throws(() => untyped.append("x", undefined), {
    name: "TypeError",
    message: 'Cannot set header "x": value must be a string, got undefined',
  });
  assert.equal(h.size(), 0);
});

// Operation sequences: start from `init`, apply `ops`, expect `pairs`.
const operations: { name: string; init?: Pairs; ops: (h: HttpHeaders) => void; pairs: Pairs }[] = [
  {
    name: "append keeps order and duplicates, never combines",
    ops: (h) => {
      h.append("B", "1");
      h.append("a", "2");
      h.append("b", "3");
    },
    pairs: [["b", "1"], ["a", "2"], ["b", "3"]],
  },
  {
    name: "insert at 0, middle and end",
    init: [["a", "1"], ["c", "3"]],
    ops: (h) => {
      h.insert(1, "B", "2");
      h.insert(0, "z", "0");
      h.insert(4, "end", "4");
    },
    pairs: [["z", "0"], ["a", "1"], ["b", "2"], ["c", "3"], ["end", "4"]],
  },
  {
    name: "insert into empty at 0",
    ops: (h) => h.insert(0, "a", "1"),
    pairs: [["a", "1"]],
  },
  {
    name: "replace changes name and value in place",
    init: [["a", "1"], ["b", "2"], ["c", "3"]],
    ops: (h) => h.replace(1, "X-New", " v "),
    pairs: [["a", "1"], ["x-new", "v"], ["c", "3"]],
  },
  {
    name: "replaceOrAppend replaces the first and drops later duplicates",
    init: [["a", "1"], ["b", "2"], ["A", "3"], ["c", "4"], ["a", "5"]],
    ops: (h) => h.replaceOrAppend("A", "x"),
    pairs: [["a", "x"], ["b", "2"], ["c", "4"]],
  },
  {
    name: "replaceOrAppend keeps the position of the first occurrence",
    init: [["b", "2"], ["a", "1"], ["c", "3"]],
    ops: (h) => h.replaceOrAppend("a", "x"),
    pairs: [["b", "2"], ["a", "x"], ["c", "3"]],
  },
  {
    name: "replaceOrAppend appends when absent",
    init: [["b", "2"]],
    ops: (h) => h.replaceOrAppend("a", "1"),
    pairs: [["b", "2"], ["a", "1"]],
  },
  {
    name: "removeAll is case-insensitive and removes every duplicate",
    init: [["a", "1"], ["b", "2"], ["A", "3"], ["c", "4"]],
    ops: (h) => h.removeAll("A"),
    pairs: [["b", "2"], ["c", "4"]],
  },
  {
    name: "removeAll of an absent or invalid name is a no-op",
    init: [["a", "1"]],
    ops: (h) => {
      h.removeAll("zzz");
      h.removeAll("bad name");
      h.removeAll("");
    },
    pairs: [["a", "1"]],
  },
  {
    name: "removeAt first, last, middle",
    init: [["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"], ["e", "5"]],
    ops: (h) => {
      h.removeAt(0);
      h.removeAt(3);
      h.removeAt(1);
    },
    pairs: [["b", "2"], ["d", "4"]],
  },
  {
    name: "clear empties",
    init: [["a", "1"], ["b", "2"]],
    ops: (h) => h.clear(),
    pairs: [],
  },
  {
    name: "clear then append",
    init: [["a", "1"]],
    ops: (h) => {
      h.clear();
      h.append("b", "2");
    },
    pairs: [["b", "2"]],
  },
];

for (const { name, init, ops, pairs } of operations) {
  Deno.test(`HttpHeaders: ${name}`, () => {
    const h = new HttpHeaders(init);
    ops(h);
    assert.deepEqual(h.toListOfPairs(), pairs);
    assert.deepEqual([...h], pairs);
    assert.equal(h.size(), pairs.length);
    assert.equal(h.isEmpty(), pairs.length === 0);
    pairs.forEach(([n, v], i) => {
      assert.equal(h.nameAt(i), n);
      assert.equal(h.valueAt(i), v);
    });
  });
}

// Lookups on one fixed list.
const lookupHeaders: Pairs = [
  ["Set-Cookie", "a=1"],
  ["Accept", "text/html"],
  ["set-cookie", "b=2"],
  ["X-Empty", ""],
  ["ACCEPT", "text/plain"],
];
const lookups: {
  name: string;
  contains: boolean;
  value: string | undefined;
  values: string[];
  combined: string | undefined;
}[] = [
  {
    name: "accept",
    contains: true,
    value: "text/html",
    values: ["text/html", "text/plain"],
    combined: "text/html, text/plain",
  },
  {
    name: "ACCEPT",
    contains: true,
    value: "text/html",
    values: ["text/html", "text/plain"],
    combined: "text/html, text/plain",
  },
  { name: "Set-Cookie", contains: true, value: "a=1", values: ["a=1", "b=2"], combined: "a=1, b=2" },
  { name: "x-empty", contains: true, value: "", values: [""], combined: "" },
  { name: "missing", contains: false, value: undefined, values: [], combined: undefined },
  { name: "", contains: false, value: undefined, values: [], combined: undefined },
  { name: "bad name", contains: false, value: undefined, values: [], combined: undefined },
];

for (const row of lookups) {
  Deno.test(`HttpHeaders lookups for ${JSON.stringify(row.name)}`, () => {
    const h = new HttpHeaders(lookupHeaders);
    assert.equal(h.contains(row.name), row.contains);
    assert.equal(h.value(row.name), row.value);
    assert.equal(h.value(row.name, "dflt"), row.contains ? row.value : "dflt");
    assert.deepEqual(h.values(row.name), row.values);
    assert.equal(h.combinedValue(row.name), row.combined);
  });
}

// Index errors: [operation, size, index, message].
const rangeErrors: {
  op: string;
  run: (h: HttpHeaders, i: number) => unknown;
  size: number;
  index: number;
}[] = [
  { op: "nameAt", run: (h, i) => h.nameAt(i), size: 0, index: 0 },
  { op: "nameAt", run: (h, i) => h.nameAt(i), size: 2, index: 2 },
  { op: "valueAt", run: (h, i) => h.valueAt(i), size: 2, index: -1 },
  { op: "valueAt", run: (h, i) => h.valueAt(i), size: 2, index: 1.5 },
  { op: "valueAt", run: (h, i) => h.valueAt(i), size: 2, index: NaN },
  { op: "removeAt", run: (h, i) => h.removeAt(i), size: 2, index: 2 },
  { op: "removeAt", run: (h, i) => h.removeAt(i), size: 0, index: 0 },
  { op: "replace", run: (h, i) => h.replace(i, "a", "b"), size: 2, index: 2 },
  { op: "replace", run: (h, i) => h.replace(i, "a", "b"), size: 0, index: 0 },
  { op: "insert", run: (h, i) => h.insert(i, "a", "b"), size: 2, index: 3 },
  { op: "insert", run: (h, i) => h.insert(i, "a", "b"), size: 0, index: -1 },
  { op: "insert", run: (h, i) => h.insert(i, "a", "b"), size: 1, index: Infinity },
];

for (const { op, run, size, index } of rangeErrors) {
  Deno.test(`HttpHeaders.${op}(${index}) on ${size} entries throws RangeError`, () => {
    const init: Pairs = Array.from({ length: size }, (_, i) => [`h${i}`, `${i}`]);
    const h = new HttpHeaders(init);
    assert.throws(() => run(h, index), (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.equal(e.message, `Index ${index} is out of range: size is ${size}`);
      return true;
    });
    assert.deepEqual(h.toListOfPairs(), init);
  });
}

// Constructor inputs.
const inits: { name: string; init: () => ConstructorParameters<typeof HttpHeaders>[0]; pairs: Pairs }[] = [
  { name: "undefined", init: () => undefined, pairs: [] },
  { name: "empty array", init: () => [], pairs: [] },
  {
    name: "record",
    init: () => ({ "Content-Type": "text/plain", "X-A": " 1 " }),
    pairs: [["content-type", "text/plain"], ["x-a", "1"]],
  },
  {
    name: "array of pairs keeps order and duplicates",
    init: () => [["b", "1"], ["A", "2"], ["b", "3"]],
    pairs: [["b", "1"], ["a", "2"], ["b", "3"]],
  },
  {
    name: "generator of pairs",
    init: () =>
      (function* (): Generator<[string, string]> {
        yield ["x", "1"];
        yield ["y", "2"];
      })(),
    pairs: [["x", "1"], ["y", "2"]],
  },
  {
    // web Headers iterate sorted, with duplicates joined except Set-Cookie.
    name: "web Headers",
    init: () => {
      const w = new Headers();
      w.append("Zeta", "z");
      w.append("Set-Cookie", "a=1");
      w.append("alpha", "1");
      w.append("alpha", "2");
      w.append("set-cookie", "b=2");
      return w;
    },
    pairs: [["alpha", "1, 2"], ["set-cookie", "a=1"], ["set-cookie", "b=2"], ["zeta", "z"]],
  },
  {
    name: "HttpHeaders",
    init: () => new HttpHeaders([["a", "1"], ["a", "2"]]),
    pairs: [["a", "1"], ["a", "2"]],
  },
];

for (const { name, init, pairs } of inits) {
  Deno.test(`HttpHeaders constructor from ${name}`, () => {
    assert.deepEqual(new HttpHeaders(init()).toListOfPairs(), pairs);
  });
}

const badInits: { name: string; init: unknown; message: string }[] = [
  {
    name: "a one-element pair",
    init: [["a"]],
    message: "Cannot create headers: expected a [name, value] pair, got a",
  },
  {
    name: "a three-element pair",
    init: [["a", "b", "c"]],
    message: "Cannot create headers: expected a [name, value] pair, got a,b,c",
  },
  {
    name: "a string element",
    init: ["ab"],
    message: "Cannot create headers: expected a [name, value] pair, got ab",
  },
  { name: "a string", init: "a: b", message: "Cannot create headers from a string" },
  { name: "a number", init: 3, message: "Cannot create headers from a number" },
  {
    name: "a record with a bad value",
    init: { a: "x\ny" },
    message: 'Cannot set header "a": value contains CR or LF',
  },
];

for (const { name, init, message } of badInits) {
  Deno.test(`HttpHeaders constructor rejects ${name}`, () => {
    assert.throws(() => new HttpHeaders(init as HeadersInit), { name: "TypeError", message });
  });
}

Deno.test("HttpHeaders copies are independent", () => {
  const a = new HttpHeaders([["a", "1"]]);
  const b = new HttpHeaders(a);
  const c = HttpHeaders.fromListOfPairs(a.toListOfPairs());
  b.append("b", "2");
  c.clear();
  assert.deepEqual(a.toListOfPairs(), [["a", "1"]]);
  const pairs = a.toListOfPairs();
  pairs[0][1] = "mutated";
  assert.equal(a.value("a"), "1");
  for (const pair of a) pair[1] = "mutated";
  assert.equal(a.value("a"), "1");
});

Deno.test("HttpHeaders.toHeaders keeps Set-Cookie separate and joins other duplicates", () => {
  const h = new HttpHeaders([
    ["Set-Cookie", "a=1; Path=/"],
    ["X-Dup", "one"],
    ["set-cookie", "b=2"],
    ["x-dup", "two"],
    ["Accept", "text/html"],
  ]);
  const w = h.toHeaders();
  assert.ok(w instanceof Headers);
  assert.deepEqual(w.getSetCookie(), ["a=1; Path=/", "b=2"]);
  assert.equal(w.get("x-dup"), "one, two");
  assert.equal(w.get("accept"), "text/html");
  w.append("x-new", "1");
  assert.equal(h.contains("x-new"), false);
});

const byteStrings: { value: string; wire: string }[] = [
  { value: "plain", wire: "plain" },
  { value: "caf\u00e9", wire: "caf\u00e9" }, // fits a ByteString: passed through
  { value: "\u20ac", wire: "\xe2\x82\xac" }, // above U+00FF: its UTF-8 bytes
  { value: "a😀", wire: "a\xf0\x9f\x98\x80" },
];

for (const { value, wire } of byteStrings) {
  Deno.test(`HttpHeaders.toHeaders carries ${JSON.stringify(value)} as bytes ${JSON.stringify(wire)}`, () => {
    const h = new HttpHeaders([["x-v", value]]);
    assert.equal(h.toHeaders().get("x-v"), wire);
  });
}

// Property-style: random operation sequences against a plain array model.
Deno.test("HttpHeaders matches a simple list model under random operations", () => {
  let seed = 0x9e3779b9;
  const rand = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const names = ["a", "B", "c-d", "A", "x_y"];
  const vals = ["1", " 2", "3 ", "\t4\t", ""];
  for (let round = 0; round < 200; round++) {
    const h = new HttpHeaders();
    const model: Pairs = [];
    for (let step = 0; step < 30; step++) {
      const name = names[rand(names.length)];
      const key = name.toLowerCase();
      const raw = vals[rand(vals.length)];
      const value = raw.trim();
      switch (rand(6)) {
        case 0:
          h.append(name, raw);
          model.push([key, value]);
          break;
        case 1: {
          const i = rand(model.length + 1);
          h.insert(i, name, raw);
          model.splice(i, 0, [key, value]);
          break;
        }
        case 2:
          if (model.length > 0) {
            const i = rand(model.length);
            h.removeAt(i);
            model.splice(i, 1);
          }
          break;
        case 3: {
          h.removeAll(name);
          for (let i = model.length - 1; i >= 0; i--) if (model[i][0] === key) model.splice(i, 1);
          break;
        }
        case 4: {
          h.replaceOrAppend(name, raw);
          const first = model.findIndex(([n]) => n === key);
          if (first < 0) model.push([key, value]);
          else {
            model[first] = [key, value];
            for (let i = model.length - 1; i > first; i--) if (model[i][0] === key) model.splice(i, 1);
          }
          break;
        }
        case 5:
          if (model.length > 0) {
            const i = rand(model.length);
            h.replace(i, name, raw);
            model[i] = [key, value];
          }
          break;
      }
      assert.deepEqual(h.toListOfPairs(), model);
      const probe = names[rand(names.length)];
      const expected = model.filter(([n]) => n === probe.toLowerCase()).map(([, v]) => v);
      assert.deepEqual(h.values(probe), expected);
      assert.equal(h.combinedValue(probe), expected.length ? expected.join(", ") : undefined);
      assert.equal(h.value(probe), expected[0]);
      assert.equal(h.contains(probe), expected.length > 0);
    }
    assert.deepEqual(HttpHeaders.fromListOfPairs(h.toListOfPairs()).toListOfPairs(), model);
  }
});

Deno.test("lookups lower-case the name as toLowerCase() does, beyond ASCII too", () => {
  const h = new HttpHeaders([["x-key", "1"]]);
  for (const name of ["x-key", "X-Key", "X-KEY", "x-\u212Aey"]) { // U+212A KELVIN SIGN lower-cases to "k"
    assert.equal(h.contains(name), true, name);
    assert.deepEqual(h.values(name), ["1"], name);
  }
  assert.equal(h.contains("x-ke\u00ff"), false);
});
