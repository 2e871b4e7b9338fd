// Every public options bag outside the manager and the request calls rejects a key it does not know, naming
// the key and the constructor (the manager's, the request's and the calls' bags: tests/manager/request_options_test.ts).

import assert from "node:assert/strict";
import {
  CookieJar,
  FetchTransport,
  HstsPolicy,
  MemoryCache,
  SocketTransport,
  WebCacheStore,
} from "../../mod.ts";

const constructors: [owner: string, make: (options: Record<string, unknown>) => unknown, misspelt: string][] =
  [
    ["new FetchTransport()", (options) => new FetchTransport(options), "fecth"],
    ["new SocketTransport()", (options) => new SocketTransport(options), "maxConnectionsPerhost"],
    ["new CookieJar()", (options) => new CookieJar(options), "clock"],
    ["new MemoryCache()", (options) => new MemoryCache(options), "maxsize"],
    [
      "new HstsPolicy()",
      (options) => new HstsPolicy({ host: "h.test", expiry: new Date(0), ...options } as never),
      "includeSubdomains",
    ],
  ];

for (const [owner, make, misspelt] of constructors) {
  Deno.test(`${owner} rejects an unknown option key, naming it`, () => {
    assert.throws(() => make({ [misspelt]: 1 }), {
      name: "TypeError",
      message: new RegExp(`^Unknown option "${misspelt}" in ${owner.replace(/[()]/g, "\\$&")}: `),
    });
  });
}

Deno.test("new SocketTransport() names the option a misspelt key resembles", () => {
  assert.throws(() => new SocketTransport({ idletimeout: 5 } as never), {
    name: "TypeError",
    message: 'Unknown option "idletimeout" in new SocketTransport(): did you mean "idleTimeout"?',
  });
});

Deno.test("new WebCacheStore() and WebCacheStore.open() reject an unknown option key, and open() opens nothing", async () => {
  const cache = await caches.open("netreply-unknown-option-test");
  try {
    assert.throws(() => new WebCacheStore(cache, { maxSize: 1 } as never), {
      name: "TypeError",
      message: 'Unknown option "maxSize" in new WebCacheStore(): expected one of maxEntrySize',
    });
    await assert.rejects(
      WebCacheStore.open("netreply-unknown-option-never", { maxEntrySize: 1, size: 2 } as never),
      {
        name: "TypeError",
        message: 'Unknown option "size" in WebCacheStore.open(): expected one of maxEntrySize',
      },
    );
    assert.equal(await caches.has("netreply-unknown-option-never"), false);
  } finally {
    await caches.delete("netreply-unknown-option-test");
  }
});
