/**
 * The NetworkCache contract every store of this package keeps, as tests to
 * register per store: store, lookup, updateMetaData, remove, clear and
 * cacheSize (counted as MemoryCache counts), entries as copies, a body kept
 * only once complete, the order of concurrent stores, bad arguments.
 */
import assert from "node:assert/strict";
import { HttpHeaders } from "../../src/core/http_headers.ts";
import type { CacheMetaData, NetworkCache } from "../../src/network_cache.ts";

/** A store for one test, emptied or deleted when disposed. */
export interface ContractStore extends AsyncDisposable {
  readonly cache: NetworkCache;
}

const encoder = new TextEncoder();

/** Metadata of a GET of `path` on http://cache.test/ with the response `fields`. */
export function cacheMetaData(path: string, fields: [string, string][] = []): CacheMetaData {
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

/** The size a store counts for `metaData` with a body of `bodyBytes`: body, URL, reason phrase, fields. */
export function entrySize(meta: CacheMetaData, bodyBytes: number): number {
  let size = meta.url.href.length + meta.reasonPhrase.length + bodyBytes;
  for (const [name, value] of [...meta.headers, ...meta.requestHeaders]) size += name.length + value.length;
  return size;
}

/** Stores `body` under `meta` through the store's stream. */
export async function putEntry(cache: NetworkCache, meta: CacheMetaData, body: string): Promise<void> {
  const writer = (await cache.store(meta))!.getWriter();
  await writer.write(encoder.encode(body));
  await writer.close();
}

/** The stored body of `path` on http://cache.test/, or `undefined`. */
export async function storedBody(cache: NetworkCache, path: string): Promise<string | undefined> {
  const entry = await cache.lookup(new URL(path, "http://cache.test/"));
  return entry === undefined ? undefined : await new Response(entry.body()).text();
}

/** Registers the contract's tests for the store `open` makes, named after `name`. */
export function networkCacheContract(name: string, open: () => Promise<ContractStore>): void {
  const test = (title: string, body: (cache: NetworkCache) => Promise<void>): void => {
    Deno.test(`${name}: ${title}`, async () => {
      await using store = await open();
      await body(store.cache);
    });
  };

  test("store, lookup, updateMetaData, remove, clear, cacheSize", async (cache) => {
    const meta = cacheMetaData("/a", [["etag", '"1"']]);
    await putEntry(cache, meta, "hello");
    assert.equal(await storedBody(cache, "/a"), "hello");
    assert.equal(await cache.cacheSize(), entrySize(meta, 5));
    const entry = await cache.lookup(meta.url);
    assert.deepEqual(entry!.metaData.headers.toListOfPairs(), [["etag", '"1"']]);
    // Each call gives a new stream of the same bytes.
    assert.equal(await new Response(entry!.body()).text(), "hello");
    assert.equal(await new Response(entry!.body()).text(), "hello");

    const updated = cacheMetaData("/a", [["etag", '"1"'], ["x-new", "1"]]);
    assert.equal(await cache.updateMetaData(updated), true);
    assert.equal(await storedBody(cache, "/a"), "hello");
    assert.equal((await cache.lookup(meta.url))!.metaData.headers.value("x-new"), "1");
    assert.equal(await cache.cacheSize(), entrySize(updated, 5));
    assert.equal(await cache.updateMetaData(cacheMetaData("/none")), false);

    assert.equal(await cache.remove(meta.url), true);
    assert.equal(await cache.remove(meta.url), false);
    assert.equal(await cache.lookup(meta.url), undefined);
    assert.equal(await cache.cacheSize(), 0);

    await putEntry(cache, cacheMetaData("/b"), "b");
    await putEntry(cache, cacheMetaData("/empty"), "");
    assert.equal(await storedBody(cache, "/empty"), "");
    await cache.clear();
    assert.equal(await storedBody(cache, "/b"), undefined);
    assert.equal(await storedBody(cache, "/empty"), undefined);
    assert.equal(await cache.cacheSize(), 0);
  });

  test("every field of the metadata comes back as it was stored", async (cache) => {
    const meta: CacheMetaData = {
      url: new URL("https://cache.test:8443/p%C3%A4th?q=1&q=2"),
      requestMethod: "GET",
      requestHeaders: new HttpHeaders([["accept-language", "de, en;q=0.5"], ["x-varied", ""]]),
      status: 308,
      reasonPhrase: "Permanent Redirect \u00e9",
      headers: new HttpHeaders([
        ["location", "/new"],
        ["x-dup", "1"],
        ["cache-control", "max-age=60"],
        ["x-dup", "2"],
        ["x-latin1", "caf\u00e9 \u00ff"],
        ["vary", "Accept-Language, X-Varied"],
      ]),
      requestTime: 1_700_000_000_123,
      responseTime: 1_700_000_000_456,
    };
    await putEntry(cache, meta, "moved");
    const entry = await cache.lookup(new URL(meta.url.href));
    assert.ok(entry);
    assert.equal(entry.metaData.url.href, meta.url.href);
    assert.deepEqual(
      { ...entry.metaData, url: entry.metaData.url.href },
      { ...meta, url: meta.url.href },
    );
    assert.deepEqual(entry.metaData.headers.toListOfPairs(), meta.headers.toListOfPairs());
    assert.deepEqual(entry.metaData.requestHeaders.toListOfPairs(), meta.requestHeaders.toListOfPairs());
  });

  test("the entries are copies, changes to what was given or looked up do not reach it", async (cache) => {
    const meta = cacheMetaData("/copy", [["etag", '"1"']]);
    const writer = (await cache.store(meta))!.getWriter();
    const bytes = encoder.encode("abc");
    await writer.write(bytes);
    bytes[0] = 0x7a;
    await writer.close();
    meta.headers.append("x-later", "1");
    const entry = await cache.lookup(meta.url);
    entry!.metaData.headers.append("x-mine", "1");
    const read = new Uint8Array(await new Response(entry!.body()).arrayBuffer());
    read[1] = 0x7a;
    assert.equal(await storedBody(cache, "/copy"), "abc");
    assert.deepEqual((await cache.lookup(meta.url))!.metaData.headers.toListOfPairs(), [["etag", '"1"']]);
  });

  test("a body is kept only once its stream closes; an aborted one keeps nothing", async (cache) => {
    await putEntry(cache, cacheMetaData("/doc"), "old");
    const writer = (await cache.store(cacheMetaData("/doc")))!.getWriter();
    await writer.write(encoder.encode("new "));
    // While the new body is written, lookups keep finding the complete old one.
    assert.equal(await storedBody(cache, "/doc"), "old");
    await writer.write(encoder.encode("body"));
    assert.equal(await storedBody(cache, "/doc"), "old");
    await writer.close();
    assert.equal(await storedBody(cache, "/doc"), "new body");

    const aborted = (await cache.store(cacheMetaData("/doc")))!.getWriter();
    await aborted.write(encoder.encode("partial"));
    await aborted.abort(new Error("the download failed"));
    assert.equal(await storedBody(cache, "/doc"), "new body");
    const fresh = (await cache.store(cacheMetaData("/fresh")))!.getWriter();
    await fresh.write(encoder.encode("partial"));
    await fresh.abort();
    assert.equal(await storedBody(cache, "/fresh"), undefined);
  });

  test("a body piped from a stream that errors midway is not stored", async (cache) => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode("half a bo"));
        controller.error(new Error("connection lost"));
      },
    });
    const stream = await cache.store(cacheMetaData("/broken"));
    await assert.rejects(failing.pipeTo(stream!), { message: "connection lost" });
    assert.equal(await cache.lookup(new URL("http://cache.test/broken")), undefined);
    assert.equal(await cache.cacheSize(), 0);
  });

  test("concurrent stores of one URL, the last to finish wins; remove and clear drop stores in progress", async (cache) => {
    const first = (await cache.store(cacheMetaData("/race")))!.getWriter();
    const second = (await cache.store(cacheMetaData("/race")))!.getWriter();
    await Promise.all([first.write(encoder.encode("first")), second.write(encoder.encode("second"))]);
    const [looked] = await Promise.all([cache.lookup(new URL("http://cache.test/race")), second.close()]);
    assert.equal(looked, undefined); // the lookup was asked for before the close
    assert.equal(await storedBody(cache, "/race"), "second");
    await first.close();
    assert.equal(await storedBody(cache, "/race"), "first");

    const removed = (await cache.store(cacheMetaData("/race")))!.getWriter();
    await removed.write(encoder.encode("removed"));
    assert.equal(await cache.remove(new URL("http://cache.test/race")), true);
    await removed.close();
    assert.equal(await storedBody(cache, "/race"), undefined);

    const cleared = (await cache.store(cacheMetaData("/other")))!.getWriter();
    await cache.clear();
    await cleared.write(encoder.encode("cleared"));
    await cleared.close();
    assert.equal(await storedBody(cache, "/other"), undefined);
    assert.equal(await cache.cacheSize(), 0);
  });

  test("bad arguments throw TypeErrors that name them", async (cache) => {
    const cases: [() => unknown, string][] = [
      [
        () => cache.lookup("http://x.test/" as unknown as URL),
        "Cannot look up a cache entry: url must be a URL, got http://x.test/",
      ],
      [
        () => cache.remove("http://x.test/" as unknown as URL),
        "Cannot remove a cache entry: url must be a URL, got http://x.test/",
      ],
      [
        () => cache.store({ ...cacheMetaData("/"), url: "http://x.test/" as unknown as URL }),
        "Cannot store a cache entry: metaData must be an object with a URL url",
      ],
      [
        () => cache.store(null as unknown as CacheMetaData),
        "Cannot store a cache entry: metaData must be an object with a URL url",
      ],
      [
        () => cache.updateMetaData({ ...cacheMetaData("/"), headers: {} as HttpHeaders }),
        "Cannot update a cache entry: metaData.headers and metaData.requestHeaders must be HttpHeaders",
      ],
    ];
    for (const [call, message] of cases) assert.throws(call, { name: "TypeError", message }, message);
    assert.equal(await cache.cacheSize(), 0);
  });
}
