// The Deno Deploy and Cloudflare Worker examples, each called as its platform calls it (`fetch(request, env)`)
// against an upstream API on loopback: the upstream's JSON, an upstream 404 passed on with its status, a refused
// upstream as 502, and an unknown route as 404.

import assert from "node:assert/strict";
import worker from "../../examples/cloudflare_worker.ts";

/** The upstream API: user 7 exists, the others do not. */
function serveUpstream(): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const { pathname } = new URL(request.url);
    return pathname === "/users/7"
      ? Response.json({ id: 7, name: "Grace" })
      : new Response("no such user", { status: 404 });
  });
}

/** A loopback URL where nothing listens. */
function closedUpstream(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.close();
  return `http://127.0.0.1:${listener.addr.port}/`;
}

type Handler = (request: Request, upstream: string) => Promise<Response>;

/** The Deploy handler reads UPSTREAM when it is loaded, once per upstream: one module instance each. */
async function deployHandler(upstream: string): Promise<(request: Request) => Promise<Response>> {
  Deno.env.set("UPSTREAM", upstream);
  try {
    const module = await import(`../../examples/deno_deploy.ts?upstream=${encodeURIComponent(upstream)}`);
    return (request) => module.default.fetch(request);
  } finally {
    Deno.env.delete("UPSTREAM");
  }
}

const handlers: Record<string, Handler> = {
  "Cloudflare Worker": (request, upstream) => worker.fetch(request, { UPSTREAM: upstream }),
  "Deno Deploy": async (request, upstream) => (await deployHandler(upstream))(request),
};

for (const [platform, handle] of Object.entries(handlers)) {
  Deno.test(`examples: the ${platform} handler answers from the upstream and maps its failures`, async () => {
    await using server = serveUpstream();
    const upstream = `http://127.0.0.1:${server.addr.port}/`;

    const found = await handle(new Request("https://edge.test/users/7"), upstream);
    assert.equal(found.status, 200);
    assert.deepEqual(await found.json(), { id: 7, name: "Grace" });

    const missing = await handle(new Request("https://edge.test/users/8"), upstream);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /^upstream: .*server replied: Not Found$/);

    const route = await handle(new Request("https://edge.test/other"), upstream);
    assert.equal(route.status, 404);
    assert.equal(await route.text(), "not found");

    const refused = await handle(new Request("https://edge.test/users/7"), closedUpstream());
    assert.equal(refused.status, 502);
    assert.equal(await refused.text(), "upstream: Connection refused");
  });
}
