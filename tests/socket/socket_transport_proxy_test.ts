import assert from "node:assert/strict";
import { NetworkAccessManager, NetworkError, NetworkRequest } from "../../mod.ts";
import { parseProxyChallenge } from "../../src/transport/socket/proxy_tunnel.ts";
import type { UserQuestion } from "../../src/transport/transport.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import { checkedTransport } from "../../testing.ts";
import { exchangeRequest, runExchange } from "../support/exchange.ts";
import { startForwardProxy } from "../support/forward_proxy.ts";
import { headerOf } from "../support/http_wire.ts";
import { caCertificate, closedPort, serveHttp, serveHttps } from "../support/servers.ts";

const hello = () => new Response("hello");

function withCredentials(url: URL, username: string, password: string): URL {
  const copy = new URL(url.href);
  copy.username = username;
  copy.password = password;
  return copy;
}

Deno.test("http through a proxy: absolute-form target, Basic credentials from the proxy URL", async () => {
  await using origin = serveHttp(hello);
  await using proxy = startForwardProxy({ credentials: { username: "ann", password: "s3cret" } });
  const transport = new SocketTransport();
  try {
    const target = new URL("/path?q=1", origin.url);
    const result = await runExchange(
      transport,
      exchangeRequest(target, { proxy: withCredentials(proxy.url, "ann", "s3cret") }),
    );
    assert.equal(result.error, undefined);
    assert.equal(new TextDecoder().decode(result.body), "hello");
    assert.equal(proxy.requests[0].target, target.href);
    assert.equal(headerOf(proxy.requests[0], "proxy-authorization"), `Basic ${btoa("ann:s3cret")}`);
  } finally {
    await transport.close();
  }
});

Deno.test("https through a proxy: CONNECT tunnel, then TLS to the origin", async () => {
  await using origin = serveHttps(hello);
  await using proxy = startForwardProxy({ credentials: { username: "ann", password: "s3cret" } });
  const transport = new SocketTransport();
  try {
    const result = await runExchange(
      transport,
      exchangeRequest(origin.url, {
        proxy: withCredentials(proxy.url, "ann", "s3cret"),
        sslConfiguration: { caCertificates: [caCertificate()] },
      }),
    );
    assert.equal(result.error, undefined);
    assert.deepEqual(result.trace, [
      "connecting",
      "encrypted",
      "requestSent",
      "responseHead(200)",
      "data",
      "end",
    ]);
    assert.equal(proxy.requests[0].method, "CONNECT");
    assert.equal(proxy.requests[0].target, `localhost:${origin.port}`);
    assert.equal(headerOf(proxy.requests[0], "host"), `localhost:${origin.port}`);
  } finally {
    await transport.close();
  }
});

Deno.test("the environment's proxy is used when the request names none", async () => {
  await using origin = serveHttp(hello);
  await using proxy = startForwardProxy();
  Deno.env.set("HTTP_PROXY", proxy.url.href);
  const transport = new SocketTransport();
  try {
    const result = await runExchange(transport, exchangeRequest(origin.url));
    assert.equal(result.error, undefined);
    assert.equal(proxy.requests.length, 1);
  } finally {
    Deno.env.delete("HTTP_PROXY");
    await transport.close();
  }
});

const failures: {
  name: string;
  https: boolean;
  proxy: (proxyUrl: URL) => URL;
  options?: Parameters<typeof startForwardProxy>[0];
  code: NetworkError;
  message: (proxyUrl: URL, origin: URL) => string;
}[] = [
  {
    name: "CONNECT answered 407: ProxyAuthenticationRequiredError",
    https: true,
    proxy: (url) => url,
    options: { credentials: { username: "ann", password: "s3cret" } },
    code: NetworkError.ProxyAuthenticationRequiredError,
    message: (proxy, origin) =>
      `Proxy requires authentication: proxy ${proxy.host} answered CONNECT localhost:${origin.port} with 407 ` +
      "Proxy Authentication Required",
  },
  {
    name: "CONNECT answered 403: UnknownProxyError naming the status",
    https: true,
    proxy: (url) => url,
    options: { refuseConnect: true },
    code: NetworkError.UnknownProxyError,
    message: (proxy, origin) =>
      `Proxy ${proxy.host} refused the tunnel to localhost:${origin.port}: HTTP 403 Forbidden`,
  },
  ...[false, true].flatMap((https) => [
    {
      name: `refused proxy (${https ? "https" : "http"}): ProxyConnectionRefusedError`,
      https,
      proxy: () => new URL(`http://127.0.0.1:${closedPort()}`),
      code: NetworkError.ProxyConnectionRefusedError,
      message: (proxy: URL) => `Connection to proxy ${proxy.host} refused`,
    },
    {
      name: `unresolvable proxy (${https ? "https" : "http"}): ProxyNotFoundError`,
      https,
      proxy: () => new URL("http://netreply-nohost.invalid:3128"),
      code: NetworkError.ProxyNotFoundError,
      message: () => "Proxy server netreply-nohost.invalid not found",
    },
  ]),
];

for (const { name, https, proxy: proxyFor, options, code, message } of failures) {
  Deno.test(name, async () => {
    await using origin = https ? serveHttps(hello) : serveHttp(hello);
    await using forward = startForwardProxy(options);
    const proxy = proxyFor(forward.url);
    const transport = new SocketTransport();
    try {
      const result = await runExchange(
        transport,
        exchangeRequest(origin.url, { proxy, sslConfiguration: { caCertificates: [caCertificate()] } }),
      );
      assert.equal(result.error?.code, code);
      assert.equal(result.error?.message, message(proxy, origin.url));
    } finally {
      await transport.close();
    }
  });
}

Deno.test("a proxy that is not http: is ProxyNotFoundError", async () => {
  await using origin = serveHttp(hello);
  const transport = new SocketTransport();
  try {
    const result = await runExchange(
      transport,
      exchangeRequest(origin.url, { proxy: new URL("socks5://127.0.0.1:1080") }),
    );
    assert.equal(result.error?.code, NetworkError.ProxyNotFoundError);
    assert.equal(
      result.error?.message,
      "No suitable proxy found: socks5: proxies are not supported, only http:",
    );
  } finally {
    await transport.close();
  }
});

Deno.test("CONNECT 407: the user is asked once; given credentials are used and then sent pre-emptively", async () => {
  await using origin = serveHttps(hello);
  await using proxy = startForwardProxy({ credentials: { username: "ann", password: "s3cret" } });
  const transport = new SocketTransport();
  try {
    const questions: UserQuestion[] = [];
    const request = exchangeRequest(origin.url, {
      proxy: proxy.url,
      sslConfiguration: { caCertificates: [caCertificate()] },
      answer: (question) => {
        questions.push(question);
        if (question.kind !== "proxyAuthentication") return false;
        question.authenticator.user = "ann";
        question.authenticator.password = "s3cret";
        return true;
      },
    });
    const first = await runExchange(transport, request);
    assert.equal(first.error, undefined);
    assert.deepEqual(first.trace.slice(0, 3), ["connecting", "ask(proxyAuthentication)", "encrypted"]);
    const question = questions[0];
    assert.ok(question.kind === "proxyAuthentication");
    assert.equal(question.proxy.href, proxy.url.href);
    assert.equal(question.authenticator.scheme, "Basic");
    transport.clearConnectionCache();
    const second = await runExchange(transport, request);
    assert.equal(second.error, undefined);
    assert.equal(questions.length, 1);
    assert.equal(headerOf(proxy.requests.at(-1)!, "proxy-authorization"), `Basic ${btoa("ann:s3cret")}`);
  } finally {
    await transport.close();
  }
});

Deno.test("CONNECT 407 after the user's credentials: ProxyAuthenticationRequiredError, asked once", async () => {
  await using origin = serveHttps(hello);
  await using proxy = startForwardProxy({ credentials: { username: "ann", password: "s3cret" } });
  const transport = new SocketTransport();
  try {
    let asked = 0;
    const result = await runExchange(
      transport,
      exchangeRequest(origin.url, {
        proxy: proxy.url,
        answer: (question) => {
          asked++;
          if (question.kind === "proxyAuthentication") question.authenticator.user = "wrong";
          return true;
        },
      }),
    );
    assert.equal(asked, 1);
    assert.equal(result.error?.code, NetworkError.ProxyAuthenticationRequiredError);
    assert.equal(
      result.error?.message,
      `Proxy requires authentication: proxy ${proxy.url.host} answered CONNECT localhost:${origin.port} with 407 ` +
        "Proxy Authentication Required",
    );
  } finally {
    await transport.close();
  }
});

Deno.test("manager: proxyAuthenticationRequired fills the credentials for an https tunnel", async () => {
  await using origin = serveHttps(hello);
  await using proxy = startForwardProxy({ credentials: { username: "ann", password: "s3cret" } });
  await using nam = new NetworkAccessManager({ transport: new SocketTransport(), proxy: proxy.url });
  let realm: string | undefined;
  nam.addEventListener("proxyAuthenticationRequired", (event) => {
    realm = event.authenticator.realm;
    event.authenticator.user = "ann";
    event.authenticator.password = "s3cret";
  });
  const reply = nam.get(
    new NetworkRequest(origin.url, { sslConfiguration: { caCertificates: [caCertificate()] } }),
  );
  assert.equal(await reply.text(), "hello");
  assert.equal(typeof realm, "string");
});

Deno.test("parseProxyChallenge: scheme and realm", () => {
  assert.deepEqual(parseProxyChallenge('Basic realm="proxy"'), { scheme: "Basic", realm: "proxy" });
  assert.deepEqual(parseProxyChallenge("Basic charset=UTF-8, realm=p"), { scheme: "Basic", realm: "p" });
  assert.deepEqual(parseProxyChallenge("Negotiate"), { scheme: "Negotiate", realm: "" });
  assert.deepEqual(parseProxyChallenge('Negotiate, Basic realm="a, b"'), { scheme: "Basic", realm: "a, b" });
  assert.equal(parseProxyChallenge('Basic realm="unterminated'), undefined);
  assert.equal(parseProxyChallenge(undefined), undefined);
  assert.equal(parseProxyChallenge(" "), undefined);
});

Deno.test("an environment proxy that is not a URL is ProxyNotFoundError", async () => {
  await using origin = serveHttp(hello);
  Deno.env.set("HTTP_PROXY", "http://[bad");
  const transport = new SocketTransport();
  try {
    const result = await runExchange(transport, exchangeRequest(origin.url));
    assert.equal(result.error?.code, NetworkError.ProxyNotFoundError);
    assert.equal(
      result.error?.message,
      'No suitable proxy found: Cannot use proxy "http://[bad" from the environment: not a URL',
    );
  } finally {
    Deno.env.delete("HTTP_PROXY");
    await transport.close();
  }
});

Deno.test("http through a proxy answering 407: the user is asked; credentials re-send the request", async () => {
  await using origin = serveHttp(hello);
  await using proxy = startForwardProxy({ credentials: { username: "ann", password: "s3cret" } });
  const transport = checkedTransport(new SocketTransport());
  try {
    const answered = await runExchange(
      transport,
      exchangeRequest(origin.url, {
        proxy: proxy.url,
        answer: (question) => {
          if (question.kind !== "proxyAuthentication") return false;
          question.authenticator.user = "ann";
          question.authenticator.password = "s3cret";
          return true;
        },
      }),
    );
    assert.deepEqual(answered.trace, [
      "connecting",
      "requestSent",
      "ask(proxyAuthentication)",
      "responseHead(200)",
      "data",
      "end",
    ]);
    assert.equal(headerOf(proxy.requests[1], "proxy-authorization"), `Basic ${btoa("ann:s3cret")}`);
    // Later requests to that proxy carry the credentials from the start.
    const later = await runExchange(transport, exchangeRequest(origin.url, { proxy: proxy.url }));
    assert.equal(later.head?.status, 200);
    assert.equal(proxy.requests.length, 3);
  } finally {
    await transport.close();
  }
});

Deno.test("http through a proxy answering 407 without an answer: the 407 response stands", async () => {
  await using origin = serveHttp(hello);
  await using proxy = startForwardProxy({ credentials: { username: "ann", password: "s3cret" } });
  const transport = checkedTransport(new SocketTransport());
  try {
    const result = await runExchange(transport, exchangeRequest(origin.url, { proxy: proxy.url }));
    assert.deepEqual(result.trace, [
      "connecting",
      "requestSent",
      "ask(proxyAuthentication)",
      "responseHead(407)",
      "data",
      "end",
    ]);
  } finally {
    await transport.close();
  }
});

Deno.test("manager: proxyAuthenticationRequired fills the credentials for an http request through a proxy", async () => {
  await using origin = serveHttp(hello);
  await using proxy = startForwardProxy({ credentials: { username: "ann", password: "s3cret" } });
  await using nam = new NetworkAccessManager({ transport: new SocketTransport(), proxy: proxy.url });
  let asked = 0;
  nam.addEventListener("proxyAuthenticationRequired", (event) => {
    asked++;
    event.authenticator.user = "ann";
    event.authenticator.password = "s3cret";
  });
  const reply = nam.get(origin.url);
  assert.equal(await reply.text(), "hello");
  assert.equal(asked, 1);
});
