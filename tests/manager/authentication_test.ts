/**
 * HTTP authentication in the manager (Qt's authenticationRequired,
 * QAuthenticator): Basic and Digest (MD5, MD5-sess, SHA-256, SHA-256-sess)
 * against a protected resource that checks every answer, on MockTransport
 * and on the fetch and socket transports against a loopback server. Every
 * transport is wrapped in checkedTransport.
 */

import assert from "node:assert/strict";
import {
  Attribute,
  type AuthenticationRequiredEvent,
  LoadControl,
  NetworkAccessManager,
  NetworkError,
  type NetworkReply,
  NetworkRequest,
  REPLY_EVENT_TYPES,
} from "../../mod.ts";
import { checkedTransport, MockTransport } from "../../testing.ts";
import { FetchTransport } from "../../src/transport/fetch/fetch_transport.ts";
import { SocketTransport } from "../../src/transport/socket/socket_transport.ts";
import {
  AuthenticatingServer,
  type ProtectionSpace,
  serveAuthenticating,
  UNAUTHORIZED_BODY,
} from "../support/authenticating_server.ts";

const KINDS = ["mock", "fetch", "socket"] as const;
type Kind = typeof KINDS[number];

const BASIC: ProtectionSpace = { scheme: "Basic", realm: "private", user: "ann", password: "pw" };

/** A manager on `kind` in front of `server`, and the protected page's URL. */
interface Setup extends AsyncDisposable {
  readonly nam: NetworkAccessManager;
  readonly url: URL;
}

function setUp(kind: Kind, server: AuthenticatingServer): Setup {
  if (kind === "mock") {
    const mock = new MockTransport();
    mock.intercept().reply(async (call) => {
      const body = call.body === null ? "" : new TextDecoder().decode(call.body);
      return await server.answer(call.method, call.url, call.headers.value("authorization"), body);
    }).persist();
    const nam = new NetworkAccessManager({ transport: checkedTransport(mock) });
    return { nam, url: new URL("http://auth.test/private/page"), [Symbol.asyncDispose]: () => nam.close() };
  }
  const http = serveAuthenticating(server);
  const transport = kind === "fetch" ? new FetchTransport() : new SocketTransport();
  const nam = new NetworkAccessManager({ transport: checkedTransport(transport), proxy: null });
  return {
    nam,
    url: new URL("/private/page", http.url),
    async [Symbol.asyncDispose]() {
      await nam.close();
      await http.close();
    },
  };
}

/** Answers every authenticationRequired with `user`/`password`, noting `scheme realm` of each. */
function answerWith(nam: NetworkAccessManager, user: string, password: string): string[] {
  const asked: string[] = [];
  nam.addEventListener("authenticationRequired", (event: AuthenticationRequiredEvent) => {
    asked.push(`${event.authenticator.scheme} ${event.authenticator.realm}`);
    event.authenticator.user = user;
    event.authenticator.password = password;
  });
  return asked;
}

function withUserInfo(url: URL, user: string, password: string): URL {
  const withCredentials = new URL(url.href);
  withCredentials.username = user;
  withCredentials.password = password;
  return withCredentials;
}

async function assertRefused(reply: NetworkReply): Promise<void> {
  await reply.done;
  assert.equal(reply.error(), NetworkError.AuthenticationRequiredError);
  assert.equal(reply.errorString(), `Error transferring ${reply.url().href} - server replied: Unauthorized`);
  assert.equal(reply.attribute(0), 401); // HttpStatusCodeAttribute
  assert.equal(new TextDecoder().decode(reply.readAll()), UNAUTHORIZED_BODY);
}

function test(name: string, fn: (kind: Kind) => Promise<void>): void {
  for (const kind of KINDS) Deno.test(`[${kind}] authentication: ${name}`, () => fn(kind));
}

test("Basic: one authenticationRequired, then the page; the 401 never reaches the reply", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const asked = answerWith(setup.nam, "ann", "pw");
  const reply = setup.nam.get(setup.url);
  assert.equal(await reply.text(), "hello ann");
  assert.deepEqual(asked, ["Basic private"]);
  assert.deepEqual(server.log, ["none", "Basic ann"]);
});

for (const algorithm of [undefined, "MD5", "MD5-sess", "SHA-256", "SHA-256-sess"] as const) {
  test(`Digest ${algorithm ?? "(no algorithm)"}: answered, then sent ahead with nc 2, a stale nonce renewed without asking`, async (kind) => {
    const server = new AuthenticatingServer({
      ...BASIC,
      scheme: "Digest",
      ...(algorithm ? { algorithm } : {}),
    });
    await using setup = setUp(kind, server);
    const asked = answerWith(setup.nam, "ann", "pw");
    assert.equal(await setup.nam.get(setup.url).text(), "hello ann");
    assert.equal(await setup.nam.get(new URL("other?x=1", setup.url)).text(), "hello ann");
    server.renewNonce();
    assert.equal(await setup.nam.get(setup.url).text(), "hello ann");
    assert.deepEqual(asked, ["Digest private"]);
    assert.deepEqual(server.log, [
      "none",
      "Digest ann nc=00000001",
      "Digest ann nc=00000002",
      "stale",
      "Digest ann nc=00000001",
    ]);
  });
}

test("respondWith(promise): the request waits for the promise, then goes on with its credentials", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  let fill = (): void => {};
  const waiting = new Promise<void>((resolve) => fill = resolve);
  setup.nam.addEventListener("authenticationRequired", (event: AuthenticationRequiredEvent) => {
    event.respondWith(waiting.then(() => {
      event.authenticator.user = "ann";
      event.authenticator.password = "pw";
    }));
  });
  const reply = setup.nam.get(setup.url);
  const asked = new Promise((resolve) => setup.nam.addEventListener("authenticationRequired", resolve));
  await asked;
  assert.equal(reply.isFinished(), false);
  fill();
  assert.equal(await reply.text(), "hello ann");
});

test("no credentials (no listener, an empty answer, a rejected respondWith): the 401 with its body, AuthenticationRequiredError", async (kind) => {
  const listeners: ((event: AuthenticationRequiredEvent) => void)[] = [
    () => {},
    (event) => event.respondWith(Promise.reject(new Error("no vault"))),
  ];
  for (const listen of [undefined, ...listeners]) {
    const server = new AuthenticatingServer(BASIC);
    await using setup = setUp(kind, server);
    if (listen) setup.nam.addEventListener("authenticationRequired", listen);
    await assertRefused(setup.nam.get(setup.url));
    assert.deepEqual(server.log, ["none"]);
  }
});

test("wrong credentials: asked again; the same wrong ones twice give up (Qt does not ask twice for the same)", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const asked = answerWith(setup.nam, "ann", "wrong");
  await assertRefused(setup.nam.get(setup.url));
  assert.deepEqual(asked, ["Basic private", "Basic private"]);
  assert.deepEqual(server.log, ["none", "refused"]);
});

test("wrong, then right credentials: two questions, then the page", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const passwords = ["wrong", "pw"];
  setup.nam.addEventListener("authenticationRequired", (event: AuthenticationRequiredEvent) => {
    event.authenticator.user = "ann";
    event.authenticator.password = passwords.shift() ?? "";
  });
  assert.equal(await setup.nam.get(setup.url).text(), "hello ann");
  assert.deepEqual(passwords, []);
  assert.deepEqual(server.log, ["none", "refused", "Basic ann"]);
});

test("URL user info: used once, without asking", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const asked = answerWith(setup.nam, "", "");
  assert.equal(await setup.nam.get(withUserInfo(setup.url, "ann", "pw")).text(), "hello ann");
  assert.deepEqual(asked, []);
  assert.deepEqual(server.log, ["none", "Basic ann"]);
});

test("URL user info that is refused: the user is asked", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const asked = answerWith(setup.nam, "", "");
  await assertRefused(setup.nam.get(withUserInfo(setup.url, "ann", "nope")));
  assert.deepEqual(asked, ["Basic private"]);
  assert.deepEqual(server.log, ["none", "refused"]);
});

test("credential cache: one question for two requests in the same space", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const asked = answerWith(setup.nam, "ann", "pw");
  assert.equal(await setup.nam.get(setup.url).text(), "hello ann");
  assert.equal(await setup.nam.get(new URL("deeper/page", setup.url)).text(), "hello ann");
  assert.deepEqual(asked, ["Basic private"]);
  assert.deepEqual(server.log, ["none", "Basic ann", "Basic ann"]);
});

test("a remembered credential that is refused is forgotten and the user asked", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const passwords = ["pw", "wrong"];
  setup.nam.addEventListener("authenticationRequired", (event: AuthenticationRequiredEvent) => {
    const password = passwords.shift();
    if (password === undefined) return; // the third question: no more guesses
    event.authenticator.user = "ann";
    event.authenticator.password = password;
  });
  assert.equal(await setup.nam.get(setup.url).text(), "hello ann");
  const changed = new AuthenticatingServer({ ...BASIC, password: "new" });
  server.answer = changed.answer.bind(changed); // the account's password changed on the server
  await assertRefused(setup.nam.get(setup.url));
  assert.deepEqual(changed.log, ["refused", "refused"]); // the remembered one, then the user's new guess
  assert.deepEqual(passwords, []);
});

test("event order: no metaDataChanged, readyRead or second requestSent for the hidden 401", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const trace: string[] = [];
  setup.nam.addEventListener("authenticationRequired", (event: AuthenticationRequiredEvent) => {
    trace.push("authenticationRequired");
    event.authenticator.user = "ann";
    event.authenticator.password = "pw";
  });
  const reply = setup.nam.get(setup.url);
  for (const type of REPLY_EVENT_TYPES) reply.addEventListener(type, () => trace.push(type));
  assert.equal(await reply.text(), "hello ann");
  const connecting = kind === "socket" ? ["socketStartedConnecting"] : [];
  assert.deepEqual(trace.filter((type) => type !== "downloadProgress"), [
    ...connecting,
    "requestSent",
    "authenticationRequired",
    "metaDataChanged",
    "readyRead",
    "readChannelFinished",
    "finished",
  ]);
});

test("a 401 offering no scheme netreply answers: AuthenticationRequiredError without asking", async (kind) => {
  const server = new AuthenticatingServer({ ...BASIC, scheme: "Bearer" });
  await using setup = setUp(kind, server);
  const asked = answerWith(setup.nam, "ann", "pw");
  await assertRefused(setup.nam.get(setup.url));
  assert.deepEqual(asked, []);
});

test("a ReadableStream body is sent again with the credentials", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  answerWith(setup.nam, "ann", "pw");
  const body = new Blob([" says hi"]).stream();
  assert.equal(await setup.nam.post(setup.url, body).text(), "hello ann says hi");
  assert.deepEqual(server.log, ["none", "Basic ann"]);
});

test("a ReadableStream body longer than the re-send buffer: ContentReSendError, without asking", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const asked = answerWith(setup.nam, "ann", "pw");
  const body = new Blob([new Uint8Array(1024 * 1024 + 1)]).stream();
  const reply = setup.nam.post(setup.url, body);
  await reply.done;
  assert.equal(reply.error(), NetworkError.ContentReSendError);
  assert.equal(
    reply.errorString(),
    "Cannot re-send the request body for HTTP 401: a ReadableStream body longer than the re-send buffer (1 MiB) is not kept",
  );
  assert.deepEqual(asked, []);
});

test("clearAccessCache(): remembered credentials are forgotten, the next request asks again", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const asked = answerWith(setup.nam, "ann", "pw");
  assert.equal(await setup.nam.get(setup.url).text(), "hello ann");
  setup.nam.clearAccessCache();
  assert.equal(await setup.nam.get(setup.url).text(), "hello ann");
  assert.deepEqual(asked, ["Basic private", "Basic private"]);
  assert.deepEqual(server.log, ["none", "Basic ann", "none", "Basic ann"]);
});

test("AuthenticationReuseAttribute Manual: no user info, nothing remembered; every request asks", async (kind) => {
  const server = new AuthenticatingServer(BASIC);
  await using setup = setUp(kind, server);
  const asked = answerWith(setup.nam, "ann", "pw");
  for (let i = 0; i < 2; i++) {
    const request = new NetworkRequest(withUserInfo(setup.url, "ann", "pw"));
    request.setAttribute(Attribute.AuthenticationReuseAttribute, LoadControl.Manual);
    assert.equal(await setup.nam.get(request).text(), "hello ann");
  }
  assert.deepEqual(asked, ["Basic private", "Basic private"]);
  assert.deepEqual(server.log, ["none", "Basic ann", "none", "Basic ann"]);
});
