import assert from "node:assert/strict";
import { MemoryCache } from "../../src/memory_cache.ts";
import { cacheKey } from "../../src/network_cache.ts";
import {
  cacheMetaData as metaData,
  entrySize as sizeOf,
  networkCacheContract,
  putEntry as put,
  storedBody as bodyOf,
} from "../support/network_cache_contract.ts";

networkCacheContract(
  "MemoryCache",
  () => Promise.resolve({ cache: new MemoryCache(), [Symbol.asyncDispose]: () => Promise.resolve() }),
);

Deno.test("MemoryCache: maximumCacheSize is 50 MiB by default", () => {
  assert.equal(new MemoryCache().maximumCacheSize(), 50 * 1024 * 1024);
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

Deno.test("MemoryCache: a maxSize that is not an integer >= 0 is a RangeError naming it", () => {
  for (const maxSize of [-1, 1.5]) {
    assert.throws(() => new MemoryCache({ maxSize }), {
      name: "RangeError",
      message: `Cannot set maxSize: expected an integer >= 0, got ${maxSize}`,
    });
  }
});

Deno.test("cacheKey: the URL without fragment and credentials", () => {
  assert.equal(cacheKey(new URL("https://u:p@h.test:8443/p?q=1#f")).href, "https://h.test:8443/p?q=1");
  const url = new URL("http://h.test/#x");
  cacheKey(url);
  assert.equal(url.href, "http://h.test/#x"); // a new URL: the argument is untouched
});
