import assert from "node:assert/strict";
import { proxyAuthorization } from "../../src/transport/socket/proxy_authorization.ts";
import { chooseProxy, socketRoute } from "../../src/transport/socket/socket_route.ts";

const proxy = new URL("http://127.0.0.1:3128");

Deno.test("routes: where the connection goes and how the request is framed", () => {
  const rows = [
    {
      url: "http://example.test/",
      proxy: undefined,
      host: "example.test",
      port: 80,
      absolute: false,
      tunnel: undefined,
    },
    {
      url: "https://example.test/",
      proxy: undefined,
      host: "example.test",
      port: 443,
      absolute: false,
      tunnel: undefined,
    },
    {
      url: "http://[::1]:8080/",
      proxy: undefined,
      host: "::1",
      port: 8080,
      absolute: false,
      tunnel: undefined,
    },
    { url: "http://example.test/", proxy, host: "127.0.0.1", port: 3128, absolute: true, tunnel: undefined },
    {
      url: "https://example.test/",
      proxy,
      host: "127.0.0.1",
      port: 3128,
      absolute: false,
      tunnel: "example.test:443",
    },
    { url: "https://[::1]/", proxy, host: "127.0.0.1", port: 3128, absolute: false, tunnel: "[::1]:443" },
  ];
  for (const row of rows) {
    const route = socketRoute(new URL(row.url), {}, row.proxy);
    assert.deepEqual(
      [route.hostname, route.port, route.absoluteForm, route.tunnel],
      [row.host, row.port, row.absolute, row.tunnel],
      row.url,
    );
  }
});

Deno.test("routes: TLS settings from the request, serverName from peerVerifyName", () => {
  const route = socketRoute(new URL("https://127.0.0.1:8443/"), {
    peerVerifyName: "localhost",
    sslConfiguration: { caCertificates: ["CA"], localCertificate: "CERT", privateKey: "KEY" },
  }, undefined);
  assert.deepEqual(route.tls, {
    serverName: "localhost",
    caCertificates: ["CA"],
    localCertificate: "CERT",
    privateKey: "KEY",
    alpnProtocols: ["http/1.1"],
    inspectFailures: true,
  });
  assert.equal(socketRoute(new URL("http://example.test/"), {}, undefined).tls, undefined);
});

Deno.test("pool keys: same origin and settings share, anything else separates", () => {
  const key = (url: string, tls = {}, via?: URL) => socketRoute(new URL(url), tls, via).key;
  const base = key("https://example.test/a");
  assert.equal(key("https://example.test:443/b?q"), base);
  const different = [
    key("http://example.test/a"),
    key("https://example.test:8443/a"),
    key("https://other.test/a"),
    key("https://example.test/a", {}, proxy),
    key("https://example.test/a", {}, new URL("http://user:pw@127.0.0.1:3128")),
    key("https://example.test/a", { peerVerifyName: "name.test" }),
    key("https://example.test/a", { sslConfiguration: { caCertificates: ["CA"] } }),
    key("https://example.test/a", { sslConfiguration: { localCertificate: "C", privateKey: "K" } }),
  ];
  assert.equal(new Set([base, ...different]).size, different.length + 1);
});

Deno.test("chooseProxy: explicit, none, the environment, NO_PROXY, scheme-less", () => {
  const url = new URL("http://example.test/");
  const env = (values: Record<string, string>) => (name: string) => values[name];
  assert.equal(chooseProxy(url, proxy, undefined), proxy);
  assert.equal(chooseProxy(url, null, env({ HTTP_PROXY: "http://p:1" })), undefined);
  assert.equal(chooseProxy(url, undefined, env({ HTTP_PROXY: "http://p:1" }))?.href, "http://p:1/");
  assert.equal(chooseProxy(url, undefined, env({ HTTP_PROXY: "p:2" }))?.href, "http://p:2/");
  assert.equal(
    chooseProxy(url, undefined, env({ HTTP_PROXY: "http://p:1", NO_PROXY: "example.test" })),
    undefined,
  );
  assert.equal(chooseProxy(url, undefined, undefined), undefined);
  assert.throws(
    () => chooseProxy(url, undefined, env({ HTTP_PROXY: "http://[bad" })),
    { name: "TypeError", message: 'Cannot use proxy "http://[bad" from the environment: not a URL' },
  );
});

Deno.test("proxyAuthorization: Basic from the proxy URL's user info, percent-decoded UTF-8", () => {
  assert.equal(proxyAuthorization(new URL("http://ann:s3cret@p:1")), `Basic ${btoa("ann:s3cret")}`);
  assert.equal(proxyAuthorization(new URL("http://ann@p:1")), `Basic ${btoa("ann:")}`);
  assert.equal(proxyAuthorization(new URL("http://%C3%A9:x@p:1")), `Basic ${btoa("\u00c3\u00a9:x")}`);
  assert.equal(proxyAuthorization(new URL("http://p:1")), undefined);
});
