/**
 * What per-request TLS and proxy settings become on each runtime's fetch
 * (Node, Bun and workerd are not run here: their rows are checked as data).
 */
import assert from "node:assert/strict";
import { NetworkError } from "../../src/core/network_error.ts";
import { HttpClientCache } from "../../src/transport/fetch/http_clients.ts";
import { detectRuntime, runtimeDecodes } from "../../src/transport/fetch/runtime.ts";
import { runtimeOptions, type RuntimeOptionsInput } from "../../src/transport/fetch/runtime_options.ts";
import { caCertificate } from "../support/servers.ts";

const https = new URL("https://localhost:8443/");
const withCa: RuntimeOptionsInput = {
  url: https,
  options: { http2Allowed: true },
  sslConfiguration: { caCertificates: [caCertificate()] },
};
const withProxy: RuntimeOptionsInput = {
  url: new URL("http://127.0.0.1:8080/"),
  options: { http2Allowed: true },
  proxy: new URL("http://u:p@127.0.0.1:3128"),
};

Deno.test("detectRuntime: Deno here; the decoding table per runtime", () => {
  assert.equal(detectRuntime(), "deno");
  assert.deepEqual(["gzip", "br", "deflate", "zstd"].filter((c) => runtimeDecodes("deno", c)), [
    "gzip",
    "br",
  ]);
  assert.deepEqual(["gzip", "br", "deflate", "zstd"].filter((c) => runtimeDecodes("workerd", c)), [
    "gzip",
    "br",
  ]);
  assert.deepEqual(["gzip", "br", "deflate", "zstd"].filter((c) => runtimeDecodes("node", c)), [
    "gzip",
    "br",
    "deflate",
  ]);
  assert.deepEqual(["gzip", "br", "deflate", "zstd"].filter((c) => runtimeDecodes("bun", c)), [
    "gzip",
    "br",
    "deflate",
    "zstd",
  ]);
});

Deno.test("runtimeOptions: nothing special means the plain fetch", () => {
  const clients = new HttpClientCache();
  assert.deepEqual(runtimeOptions({ url: https, options: { http2Allowed: true } }, "deno", clients), {
    kind: "options",
    init: {},
  });
  // sslConfiguration means nothing for http:.
  assert.deepEqual(runtimeOptions({ ...withCa, url: new URL("http://localhost/") }, "node", clients), {
    kind: "options",
    init: {},
  });
  assert.equal(clients.size, 0);
});

Deno.test("runtimeOptions: Deno gets an HTTP client, with proxy credentials taken out of the URL", () => {
  const clients = new HttpClientCache();
  const tls = runtimeOptions(withCa, "deno", clients);
  assert.equal(tls.kind, "options");
  assert.ok(tls.kind === "options" && tls.init.client !== undefined);
  const proxied = runtimeOptions(withProxy, "deno", clients);
  assert.ok(proxied.kind === "options" && proxied.init.client !== undefined);
  assert.equal(clients.size, 2);
  clients.close();
});

Deno.test("runtimeOptions: Bun gets its tls and proxy options", () => {
  const clients = new HttpClientCache();
  assert.deepEqual(runtimeOptions(withCa, "bun", clients), {
    kind: "options",
    init: { tls: { ca: withCa.sslConfiguration?.caCertificates } },
  });
  assert.deepEqual(runtimeOptions(withProxy, "bun", clients), {
    kind: "options",
    init: { proxy: "http://u:p@127.0.0.1:3128/" },
  });
});

Deno.test("runtimeOptions: Node and workerd refuse per-request TLS and proxies, naming the runtime", () => {
  const clients = new HttpClientCache();
  assert.deepEqual(runtimeOptions(withCa, "node", clients), {
    kind: "refused",
    code: NetworkError.ProtocolInvalidOperationError,
    message: "Cannot apply sslConfiguration (CA certificates or a client certificate) with fetch on Node: " +
      'use the socket transport ({ transport: "socket" })',
  });
  assert.deepEqual(runtimeOptions(withProxy, "workerd", clients), {
    kind: "refused",
    code: NetworkError.UnknownProxyError,
    message:
      "Cannot send a request through the proxy http://127.0.0.1:3128 with fetch on Cloudflare Workers " +
      '(workerd): use the socket transport ({ transport: "socket" })',
  });
});
