/**
 * HSTS (RFC 6797, Qt's QHstsCache) applied by the manager, on MockTransport,
 * fetch and socket: known hosts are reached over https (requests and
 * redirect targets), https responses without certificate errors teach,
 * plain http and ignored certificate errors do not, max-age=0 forgets, and
 * ignoreSslErrors() has no effect for a known host.
 */

import assert from "node:assert/strict";
import {
  Attribute,
  HstsPolicy,
  NetworkAccessManager,
  NetworkError,
  type NetworkReply,
  NetworkRequest,
  SslError,
  SslErrorKind,
  type Transport,
} from "../../mod.ts";
import { checkedTransport, MockTransport } from "../../testing.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import { caCertificate, serveHttp, serveHttps, type TestServer } from "../support/servers.ts";

/** What a site answers for a path, over http or https. */
interface Answer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
}
/** Answers a path; `upgradable` names the site's http URLs that HSTS makes https. */
type Handler = (path: string, upgradable: (path: string) => URL) => Answer;

/**
 * One host name served three ways: `secure` (https, trusted), `untrusted`
 * (https with a self-signed certificate) and `plain` (http). `upgradable`
 * is the http URL an upgrade turns into `secure`'s. Every answer's body is
 * `"<scheme> <path>"`, so a test sees which server answered.
 */
interface Site extends AsyncDisposable {
  readonly transport: string;
  /** The host every URL names (a host name: IP addresses are never HSTS hosts). */
  readonly host: string;
  secure(path: string): URL;
  untrusted(path: string): URL;
  plain(path: string): URL;
  upgradable(path: string): URL;
  manager(strictTransportSecurity?: boolean): NetworkAccessManager;
  request(url: URL | string): NetworkRequest;
  /** What an unignored certificate error of `untrusted` fails with. */
  readonly untrustedError: string;
  /** Whether the transport can go on past ignored certificate errors. */
  readonly canIgnoreSslErrors: boolean;
}

function respond(handler: Handler, scheme: string, upgradable: (path: string) => URL) {
  return (request: Request): Response => {
    const path = new URL(request.url).pathname;
    const answer = handler(path, upgradable);
    return new Response(`${scheme} ${path}`, { status: answer.status ?? 200, headers: answer.headers });
  };
}

function mockSite(handler: Handler): Site {
  const mock = new MockTransport();
  const host = "hsts.test";
  const untrusted = [new SslError(SslErrorKind.SelfSignedCertificate)];
  // RFC 6797 §8.3: an explicit port 80 becomes 443, https's default.
  const upgradable = (path: string) => new URL(path, `http://${host}:80/`);
  const answer = (url: URL) => {
    const { status = 200, headers = {} } = handler(url.pathname, upgradable);
    return { status, headers, body: `${url.protocol.slice(0, -1)} ${url.pathname}` };
  };
  const ours = (url: URL) => url.hostname === host;
  mock.intercept({ url: (url) => ours(url) && url.port === "4443" })
    .reply((call) => answer(call.url), { sslErrors: untrusted }).persist();
  mock.intercept({ url: ours }).reply((call) => answer(call.url)).persist();
  mock.intercept({ url: (url) => !ours(url) })
    .replyWithError(NetworkError.HostNotFoundError, "Host netreply-nohost.invalid not found").persist();
  return {
    transport: "mock",
    host,
    secure: (path) => new URL(path, `https://${host}/`),
    untrusted: (path) => new URL(path, `https://${host}:4443/`),
    plain: (path) => new URL(path, `http://${host}:8080/`),
    upgradable,
    manager: (strictTransportSecurity = true) =>
      new NetworkAccessManager({ transport: checkedTransport(mock), strictTransportSecurity }),
    request: (url) => new NetworkRequest(url),
    untrustedError: "SSL handshake failed",
    canIgnoreSslErrors: true,
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

function realSite(transport: "fetch" | "socket", handler: Handler): Site {
  const host = "localhost";
  // A port other than 80 is kept: the https server's port, named with http.
  const upgradable = (path: string) => new URL(path, `http://${host}:${secure.port}/`);
  const servers: TestServer[] = [
    serveHttps(respond(handler, "https", upgradable)),
    serveHttps(respond(handler, "https", upgradable), { certificate: "selfsigned" }),
    serveHttp(respond(handler, "http", upgradable), { hostname: "localhost" }),
  ];
  const [secure, untrusted, plain] = servers;
  return {
    transport,
    host,
    secure: (path) => new URL(path, secure.url),
    untrusted: (path) => new URL(path, untrusted.url),
    plain: (path) => new URL(path, plain.url),
    upgradable,
    manager: (strictTransportSecurity = true) => {
      const carrier: Transport = transport === "fetch" ? new FetchTransport() : new SocketTransport();
      return new NetworkAccessManager({
        transport: checkedTransport(carrier),
        proxy: null,
        strictTransportSecurity,
      });
    },
    request: (url) => new NetworkRequest(url, { sslConfiguration: { caCertificates: [caCertificate()] } }),
    // The runtime's verdict (socket: errors it will not be asked to ignore are not inspected further).
    untrustedError: "SSL handshake failed: The issuer certificate of a locally looked up certificate " +
      "could not be found (invalid peer certificate: UnknownIssuer)",
    canIgnoreSslErrors: transport === "socket",
    [Symbol.asyncDispose]: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

const transports = ["mock", "fetch", "socket"] as const;

/** Runs `body` once per transport, each with its own site answering with `handler`. */
function hstsTest(name: string, handler: Handler, body: (site: Site) => Promise<void>): void {
  for (const transport of transports) {
    Deno.test(`HSTS on ${transport}: ${name}`, async () => {
      await using site = transport === "mock" ? mockSite(handler) : realSite(transport, handler);
      await body(site);
    });
  }
}

const inAnHour = () => new Date(Date.now() + 3_600_000);
const sts = (value: string): Answer => ({ headers: { "strict-transport-security": value } });
const hosts = (nam: NetworkAccessManager) =>
  nam.strictTransportSecurityHosts().map((policy) =>
    `${policy.host}${policy.includeSubDomains ? " +sub" : ""}`
  );

async function body(reply: NetworkReply): Promise<string> {
  await reply.done;
  assert.equal(reply.error(), NetworkError.NoError, reply.errorString());
  return new TextDecoder().decode(reply.readAll());
}

hstsTest("a preloaded policy sends http requests over https", () => ({}), async (site) => {
  await using nam = site.manager();
  nam.addStrictTransportSecurityHosts([new HstsPolicy({ host: site.host, expiry: inAnHour() })]);
  const reply = nam.get(site.request(site.upgradable("/page?q=1")));
  // Qt's createRequest(): the reply shows the https URL at once.
  assert.equal(reply.url().href, site.secure("/page?q=1").href);
  assert.equal(reply.request().url().href, site.secure("/page?q=1").href);
  assert.equal(await body(reply), "https /page");
  assert.equal(reply.attribute(Attribute.ConnectionEncryptedAttribute), true);
});

hstsTest(
  "a policy learnt from an https response upgrades the next request",
  (path) => path === "/learn" ? sts("max-age=3600") : {},
  async (site) => {
    await using nam = site.manager();
    assert.equal(await body(nam.get(site.request(site.secure("/learn")))), "https /learn");
    assert.deepEqual(hosts(nam), [site.host]);
    const expiry = nam.strictTransportSecurityHosts()[0].expiry.getTime();
    assert.ok(expiry > Date.now() + 3_000_000 && expiry <= Date.now() + 3_600_000, `expiry ${expiry}`);
    const next = nam.get(site.request(site.upgradable("/next")));
    assert.equal(await body(next), "https /next");
    assert.equal(next.url().href, site.secure("/next").href);
  },
);

hstsTest(
  "includeSubDomains is learnt and covers sub-domains",
  (path) => path === "/learn" ? sts('max-age="3600"; includeSubDomains; preload') : {},
  async (site) => {
    await using nam = site.manager();
    await body(nam.get(site.request(site.secure("/learn"))));
    assert.deepEqual(hosts(nam), [`${site.host} +sub`]);
    // A sub-domain of a preloaded includeSubDomains policy (a name that resolves nowhere, so the
    // real transports show the upgraded URL in their host-not-found error).
    nam.addStrictTransportSecurityHosts([
      new HstsPolicy({ host: "invalid", expiry: inAnHour(), includeSubDomains: true }),
    ]);
    const reply = nam.get(site.request("http://netreply-nohost.invalid/sub"));
    assert.equal(reply.url().href, "https://netreply-nohost.invalid/sub");
    await reply.done;
    assert.equal(reply.error(), NetworkError.HostNotFoundError);
    assert.equal(reply.errorString(), "Host netreply-nohost.invalid not found");
  },
);

hstsTest(
  "max-age=0 removes the host",
  (path) => path === "/forget" ? sts("max-age=0") : {},
  async (site) => {
    await using nam = site.manager();
    nam.addStrictTransportSecurityHosts([new HstsPolicy({ host: site.host, expiry: inAnHour() })]);
    await body(nam.get(site.request(site.secure("/forget"))));
    assert.deepEqual(hosts(nam), []);
    const reply = nam.get(site.request(site.plain("/after")));
    assert.equal(await body(reply), "http /after");
    assert.equal(reply.url().href, site.plain("/after").href);
  },
);

hstsTest("a header over plain http is ignored", () => sts("max-age=3600"), async (site) => {
  await using nam = site.manager();
  assert.equal(await body(nam.get(site.request(site.plain("/first")))), "http /first");
  assert.deepEqual(hosts(nam), []);
  const reply = nam.get(site.request(site.plain("/second")));
  assert.equal(await body(reply), "http /second");
  assert.equal(reply.attribute(Attribute.ConnectionEncryptedAttribute), false);
});

hstsTest(
  "a header over a connection with certificate errors is ignored, even when they were ignored",
  () => sts("max-age=3600"),
  async (site) => {
    await using nam = site.manager();
    const reply = nam.get(site.request(site.untrusted("/ignored")));
    reply.addEventListener("sslErrors", () => reply.ignoreSslErrors());
    await reply.done;
    if (site.canIgnoreSslErrors) {
      assert.equal(await body(reply), "https /ignored");
    } else {
      // fetch cannot go past a certificate error: the reply fails, and teaches nothing either.
      assert.equal(reply.error(), NetworkError.SslHandshakeFailedError);
      assert.equal(reply.errorString(), site.untrustedError);
    }
    assert.deepEqual(hosts(nam), []);
    assert.equal(await body(nam.get(site.request(site.plain("/after")))), "http /after");
  },
);

hstsTest("ignoreSslErrors() has no effect for a known host", () => ({}), async (site) => {
  await using nam = site.manager();
  nam.addStrictTransportSecurityHosts([new HstsPolicy({ host: site.host, expiry: inAnHour() })]);
  const request = site.request(site.untrusted("/known"));
  const reply = nam.get(request);
  reply.ignoreSslErrors();
  reply.addEventListener("sslErrors", () => reply.ignoreSslErrors());
  await reply.done;
  assert.equal(reply.error(), NetworkError.SslHandshakeFailedError);
  assert.equal(reply.errorString(), site.untrustedError);
  // Without HSTS the same request goes through where the transport can ignore errors.
  if (site.canIgnoreSslErrors) {
    nam.setStrictTransportSecurityEnabled(false);
    const again = nam.get(request);
    again.ignoreSslErrors();
    assert.equal(await body(again), "https /known");
  }
});

hstsTest(
  "a redirect target on a known host is upgraded before the redirect policy judges it",
  (path, upgradable) =>
    path === "/start"
      ? {
        status: 302,
        headers: { "strict-transport-security": "max-age=3600", location: upgradable("/end").href },
      }
      : {},
  async (site) => {
    await using nam = site.manager();
    // The 302 names http://host/end: https → http would be an InsecureRedirectError under the
    // default NoLessSafeRedirectPolicy, but the 302's own policy makes the target https first.
    const reply = nam.get(site.request(site.secure("/start")));
    const redirected: string[] = [];
    reply.addEventListener("redirected", (event) => redirected.push(event.url.href));
    assert.equal(await body(reply), "https /end");
    assert.deepEqual(redirected, [site.secure("/end").href]);
    assert.equal(reply.url().href, site.secure("/end").href);
  },
);

hstsTest(
  "a redirect with two Locations is refused on a known host as it is without HSTS",
  (path, upgradable) =>
    path === "/two"
      ? { status: 302, headers: { location: `${upgradable("/x").href}, ${upgradable("/y").href}` } }
      : {},
  async (site) => {
    const location = `${site.upgradable("/x").href}, ${site.upgradable("/y").href}`;
    await using nam = site.manager(false);
    nam.addStrictTransportSecurityHosts([new HstsPolicy({ host: site.host, expiry: inAnHour() })]);
    for (const strictTransportSecurity of [false, true]) {
      nam.setStrictTransportSecurityEnabled(strictTransportSecurity);
      const reply = nam.get(site.request(site.secure("/two")));
      await reply.done;
      assert.equal(reply.error(), NetworkError.ProtocolUnknownError, `HSTS ${strictTransportSecurity}`);
      assert.equal(
        reply.errorString(),
        `Redirect (HTTP 302) with more than one Location: ${JSON.stringify(location)}`,
        `HSTS ${strictTransportSecurity}`,
      );
    }
  },
);

hstsTest("a disabled manager neither upgrades nor learns", () => sts("max-age=3600"), async (site) => {
  await using nam = site.manager(false);
  assert.equal(nam.isStrictTransportSecurityEnabled(), false);
  await body(nam.get(site.request(site.secure("/learn"))));
  assert.deepEqual(hosts(nam), []);
  nam.addStrictTransportSecurityHosts([new HstsPolicy({ host: site.host, expiry: inAnHour() })]);
  const reply = nam.get(site.request(site.plain("/plain")));
  assert.equal(await body(reply), "http /plain");
  assert.equal(reply.url().href, site.plain("/plain").href);
});

hstsTest(
  "a learnt policy exported as JSON upgrades requests of a new manager that imports it",
  (path) => path === "/learn" ? sts("max-age=3600; includeSubDomains") : {},
  async (site) => {
    await using nam = site.manager();
    await body(nam.get(site.request(site.secure("/learn"))));
    const saved = JSON.stringify(nam.exportStrictTransportSecurityHosts());
    const [learnt] = nam.strictTransportSecurityHosts();
    assert.deepEqual(JSON.parse(saved), {
      version: 1,
      policies: [{ host: site.host, expiry: learnt.expiry.toISOString(), includeSubDomains: true }],
    });
    await using restored = site.manager();
    restored.importStrictTransportSecurityHosts(saved);
    assert.deepEqual(hosts(restored), [`${site.host} +sub`]);
    const reply = restored.get(site.request(site.upgradable("/again")));
    assert.equal(await body(reply), "https /again");
    assert.equal(reply.url().href, site.secure("/again").href);
  },
);

Deno.test("HSTS JSON: export leaves out expired policies; import drops them and replaces known hosts", async () => {
  await using nam = new NetworkAccessManager({ transport: new MockTransport() });
  const now = Date.now();
  nam.addStrictTransportSecurityHosts([
    new HstsPolicy({ host: "kept.test", expiry: new Date(now + 3_600_000) }),
    new HstsPolicy({ host: "short.test", expiry: new Date(now + 3_600_000) }),
  ]);
  nam.importStrictTransportSecurityHosts({
    version: 1,
    policies: [
      { host: "Short.Test", expiry: new Date(now + 7_200_000).toISOString(), includeSubDomains: true },
      { host: "expired.test", expiry: new Date(now - 1).toISOString(), includeSubDomains: false },
    ],
  });
  assert.deepEqual(hosts(nam), ["kept.test", "short.test +sub"]);
  assert.equal(nam.strictTransportSecurityHosts()[1].expiry.getTime(), now + 7_200_000);
  // An imported expired policy does not remove a known host, as an added one would: it is no policy.
  nam.importStrictTransportSecurityHosts({
    version: 1,
    policies: [{ host: "kept.test", expiry: new Date(now - 1).toISOString(), includeSubDomains: false }],
  });
  assert.deepEqual(hosts(nam), ["kept.test", "short.test +sub"]);
  assert.deepEqual(
    nam.exportStrictTransportSecurityHosts().policies.map((policy) => policy.host),
    ["kept.test", "short.test"],
  );
});

Deno.test("HSTS JSON: bad input is a TypeError naming the field, and nothing of it is added", async () => {
  await using nam = new NetworkAccessManager({ transport: new MockTransport() });
  const good = { host: "good.test", expiry: "2999-01-01T00:00:00Z", includeSubDomains: false };
  const cases: [unknown, string][] = [
    ["not json", `Unexpected token 'o', "not json" is not valid JSON`],
    [{ version: 2, policies: [] }, "version must be 1, got 2"],
    [
      { version: 1, policies: [good, { ...good, host: "other.test", expiry: "never" }] },
      'policies[1].expiry must be an ISO 8601 date string, got "never"',
    ],
    [{ version: 1, policies: [good, { ...good, host: "::1" }] }, 'policies[1].host "::1" is an IP address'],
    [
      { version: 1, policies: [good, { ...good, includeSubDomains: 1 }] },
      "policies[1].includeSubDomains must be a boolean, got 1",
    ],
  ];
  for (const [json, message] of cases) {
    assert.throws(
      () => nam.importStrictTransportSecurityHosts(json as string),
      { name: "TypeError", message: `Cannot read HSTS JSON: ${message}` },
    );
  }
  assert.deepEqual(hosts(nam), []);
});
