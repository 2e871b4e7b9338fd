/**
 * Built-in transports are loaded with a dynamic import() on first use: the
 * static module graph of mod.ts holds neither transport, the HTTP/1.1
 * engine nor any node: module; the manager stays synchronous while the
 * first exchange waits for the load; calls made before the load are
 * applied after it; a failed load fails the exchange with a message.
 */
import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError, type Transport } from "../../mod.ts";
import type { ExchangeEvent } from "../../transport.ts";
import { LazyTransport } from "../../src/transport/lazy_transport.ts";
import { serveHttp } from "../support/servers.ts";

interface ModuleInfo {
  readonly specifier: string;
  readonly dependencies?: readonly {
    readonly specifier: string;
    readonly code?: { readonly specifier?: string };
    readonly isDynamic?: boolean;
  }[];
}

interface Graph {
  /** Modules reached through static code edges. */
  readonly reached: string[];
  /** Targets of dynamic import() edges from the reached modules. */
  readonly dynamic: string[];
}

interface StaticEdge {
  readonly from: string;
  readonly to: string;
}

/**
 * What `entry` reaches through static `import`/`export ... from` code edges
 * (type-only edges excluded; dynamic edges followed only with `followDynamic`),
 * and every static code edge met on the way.
 */
async function staticGraph(entry: string, followDynamic = false): Promise<Graph & { edges: StaticEdge[] }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as { modules: ModuleInfo[] };
  const byUrl = new Map(info.modules.map((module) => [module.specifier, module]));
  const root = info.modules.find((module) => module.specifier.endsWith(`/${entry}`));
  assert.ok(root, `deno info lists ${entry}`);
  const seen = new Set<string>([root.specifier]);
  const dynamic: string[] = [];
  const edges: StaticEdge[] = [];
  const queue = [root];
  for (let module = queue.shift(); module !== undefined; module = queue.shift()) {
    for (const dependency of module.dependencies ?? []) {
      const target = dependency.code?.specifier;
      if (target !== undefined && dependency.isDynamic) dynamic.push(target);
      if (target !== undefined && !dependency.isDynamic) edges.push({ from: module.specifier, to: target });
      if (target === undefined || (dependency.isDynamic && !followDynamic) || seen.has(target)) continue;
      seen.add(target);
      const next = byUrl.get(target);
      if (next !== undefined) queue.push(next);
    }
  }
  return { reached: [...seen], dynamic, edges };
}

Deno.test("mod.ts statically imports no built-in transport, no HTTP/1.1 engine and no node: module", async () => {
  const { reached, dynamic } = await staticGraph("mod.ts");
  assert.ok(reached.some((url) => url.endsWith("/src/manager.ts")), "the walk reaches the manager");
  for (
    const loaded of ["/src/transport/fetch/fetch_transport.ts", "/src/transport/socket/socket_transport.ts"]
  ) {
    assert.ok(dynamic.some((url) => url.endsWith(loaded)), `${loaded} is loaded with import()`);
  }
  const forbidden = reached.filter((url) =>
    url.startsWith("node:") ||
    ["/src/transport/fetch/", "/src/transport/socket/", "/src/transport/sockets/", "/src/http1/"]
      .some((dir) => url.includes(dir))
  );
  assert.deepEqual(forbidden, []);
});

Deno.test("no module behind mod.ts statically imports a node: module, so a bundle loads where node: is missing", async () => {
  // A bundler inlines dynamically imported modules but keeps their static node: imports at the top of
  // the bundle, where a runtime without them (workerd without nodejs_compat, a browser) fails to load.
  const { reached, edges } = await staticGraph("mod.ts", true);
  assert.ok(
    reached.some((url) => url.endsWith("/src/transport/sockets/node_socket_opener.ts")),
    "the walk reaches the Node opener",
  );
  const nodeEdges = edges.filter((edge) => edge.to.startsWith("node:"))
    .map((edge) => `${edge.from.slice(edge.from.indexOf("/src/"))} → ${edge.to}`);
  assert.deepEqual(nodeEdges, []);
});

Deno.test("the default manager loads fetch on the first exchange; get() returns at once", async () => {
  await using server = serveHttp(() => new Response("hi"));
  await using nam = new NetworkAccessManager({ proxy: null });
  const first = nam.get(server.url);
  const second = nam.get(server.url);
  assert.equal(first.isFinished(), false);
  assert.deepEqual([await first.text(), await second.text()], ["hi", "hi"]);
});

/** A transport that records calls, for loading tests. */
function recorder(log: string[]): Transport {
  return {
    name: "recorder",
    async *exchange(request): AsyncGenerator<ExchangeEvent, undefined> {
      log.push(`exchange ${request.url.pathname}`);
      yield { type: "error", code: NetworkError.ConnectionRefusedError, message: "Connection refused" };
      return undefined;
    },
    clearConnectionCache: () => void log.push("clearConnectionCache"),
    connectToHost: (url) => void log.push(`connectToHost ${url.href}`),
    close: () => Promise.resolve(void log.push("close")),
  };
}

Deno.test("LazyTransport: calls before the load are applied after it, in order; one load", async () => {
  const log: string[] = [];
  let loads = 0;
  const release = Promise.withResolvers<void>();
  const lazy = new LazyTransport("recorder", async () => {
    loads++;
    await release.promise;
    return recorder(log);
  });
  const nam = new NetworkAccessManager({ transport: lazy });
  nam.connectToHost("example.test", 8080);
  nam.clearConnectionCache();
  const reply = nam.get("http://example.test/a");
  assert.deepEqual(log, [], "nothing reaches the transport before the load");
  release.resolve();
  await reply.done;
  assert.deepEqual(log, ["connectToHost http://example.test:8080/", "clearConnectionCache", "exchange /a"]);
  const again = nam.get("http://example.test/b");
  await again.done;
  assert.equal(lazy.loaded !== undefined, true);
  assert.equal(loads, 1);
  await nam.close();
  assert.equal(log.at(-1), "close");
});

Deno.test("LazyTransport: a failed load fails each exchange with UnknownNetworkError naming the transport", async () => {
  const lazy = new LazyTransport("broken", () => Promise.reject(new Error("module not found")));
  await using nam = new NetworkAccessManager({ transport: lazy });
  const reply = nam.get("http://example.test/");
  await reply.done;
  assert.equal(reply.error(), NetworkError.UnknownNetworkError);
  assert.equal(reply.errorString(), "Cannot load the broken transport: module not found");
});

Deno.test("LazyTransport: close() never loads, and an exchange returned early never starts", async () => {
  let loads = 0;
  const lazy = new LazyTransport("never", () => {
    loads++;
    return Promise.resolve(recorder([]));
  });
  await lazy.close();
  assert.equal(loads, 0);
  const events = lazy.exchange({} as Parameters<Transport["exchange"]>[0], new AbortController().signal);
  await events.return?.();
  assert.deepEqual(await events.next(), { done: true, value: undefined });
});

Deno.test('transport "socket" is accepted and loaded lazily', async () => {
  await using nam = new NetworkAccessManager({ transport: "socket" });
  assert.ok(nam instanceof NetworkAccessManager);
});
