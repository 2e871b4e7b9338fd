/**
 * Cookies applied by the manager (RFC 6265bis; Qt's QNetworkCookieJar in
 * QNetworkAccessManager), on MockTransport, fetch and socket: a cookie set by
 * one response is sent with the next request, a 302's (and a 401's) cookies
 * are stored before it is followed (answered), path/domain/Secure rules hold end to end, the
 * Manual load/save controls, a null jar, a user Cookie header wins, and a
 * jar saved with toJSON() works in a new manager.
 *
 * Every site answers: each `set` query parameter as a Set-Cookie field, a
 * redirect (302, or the `status` parameter) to the `to` parameter when there
 * is one, a 401 Basic challenge (with the Set-Cookie fields) to a request with
 * an `auth` parameter and no Authorization, and the Cookie field it received
 * (or "") as the body.
 */

import assert from "node:assert/strict";
import {
  Attribute,
  CookieJar,
  KnownHeader,
  LoadControl,
  NetworkAccessManager,
  NetworkRequest,
  type Transport,
} from "../../mod.ts";
import { checkedTransport, MockTransport } from "../../testing.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import { caCertificate, serveHttp, serveHttps, type TestServer } from "../support/servers.ts";

/** What every site answers for a URL and the Cookie field it received. */
function answer(
  url: URL,
  cookie: string | undefined,
  authorized: boolean,
): { status: number; headers: Headers; body: string } {
  const headers = new Headers();
  for (const line of url.searchParams.getAll("set")) headers.append("set-cookie", line);
  if (url.searchParams.has("auth") && !authorized) {
    headers.set("www-authenticate", 'Basic realm="cookies"');
    return { status: 401, headers, body: "" };
  }
  const to = url.searchParams.get("to");
  if (to !== null) headers.set("location", to);
  const status = to === null ? 200 : Number(url.searchParams.get("status") ?? 302);
  return { status, headers, body: cookie ?? "" };
}

/**
 * Two host names of one site (`main` and `other`), over http, and `main`
 * over https. On mock they are www.site.test and api.site.test (so a Domain
 * cookie for site.test reaches both); on fetch and socket 127.0.0.1 and
 * localhost, one loopback server each for http and https.
 */
interface Site extends AsyncDisposable {
  readonly transport: string;
  /** An http URL of the main host (or of `other`). */
  url(path: string, host?: "main" | "other"): URL;
  /** An https URL of the main host. */
  secure(path: string): URL;
  /** A manager on this transport; `cookieJar` as given (absent: the default jar). */
  manager(options?: { cookieJar?: CookieJar | null }): NetworkAccessManager;
  /** A request that trusts the test CA. */
  request(url: URL, init?: ConstructorParameters<typeof NetworkRequest>[1]): NetworkRequest;
}

/** A MockTransport that answers like every site. */
function mockServer(): MockTransport {
  const mock = new MockTransport();
  mock.intercept().reply((call) => {
    const { status, headers, body } = answer(
      call.url,
      call.headers.value("cookie"),
      call.headers.contains("authorization"),
    );
    return { status, headers: [...headers], body };
  }).persist();
  return mock;
}

function mockSite(): Site {
  return {
    transport: "mock",
    url: (path, host = "main") => new URL(path, `http://${host === "main" ? "www" : "api"}.site.test/`),
    secure: (path) => new URL(path, "https://www.site.test/"),
    // A manager closes its transport: each gets its own.
    manager: (options = {}) =>
      new NetworkAccessManager({ ...options, transport: checkedTransport(mockServer()) }),
    request: (url, init) => new NetworkRequest(url, init),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

function realSite(transport: "fetch" | "socket"): Site {
  const handler = (request: Request): Response => {
    const { status, headers, body } = answer(
      new URL(request.url),
      request.headers.get("cookie") ?? undefined,
      request.headers.has("authorization"),
    );
    return new Response(body, { status, headers });
  };
  const servers: TestServer[] = [serveHttp(handler), serveHttps(handler)];
  const [plain, secure] = servers;
  return {
    transport,
    url: (path, host = "main") =>
      new URL(path, host === "main" ? plain.url : `http://localhost:${plain.port}/`),
    secure: (path) => new URL(path, secure.url),
    manager: (options = {}) => {
      const carrier: Transport = transport === "fetch" ? new FetchTransport() : new SocketTransport();
      return new NetworkAccessManager({ ...options, transport: checkedTransport(carrier), proxy: null });
    },
    request: (url, init = {}) =>
      new NetworkRequest(url, { ...init, sslConfiguration: { caCertificates: [caCertificate()] } }),
    [Symbol.asyncDispose]: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

const transports = ["mock", "fetch", "socket"] as const;

/** Runs `body` once per transport, each with its own site. */
function cookieTest(name: string, body: (site: Site) => Promise<void>): void {
  for (const transport of transports) {
    Deno.test(`cookies on ${transport}: ${name}`, async () => {
      await using site = transport === "mock" ? mockSite() : realSite(transport);
      await body(site);
    });
  }
}

/** The URL path and query that makes the site set these cookies. */
function setting(path: string, ...lines: string[]): string {
  const query = new URLSearchParams(lines.map((line) => ["set", line]));
  return `${path}?${query}`;
}

/** The Cookie field the site received for a GET of `url`, through `nam`. */
async function sent(site: Site, nam: NetworkAccessManager, url: URL, init?: Parameters<Site["request"]>[1]) {
  const reply = nam.get(site.request(url, init));
  return await reply.text();
}

const names = (jar: CookieJar | null) => jar?.allCookies().map((c) => `${c.name}=${c.value}`) ?? [];

cookieTest("a cookie set by one response is sent with the next request", async (site) => {
  await using nam = site.manager();
  assert.ok(nam.cookieJar() instanceof CookieJar);
  assert.equal(await sent(site, nam, site.url("/")), "");
  assert.equal(await sent(site, nam, site.url(setting("/login", "id=42", "lang=en; Max-Age=60"))), "");
  assert.deepEqual(names(nam.cookieJar()), ["id=42", "lang=en"]);
  assert.equal(await sent(site, nam, site.url("/me")), "id=42; lang=en");
  // A new value replaces the cookie; Max-Age=0 deletes it.
  await sent(site, nam, site.url(setting("/", "id=43", "lang=; Max-Age=0")));
  assert.equal(await sent(site, nam, site.url("/me")), "id=43");
});

cookieTest("each manager has its own default jar", async (site) => {
  await using first = site.manager();
  await using second = site.manager();
  assert.notEqual(first.cookieJar(), second.cookieJar());
  await sent(site, first, site.url(setting("/", "a=1")));
  assert.equal(await sent(site, second, site.url("/")), "");
});

cookieTest("the cookies of a 302 are stored before it is followed and sent to the target", async (site) => {
  await using nam = site.manager();
  const reply = nam.get(site.request(site.url(`${setting("/hop", "hop=1; Path=/")}&to=/target`)));
  const seenAtRedirect: string[][] = [];
  reply.addEventListener("metaDataChanged", () => {
    if (reply.attribute(Attribute.HttpStatusCodeAttribute) === 302) {
      seenAtRedirect.push(names(nam.cookieJar()));
    }
  });
  assert.equal(await reply.text(), "hop=1");
  assert.equal(reply.url().pathname, "/target");
  assert.deepEqual(seenAtRedirect, [["hop=1"]]);
});

// Qt's tst_QNetworkReply::ioHttpCookiesDuringRedirect.
cookieTest("ioHttpCookiesDuringRedirect: the Set-Cookie of a 307 is sent to the target", async (site) => {
  await using nam = site.manager();
  const reply = nam.get(
    site.request(site.url(`${setting("/", "hello=world; Path=/;")}&to=/target&status=307`)),
  );
  assert.equal(await reply.text(), "hello=world");
  assert.equal(reply.attribute(Attribute.HttpStatusCodeAttribute), 200);
});

cookieTest("the cookies of a 401 are sent with the attempt that answers it", async (site) => {
  await using nam = site.manager();
  const url = site.url(`${setting("/", "challenge=1")}&auth`);
  url.username = "user";
  url.password = "pass";
  assert.equal(await sent(site, nam, url), "challenge=1");
});

cookieTest("path: Path attribute and default-path (RFC 6265bis §5.1.4)", async (site) => {
  await using nam = site.manager();
  await sent(site, nam, site.url(setting("/", "app=1; Path=/app")));
  await sent(site, nam, site.url(setting("/dir/page", "dir=1")));
  assert.equal(await sent(site, nam, site.url("/app")), "app=1");
  assert.equal(await sent(site, nam, site.url("/app/deeper/x")), "app=1");
  assert.equal(await sent(site, nam, site.url("/application")), "");
  assert.equal(await sent(site, nam, site.url("/dir/other")), "dir=1");
  assert.equal(await sent(site, nam, site.url("/")), "");
  // Longer paths first.
  await sent(site, nam, site.url(setting("/", "root=1; Path=/")));
  assert.equal(await sent(site, nam, site.url("/app/x")), "app=1; root=1");
});

cookieTest("domain: a host-only cookie stays with its host; a foreign Domain is rejected", async (site) => {
  await using nam = site.manager();
  await sent(site, nam, site.url(setting("/", "only=1", "foreign=1; Domain=elsewhere.test")));
  assert.deepEqual(names(nam.cookieJar()), ["only=1"]);
  assert.equal(await sent(site, nam, site.url("/")), "only=1");
  assert.equal(await sent(site, nam, site.url("/", "other")), "");
});

Deno.test("cookies on mock: domain: a Domain cookie reaches sub-domains; a public suffix is rejected", async () => {
  await using site = mockSite();
  await using nam = site.manager();
  await sent(site, nam, site.url(setting("/", "wide=1; Domain=site.test", "suffix=1; Domain=test")));
  assert.deepEqual(names(nam.cookieJar()), ["wide=1"]);
  assert.equal(nam.cookieJar()?.allCookies()[0].domain, ".site.test");
  assert.equal(await sent(site, nam, site.url("/", "other")), "wide=1");
  assert.equal(await sent(site, nam, new URL("http://site.test/")), "wide=1");
  assert.equal(await sent(site, nam, new URL("http://othersite.test/")), "");
});

cookieTest("Secure: stored from https and sent back over https", async (site) => {
  await using nam = site.manager();
  await sent(site, nam, site.secure(setting("/", "s=1; Secure", "__Host-h=1; Secure; Path=/")));
  assert.deepEqual(names(nam.cookieJar()), ["s=1", "__Host-h=1"]);
  assert.equal(await sent(site, nam, site.secure("/")), "s=1; __Host-h=1");
});

Deno.test("cookies on mock: Secure: never from or to plain http (a loopback host aside)", async () => {
  await using site = mockSite();
  await using nam = site.manager();
  await sent(site, nam, site.url(setting("/", "s=1; Secure", "none=1; SameSite=None", "plain=1")));
  assert.deepEqual(names(nam.cookieJar()), ["plain=1"]);
  await sent(site, nam, site.secure(setting("/", "s=1; Secure")));
  assert.equal(await sent(site, nam, site.secure("/")), "plain=1; s=1");
  assert.equal(await sent(site, nam, site.url("/")), "plain=1");
});

cookieTest(
  "CookieLoadControlAttribute Manual: no jar cookie is sent, Set-Cookie is still stored",
  async (site) => {
    await using nam = site.manager();
    await sent(site, nam, site.url(setting("/", "a=1")));
    const manual = { attributes: { [Attribute.CookieLoadControlAttribute]: LoadControl.Manual } };
    assert.equal(await sent(site, nam, site.url(setting("/", "b=2")), manual), "");
    assert.deepEqual(names(nam.cookieJar()), ["a=1", "b=2"]);
    // Manual holds for every hop of a redirect chain (Qt consults the jar for the redirects).
    assert.equal(await sent(site, nam, site.url("/hop?to=/target"), manual), "");
    assert.equal(await sent(site, nam, site.url("/")), "a=1; b=2");
  },
);

cookieTest(
  "CookieSaveControlAttribute Manual: Set-Cookie is not stored, jar cookies are still sent",
  async (site) => {
    await using nam = site.manager();
    await sent(site, nam, site.url(setting("/", "a=1")));
    const manual = { attributes: { [Attribute.CookieSaveControlAttribute]: LoadControl.Manual } };
    const reply = nam.get(site.request(site.url(`${setting("/hop", "b=2")}&to=/target`), manual));
    assert.equal(await reply.text(), "a=1");
    assert.deepEqual(names(nam.cookieJar()), ["a=1"]);
  },
);

cookieTest("a null jar: nothing is sent or stored, Set-Cookie stays readable", async (site) => {
  await using nam = site.manager({ cookieJar: null });
  assert.equal(nam.cookieJar(), null);
  const reply = nam.get(site.request(site.url(setting("/", "a=1", "b=2"))));
  await reply.done;
  assert.equal(reply.rawHeader("set-cookie"), "a=1\nb=2");
  assert.equal(await sent(site, nam, site.url("/")), "");
  // setCookieJar() takes effect on the next request; setting null again turns cookies off.
  const jar = new CookieJar();
  nam.setCookieJar(jar);
  await sent(site, nam, site.url(setting("/", "c=3")));
  assert.deepEqual(names(jar), ["c=3"]);
  nam.setCookieJar(null);
  assert.equal(await sent(site, nam, site.url("/")), "");
});

cookieTest("a user Cookie header wins over the jar's", async (site) => {
  await using nam = site.manager();
  await sent(site, nam, site.url(setting("/", "jar=1")));
  assert.equal(await sent(site, nam, site.url("/"), { headers: { cookie: "mine=2" } }), "mine=2");
  assert.equal(await sent(site, nam, site.url("/")), "jar=1");
});

cookieTest(
  "on a redirect to another origin the user's Cookie stays behind, the target's jar cookies go",
  async (site) => {
    await using nam = site.manager();
    await sent(site, nam, site.url(setting("/", "there=1"), "other"));
    const target = site.url("/target", "other");
    const reply = nam.get(site.request(site.url(`/hop?to=${encodeURIComponent(target.href)}`), {
      headers: { cookie: "mine=2" },
    }));
    assert.equal(await reply.text(), "there=1");
    assert.equal(reply.url().href, target.href);
  },
);

cookieTest("toJSON()/fromJSON(): a saved jar works in a new manager", async (site) => {
  let saved: string;
  {
    await using nam = site.manager();
    await sent(site, nam, site.url(setting("/", "session=abc", "pref=dark; Max-Age=3600; Path=/")));
    saved = JSON.stringify(nam.cookieJar());
  }
  await using restored = site.manager({ cookieJar: CookieJar.fromJSON(saved) });
  assert.equal(await sent(site, restored, site.url("/")), "session=abc; pref=dark");
  assert.equal(restored.cookieJar()?.allCookies()[1].expires instanceof Date, true);
});

Deno.test("cookies: a jar that is not a CookieJar is a TypeError naming it", async () => {
  assert.throws(
    // @ts-expect-error: not a CookieJar
    () => new NetworkAccessManager({ cookieJar: {}, transport: new MockTransport() }),
    { name: "TypeError", message: "Cannot use cookie jar [object Object]: expected a CookieJar or null" },
  );
  await using nam = new NetworkAccessManager({ transport: new MockTransport() });
  assert.throws(
    // @ts-expect-error: not a CookieJar
    () => nam.setCookieJar("jar"),
    { name: "TypeError", message: "Cannot use cookie jar jar: expected a CookieJar or null" },
  );
  assert.ok(nam.cookieJar() instanceof CookieJar);
});

cookieTest("reply.header(SetCookieHeader) gives the cookies as the response set them", async (site) => {
  await using nam = site.manager({ cookieJar: null });
  const reply = nam.get(site.request(site.url(setting("/", "a=1; Path=/p; HttpOnly", "b=2", "="))));
  await reply.done;
  const cookies = reply.header(KnownHeader.SetCookieHeader);
  assert.ok(Array.isArray(cookies));
  assert.deepEqual(cookies.map((c) => [c.name, c.value, c.domain, c.path, c.httpOnly]), [
    ["a", "1", "", "/p", true],
    ["b", "2", "", "", false],
  ]);
  assert.equal(reply.header(KnownHeader.CookieHeader), undefined);
});
