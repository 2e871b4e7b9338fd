/**
 * Proxies on the fetch transport, against the in-process forward proxy:
 * a proxy URL per request (http: forwarded, https: tunnelled), credentials
 * from the URL, 407, refused tunnels, a proxy that is down, and `proxy: null`
 * while the environment names a proxy.
 */
import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { environmentProxyFor, memoizedProcessEnvironment } from "../../src/transport/environment_proxy.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { exchangeRequest, type ExchangeResult, runExchange } from "../support/exchange.ts";
import { startForwardProxy } from "../support/forward_proxy.ts";
import { headerOf } from "../support/raw_http_server.ts";
import { caCertificate, closedPort, serveHttp, serveHttps } from "../support/servers.ts";

const decoder = new TextDecoder();

/** Runs an exchange to the https `origin` through `proxy` (a CONNECT tunnel), trusting the test CA. */
function runTunnelled(transport: FetchTransport, origin: URL, proxy: URL): Promise<ExchangeResult> {
  return runExchange(
    transport,
    exchangeRequest(origin, { proxy, sslConfiguration: { caCertificates: [caCertificate()] } }),
  );
}

Deno.test("environmentProxyFor: Deno's rules", () => {
  const rows: [Record<string, string>, string, string | undefined][] = [
    [{}, "http://a.test/", undefined],
    [{ HTTP_PROXY: "http://p:1" }, "http://a.test/", "http://p:1"],
    [{ http_proxy: "http://p:1" }, "http://a.test/", "http://p:1"],
    [{ HTTP_PROXY: "http://p:1" }, "https://a.test/", undefined],
    [{ HTTPS_PROXY: "http://p:2" }, "https://a.test/", "http://p:2"],
    [{ HTTPS_PROXY: "http://p:2" }, "http://a.test/", undefined],
    [{ ALL_PROXY: "http://p:3" }, "https://a.test/", "http://p:3"],
    [{ HTTP_PROXY: "http://p:1", ALL_PROXY: "http://p:3" }, "http://a.test/", "http://p:1"],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "a.test" }, "http://a.test/", undefined],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "test" }, "http://a.test/", undefined],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: ".test" }, "http://a.test/", undefined],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "st" }, "http://a.test/", "http://p:1"],
    [{ HTTP_PROXY: "http://p:1", no_proxy: "other, a.test" }, "http://a.test/", undefined],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "*" }, "http://a.test/", "http://p:1"], // measured: not special
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "127.0.0.1" }, "http://127.0.0.1:5/", undefined],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "127.0.0.1:5" }, "http://127.0.0.1:5/", "http://p:1"],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "127.0.0.0/8" }, "http://127.0.0.1:5/", undefined],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "10.0.0.0/8" }, "http://127.0.0.1:5/", "http://p:1"],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "::1" }, "http://[::1]:5/", undefined],
    [{ HTTP_PROXY: "http://p:1", NO_PROXY: "[::1]" }, "http://[::1]:5/", "http://p:1"],
    [{ HTTP_PROXY: "  " }, "http://a.test/", undefined],
  ];
  for (const [env, url, expected] of rows) {
    assert.equal(
      environmentProxyFor(new URL(url), (name) => env[name]),
      expected,
      `${JSON.stringify(env)} ${url}`,
    );
  }
});

Deno.test("fetch transport proxy: an http request goes through the proxy in absolute form", async () => {
  await using origin = serveHttp(() => new Response("from origin"));
  await using proxy = startForwardProxy();
  const transport = new FetchTransport();
  const url = new URL("/path?q=1", origin.url);
  const result = await runExchange(transport, exchangeRequest(url, { proxy: proxy.url }));
  assert.equal(decoder.decode(result.body), "from origin");
  assert.equal(proxy.requests.length, 1);
  assert.equal(proxy.requests[0].target, url.href);
  await transport.close();
});

Deno.test("fetch transport proxy: an https request is tunnelled with CONNECT", async () => {
  await using origin = serveHttps(() => new Response("secure via tunnel"));
  await using proxy = startForwardProxy();
  const transport = new FetchTransport();
  const result = await runTunnelled(transport, origin.url, proxy.url);
  assert.equal(decoder.decode(result.body), "secure via tunnel");
  assert.equal(proxy.requests[0].method, "CONNECT");
  assert.equal(proxy.requests[0].target, `localhost:${origin.port}`);
  await transport.close();
});

Deno.test("fetch transport proxy: credentials come from the proxy URL", async () => {
  await using origin = serveHttp(() => new Response("authorized"));
  await using proxy = startForwardProxy({ credentials: { username: "us er", password: "p@ss" } });
  const transport = new FetchTransport();
  const proxyUrl = new URL(proxy.url);
  proxyUrl.username = encodeURIComponent("us er");
  proxyUrl.password = encodeURIComponent("p@ss");
  const result = await runExchange(transport, exchangeRequest(origin.url, { proxy: proxyUrl }));
  assert.equal(result.head?.status, 200);
  assert.equal(decoder.decode(result.body), "authorized");
  assert.equal(headerOf(proxy.requests[0], "proxy-authorization"), `Basic ${btoa("us er:p@ss")}`);
  await transport.close();
});

Deno.test("fetch transport proxy: a 407 for an http request arrives as a response", async () => {
  await using origin = serveHttp(() => new Response("unreachable"));
  await using proxy = startForwardProxy({ credentials: { username: "u", password: "p" } });
  const transport = new FetchTransport();
  const result = await runExchange(transport, exchangeRequest(origin.url, { proxy: proxy.url }));
  assert.deepEqual(result.trace, ["requestSent", "responseHead(407)", "data", "end"]);
  assert.equal(result.head?.headers.value("proxy-authenticate"), 'Basic realm="netreply test proxy"');
  await transport.close();
});

Deno.test("fetch transport proxy: a tunnel refused with 407 is ProxyAuthenticationRequiredError", async () => {
  await using origin = serveHttps(() => new Response("unreachable"));
  await using proxy = startForwardProxy({ credentials: { username: "u", password: "p" } });
  const transport = new FetchTransport();
  const result = await runTunnelled(transport, origin.url, proxy.url);
  // Deno reports an "HTTP/1.1 407" answer to CONNECT by name (an HTTP/1.0 one only as "unsuccessful tunnel").
  assert.deepEqual(result.trace, [`error(${NetworkError.ProxyAuthenticationRequiredError})`]);
  assert.equal(
    result.error?.message,
    `Proxy 127.0.0.1:${proxy.port} requires authentication (fetch takes proxy credentials only from the proxy URL)`,
  );
  assert.equal(proxy.requests[0].method, "CONNECT");
  await transport.close();
});

Deno.test("fetch transport proxy: a tunnel refused otherwise is UnknownProxyError", async () => {
  await using origin = serveHttps(() => new Response("unreachable"));
  await using proxy = startForwardProxy({ refuseConnect: true });
  const transport = new FetchTransport();
  const result = await runTunnelled(transport, origin.url, proxy.url);
  assert.deepEqual(result.trace, [`error(${NetworkError.UnknownProxyError})`]);
  assert.equal(
    result.error?.message,
    `Proxy 127.0.0.1:${proxy.port} did not open a tunnel to localhost:${origin.port} ` +
      "(fetch hides the proxy's status, e.g. 407: the socket transport reports it)",
  );
  await transport.close();
});

Deno.test("fetch transport proxy: a proxy that is down is ProxyConnectionRefusedError", async () => {
  const transport = new FetchTransport();
  const port = closedPort();
  const result = await runExchange(
    transport,
    exchangeRequest("http://127.0.0.1:9999/", { proxy: new URL(`http://127.0.0.1:${port}`) }),
  );
  assert.deepEqual(result.trace, [`error(${NetworkError.ProxyConnectionRefusedError})`]);
  assert.equal(result.error?.message, `Connection to proxy 127.0.0.1:${port} refused`);
  await transport.close();
});

/** Runs `fn` with environment variables set, restoring them afterwards. */
async function withEnv(vars: Record<string, string>, fn: () => Promise<void>): Promise<void> {
  const saved = Object.keys(vars).map((name) => [name, Deno.env.get(name)] as const);
  for (const [name, value] of Object.entries(vars)) Deno.env.set(name, value);
  try {
    await fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}

Deno.test("fetch transport proxy: proxy null goes direct for http even when HTTP_PROXY is set", async () => {
  await using origin = serveHttp(() => new Response("direct"));
  await using proxy = startForwardProxy();
  const transport = new FetchTransport();
  await withEnv({ HTTP_PROXY: proxy.url.href }, async () => {
    const result = await runExchange(transport, exchangeRequest(origin.url, { proxy: null }));
    assert.equal(decoder.decode(result.body), "direct");
  });
  assert.equal(proxy.requests.length, 0, "the environment's proxy was bypassed");
  await transport.close();
});

Deno.test("fetch transport proxy: proxy null for https while HTTPS_PROXY applies is refused", async () => {
  const transport = new FetchTransport();
  await withEnv({ HTTPS_PROXY: "http://user:secret@127.0.0.1:3128" }, async () => {
    const result = await runExchange(transport, exchangeRequest("https://localhost:8443/", { proxy: null }));
    assert.deepEqual(result.trace, [`error(${NetworkError.UnknownProxyError})`]);
    assert.equal(
      result.error?.message,
      "Cannot connect to localhost:8443 directly: Deno's fetch sends it through the environment's proxy " +
        'http://127.0.0.1:3128 (set NO_PROXY=localhost, or use the socket transport ({ transport: "socket" }))',
    );
  });
  await transport.close();
});

Deno.test("memoizedProcessEnvironment: each variable is read once", async () => {
  await withEnv({ NETREPLY_TEST_PROXY_VAR: "first" }, async () => {
    const env = memoizedProcessEnvironment();
    assert.equal(env?.("NETREPLY_TEST_PROXY_VAR"), "first");
    Deno.env.set("NETREPLY_TEST_PROXY_VAR", "second");
    assert.equal(env?.("NETREPLY_TEST_PROXY_VAR"), "first");
    assert.equal(memoizedProcessEnvironment()?.("NETREPLY_TEST_PROXY_VAR"), "second");
    await Promise.resolve();
  });
});

Deno.test("fetch transport proxy: proxy null reads the environment once per transport, as Deno's client does", async () => {
  await using origin = serveHttp(() => new Response("direct"));
  await using proxy = startForwardProxy();
  const transport = new FetchTransport();
  // The first request reads no environment proxy (and makes sure Deno's default client exists).
  const first = await runExchange(transport, exchangeRequest(origin.url, { proxy: null }));
  assert.equal(decoder.decode(first.body), "direct");
  await withEnv({ HTTP_PROXY: proxy.url.href, http_proxy: proxy.url.href }, async () => {
    // Deno's default client read its environment when it was created; so did this transport.
    const second = await runExchange(transport, exchangeRequest(origin.url, { proxy: null }));
    assert.equal(decoder.decode(second.body), "direct");
  });
  assert.equal(proxy.requests.length, 0);
  await transport.close();
});
