import assert from "node:assert/strict";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import { MemoryCache } from "../../src/memory_cache.ts";
import { cacheKey, type CacheMetaData } from "../../src/network_cache.ts";

const encoder = new TextEncoder();

function metaData(path: string, fields: [string, string][] = []): CacheMetaData {
  return {
    url: new URL(path, "http://cache.test/"),
    requestMethod: "GET",
    requestHeaders: new HttpHeaders(),
    status: 200,
    reasonPhrase: "",
    headers: new HttpHeaders(fields),
    requestTime: 0,
    responseTime: 0,
  };
}

/** The size MemoryCache counts for `metaData` with a body of `bodyBytes`. */
function sizeOf(meta: CacheMetaData, bodyBytes: number): number {
  let size = meta.url.href.length + meta.reasonPhrase.length + bodyBytes;
  for (const [name, value] of meta.headers) size += name.length + value.length;
  return size;
}

async function put(cache: MemoryCache, meta: CacheMetaData, body: string): Promise<void> {
  const writer = (await cache.store(meta))!.getWriter();
  await writer.write(encoder.encode(body));
  await writer.close();
}

async function bodyOf(cache: MemoryCache, path: string): Promise<string | undefined> {
  const entry = await cache.lookup(new URL(path, "http://cache.test/"));
  return entry === undefined ? undefined : await new Response(entry.body()).text();
}

Deno.test("MemoryCache: store, lookup, updateMetaData, remove, clear, cacheSize", async () => {
  const cache = new MemoryCache();
  assert.equal(cache.maximumCacheSize(), 50 * 1024 * 1024);
  const meta = metaData("/a", [["etag", '"1"']]);
  await put(cache, meta, "hello");
  assert.equal(await bodyOf(cache, "/a"), "hello");
  assert.equal(await cache.cacheSize(), sizeOf(meta, 5));
  const entry = await cache.lookup(meta.url);
  assert.deepEqual(entry!.metaData.headers.toListOfPairs(), [["etag", '"1"']]);
  // Each call gives a new stream of the same bytes.
  assert.equal(await new Response(entry!.body()).text(), "hello");

  const updated = metaData("/a", [["etag", '"1"'], ["x-new", "1"]]);
  assert.equal(await cache.updateMetaData(updated), true);
  assert.equal(await bodyOf(cache, "/a"), "hello");
  assert.equal((await cache.lookup(meta.url))!.metaData.headers.value("x-new"), "1");
  assert.equal(await cache.cacheSize(), sizeOf(updated, 5));
  assert.equal(await cache.updateMetaData(metaData("/none")), false);

  assert.equal(await cache.remove(meta.url), true);
  assert.equal(await cache.remove(meta.url), false);
  assert.equal(await cache.lookup(meta.url), undefined);
  assert.equal(await cache.cacheSize(), 0);

  await put(cache, metaData("/b"), "b");
  await cache.clear();
  assert.equal(await bodyOf(cache, "/b"), undefined);
  assert.equal(await cache.cacheSize(), 0);
});

Deno.test("MemoryCache: the entries are copies, changes to what was given or looked up do not reach it", async () => {
  const cache = new MemoryCache();
  const meta = metaData("/copy", [["etag", '"1"']]);
  const writer = (await cache.store(meta))!.getWriter();
  const bytes = encoder.encode("abc");
  await writer.write(bytes);
  await writer.close();
  bytes[0] = 0x7a;
  meta.headers.append("x-later", "1");
  const entry = await cache.lookup(meta.url);
  entry!.metaData.headers.append("x-mine", "1");
  const read = new Uint8Array(await new Response(entry!.body()).arrayBuffer());
  read[1] = 0x7a;
  assert.equal(await bodyOf(cache, "/copy"), "abc");
  assert.deepEqual((await cache.lookup(meta.url))!.metaData.headers.toListOfPairs(), [["etag", '"1"']]);
});

Deno.test("MemoryCache: least recently used entries are evicted to stay within maxSize", async () => {
  const entrySize = sizeOf(metaData("/1"), 10);
  const cache = new MemoryCache({ maxSize: entrySize * 3 });
  for (const path of ["/1", "/2", "/3"]) await put(cache, metaData(path), "0123456789");
  assert.equal(await cache.cacheSize(), entrySize * 3);
  assert.notEqual(await cache.lookup(new URL("http://cache.test/1")), undefined); // /1 used: /2 is oldest now
  await put(cache, metaData("/4"), "0123456789");
  assert.equal(await bodyOf(cache, "/2"), undefined);
  for (const path of ["/1", "/3", "/4"]) assert.equal(await bodyOf(cache, path), "0123456789", path);
  assert.equal(await cache.cacheSize(), entrySize * 3);
  // updateMetaData makes an entry the most recently used too.
  assert.equal(await cache.updateMetaData(metaData("/3")), true);
  await put(cache, metaData("/5"), "0123456789");
  await put(cache, metaData("/6"), "0123456789");
  assert.deepEqual(
    await Promise.all(["/1", "/3", "/4", "/5", "/6"].map((path) => bodyOf(cache, path))),
    [undefined, "0123456789", undefined, "0123456789", "0123456789"],
  );
});

Deno.test("MemoryCache: an entry bigger than maxSize is not kept, and evicts nothing", async () => {
  const small = metaData("/small");
  const cache = new MemoryCache({ maxSize: sizeOf(small, 4) + 8 });
  await put(cache, small, "tiny");
  await put(cache, metaData("/big"), "x".repeat(100));
  assert.equal(await bodyOf(cache, "/big"), undefined);
  assert.equal(await bodyOf(cache, "/small"), "tiny");
  const none = new MemoryCache({ maxSize: 0 });
  assert.equal(await none.store(small), undefined); // the metadata alone is too big
});

Deno.test("MemoryCache: a body is kept only once its stream closes; an aborted one keeps nothing", async () => {
  const cache = new MemoryCache();
  await put(cache, metaData("/doc"), "old");
  const writer = (await cache.store(metaData("/doc")))!.getWriter();
  await writer.write(encoder.encode("new "));
  // While the new body is written, lookups keep finding the complete old one.
  assert.equal(await bodyOf(cache, "/doc"), "old");
  await writer.write(encoder.encode("body"));
  assert.equal(await bodyOf(cache, "/doc"), "old");
  await writer.close();
  assert.equal(await bodyOf(cache, "/doc"), "new body");

  const aborted = (await cache.store(metaData("/doc")))!.getWriter();
  await aborted.write(encoder.encode("partial"));
  await aborted.abort(new Error("the download failed"));
  assert.equal(await bodyOf(cache, "/doc"), "new body");
  const fresh = (await cache.store(metaData("/fresh")))!.getWriter();
  await fresh.write(encoder.encode("partial"));
  await fresh.abort();
  assert.equal(await bodyOf(cache, "/fresh"), undefined);
});

Deno.test("MemoryCache: concurrent stores of one URL, the last to finish wins; remove and clear drop stores in progress", async () => {
  const cache = new MemoryCache();
  const first = (await cache.store(metaData("/race")))!.getWriter();
  const second = (await cache.store(metaData("/race")))!.getWriter();
  await Promise.all([first.write(encoder.encode("first")), second.write(encoder.encode("second"))]);
  const [looked] = await Promise.all([cache.lookup(new URL("http://cache.test/race")), second.close()]);
  assert.equal(looked, undefined); // the lookup ran before the close
  assert.equal(await bodyOf(cache, "/race"), "second");
  await first.close();
  assert.equal(await bodyOf(cache, "/race"), "first");

  const removed = (await cache.store(metaData("/race")))!.getWriter();
  await removed.write(encoder.encode("removed"));
  assert.equal(await cache.remove(new URL("http://cache.test/race")), true);
  await removed.close();
  assert.equal(await bodyOf(cache, "/race"), undefined);

  const cleared = (await cache.store(metaData("/other")))!.getWriter();
  await cache.clear();
  await cleared.write(encoder.encode("cleared"));
  await cleared.close();
  assert.equal(await bodyOf(cache, "/other"), undefined);
  assert.equal(await cache.cacheSize(), 0);
});

Deno.test("MemoryCache: bad arguments throw errors that name them", async () => {
  const cases: [() => unknown, string, string][] = [
    [
      () => new MemoryCache({ maxSize: -1 }),
      "RangeError",
      "Cannot set maxSize: expected an integer >= 0, got -1",
    ],
    [
      () => new MemoryCache({ maxSize: 1.5 }),
      "RangeError",
      "Cannot set maxSize: expected an integer >= 0, got 1.5",
    ],
    [
      () => new MemoryCache().lookup("http://x.test/" as unknown as URL),
      "TypeError",
      "Cannot look up a cache entry: url must be a URL, got http://x.test/",
    ],
    [
      () => new MemoryCache().remove("http://x.test/" as unknown as URL),
      "TypeError",
      "Cannot remove a cache entry: url must be a URL, got http://x.test/",
    ],
    [
      () => new MemoryCache().store({ ...metaData("/"), url: "http://x.test/" as unknown as URL }),
      "TypeError",
      "Cannot store a cache entry: metaData must be an object with a URL url",
    ],
    [
      () => new MemoryCache().updateMetaData({ ...metaData("/"), headers: {} as HttpHeaders }),
      "TypeError",
      "Cannot update a cache entry: metaData.headers and metaData.requestHeaders must be HttpHeaders",
    ],
  ];
  for (const [call, name, message] of cases) assert.throws(call, { name, message }, message);
  await Promise.resolve();
});

Deno.test("cacheKey: the URL without fragment and credentials", () => {
  assert.equal(cacheKey(new URL("https://u:p@h.test:8443/p?q=1#f")).href, "https://h.test:8443/p?q=1");
  const url = new URL("http://h.test/#x");
  cacheKey(url);
  assert.equal(url.href, "http://h.test/#x"); // a new URL: the argument is untouched
});
