/**
 * The manager's HTTP cache end to end (RFC 9111, Qt's QAbstractNetworkCache
 * use): every test runs on MockTransport, fetch and socket, against an origin
 * that counts the requests it sees (a loopback server for fetch and socket),
 * each transport inside checkedTransport; with a MemoryCache, and on fetch and
 * socket with a WebCacheStore too (Deno's Web Cache API, each cache deleted
 * after its test).
 */
import assert from "node:assert/strict";
import {
  Attribute,
  CacheLoadControl,
  type CacheMetaData,
  FetchTransport,
  formatHttpDate,
  HttpHeaders,
  MemoryCache,
  NetworkAccessManager,
  type NetworkCache,
  NetworkError,
  NetworkRequest,
  SocketTransport,
  WebCacheStore,
} from "../../mod.ts";
import { checkedTransport, MockTransport } from "../../testing.ts";
import { describe, recordTrace } from "../conformance/trace.ts";
import { serveHttp } from "../support/servers.ts";

type Kind = "mock" | "fetch" | "socket";
const KINDS: readonly Kind[] = ["mock", "fetch", "socket"];

/** A request as the origin saw it. */
interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: HttpHeaders;
}

/** What the origin answers. */
interface Answer {
  readonly status: number;
  readonly headers?: [string, string][];
  readonly body?: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
}

/** An origin on one transport, recording what it sees. */
interface Site extends AsyncDisposable {
  readonly base: URL;
  readonly seen: Seen[];
  /** A manager on a fresh (checked) transport of the site's kind, with `cache`. */
  manager(cache: NetworkCache): NetworkAccessManager;
}

const encoder = new TextEncoder();

function mockBody(
  body: Answer["body"],
): string | Uint8Array | { chunks: { data: string; delay?: number }[] } | null {
  if (body === undefined) return null;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  // A never-ending body for the mock: a first chunk, then one that takes a minute.
  return { chunks: [{ data: "first" }, { data: "never", delay: 60_000 }] };
}

function openSite(kind: Kind, origin: (seen: Seen) => Answer): Site {
  const seen: Seen[] = [];
  const answer = (request: Seen): Answer => {
    seen.push(request);
    return origin(request);
  };
  if (kind === "mock") {
    // One mock per manager: closing a manager closes its transport.
    const mock = (): MockTransport => {
      const transport = new MockTransport();
      transport.intercept({}).reply((call) => {
        const { status, headers, body } = answer({
          method: call.method,
          path: call.url.pathname + call.url.search,
          headers: call.headers,
        });
        return { status, headers: headers ?? [], body: mockBody(body) };
      }).persist();
      return transport;
    };
    return {
      base: new URL("http://cache.test/"),
      seen,
      manager: (cache) => new NetworkAccessManager({ transport: checkedTransport(mock()), cache }),
      [Symbol.asyncDispose]: () => Promise.resolve(),
    };
  }
  const server = serveHttp((request) => {
    const url = new URL(request.url);
    const { status, headers, body } = answer({
      method: request.method,
      path: url.pathname + url.search,
      headers: new HttpHeaders(request.headers),
    });
    return new Response(body ?? null, { status, headers });
  });
  return {
    base: server.url,
    seen,
    manager: (cache) =>
      new NetworkAccessManager({
        transport: checkedTransport(kind === "fetch" ? new FetchTransport() : new SocketTransport()),
        cache,
        proxy: null,
      }),
    [Symbol.asyncDispose]: () => server.close(),
  };
}

/** Makes an empty store for a test; those over the Web Cache API are deleted when the test ends. */
type NewCache = () => Promise<NetworkCache>;
type Store = "MemoryCache" | "WebCacheStore";

/** The stores each transport runs with: MemoryCache everywhere, WebCacheStore on the real transports. */
const STORES: Record<Kind, readonly Store[]> = {
  mock: ["MemoryCache"],
  fetch: ["MemoryCache", "WebCacheStore"],
  socket: ["MemoryCache", "WebCacheStore"],
};

/** Registers `name` once per transport and store; `newCache` makes stores of that kind. */
function eachTransport(name: string, body: (kind: Kind, newCache: NewCache) => Promise<void>): void {
  for (const kind of KINDS) {
    for (const store of STORES[kind]) {
      const label = store === "MemoryCache" ? kind : `${kind}, ${store}`;
      Deno.test(`[${label}] ${name}`, async () => {
        const names: string[] = [];
        const newCache: NewCache = () => {
          if (store === "MemoryCache") return Promise.resolve(new MemoryCache());
          names.push(`netreply-test-${crypto.randomUUID()}`);
          return WebCacheStore.open(names.at(-1)!);
        };
        try {
          await body(kind, newCache);
          // A test that made its cache otherwise would run with it under WebCacheStore's name.
          if (store === "WebCacheStore") {
            assert.notEqual(names.length, 0, "the test made no cache with newCache()");
          }
        } finally {
          for (const name of names) await caches.delete(name);
        }
      });
    }
  }
}

function withLoadControl(
  url: URL,
  control: CacheLoadControl,
  headers: [string, string][] = [],
): NetworkRequest {
  return new NetworkRequest(url, { headers, attributes: { [Attribute.CacheLoadControlAttribute]: control } });
}

/** Puts a response into `cache` directly, as if it had arrived `ageMs` ago. */
async function putEntry(
  cache: NetworkCache,
  url: URL,
  fields: [string, string][],
  body: string,
  ageMs: number,
): Promise<void> {
  const then = Date.now() - ageMs;
  const metaData: CacheMetaData = {
    url,
    requestMethod: "GET",
    requestHeaders: new HttpHeaders(),
    status: 200,
    reasonPhrase: "OK",
    headers: new HttpHeaders([["date", formatHttpDate(new Date(then))], ...fields]),
    requestTime: then,
    responseTime: then,
  };
  const writer = (await cache.store(metaData))!.getWriter();
  await writer.write(encoder.encode(body));
  await writer.close();
}

// ---- Qt's tst_QNetworkReply::ioGetFromHttpWithCache, end to end ---------------------------------

type Entry = "none" | "expired" | "not-expired" | "must-revalidate";
const entryFields: Record<Exclude<Entry, "none">, string> = {
  "expired": "max-age=0",
  "not-expired": "max-age=7200",
  "must-revalidate": "max-age=7200, must-revalidate",
};

const { AlwaysNetwork, PreferNetwork, PreferCache, AlwaysCache } = CacheLoadControl;

/** [tag, cached entry, load control, the origin's status, [loadedFromCache, networkUsed]]. */
const qtRows: [string, Entry, CacheLoadControl, 200 | 304 | 206, [boolean, boolean]][] = [
  ["not-cached,always-network", "none", AlwaysNetwork, 200, [false, true]],
  ["not-cached,prefer-network", "none", PreferNetwork, 200, [false, true]],
  ["not-cached,prefer-cache", "none", PreferCache, 200, [false, true]],
  ["expired,200,prefer-network", "expired", PreferNetwork, 200, [false, true]],
  // Qt revalidates here; netreply's PreferCache serves the stale entry (docs/qt-deviations.md).
  ["expired,200,prefer-cache", "expired", PreferCache, 200, [true, false]],
  ["expired,304,prefer-network", "expired", PreferNetwork, 304, [true, true]],
  ["expired,304,prefer-cache", "expired", PreferCache, 304, [true, false]],
  ["not-expired,200,always-network", "not-expired", AlwaysNetwork, 200, [false, true]],
  ["not-expired,200,prefer-network", "not-expired", PreferNetwork, 200, [true, false]],
  ["not-expired,200,prefer-cache", "not-expired", PreferCache, 200, [true, false]],
  ["not-expired,200,always-cache", "not-expired", AlwaysCache, 200, [true, false]],
  ["not-expired,304,prefer-network", "not-expired", PreferNetwork, 304, [true, false]],
  ["not-expired,304,prefer-cache", "not-expired", PreferCache, 304, [true, false]],
  ["not-expired,304,always-cache", "not-expired", AlwaysCache, 304, [true, false]],
  ["must-revalidate,200,always-network", "must-revalidate", AlwaysNetwork, 200, [false, true]],
  // A fresh must-revalidate entry is served (RFC 9111 §5.2.2.2; Qt dev/6.8.x too: expected-fail rows there).
  ["must-revalidate,200,prefer-network", "must-revalidate", PreferNetwork, 200, [true, false]],
  ["must-revalidate,200,prefer-cache", "must-revalidate", PreferCache, 200, [true, false]],
  ["must-revalidate,200,always-cache", "must-revalidate", AlwaysCache, 200, [false, false]],
  ["must-revalidate,304,prefer-network", "must-revalidate", PreferNetwork, 304, [true, false]],
  ["must-revalidate,304,prefer-cache", "must-revalidate", PreferCache, 304, [true, false]],
  ["must-revalidate,304,always-cache", "must-revalidate", AlwaysCache, 304, [false, false]],
  ["partial,dontuse-cache", "not-expired", PreferCache, 206, [false, true]],
];

eachTransport("Qt ioGetFromHttpWithCache: body source and network use per row", async (kind, newCache) => {
  let status = 200;
  await using site = openSite(kind, () => {
    if (status === 304) return { status, headers: [["etag", '"v1"']] };
    if (status === 206) return { status, headers: [["content-range", "bytes 2-6/10"]], body: "twork" };
    return { status, headers: [["cache-control", "max-age=60"]], body: "network" };
  });
  for (const [tag, entry, control, answer, [fromCache, networkUsed]] of qtRows) {
    status = answer;
    site.seen.length = 0;
    const cache = await newCache();
    const url = new URL(`/row?${tag}`, site.base);
    if (entry !== "none") {
      await putEntry(
        cache,
        url,
        [["cache-control", entryFields[entry]], ["etag", '"v1"']],
        "cached",
        3600_000,
      );
    }
    await using nam = site.manager(cache);
    const range: [string, string][] = answer === 206 ? [["range", "bytes=2-6"]] : [];
    const reply = nam.get(withLoadControl(url, control, range));
    const body = await reply.done.then(() => new TextDecoder().decode(reply.readAll()));
    assert.equal(site.seen.length, networkUsed ? 1 : 0, `${tag}: network used`);
    if (!fromCache && !networkUsed) {
      assert.equal(reply.error(), NetworkError.ContentNotFoundError, tag);
      assert.equal(reply.errorString(), `Error opening ${url.href}`, tag);
      continue;
    }
    assert.equal(reply.error(), NetworkError.NoError, `${tag}: ${reply.errorString()}`);
    assert.equal(reply.attribute(Attribute.SourceIsFromCacheAttribute), fromCache, `${tag}: from cache`);
    assert.equal(body, fromCache ? "cached" : answer === 206 ? "twork" : "network", tag);
    assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), answer === 206 ? 206 : 200, tag);
    if (control === AlwaysNetwork) {
      assert.equal(site.seen[0].headers.value("cache-control"), "no-cache", tag);
      assert.equal(site.seen[0].headers.value("pragma"), "no-cache", tag);
    }
    if (answer === 304 && networkUsed) assert.equal(site.seen[0].headers.value("if-none-match"), '"v1"', tag);
    if (answer === 206) {
      const kept = await cache.lookup(url); // the 206 is not stored over the entry
      assert.equal(await new Response(kept!.body()).text(), "cached", tag);
    }
  }
});

// ---- validators --------------------------------------------------------------------------------

eachTransport(
  "revalidation: a 304 to If-None-Match merges its fields and serves the stored body",
  async (kind, newCache) => {
    let version = "v1";
    await using site = openSite(kind, (seen) => {
      const etag = `"${version}"`;
      if (seen.headers.value("if-none-match") === etag) {
        return {
          status: 304,
          headers: [["etag", etag], ["x-checked", "again"], ["cache-control", "no-cache"]],
        };
      }
      return {
        status: 200,
        headers: [["etag", etag], ["cache-control", "no-cache"], ["x-checked", "first"]],
        body: `body ${version}`,
      };
    });
    await using nam = site.manager(await newCache());
    const url = new URL("/etag", site.base);
    const first = nam.get(url);
    assert.equal(await first.text(), "body v1");
    assert.equal(first.attribute(Attribute.SourceIsFromCacheAttribute), false);

    const second = nam.get(url);
    assert.equal(await second.text(), "body v1");
    assert.equal(second.attribute(Attribute.SourceIsFromCacheAttribute), true);
    assert.equal(second.attribute(Attribute.HttpStatusCodeAttribute), 200); // the stored status, not 304
    assert.equal(second.rawHeader("x-checked"), "again");
    assert.equal(site.seen[1].headers.value("if-none-match"), '"v1"');

    version = "v2"; // changed: the 200 replaces the entry, whose new tag is sent next time
    const third = nam.get(url);
    assert.equal(await third.text(), "body v2");
    assert.equal(third.attribute(Attribute.SourceIsFromCacheAttribute), false);
    const fourth = nam.get(url);
    assert.equal(await fourth.text(), "body v2");
    assert.equal(fourth.attribute(Attribute.SourceIsFromCacheAttribute), true);
    assert.equal(site.seen[3].headers.value("if-none-match"), '"v2"');
    assert.equal(site.seen.length, 4);
  },
);

eachTransport("revalidation: a 304 to If-Modified-Since serves the stored body", async (kind, newCache) => {
  const lastModified = "Thu, 01 Jan 2026 00:00:00 GMT";
  await using site = openSite(
    kind,
    (seen) =>
      seen.headers.value("if-modified-since") === lastModified ? { status: 304, headers: [] } : {
        status: 200,
        headers: [["last-modified", lastModified], ["cache-control", "max-age=0"]],
        body: "dated",
      },
  );
  await using nam = site.manager(await newCache());
  const url = new URL("/dated", site.base);
  assert.equal(await nam.get(url).text(), "dated");
  const again = nam.get(url);
  assert.equal(await again.text(), "dated");
  assert.equal(again.attribute(Attribute.SourceIsFromCacheAttribute), true);
  assert.equal(site.seen.length, 2);
  assert.equal(site.seen[1].headers.value("if-modified-since"), lastModified);
  assert.equal(site.seen[1].headers.contains("if-none-match"), false);
});

// ---- Vary, no-store, AlwaysCache ------------------------------------------------------------------

eachTransport(
  "Vary: the stored response answers only a request with the same varied fields",
  async (kind, newCache) => {
    await using site = openSite(kind, (seen) => ({
      status: 200,
      headers: [["vary", "Accept-Language"], ["cache-control", "max-age=60"]],
      body: `in ${seen.headers.value("accept-language") ?? "none"}`,
    }));
    await using nam = site.manager(await newCache());
    const url = new URL("/vary", site.base);
    const get = async (language: string): Promise<[string, unknown]> => {
      const reply = nam.get(new NetworkRequest(url, { headers: { "accept-language": language } }));
      return [await reply.text(), reply.attribute(Attribute.SourceIsFromCacheAttribute)];
    };
    assert.deepEqual(await get("de"), ["in de", false]);
    assert.deepEqual(await get("de"), ["in de", true]);
    assert.deepEqual(await get("en"), ["in en", false]); // one entry per URL, as in Qt: "en" replaces "de"
    assert.deepEqual(await get("en"), ["in en", true]);
    assert.equal(site.seen.length, 2);
  },
);

eachTransport("no-store: nothing is stored, every request goes to the network", async (kind, newCache) => {
  await using site = openSite(
    kind,
    () => ({ status: 200, headers: [["cache-control", "no-store, max-age=60"]], body: "secret" }),
  );
  const cache = await newCache();
  await using nam = site.manager(cache);
  const url = new URL("/secret", site.base);
  for (let i = 0; i < 2; i++) {
    const reply = nam.get(url);
    assert.equal(await reply.text(), "secret");
    assert.equal(reply.attribute(Attribute.SourceIsFromCacheAttribute), false);
  }
  assert.equal(site.seen.length, 2);
  assert.equal(await cache.cacheSize(), 0);
});

eachTransport("CacheSaveControlAttribute false: the response is not stored", async (kind, newCache) => {
  await using site = openSite(
    kind,
    () => ({ status: 200, headers: [["cache-control", "max-age=60"]], body: "x" }),
  );
  const cache = await newCache();
  await using nam = site.manager(cache);
  const url = new URL("/unsaved", site.base);
  const request = new NetworkRequest(url, { attributes: { [Attribute.CacheSaveControlAttribute]: false } });
  assert.equal(await nam.get(request).text(), "x");
  assert.equal(await cache.lookup(url), undefined);
});

eachTransport(
  "AlwaysCache miss: ContentNotFoundError naming the URL, no request, the error sequence",
  async (kind, newCache) => {
    await using site = openSite(kind, () => ({ status: 200, body: "unused" }));
    await using nam = site.manager(await newCache());
    const url = new URL("/absent#part", site.base);
    const reply = nam.get(withLoadControl(url, AlwaysCache));
    const trace = recordTrace(reply, nam);
    await reply.done;
    assert.equal(reply.error(), NetworkError.ContentNotFoundError);
    assert.equal(reply.errorString(), `Error opening ${new URL("/absent", site.base).href}`);
    assert.equal(
      describe(trace),
      `errorOccurred(${NetworkError.ContentNotFoundError}) downloadProgress(0,0) readChannelFinished nam:finished finished`,
    );
    assert.equal(site.seen.length, 0);
    const post = nam.post(withLoadControl(url, AlwaysCache), "data");
    await post.done;
    assert.equal(post.error(), NetworkError.ContentNotFoundError);
    assert.equal(site.seen.length, 0);
  },
);

// ---- invalidation, incomplete bodies, errors ------------------------------------------------------

eachTransport(
  "POST invalidates the stored response of its URL, and its own response is never served",
  async (kind, newCache) => {
    let n = 0;
    await using site = openSite(kind, (seen) => ({
      status: 200,
      headers: [["cache-control", "max-age=60"]],
      body: `${seen.method} ${++n}`,
    }));
    const cache = await newCache();
    await using nam = site.manager(cache);
    const url = new URL("/resource", site.base);
    assert.equal(await nam.get(url).text(), "GET 1");
    assert.equal(await nam.get(url).text(), "GET 1");
    assert.equal(await nam.post(url, "change").text(), "POST 2");
    assert.equal(await cache.lookup(url), undefined);
    const after = nam.get(url);
    assert.equal(await after.text(), "GET 3"); // qtbug28035: not the POST's response
    assert.equal(after.attribute(Attribute.SourceIsFromCacheAttribute), false);
    assert.equal(site.seen.length, 3);
  },
);

eachTransport("an aborted download stores nothing", async (kind, newCache) => {
  await using site = openSite(kind, () => ({
    status: 200,
    headers: [["cache-control", "max-age=60"]],
    body: new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(encoder.encode("first")),
    }),
  }));
  const cache = await newCache();
  await using nam = site.manager(cache);
  const url = new URL("/endless", site.base);
  const reply = nam.get(url);
  reply.addEventListener("readyRead", () => reply.abort(), { once: true });
  await reply.done;
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
  assert.equal(await cache.lookup(url), undefined);
  assert.equal(await cache.cacheSize(), 0);
});

eachTransport("an error reply that may not be stored removes the stored response", async (kind, newCache) => {
  let status = 200;
  await using site = openSite(
    kind,
    () => ({
      status,
      headers: status === 200 ? [["cache-control", "max-age=0"]] : [],
      body: `status ${status}`,
    }),
  );
  const cache = await newCache();
  await using nam = site.manager(cache);
  const url = new URL("/gone", site.base);
  assert.equal(await nam.get(url).text(), "status 200");
  assert.notEqual(await cache.lookup(url), undefined);
  status = 403;
  const reply = nam.get(url);
  await reply.done;
  assert.equal(reply.error(), NetworkError.ContentAccessDenied);
  assert.equal(await cache.lookup(url), undefined);
});

eachTransport(
  "an error reply is not stored even with explicit freshness (as in Qt)",
  async (kind, newCache) => {
    let served = 0;
    await using site = openSite(kind, () => {
      served++;
      return { status: 404, headers: [["cache-control", "max-age=3600"]], body: "no such page" };
    });
    const cache = await newCache();
    await using nam = site.manager(cache);
    const url = new URL("/missing", site.base);
    await nam.get(url).done;
    const reply = nam.get(url);
    await reply.done;
    assert.equal(served, 2);
    assert.equal(reply.attribute(Attribute.SourceIsFromCacheAttribute), false);
    assert.equal(reply.error(), NetworkError.ContentNotFoundError);
    assert.equal(new TextDecoder().decode(reply.readAll()), "no such page");
    assert.equal(await cache.lookup(url), undefined);
  },
);

eachTransport(
  "a cache hit carries Age, the response's current age (RFC 9111 §5.1)",
  async (kind, newCache) => {
    await using site = openSite(
      kind,
      () => ({ status: 200, headers: [["cache-control", "max-age=60"], ["age", "30"]], body: "aged" }),
    );
    await using nam = site.manager(await newCache());
    const url = new URL("/aged", site.base);
    const first = nam.get(url);
    await first.done;
    assert.equal(first.rawHeader("age"), "30"); // from the network: as the origin sent it
    const hit = nam.get(url);
    await hit.done;
    assert.equal(hit.attribute(Attribute.SourceIsFromCacheAttribute), true);
    assert.ok(Number(hit.rawHeader("age")) >= 30, hit.rawHeader("age"));
    assert.deepEqual(hit.headers().values("age").length, 1);
  },
);

eachTransport(
  "a 5xx is served from a stale entry only within its stale-if-error window (RFC 5861 §4)",
  async (kind, newCache) => {
    let status = 200;
    let window = "3600";
    await using site = openSite(kind, () =>
      status === 200
        ? {
          status,
          headers: [["cache-control", `max-age=5, stale-if-error=${window}`], ["age", "10"]],
          body: "stale copy",
        }
        : { status, body: "origin down" });
    await using nam = site.manager(await newCache());
    for (const [allowed, path] of [["3600", "/within"], ["2", "/past"]] as const) {
      window = allowed;
      status = 200;
      const url = new URL(path, site.base);
      await nam.get(url).done;
      status = 503;
      const reply = nam.get(url);
      await reply.done;
      const servedStale = allowed === "3600"; // stale by 5 s: within 3600 s, past 2 s
      assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), servedStale ? 200 : 503, path);
      assert.equal(reply.attribute(Attribute.SourceIsFromCacheAttribute), servedStale, path);
      assert.equal(
        new TextDecoder().decode(reply.readAll()),
        servedStale ? "stale copy" : "origin down",
        path,
      );
    }
  },
);

eachTransport(
  "the request's own If-None-Match is answered 304 by a fresh entry (RFC 9111 §4.3.2)",
  async (kind, newCache) => {
    await using site = openSite(
      kind,
      (request) =>
        request.headers.value("if-none-match") === '"v1"'
          ? { status: 304, headers: [["etag", '"v1"']] }
          : { status: 200, headers: [["cache-control", "max-age=60"], ["etag", '"v1"']], body: "version 1" },
    );
    await using nam = site.manager(await newCache());
    const url = new URL("/tagged", site.base);
    await nam.get(url).done;
    const conditional = (tag: string) => new NetworkRequest(url, { headers: { "If-None-Match": tag } });
    const hit = nam.get(conditional('"v0", "v1"'));
    await hit.done;
    assert.equal(site.seen.length, 1); // answered by the cache
    assert.equal(hit.attribute(Attribute.HttpStatusCodeAttribute), 304);
    assert.equal(hit.attribute(Attribute.SourceIsFromCacheAttribute), true);
    assert.equal(hit.error(), NetworkError.NoError);
    assert.equal(hit.rawHeader("etag"), '"v1"');
    assert.equal(hit.rawHeader("content-type"), "");
    assert.equal(hit.readAll().length, 0);
    // A tag the stored response does not have: the origin judges it.
    const other = nam.get(conditional('"v2"'));
    await other.done;
    assert.equal(site.seen.length, 2);
    assert.equal(site.seen[1].headers.value("if-none-match"), '"v2"');
    assert.equal(await other.text(), "version 1");
  },
);

// ---- the cache hit's signals ----------------------------------------------------------------------

eachTransport(
  "a cache hit: the sequence of docs/signals.md, nothing inside get(), SourceIsFromCacheAttribute",
  async (kind, newCache) => {
    await using site = openSite(kind, () => ({
      status: 200,
      headers: [["cache-control", "max-age=60"], ["content-type", "text/plain"]],
      body: "hit me",
    }));
    await using nam = site.manager(await newCache());
    const url = new URL("/hit", site.base);
    await nam.get(url).text();
    const reply = nam.get(url);
    const trace = recordTrace(reply, nam);
    assert.deepEqual(trace, []); // nothing dispatched inside get()
    assert.equal(await reply.text(), "hit me");
    assert.equal(
      describe(trace),
      "metaDataChanged readyRead downloadProgress(6,6) readChannelFinished nam:finished finished",
    );
    assert.equal(reply.attribute(Attribute.SourceIsFromCacheAttribute), true);
    assert.equal(reply.rawHeader("content-type"), "text/plain");
    assert.equal(site.seen.length, 1);

    const head = nam.head(url); // HEAD is answered by the stored GET, without a body
    const headTrace = recordTrace(head, nam);
    await head.done;
    assert.equal(head.attribute(Attribute.SourceIsFromCacheAttribute), true);
    assert.equal(
      describe(headTrace),
      "metaDataChanged downloadProgress(0,0) readChannelFinished nam:finished finished",
    );
    assert.equal(site.seen.length, 1);
  },
);

// ---- more of Qt's cache tests ---------------------------------------------------------------------

eachTransport(
  "Qt ioHttpRedirectWithCache: a cached 308 is replayed, then followed",
  async (kind, newCache) => {
    await using site = openSite(
      kind,
      (seen) =>
        seen.path === "/old"
          ? { status: 308, headers: [["location", "/new"], ["cache-control", "max-age=60"]], body: "moved" }
          : { status: 200, headers: [["cache-control", "no-store"]], body: "target" },
    );
    const cache = await newCache();
    await using nam = site.manager(cache);
    const url = new URL("/old", site.base);
    assert.equal(await nam.get(url).text(), "target");
    const stored = await cache.lookup(url);
    assert.equal(stored?.metaData.status, 308);
    assert.equal(await new Response(stored!.body()).text(), "moved");

    const again = nam.get(url);
    const trace = recordTrace(again, nam);
    assert.equal(await again.text(), "target");
    assert.deepEqual(site.seen.map((seen) => seen.path), ["/old", "/new", "/new"]);
    assert.equal(again.attribute(Attribute.SourceIsFromCacheAttribute), false); // the last hop's
    assert.equal(trace.filter((entry) => entry.type === "finished").length, 1);
    assert.equal(trace.filter((entry) => entry.type === "redirected").length, 1);
  },
);

eachTransport(
  "Qt getWithAndWithoutBodyFromHttp: a GET with a body bypasses the cache; AlwaysCache with one fails",
  async (kind, newCache) => {
    await using site = openSite(kind, (seen) => ({
      status: 200,
      headers: [["cache-control", "max-age=60"]],
      body: `network ${seen.method}`,
    }));
    const cache = await newCache();
    await using nam = site.manager(cache);
    const url = new URL("/with-body", site.base);
    await putEntry(cache, url, [["cache-control", "max-age=7200"]], "cached", 0);
    const withBody = nam.sendCustomRequest(url, "GET", "a body");
    await withBody.done;
    assert.equal(withBody.attribute(Attribute.SourceIsFromCacheAttribute) === true, false);
    if (kind === "fetch") {
      assert.equal(withBody.error(), NetworkError.ProtocolInvalidOperationError); // fetch sends no GET body
    } else {
      assert.equal(new TextDecoder().decode(withBody.readAll()), "network GET");
      assert.equal(await cache.lookup(url), undefined); // Qt drops the entry
    }
    const cacheOnly = nam.sendCustomRequest(withLoadControl(url, AlwaysCache), "GET", "a body");
    await cacheOnly.done;
    assert.equal(cacheOnly.error(), NetworkError.ContentNotFoundError);
    assert.equal(cacheOnly.errorString(), `Error opening ${url.href}`);
    assert.equal(site.seen.length, kind === "fetch" ? 0 : 1);
  },
);

eachTransport("Qt cacheWithContentEncoding: the decoded bytes are what is cached", async (kind, newCache) => {
  const text = "decoded ".repeat(100);
  const gzipped = new Uint8Array(
    await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
  );
  await using site = openSite(kind, () =>
    kind === "mock" // the mock never decodes: it plays the decoded body a transport would deliver
      ? { status: 200, headers: [["cache-control", "max-age=60"]], body: text }
      : {
        status: 200,
        headers: [["cache-control", "max-age=60"], ["content-encoding", "gzip"]],
        body: gzipped,
      });
  const cache = await newCache();
  await using nam = site.manager(cache);
  const url = new URL("/gzip", site.base);
  assert.equal(await nam.get(url).text(), text);
  const again = nam.get(url);
  assert.equal(await again.text(), text);
  assert.equal(again.attribute(Attribute.SourceIsFromCacheAttribute), true);
  assert.equal(site.seen.length, 1);
});

for (const kind of KINDS) {
  Deno.test(`[${kind}] a failing cache store is an empty one: replies come from the network`, async () => {
    await using site = openSite(
      kind,
      () => ({ status: 200, headers: [["cache-control", "max-age=60"]], body: "fine" }),
    );
    const failing = (): Promise<never> => Promise.reject(new Error("the store is down"));
    const broken: NetworkCache = {
      lookup: failing,
      store: failing,
      updateMetaData: failing,
      remove: failing,
      clear: failing,
      cacheSize: failing,
    };
    await using nam = site.manager(broken);
    const url = new URL("/broken-store", site.base);
    for (let i = 0; i < 2; i++) {
      const reply = nam.get(url);
      assert.equal(await reply.text(), "fine");
      assert.equal(reply.attribute(Attribute.SourceIsFromCacheAttribute), false);
    }
    assert.equal(await nam.post(url, "x").text(), "fine"); // the failing invalidation too
    assert.equal(site.seen.length, 3);
  });
}
