// The manager's HTTP cache against httpbin (plain HTTP) on both built-in transports: /cache/{n}
// (max-age) is answered from the cache without the network, /cache (Last-Modified, ETag) is
// revalidated and answered 304, /etag/{etag} has no valid entity-tag to revalidate with,
// /response-headers with no-store is never stored.
import assert from "node:assert/strict";
import { Attribute, MemoryCache, NetworkError, type NetworkReply, NetworkRequest } from "../../mod.ts";
import { setupInteropServers } from "./servers.ts";
import { forEachTransport, interopManager } from "./transports.ts";

const suite = setupInteropServers();

/** The reply's body as text, and whether it came from the cache and went to the network. */
async function load(reply: NetworkReply): Promise<{ body: string; fromCache: unknown; sent: boolean }> {
  let sent = false;
  reply.addEventListener("requestSent", () => sent = true);
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  const body = new TextDecoder().decode(reply.readAll());
  return { body, fromCache: reply.attribute(Attribute.SourceIsFromCacheAttribute), sent };
}

forEachTransport(suite, (transport, test) => {
  test("cache: GET /cache/60 twice, the second from the cache without the network", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport, { cache: new MemoryCache() });
    const first = await load(nam.get(`${httpbin}/cache/60`));
    assert.deepEqual([first.fromCache, first.sent], [false, true]);
    const second = await load(nam.get(`${httpbin}/cache/60`));
    assert.deepEqual([second.fromCache, second.sent], [true, false]);
    assert.equal(second.body, first.body);
  });

  test("cache: GET /cache twice, the second revalidated (304) and served from the cache", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport, { cache: new MemoryCache() });
    const first = await load(nam.get(`${httpbin}/cache`));
    assert.deepEqual([first.fromCache, first.sent], [false, true]);
    const reply = nam.get(`${httpbin}/cache`);
    const second = await load(reply);
    assert.deepEqual([second.fromCache, second.sent], [true, true]);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
    assert.equal(second.body, first.body);
  });

  test("cache: /etag/{etag} sends its tag unquoted, no entity-tag: nothing to revalidate with", async () => {
    const { httpbin } = suite.servers();
    await using nam = interopManager(transport, { cache: new MemoryCache() });
    const url = `${httpbin}/etag/netreply`;
    const first = nam.get(url);
    await load(first);
    assert.equal(first.rawHeader("etag"), "netreply"); // RFC 9110 §8.8.3 wants "netreply"
    const second = await load(nam.get(url));
    assert.deepEqual([second.fromCache, second.sent], [false, true]);
    // The user's own If-None-Match makes the request the user's: the 304 is the reply.
    const own = nam.get(new NetworkRequest(url, { headers: { "if-none-match": '"netreply"' } }));
    const mine = await load(own);
    assert.deepEqual([mine.fromCache, mine.sent], [false, true]);
    assert.equal(own.attribute(Attribute.HttpStatusCodeAttribute), 304);
  });

  test("cache: /response-headers with Cache-Control no-store is never stored", async () => {
    const { httpbin } = suite.servers();
    const cache = new MemoryCache();
    await using nam = interopManager(transport, { cache });
    const url = `${httpbin}/response-headers?Cache-Control=no-store`;
    for (let i = 0; i < 2; i++) {
      const { fromCache, sent } = await load(nam.get(url));
      assert.deepEqual([fromCache, sent], [false, true]);
    }
    assert.equal(await cache.cacheSize(), 0);
  });
});
