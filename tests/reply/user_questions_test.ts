/**
 * The `ask` step of the Transport contract as the reply answers it: TLS
 * errors through `sslErrors`, a proxy's 407 through the manager's
 * `proxyAuthenticationRequired` (with `respondWith()` holding the exchange,
 * the inactivity timer paused), and the answers the transport reads.
 */
import assert from "node:assert/strict";
import {
  NetworkAccessManager,
  NetworkError,
  type ProxyAuthenticationRequiredEvent,
  SslError,
  SslErrorKind,
  type SslErrorsEvent,
} from "../../mod.ts";
import { MockTransport } from "../../testing.ts";
import { withFakeClock } from "../support/fake_clock.ts";

const URL_ = "https://site.test/";
const PROXY = "http://proxy.test:3128/";

function proxyMock(): MockTransport {
  const mock = new MockTransport();
  mock.intercept({ url: URL_ }).reply(200, "through", {
    connecting: true,
    proxyAuthentication: { proxy: PROXY, realm: "corp", scheme: "Basic" },
  });
  return mock;
}

Deno.test("proxyAuthentication question: the manager's listener fills the authenticator, the exchange goes on", async () => {
  const mock = proxyMock();
  await using nam = new NetworkAccessManager({ transport: mock });
  const seen: string[] = [];
  nam.addEventListener("proxyAuthenticationRequired", (event: ProxyAuthenticationRequiredEvent) => {
    seen.push(`${event.proxy.href} ${event.authenticator.realm} ${event.authenticator.scheme}`);
    event.authenticator.user = "me";
    event.authenticator.password = "secret";
  });
  const reply = nam.get(URL_);
  assert.equal(await reply.text(), "through");
  assert.deepEqual(seen, [`${PROXY} corp Basic`]);
});

Deno.test("proxyAuthentication question: no credentials (no listener, empty ones, a rejected respondWith) fail with ProxyAuthenticationRequiredError", async (t) => {
  const cases: { name: string; listen?: (event: ProxyAuthenticationRequiredEvent) => void }[] = [
    { name: "no listener" },
    { name: "a listener that leaves it empty", listen: () => {} },
    {
      name: "a respondWith promise that rejects",
      listen: (event) => event.respondWith(Promise.reject(new Error("no vault"))),
    },
  ];
  for (const { name, listen } of cases) {
    await t.step(name, async () => {
      await using nam = new NetworkAccessManager({ transport: proxyMock() });
      if (listen) nam.addEventListener("proxyAuthenticationRequired", listen);
      const reply = nam.get(URL_);
      await reply.done;
      assert.equal(reply.error(), NetworkError.ProxyAuthenticationRequiredError);
      assert.equal(reply.errorString(), "Proxy requires authentication");
    });
  }
});

Deno.test("proxyAuthentication question: respondWith holds the exchange with the inactivity timer paused", () =>
  withFakeClock(async (clock) => {
    await using nam = new NetworkAccessManager({ transport: proxyMock(), transferTimeout: 1_000 });
    let fill: (() => void) | undefined;
    nam.addEventListener("proxyAuthenticationRequired", (event: ProxyAuthenticationRequiredEvent) => {
      event.respondWith(
        new Promise<void>((resolve) => {
          fill = () => {
            event.authenticator.user = "me";
            resolve();
          };
        }),
      );
    });
    const reply = nam.get(URL_);
    await clock.tickAsync(5_000); // far beyond the timeout: paused while the user is asked
    assert.equal(reply.isFinished(), false);
    assert.ok(fill !== undefined);
    fill();
    assert.equal(await reply.text(), "through");
  }));

Deno.test("proxyAuthentication question: abort while the user is asked ends the reply at once", async () => {
  await using nam = new NetworkAccessManager({ transport: proxyMock() });
  const asked = Promise.withResolvers<void>();
  nam.addEventListener("proxyAuthenticationRequired", (event: ProxyAuthenticationRequiredEvent) => {
    event.respondWith(new Promise(() => {})); // never settles
    asked.resolve();
  });
  const reply = nam.get(URL_);
  await asked.promise;
  reply.abort();
  await reply.done;
  assert.equal(reply.error(), NetworkError.OperationCanceledError);
});

Deno.test("sslErrors question: the reply's and the manager's sslErrors, and the answer from ignoreSslErrors", async (t) => {
  const errors = [new SslError(SslErrorKind.SelfSignedCertificate)];
  const cases = [
    { name: "ignored", ignore: true, error: NetworkError.NoError },
    { name: "not ignored", ignore: false, error: NetworkError.SslHandshakeFailedError },
  ];
  for (const { name, ignore, error } of cases) {
    await t.step(name, async () => {
      const mock = new MockTransport();
      mock.intercept({ url: URL_ }).reply(200, "ok", { sslErrors: errors });
      await using nam = new NetworkAccessManager({ transport: mock });
      const trace: string[] = [];
      nam.addEventListener(
        "sslErrors",
        (event: SslErrorsEvent) => trace.push(`manager ${event.errors.length}`),
      );
      const reply = nam.get(URL_);
      reply.addEventListener("sslErrors", (event: SslErrorsEvent) => {
        trace.push(`reply ${event.errors[0].kind}`);
        if (ignore) reply.ignoreSslErrors();
      });
      await reply.done;
      assert.deepEqual(trace, ["manager 1", `reply ${SslErrorKind.SelfSignedCertificate}`]);
      assert.equal(reply.error(), error);
    });
  }
});

Deno.test("MockTransport rejects a proxyAuthentication script without a proxy URL", () => {
  const mock = new MockTransport();
  assert.throws(
    () => mock.intercept().reply(200, "", { proxyAuthentication: { proxy: "not a url" } }),
    { name: "TypeError", message: 'Cannot reply: proxyAuthentication.proxy must be a URL, got "not a url"' },
  );
});
