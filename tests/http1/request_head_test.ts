import assert from "node:assert/strict";
import {
  type BodyFraming,
  CHUNK_TRAILER,
  chunkHeader,
  hostFieldValue,
  LAST_CHUNK,
  requestTarget,
  serializeRequestHead,
} from "../../src/http1/request_head.ts";

const decode = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

Deno.test("requestTarget: origin-form and absolute-form, never user info or fragment", () => {
  const cases: [url: string, absoluteForm: boolean, target: string][] = [
    ["http://example.com/a/b", false, "/a/b"],
    ["http://example.com", false, "/"],
    ["http://example.com?x=1", false, "/?x=1"],
    ["http://example.com/p?q=1&r=%20#frag", false, "/p?q=1&r=%20"],
    ["http://user:pw@example.com/p#frag", false, "/p"],
    ["http://example.com/a b", false, "/a%20b"],
    ["http://example.com/p?", false, "/p"],
    ["http://user:pw@example.com:8080/p?q#frag", true, "http://example.com:8080/p?q"],
    ["http://example.com:80", true, "http://example.com/"],
    ["https://[::1]:8443/x", true, "https://[::1]:8443/x"],
  ];
  for (const [url, absoluteForm, target] of cases) {
    assert.equal(requestTarget(new URL(url), absoluteForm), target, `${url} absolute=${absoluteForm}`);
  }
});

Deno.test("hostFieldValue: brackets for IPv6, the port only when not the scheme's default", () => {
  const cases: [url: string, host: string][] = [
    ["http://example.com/", "example.com"],
    ["http://example.com:80/", "example.com"],
    ["http://example.com:443/", "example.com:443"],
    ["https://example.com:443/", "example.com"],
    ["https://example.com:80/", "example.com:80"],
    ["http://[::1]:8080/", "[::1]:8080"],
    ["http://[::1]/", "[::1]"],
    ["http://127.0.0.1:8000/", "127.0.0.1:8000"],
    ["http://bücher.example/", "xn--bcher-kva.example"],
  ];
  for (const [url, host] of cases) assert.equal(hostFieldValue(new URL(url)), host, url);
});

Deno.test("serializeRequestHead: Host first, the user's fields in order, the framing's own field", () => {
  const cases: {
    name: string;
    method?: string;
    target?: string;
    headers?: [string, string][];
    framing: BodyFraming;
    head: string;
  }[] = [
    { name: "no body", framing: { kind: "none" }, head: "GET / HTTP/1.1\r\nHost: h\r\n\r\n" },
    {
      name: "fixed body",
      method: "POST",
      framing: { kind: "length", length: 12 },
      head: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n",
    },
    {
      name: "empty fixed body",
      method: "PUT",
      framing: { kind: "length", length: 0 },
      head: "PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
    },
    {
      name: "stream body",
      method: "POST",
      framing: { kind: "chunked" },
      head: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
    },
    {
      name: "user fields keep their case and order, duplicates kept",
      headers: [["Accept", "*/*"], ["x-A", "1"], ["X-a", " 2"]],
      framing: { kind: "none" },
      head: "GET / HTTP/1.1\r\nHost: h\r\nAccept: */*\r\nx-A: 1\r\nX-a:  2\r\n\r\n",
    },
    {
      name: "the user's Host wins and keeps its place",
      headers: [["Accept", "*/*"], ["host", "other:1"]],
      framing: { kind: "none" },
      head: "GET / HTTP/1.1\r\nAccept: */*\r\nhost: other:1\r\n\r\n",
    },
    {
      name: "user framing fields are dropped",
      method: "POST",
      headers: [["Content-Length", "999"], ["transfer-encoding", "gzip"], ["X", "y"]],
      framing: { kind: "length", length: 3 },
      head: "POST / HTTP/1.1\r\nHost: h\r\nX: y\r\nContent-Length: 3\r\n\r\n",
    },
    {
      name: "absolute-form target for a proxy",
      target: "http://example.com:8080/p?q",
      framing: { kind: "none" },
      head: "GET http://example.com:8080/p?q HTTP/1.1\r\nHost: h\r\n\r\n",
    },
    {
      name: "a value above U+00FF goes as UTF-8",
      headers: [["X-Name", "é€"]],
      framing: { kind: "none" },
      head: "GET / HTTP/1.1\r\nHost: h\r\nX-Name: \u00c3\u00a9\u00e2\u0082\u00ac\r\n\r\n",
    },
  ];
  for (const c of cases) {
    const head = serializeRequestHead(c.method ?? "GET", c.target ?? "/", "h", c.headers ?? [], c.framing);
    assert.equal(decode(head), c.head, c.name);
  }
});

Deno.test("serializeRequestHead: IPv6 host and default port from a URL", () => {
  const url = new URL("http://[::1]:8080/a?b");
  const head = serializeRequestHead("GET", requestTarget(url, false), hostFieldValue(url), [], {
    kind: "none",
  });
  assert.equal(decode(head), "GET /a?b HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
});

Deno.test("serializeRequestHead: CR, LF or NUL anywhere is a TypeError naming the value", () => {
  const bad: [label: string, text: string][] = [["CR or LF", "\r"], ["CR or LF", "\n"], ["NUL", "\0"]];
  for (const [why, char] of bad) {
    const cases: { where: string; run: () => unknown; message: string }[] = [
      {
        where: "method",
        run: () => serializeRequestHead(`GE${char}T`, "/", "h", [], { kind: "none" }),
        message: `Cannot send method ${JSON.stringify(`GE${char}T`)}: method contains ${why}`,
      },
      {
        where: "target",
        run: () => serializeRequestHead("GET", `/a${char}b`, "h", [], { kind: "none" }),
        message: `Cannot send request target ${JSON.stringify(`/a${char}b`)}: target contains ${why}`,
      },
      {
        where: "host",
        run: () => serializeRequestHead("GET", "/", `h${char}x`, [], { kind: "none" }),
        message: `Cannot send host ${JSON.stringify(`h${char}x`)}: host contains ${why}`,
      },
      {
        where: "name",
        run: () => serializeRequestHead("GET", "/", "h", [[`X-${char}A`, "1"]], { kind: "none" }),
        message: `Cannot send header ${JSON.stringify(`X-${char}A`)}: name contains ${why}`,
      },
      {
        where: "value",
        run: () => serializeRequestHead("GET", "/", "h", [["X-A", `1${char}Injected: 1`]], { kind: "none" }),
        message: `Cannot send header "X-A": value contains ${why}`,
      },
      {
        where: "value of a dropped framing field",
        run: () => serializeRequestHead("GET", "/", "h", [["Content-Length", `1${char}`]], { kind: "none" }),
        message: `Cannot send header "Content-Length": value contains ${why}`,
      },
    ];
    for (const c of cases) {
      assert.throws(
        c.run,
        { name: "TypeError", message: c.message },
        `${c.where} with ${JSON.stringify(char)}`,
      );
    }
  }
});

Deno.test("serializeRequestHead: other invalid methods, names and targets are TypeErrors", () => {
  const cases: { run: () => unknown; message: string }[] = [
    {
      run: () => serializeRequestHead("GET /x", "/", "h", [], { kind: "none" }),
      message: 'Cannot send method "GET /x": method contains a space',
    },
    {
      run: () => serializeRequestHead("GÉT", "/", "h", [], { kind: "none" }),
      message: 'Cannot send method "GÉT": method is not an RFC 9110 token',
    },
    {
      run: () => serializeRequestHead("", "/", "h", [], { kind: "none" }),
      message: 'Cannot send method "": method is not an RFC 9110 token',
    },
    {
      run: () => serializeRequestHead("GET", "/", "h", [["X(A)", "1"]], { kind: "none" }),
      message: 'Cannot send header "X(A)": name is not an RFC 9110 token',
    },
    {
      run: () => serializeRequestHead("GET", "/", "h", [["", "1"]], { kind: "none" }),
      message: 'Cannot send header "": name is not an RFC 9110 token',
    },
    {
      run: () => serializeRequestHead("GET", "/", "h", [["X-A", "a\u0001b"]], { kind: "none" }),
      message: 'Cannot send header "X-A": value contains control character U+0001',
    },
    {
      run: () => serializeRequestHead("GET", "/a b", "h", [], { kind: "none" }),
      message: 'Cannot send request target "/a b": target contains a space',
    },
    {
      run: () => serializeRequestHead("GET", "", "h", [], { kind: "none" }),
      message: 'Cannot send request target "": target is empty',
    },
  ];
  for (const c of cases) assert.throws(c.run, { name: "TypeError", message: c.message });
  assert.throws(() => serializeRequestHead("POST", "/", "h", [], { kind: "length", length: -1 }), {
    name: "RangeError",
    message: "Cannot send body length -1: expected a non-negative integer",
  });
});

Deno.test("chunk framing pieces", () => {
  assert.equal(decode(chunkHeader(1)), "1\r\n");
  assert.equal(decode(chunkHeader(0x10000)), "10000\r\n");
  assert.equal(decode(CHUNK_TRAILER), "\r\n");
  assert.equal(decode(LAST_CHUNK), "0\r\n\r\n");
  for (const size of [0, -1, 1.5, NaN]) {
    assert.throws(() => chunkHeader(size), {
      name: "RangeError",
      message: `Cannot send chunk of size ${size}: expected a positive integer`,
    });
  }
});
