/**
 * A proxy's 407 to an http request goes to the manager's
 * `proxyAuthenticationRequired` on every transport: the socket transport
 * asks itself; for fetch (whose runtime proxy client cannot ask) and
 * MockTransport the authentication layer asks, puts the credentials in the
 * proxy URL and keeps them for later requests. Every transport is wrapped in
 * checkedTransport.
 */

import assert from "node:assert/strict";
import {
  NetworkAccessManager,
  NetworkError,
  type ProxyAuthenticationRequiredEvent,
  type Transport,
} from "../../mod.ts";
import { checkedTransport, MockTransport } from "../../testing.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import { startForwardProxy } from "../support/forward_proxy.ts";
import { serveHttp } from "../support/servers.ts";

const KINDS = ["mock", "fetch", "socket"] as const;
type Kind = typeof KINDS[number];

const REALM = "netreply test proxy";
const PROXY_407 = {
  headers: { "proxy-authenticate": `Basic realm="${REALM}"` },
  reasonPhrase: "Proxy Authentication Required",
};

/** A manager on `kind` through a proxy demanding ann/s3cret, and an http URL behind it. */
interface Setup extends AsyncDisposable {
  readonly nam: NetworkAccessManager;
  readonly url: URL;
  /** The proxy URL as the manager was given it. */
  readonly proxy: URL;
}

function setUp(kind: Kind, mockAnswers: "once" | "always" = "once"): Setup {
  if (kind === "mock") {
    const mock = new MockTransport();
    // The mock cannot see the proxy: its first answer (or every answer) is the proxy's 407.
    const refusal = mock.intercept().reply(407, "", PROXY_407);
    if (mockAnswers === "always") refusal.persist();
    else mock.intercept().reply(200, "hello").persist();
    const proxy = new URL("http://proxy.test:3128/");
    const nam = new NetworkAccessManager({ transport: checkedTransport(mock), proxy });
    return { nam, url: new URL("http://site.test/"), proxy, [Symbol.asyncDispose]: () => nam.close() };
  }
  const origin = serveHttp(() => new Response("hello"));
  const forward = startForwardProxy({ credentials: { username: "ann", password: "s3cret" } });
  const transport: Transport = kind === "fetch" ? new FetchTransport() : new SocketTransport();
  const nam = new NetworkAccessManager({ transport: checkedTransport(transport), proxy: forward.url });
  return {
    nam,
    url: origin.url,
    proxy: forward.url,
    async [Symbol.asyncDispose]() {
      await nam.close();
      await forward.close();
      await origin.close();
    },
  };
}

function answerWith(nam: NetworkAccessManager, user: string, password: string): string[] {
  const asked: string[] = [];
  nam.addEventListener("proxyAuthenticationRequired", (event: ProxyAuthenticationRequiredEvent) => {
    asked.push(`${event.proxy.href} ${event.authenticator.scheme} ${event.authenticator.realm}`);
    event.authenticator.user = user;
    event.authenticator.password = password;
  });
  return asked;
}

for (const kind of KINDS) {
  Deno.test(`[${kind}] proxy authentication: a 407 for an http request asks once, then goes through the proxy`, async () => {
    await using setup = setUp(kind);
    const asked = answerWith(setup.nam, "ann", "s3cret");
    assert.equal(await setup.nam.get(setup.url).text(), "hello");
    assert.equal(await setup.nam.get(setup.url).text(), "hello");
    assert.deepEqual(asked, [`${setup.proxy.href} Basic ${REALM}`]);
  });

  Deno.test(`[${kind}] proxy authentication: no credentials, or refused ones: ProxyAuthenticationRequiredError after one question`, async () => {
    for (const [user, password] of [["", ""], ["ann", "wrong"]]) {
      await using setup = setUp(kind, "always");
      const asked = answerWith(setup.nam, user, password);
      const reply = setup.nam.get(setup.url);
      await reply.done;
      assert.equal(reply.error(), NetworkError.ProxyAuthenticationRequiredError);
      assert.equal(
        reply.errorString(),
        `Error transferring ${setup.url.href} - server replied: Proxy Authentication Required`,
      );
      assert.equal(asked.length, 1);
    }
  });
}
