import assert from "node:assert/strict";
import { contentLength, responseHead } from "../../src/transport/fetch/response_head.ts";
import { prepareUpload } from "../../src/transport/fetch/upload.ts";

Deno.test("contentLength: a number, agreeing duplicates, or nothing", () => {
  const rows: [string | null, number | undefined][] = [
    [null, undefined],
    ["12", 12],
    ["3, 3", 3],
    ["3, 4", undefined],
    ["-1", undefined],
    ["abc", undefined],
  ];
  for (const [value, expected] of rows) {
    const headers = new Headers(value === null ? {} : { "content-length": value });
    assert.equal(contentLength(headers), expected, String(value));
  }
});

Deno.test("responseHead: Set-Cookie fields stay apart even where Headers iteration joins them", () => {
  // A runtime whose Headers iteration joins Set-Cookie (older Fetch implementations).
  const joined = new Headers({ "a": "1", "set-cookie": "x=1, y=2", "z": "2" });
  const fields = [["a", "1"], ["set-cookie", "x=1, y=2"], ["z", "2"]];
  const headers = {
    [Symbol.iterator]: () => fields[Symbol.iterator](),
    forEach: (callback: (value: string, name: string) => void) => {
      for (const [name, value] of fields) callback(value, name);
    },
    get: (name: string) => joined.get(name),
    getSetCookie: () => ["x=1", "y=2"],
  };
  const response = { status: 200, statusText: "OK", headers } as unknown as Response;
  const head = responseHead(response, { by: "none" });
  assert.deepEqual(head.headers.toListOfPairs(), [["a", "1"], ["set-cookie", "x=1"], ["set-cookie", "y=2"], [
    "z",
    "2",
  ]]);
});

Deno.test("responseHead: a decoded body loses Content-Length to originalContentLength; Content-Encoding stays", async () => {
  const response = new Response("x", { headers: { "content-encoding": "deflate", "content-length": "7" } });
  const head = responseHead(response, { by: "netreply", coding: "deflate" });
  assert.equal(head.headers.contains("content-length"), false);
  assert.equal(head.headers.value("content-encoding"), "deflate");
  assert.equal(head.originalContentLength, 7);
  const plain = responseHead(response, { by: "none" });
  assert.equal(plain.headers.value("content-length"), "7");
  assert.equal(plain.originalContentLength, undefined);
  await response.body?.cancel();
});

Deno.test("prepareUpload: fixed, empty, unsent and streamed bodies", async () => {
  const noop = () => {};
  assert.deepEqual(prepareUpload(null, true, noop), { streaming: false, atRequestSent: [] });
  const fixed = prepareUpload({ kind: "bytes", bytes: new Uint8Array(3) }, true, noop);
  assert.deepEqual(fixed.atRequestSent, [[0, 3], [3, 3]]);
  assert.equal((fixed.body as Uint8Array).length, 3);
  const empty = prepareUpload({ kind: "bytes", bytes: new Uint8Array(0) }, false, noop);
  assert.deepEqual(empty, { body: undefined, streaming: false, atRequestSent: [[0, 0]] });

  const seen: string[] = [];
  const streamed = prepareUpload(
    { kind: "stream", stream: new Blob(["ab", "c"]).stream() },
    true,
    (sent, total) => seen.push(`${sent},${total}`),
  );
  assert.equal(streamed.streaming, true);
  assert.equal(await new Response(streamed.body).text(), "abc");
  assert.equal(seen[0], "0,-1");
  assert.equal(seen.at(-1), "3,3");
});

Deno.test("responseHead copies the fields of a Response a replacement fetch built, which could still change", () => {
  const response = new Response(null, { headers: [["x-a", "1"]] });
  const head = responseHead(response, { by: "none" });
  response.headers.set("x-a", "changed");
  response.headers.set("x-b", "added");
  assert.equal(head.headers.value("x-a"), "1");
  assert.equal(head.headers.contains("x-b"), false);
  assert.deepEqual(head.headers.toListOfPairs(), [["x-a", "1"]]);
});

Deno.test("responseHead reads a network response's fields by name, and lists them in the runtime's order", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response("hi", {
        headers: [["x-b", "2"], ["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-a", "1"]],
      }),
  );
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  await response.body?.cancel();
  const head = responseHead(response, { by: "none" });
  assert.equal(head.headers.value("X-A"), "1");
  assert.deepEqual(head.headers.values("set-cookie"), ["a=1", "b=2"]);
  assert.deepEqual(
    head.headers.toListOfPairs().filter(([name]) => name.startsWith("x-") || name === "set-cookie"),
    [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-a", "1"], ["x-b", "2"]],
  );
});
