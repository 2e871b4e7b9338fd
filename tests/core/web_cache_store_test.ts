// WebCacheStore over Deno's Web Cache API: the NetworkCache contract, then what is
// particular to it — how entries sit in the Web Cache, entries it did not write,
// persistence across stores, maxEntrySize, the URLs it declines, a Cache without
// keys() and bad arguments. Every test deletes its cache (caches.delete).

import assert from "node:assert/strict";
import { type WebCache, WebCacheStore } from "../../src/web_cache_store.ts";
import {
  cacheMetaData,
  type ContractStore,
  entrySize,
  networkCacheContract,
  putEntry,
  storedBody,
} from "../support/network_cache_contract.ts";

/** A cache of its own for one test, deleted when disposed. */
async function ownCache(): Promise<{ name: string; cache: Cache } & AsyncDisposable> {
  const name = `netreply-test-${crypto.randomUUID()}`;
  return {
    name,
    cache: await caches.open(name),
    [Symbol.asyncDispose]: async () => {
      await caches.delete(name);
    },
  };
}

networkCacheContract("WebCacheStore", async (): Promise<ContractStore> => {
  const name = `netreply-test-${crypto.randomUUID()}`;
  return {
    cache: await WebCacheStore.open(name),
    [Symbol.asyncDispose]: async () => {
      await caches.delete(name);
    },
  };
});

Deno.test("WebCacheStore: an entry is a GET Response for its URL, the metadata in one field, no Vary of its own", async () => {
  await using own = await ownCache();
  const store = new WebCacheStore(own.cache);
  const meta = cacheMetaData("/varied", [["vary", "accept-language"], ["set-cookie", "a=1"]]);
  meta.requestHeaders.append("accept-language", "de");
  await putEntry(store, meta, "Hallo");
  const carrier = await own.cache.match("http://cache.test/varied");
  assert.ok(carrier);
  assert.equal(carrier.status, 200);
  assert.equal(await carrier.text(), "Hallo");
  assert.deepEqual([...carrier.headers.keys()], ["cache-control", "x-netreply-cache-metadata"]);
  assert.equal(carrier.headers.get("cache-control"), "max-age=31536000");
  // The Web Cache's own Vary matching would refuse a request without the field; the store finds it.
  const entry = await store.lookup(new URL("http://cache.test/varied"));
  assert.deepEqual(entry?.metaData.requestHeaders.toListOfPairs(), [["accept-language", "de"]]);
  assert.equal(await new Response(entry!.body()).text(), "Hallo");
});

Deno.test("WebCacheStore: entries persist across stores over the same cache name", async () => {
  await using own = await ownCache();
  await putEntry(await WebCacheStore.open(own.name), cacheMetaData("/kept", [["etag", '"7"']]), "kept");
  const later = await WebCacheStore.open(own.name);
  assert.equal(await storedBody(later, "/kept"), "kept");
  assert.equal(await later.cacheSize(), entrySize(cacheMetaData("/kept", [["etag", '"7"']]), 4));
});

Deno.test("WebCacheStore: a Response it did not write is no entry, and counts nothing", async () => {
  await using own = await ownCache();
  const store = new WebCacheStore(own.cache);
  const foreign: [string, Record<string, string>][] = [
    ["/plain", {}],
    ["/garbled", { "x-netreply-cache-metadata": "%7Bnot json" }],
    ["/future", { "x-netreply-cache-metadata": encodeURIComponent('{"version":2}') }],
  ];
  for (const [path, headers] of foreign) {
    await own.cache.put(`http://cache.test${path}`, new Response("someone else's", { headers }));
    assert.equal(await store.lookup(new URL(path, "http://cache.test/")), undefined, path);
    assert.equal(await store.updateMetaData(cacheMetaData(path)), false, path);
  }
  // Metadata written for another URL is not this entry either.
  await putEntry(store, cacheMetaData("/original"), "original");
  const original = await own.cache.match("http://cache.test/original");
  await own.cache.put("http://cache.test/moved", original!);
  assert.equal(await store.lookup(new URL("http://cache.test/moved")), undefined);
  assert.equal(await store.remove(new URL("http://cache.test/original")), true);
  assert.equal(await store.cacheSize(), 0);
  // Nor a body of another length than the one stored (cacheSize reads no body: it counts the metadata's).
  await putEntry(store, cacheMetaData("/cut"), "original");
  const cut = await own.cache.match("http://cache.test/cut");
  await own.cache.put("http://cache.test/cut", new Response("orig", { headers: cut!.headers }));
  await cut!.body?.cancel();
  assert.equal(await store.lookup(new URL("http://cache.test/cut")), undefined);
  assert.equal(await store.cacheSize(), entrySize(cacheMetaData("/cut"), 8));
  await store.clear(); // clear() empties the whole cache
  assert.equal(await own.cache.match("http://cache.test/plain"), undefined);
});

Deno.test("WebCacheStore: a body longer than maxEntrySize is not stored", async () => {
  await using own = await ownCache();
  const store = new WebCacheStore(own.cache, { maxEntrySize: 4 });
  assert.equal(store.maximumEntrySize(), 4);
  assert.equal(new WebCacheStore(own.cache).maximumEntrySize(), 50 * 1024 * 1024);
  await putEntry(store, cacheMetaData("/small"), "tiny");
  await putEntry(store, cacheMetaData("/big"), "tinier");
  assert.equal(await storedBody(store, "/small"), "tiny");
  assert.equal(await storedBody(store, "/big"), undefined);
});

Deno.test("WebCacheStore: URLs the Web Cache cannot key as themselves are declined (not http(s), credentials, fragment)", async () => {
  await using own = await ownCache();
  const store = new WebCacheStore(own.cache);
  await putEntry(store, cacheMetaData("/page"), "page");
  for (
    const href of ["data:text/plain,hello", "http://user:pw@cache.test/page", "http://cache.test/page#part"]
  ) {
    const url = new URL(href);
    assert.equal(await store.store({ ...cacheMetaData("/"), url }), undefined, href);
    assert.equal(await store.lookup(url), undefined, href);
    assert.equal(await store.updateMetaData({ ...cacheMetaData("/"), url }), false, href);
    assert.equal(await store.remove(url), false, href);
  }
  assert.equal(await storedBody(store, "/page"), "page");
});

Deno.test("WebCacheStore: a Cache that cannot list its entries (Cloudflare Workers): clear and cacheSize reject, the rest works", async () => {
  await using own = await ownCache();
  const base: WebCache = {
    match: (request) => own.cache.match(request),
    put: (request, response) => own.cache.put(request, response),
    delete: (request) => own.cache.delete(request),
  };
  const workersKeys = (): never => {
    throw new TypeError("Failed to execute 'keys' on 'Cache': the method is not implemented.");
  };
  const cases: [WebCache, string][] = [
    [base, "is missing"],
    [
      { ...base, keys: workersKeys },
      "failed: TypeError: Failed to execute 'keys' on 'Cache': the method is not implemented.",
    ],
  ];
  for (const [cache, why] of cases) {
    const store = new WebCacheStore(cache);
    await putEntry(store, cacheMetaData("/a"), "a");
    assert.equal(await storedBody(store, "/a"), "a");
    for (
      const [call, action] of [[() => store.clear(), "clear"], [
        () => store.cacheSize(),
        "compute the size of",
      ]] as const
    ) {
      await assert.rejects(call(), {
        name: "TypeError",
        message:
          `Cannot ${action} WebCacheStore: this runtime's Cache cannot list its entries (keys() ${why}); remove entries by URL`,
      });
    }
    assert.equal(await store.remove(new URL("http://cache.test/a")), true);
  }
});

Deno.test("WebCacheStore: a failing put rejects the stream's close and leaves the old entry", async () => {
  await using own = await ownCache();
  const store = new WebCacheStore({
    match: (request) => own.cache.match(request),
    put: () => Promise.reject(new Error("quota exceeded")),
    delete: (request) => own.cache.delete(request),
  });
  const writer = (await store.store(cacheMetaData("/full")))!.getWriter();
  await writer.write(new TextEncoder().encode("x"));
  await assert.rejects(writer.close(), { message: "quota exceeded" });
  assert.equal(await store.lookup(new URL("http://cache.test/full")), undefined);
});

Deno.test("WebCacheStore: bad arguments are errors that name them", async () => {
  await using own = await ownCache();
  assert.throws(() => new WebCacheStore(null as unknown as WebCache), {
    name: "TypeError",
    message:
      "Cannot create WebCacheStore: cache must be a Web Cache API Cache (from caches.open()), got null",
  });
  assert.throws(() => new WebCacheStore({ match: () => {} } as unknown as WebCache), {
    name: "TypeError",
    message:
      "Cannot create WebCacheStore: cache must be a Web Cache API Cache (from caches.open()), got object",
  });
  for (const maxEntrySize of [-1, 0.5, NaN]) {
    assert.throws(() => new WebCacheStore(own.cache, { maxEntrySize }), {
      name: "RangeError",
      message: `Cannot set maxEntrySize: expected an integer >= 0, got ${maxEntrySize}`,
    });
    await assert.rejects(WebCacheStore.open(own.name, { maxEntrySize }), {
      name: "RangeError",
      message: `Cannot set maxEntrySize: expected an integer >= 0, got ${maxEntrySize}`,
    });
  }
  for (const [name, shown] of [["", '""'], [undefined, "undefined"], [7, "7"]] as const) {
    await assert.rejects(WebCacheStore.open(name as unknown as string), {
      name: "TypeError",
      message: `Cannot open WebCacheStore: name must be a non-empty string, got ${shown}`,
    });
  }
});

Deno.test("WebCacheStore.open: a runtime without caches (Node, Bun) is a TypeError naming it", async () => {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "caches")!;
  Object.defineProperty(globalThis, "caches", { value: undefined, configurable: true });
  try {
    await assert.rejects(WebCacheStore.open("netreply-test-absent"), {
      name: "TypeError",
      message:
        'Cannot open WebCacheStore "netreply-test-absent": this runtime has no Web Cache API (globalThis.caches)',
    });
  } finally {
    Object.defineProperty(globalThis, "caches", descriptor);
  }
});
